"""Plain-dict forms of calls, tickets, article feedback and staffed time for the outbox (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from calllog.models import (
    ArticleFeedback,
    AttemptResult,
    CallbackAttempt,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    SearchQuery,
    Topic,
    TransferMode,
)
from calllog.pbx import EndedBy, QueueExit, Source
from calllog.staffed import StaffedSpan, StaffedState

#: Fields holding personal data, removed by a purge.
PERSONAL_CALL_FIELDS = ("caller_number", "caller_name", "notes", "handover_note")
PERSONAL_TICKET_FIELDS = ("caller_name", "number", "clarify")

_CALL_TIMES = (
    "offered_at", "answered_at", "ended_at", "wrapup_end_at", "updated_at", "purged_at",
    "pbx_updated_at", "survey_at",
)  # fmt: skip
#: Optional enum fields of a call and their types (absent in entries queued before 0006).
_CALL_ENUMS = (
    ("outcome", Outcome), ("transfer_mode", TransferMode), ("queue_exit", QueueExit),
    ("ended_by", EndedBy), ("pbx_transfer", TransferMode),
)  # fmt: skip
_TICKET_TIMES = ("created_at", "due_at", "updated_at", "closed_at")


def _time_out(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time_in(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def call_to_dict(record: CallRecord) -> dict[str, Any]:
    """A call record as JSON-ready values."""
    data: dict[str, Any] = {
        name: getattr(record, name)
        for name in (
            "call_id", "queue", "agent_id", "caller_number", "caller_name", "language",
            "outcome", "outcome_target", "transfer_mode", "notes", "updated_by", "queue_exit",
            "ended_by", "entry_position", "exit_position", "pbx_transfer",
            "pbx_transfer_target", "caller_uniqueid", "source", "survey_rating", "handover",
            "handover_note", "pbx_municipality", "pbx_language", "municipality",
        )
    }  # fmt: skip
    data.update({name: _time_out(getattr(record, name)) for name in _CALL_TIMES})
    data["coarse_facts"] = sorted(record.coarse_facts)
    data["topics"] = [[t.article_id, t.leika_key] for t in record.topics]
    data["searches"] = [
        [s.text, s.hit_count, _time_out(s.searched_at), s.high_hit_count] for s in record.searches
    ]
    return data


def call_from_dict(data: dict[str, Any]) -> CallRecord:
    """The inverse of `call_to_dict`."""
    values = dict(data)
    for name in _CALL_TIMES:
        values[name] = _time_in(values.get(name))
    for name, kind in _CALL_ENUMS:
        values[name] = kind(values[name]) if values.get(name) else None
    values["source"] = Source(values.get("source") or Source.AGENT)
    values["handover"] = bool(values.get("handover"))  # absent in entries queued before 0011
    values["coarse_facts"] = frozenset(values.get("coarse_facts", ()))
    values["topics"] = tuple(Topic(a, k) for a, k in values.get("topics", ()))
    values["searches"] = tuple(_search_in(*item) for item in values.get("searches", ()))
    return CallRecord(**values)


def _search_in(text: str, hits: int, at: str | None, high: int | None = None) -> SearchQuery:
    """A search from the outbox; records queued before the high count have three fields."""
    return SearchQuery(text, hits, _time_in(at), high)


def ticket_to_dict(ticket: CallbackTicket) -> dict[str, Any]:
    """A call-back ticket as JSON-ready values."""
    data: dict[str, Any] = {
        name: getattr(ticket, name)
        for name in (
            "ticket_id", "created_by", "clarify", "caller_name", "number", "topic",
            "office", "call_id", "status", "attempts",
        )
    }  # fmt: skip
    data.update({name: _time_out(getattr(ticket, name)) for name in _TICKET_TIMES})
    data["history"] = [
        [a.at.isoformat(), a.agent_id, a.result.value, a.call_id, a.outcome, a.notes]
        for a in ticket.history
    ]
    return data


def ticket_from_dict(data: dict[str, Any]) -> CallbackTicket:
    """The inverse of `ticket_to_dict`."""
    values = dict(data)
    for name in _TICKET_TIMES:
        values[name] = _time_in(values.get(name))
    values["status"] = CallbackStatus(values["status"])
    values["history"] = tuple(
        CallbackAttempt(datetime.fromisoformat(at), agent, AttemptResult(result), call_id,
                        Outcome(outcome) if outcome else None, notes)
        for at, agent, result, call_id, outcome, notes in values.get("history", ())
    )  # fmt: skip
    return CallbackTicket(**values)


def feedback_to_dict(item: ArticleFeedback) -> dict[str, Any]:
    """A flag as JSON-ready values (the outbox's payload)."""
    data: dict[str, Any] = {
        name: getattr(item, name)
        for name in ("feedback_id", "article_id", "comment", "agent_id", "call_id", "resolved_by")
    }
    data.update(kind=item.kind.value, status=item.status.value)
    data["created_at"] = item.created_at.isoformat()
    data["resolved_at"] = item.resolved_at.isoformat() if item.resolved_at else None
    return data


def feedback_from_dict(data: dict[str, Any]) -> ArticleFeedback:
    """The inverse of `feedback_to_dict`."""
    resolved_at = data.get("resolved_at")
    return ArticleFeedback(
        article_id=data["article_id"], kind=FeedbackKind(data["kind"]), comment=data["comment"],
        agent_id=data["agent_id"], created_at=datetime.fromisoformat(data["created_at"]),
        call_id=data.get("call_id"), feedback_id=data["feedback_id"],
        status=FeedbackStatus(data["status"]), resolved_by=data.get("resolved_by"),
        resolved_at=datetime.fromisoformat(resolved_at) if resolved_at else None,
    )  # fmt: skip


def staffed_to_dict(spans: Sequence[StaffedSpan]) -> dict[str, Any]:
    """Spans of staffed time as JSON-ready values (one outbox entry; no personal data)."""
    return {
        "spans": [
            [s.agent_id, s.state.value, s.started_at.isoformat(), s.ended_at.isoformat(), s.reason]
            for s in spans
        ]
    }


def staffed_from_dict(data: dict[str, Any]) -> list[StaffedSpan]:
    """The inverse of `staffed_to_dict`."""
    return [
        StaffedSpan(agent, StaffedState(state), datetime.fromisoformat(start),
                    datetime.fromisoformat(end), reason)
        for agent, state, start, end, reason in data["spans"]
    ]  # fmt: skip
