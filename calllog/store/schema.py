"""Tables, columns and the shared upsert statements of the call-log schema (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: The zone whose local day and hour are stored beside each offer time.
DEFAULT_ZONE = "Europe/Berlin"

CALL_COLUMNS = (
    "call_id", "queue", "agent_id", "caller_number", "caller_name", "language",
    "offered_at", "answered_at", "ended_at", "wrapup_end_at",
    "offered_day", "offered_dow", "offered_hour", "wait_ms", "talk_ms", "wrapup_ms",
    "outcome", "outcome_target", "transfer_mode", "notes", "updated_at", "updated_by",
    "purged_at", "queue_exit", "ended_by", "entry_position", "exit_position", "pbx_transfer",
    "pbx_transfer_target", "caller_uniqueid", "pbx_source", "coarse_facts", "pbx_updated_at",
    "agent_updated_at", "survey_at", "survey_rating", "handover", "handover_note",
    "pbx_municipality", "pbx_language", "municipality",
)  # fmt: skip
TICKET_COLUMNS = (
    "ticket_id", "call_id", "created_at", "due_at", "created_by", "clarify", "caller_name",
    "number", "topic", "office", "status", "attempts", "updated_at", "closed_at",
)  # fmt: skip
FEEDBACK_COLUMNS = (
    "feedback_id", "article_id", "kind", "comment", "agent_id", "call_id", "created_at",
    "status", "resolved_by", "resolved_at",
)  # fmt: skip
ATTEMPT_COLUMNS = (
    "ticket_id", "seq", "attempted_at", "agent_id", "result", "call_id", "outcome", "notes",
)  # fmt: skip
TOPIC_COLUMNS = ("call_id", "position", "article_id", "leika_key", "offered_at", "outcome")
SEARCH_COLUMNS = (
    "call_id", "seq", "query", "hit_count", "searched_at", "offered_at", "high_hit_count",
)  # fmt: skip
#: A search without a hit (SQL over call_searches): none at all, or none the search was sure
#: of (`SearchQuery.answered` is False). Rows from before migration 0009 have no high count.
UNANSWERED_SEARCH = "(hit_count = 0 OR high_hit_count = 0)"
_PERSONAL = ("caller_number", "caller_name", "notes", "handover_note")
#: Columns of calls an agent's login may not read (PostgreSQL): the personal ones, and the
#: survey rating (never to be linked to a caller by the agent who took the call).
_AGENT_HIDDEN = (*_PERSONAL, "survey_rating")
STAFFED_COLUMNS = ("agent_id", "started_at", "ended_at", "state", "reason", "day", "ms")
_TIME_COLUMNS = frozenset(
    {"offered_at", "answered_at", "ended_at", "wrapup_end_at", "updated_at", "purged_at",
     "created_at", "due_at", "closed_at", "searched_at", "changed_at", "cutoff",
     "resolved_at", "pbx_updated_at", "agent_updated_at", "attempted_at", "survey_at"}
)  # fmt: skip


def _rows(columns: Sequence[str], table: str) -> str:
    marks = ", ".join(":" + c for c in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


_UPSERT_TICKET = (
    _rows(TICKET_COLUMNS, "callbacks")
    + " ON CONFLICT (ticket_id) DO UPDATE SET "
    + ", ".join(
        f"{c} = CASE WHEN callbacks.purged_at IS NULL THEN :{c} END"
        if c in ("caller_name", "number", "clarify")
        else f"{c} = :{c}"
        for c in TICKET_COLUMNS[1:]
    )
    + " WHERE callbacks.updated_at <= :updated_at RETURNING ticket_id"
)
#: A ticket's history only grows: an attempt once written is never replaced (nor its notes,
#: once purged); replaying an older version of the ticket adds nothing.
_ADD_ATTEMPTS = (
    _rows(ATTEMPT_COLUMNS, "callback_attempts") + " ON CONFLICT (ticket_id, seq) DO NOTHING"
)
# A flag's content never changes; a replay may only move an open flag to done.
_UPSERT_FEEDBACK = (
    _rows(FEEDBACK_COLUMNS, "article_feedback")
    + " ON CONFLICT (feedback_id) DO UPDATE SET status = :status,"
    " resolved_by = :resolved_by, resolved_at = :resolved_at"
    " WHERE article_feedback.status = 'open' AND :status = 'done'"
)


@dataclass(frozen=True, slots=True)
class _Dialect:
    name: str

    def sql(self, text: str) -> str:
        """Named `:param` placeholders in this dialect's style."""
        if self.name == "sqlite":
            return text
        return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", text)
