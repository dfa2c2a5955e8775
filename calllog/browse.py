"""The supervisors' call-log browser: calls of a period by agent, outcome, topic and number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from calllog.models import CallRecord
from calllog.store import CALL_COLUMNS, SqlStore

#: Browser filters that are not a stored outcome: abandoned is the PBX's fact (queue_exit),
#: `none` keeps answered calls nobody wrote a wrap-up for ("ohne Ergebnis").
_OUTCOME_FILTERS = {
    "abandoned": "(queue_exit = :outcome OR outcome = :outcome)",
    "none": "(answered_at IS NOT NULL AND outcome IS NULL AND :outcome = 'none')",
}


def find_calls(
    store: SqlStore,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    agent_id: str | None = None,
    outcome: str | None = None,
    topic: str | None = None,
    number: str | None = None,
    limit: int = 200,
) -> list[CallRecord]:
    """The call-log browser's search: calls offered in [since, until), newest first.

    `outcome` is an outcome's value, or `none` for answered calls without one; `topic` is
    an article id; `number` matches callers whose number contains these digits (spaces
    ignored). Purged calls have no number and never match a number filter.
    """
    where = ["1 = 1"]
    params: dict[str, Any] = {"limit": limit}
    digits = "".join(ch for ch in number or "" if ch.isdigit() or ch == "+")
    with store.read() as read:
        for clause, name, value in (
            ("offered_at >= :since", "since", read.time_param(since) if since else None),
            ("offered_at < :until", "until", read.time_param(until) if until else None),
            ("agent_id = :agent", "agent", agent_id or None),
            (_OUTCOME_FILTERS.get(outcome or "", "outcome = :outcome"), "outcome",
             outcome or None),
            ("call_id IN (SELECT call_id FROM call_topics WHERE article_id = :topic)", "topic",
             topic or None),
            ("replace(caller_number, ' ', '') LIKE :number", "number",
             f"%{digits}%" if digits else None),
        ):  # fmt: skip
            if value is not None:
                where.append(clause)
                params[name] = value
        rows = read.rows(
            f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE {' AND '.join(where)}"
            " ORDER BY offered_at DESC, call_id LIMIT :limit",
            params,
        )
        return read.records(rows)
