"""Agents' flags on articles for the editors: add, list, resolve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from calllog.exceptions import InvalidRecord, NotFound
from calllog.models import ArticleFeedback, FeedbackKind, FeedbackStatus
from calllog.store.base import StoreBase
from calllog.store.schema import _TIME_COLUMNS, _UPSERT_FEEDBACK, FEEDBACK_COLUMNS


class FeedbackQueries(StoreBase):
    """The SQL for article feedback."""

    def add_feedback(self, item: ArticleFeedback) -> None:
        """Store an agent's flag on an article (an idempotent upsert by feedback id).

        The content of a stored flag is never replaced; a replay of a done flag marks an
        open one done, and an open replay never reopens a done flag.
        """
        params = {
            name: self._time_out(value) if name in _TIME_COLUMNS else value
            for name, value in ((n, getattr(item, n)) for n in FEEDBACK_COLUMNS)
        }
        params.update(kind=item.kind.value, status=item.status.value)
        with self._transaction() as cur:
            self._exec(cur, _UPSERT_FEEDBACK, params)

    def list_feedback(
        self, *, article_id: str | None = None, status: str | None = "open", limit: int = 200
    ) -> list[ArticleFeedback]:
        """Flags for the editors, newest first; `status=None` lists open and done ones."""
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        if status is not None:
            try:
                params["status"] = FeedbackStatus(status).value
            except ValueError:
                raise InvalidRecord(f"unknown feedback status {status!r}") from None
            where.append("status = :status")
        if article_id is not None:
            where.append("article_id = :article")
            params["article"] = article_id
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM article_feedback"
                f" WHERE {' AND '.join(where)}"
                " ORDER BY created_at DESC, feedback_id LIMIT :limit",
                params,
            ).fetchall()
        return [self._feedback(r) for r in rows]

    def resolve_feedback(self, feedback_id: str, *, by: str, at: datetime) -> ArticleFeedback:
        """Mark a flag done and return it; a flag done already keeps its first resolution.

        Raises NotFound for an unknown id and InvalidRecord for an empty `by`, a naive
        `at` or one before the flag was created.
        """
        with self._transaction() as cur:
            row = self._exec(
                cur,
                f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM article_feedback"
                " WHERE feedback_id = :id" + self._for_update(),
                {"id": feedback_id},
            ).fetchone()
            if row is None:
                raise NotFound(f"no feedback {feedback_id!r}")
            stored = self._feedback(row)
            if not stored.is_open:
                return stored
            done = replace(stored, status=FeedbackStatus.DONE, resolved_by=by, resolved_at=at)
            self._exec(
                cur,
                "UPDATE article_feedback SET status = 'done', resolved_by = :by,"
                " resolved_at = :at WHERE feedback_id = :id",
                {"by": by, "at": self._time_out(done.resolved_at), "id": stored.feedback_id},
            )
        return done

    def _feedback(self, row: Sequence[Any]) -> ArticleFeedback:
        v = dict(zip(FEEDBACK_COLUMNS, row, strict=True))
        return ArticleFeedback(
            article_id=v["article_id"], kind=FeedbackKind(v["kind"]), comment=v["comment"],
            agent_id=v["agent_id"], created_at=self._required_time(v["created_at"]),
            call_id=v["call_id"], feedback_id=v["feedback_id"],
            status=FeedbackStatus(v["status"]), resolved_by=v["resolved_by"],
            resolved_at=self._time_in(v["resolved_at"]),
        )  # fmt: skip
