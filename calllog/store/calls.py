"""Calls: upsert, outcome edits and their history, reading and listing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from calllog.exceptions import NotFound
from calllog.models import CallRecord, Outcome, OutcomeChange, SearchQuery, Topic, TransferMode
from calllog.store.base import StoreBase
from calllog.store.schema import (
    _UPSERT_CALL,
    CALL_COLUMNS,
    SEARCH_COLUMNS,
    TOPIC_COLUMNS,
    _rows,
)


class CallQueries(StoreBase):
    """The SQL for calls, their topics and searches, and the outcome history."""

    def _call_params(self, record: CallRecord, now: datetime) -> dict[str, Any]:
        local = record.offered_at.astimezone(self.zone)
        return {
            "call_id": record.call_id,
            "queue": record.queue,
            "agent_id": record.agent_id,
            "caller_number": record.caller_number,
            "caller_name": record.caller_name,
            "language": record.language,
            "offered_at": self._time_out(record.offered_at),
            "answered_at": self._time_out(record.answered_at),
            "ended_at": self._time_out(record.ended_at),
            "wrapup_end_at": self._time_out(record.wrapup_end_at),
            "offered_day": self._day_out(local.date()),
            "offered_dow": local.isoweekday(),
            "offered_hour": local.hour,
            "wait_ms": record.wait_ms,
            "talk_ms": record.talk_ms,
            "wrapup_ms": record.wrapup_ms,
            "outcome": record.outcome.value if record.outcome else None,
            "outcome_target": record.outcome_target,
            "transfer_mode": record.transfer_mode.value if record.transfer_mode else None,
            "notes": record.notes,
            "updated_at": self._time_out(record.updated_at or now),
            "updated_by": record.updated_by,
            "purged_at": None,
        }

    def _child_rows(self, record: CallRecord, offered: Any) -> tuple[list[dict[str, Any]], ...]:
        outcome = record.outcome.value if record.outcome else None
        topics = [
            {"call_id": record.call_id, "position": i, "article_id": t.article_id,
             "leika_key": t.leika_key, "offered_at": offered, "outcome": outcome}
            for i, t in enumerate(record.topics)
        ]  # fmt: skip
        searches = [
            {"call_id": record.call_id, "seq": i, "query": s.text, "hit_count": s.hit_count,
             "searched_at": self._time_out(s.searched_at), "offered_at": offered,
             "high_hit_count": s.high_hit_count}
            for i, s in enumerate(record.searches)
        ]  # fmt: skip
        return topics, searches

    def upsert_call(self, record: CallRecord) -> bool:
        """Insert or replace a call by id; False when the stored version is newer.

        Replaying the same record changes nothing. Personal data of a purged call is
        not brought back. A changed outcome is appended to the outcome history.
        """
        params = self._call_params(record, datetime.now(UTC))
        topics, searches = self._child_rows(record, params["offered_at"])
        with self._transaction() as cur:
            before = self._exec(
                cur,
                "SELECT outcome, outcome_target FROM calls WHERE call_id = :call_id"
                + self._for_update(),
                {"call_id": record.call_id},
            ).fetchone()
            if self._exec(cur, _UPSERT_CALL, params).fetchone() is None:
                return False
            for table in ("call_topics", "call_searches"):
                self._exec(cur, f"DELETE FROM {table} WHERE call_id = :id", {"id": record.call_id})
            if topics:
                cur.executemany(self.dialect.sql(_rows(TOPIC_COLUMNS, "call_topics")), topics)
            if searches:
                cur.executemany(self.dialect.sql(_rows(SEARCH_COLUMNS, "call_searches")), searches)
            if before is not None and (before[0], before[1]) != (
                params["outcome"],
                params["outcome_target"],
            ):
                self._append_history(
                    cur, record.call_id, params["updated_at"],
                    record.updated_by or record.agent_id or "unknown",
                    before, (params["outcome"], params["outcome_target"]),
                )  # fmt: skip
        return True

    def _append_history(
        self, cur: Any, call_id: str, at: Any, by: str, old: Sequence[Any], new: Sequence[Any]
    ) -> None:
        self._exec(
            cur,
            "INSERT INTO outcome_history (call_id, changed_at, changed_by, old_outcome,"
            " new_outcome, old_target, new_target)"
            " VALUES (:call_id, :at, :by, :old_outcome, :new_outcome, :old_target, :new_target)",
            {"call_id": call_id, "at": at, "by": by, "old_outcome": old[0],
             "new_outcome": new[0], "old_target": old[1], "new_target": new[1]},
        )  # fmt: skip

    def set_outcome(
        self,
        call_id: str,
        outcome: Outcome,
        *,
        changed_by: str,
        at: datetime,
        target: str | None = None,
    ) -> None:
        """Edit a call's outcome and append the change to its history."""
        stamp = self._time_out(at)
        with self._transaction() as cur:
            before = self._exec(
                cur,
                "SELECT outcome, outcome_target FROM calls WHERE call_id = :id"
                + self._for_update(),
                {"id": call_id},
            ).fetchone()
            if before is None:
                raise NotFound(f"no call {call_id!r}")
            self._exec(
                cur,
                "UPDATE calls SET outcome = :outcome, outcome_target = :target,"
                " transfer_mode = CASE WHEN :outcome = 'transferred' THEN transfer_mode END,"
                " updated_at = :at, updated_by = :by WHERE call_id = :id",
                {"outcome": outcome.value, "target": target, "at": stamp, "by": changed_by,
                 "id": call_id},
            )  # fmt: skip
            self._exec(
                cur,
                "UPDATE call_topics SET outcome = :outcome WHERE call_id = :id",
                {"outcome": outcome.value, "id": call_id},
            )
            self._append_history(cur, call_id, stamp, changed_by, before, (outcome.value, target))

    def outcome_history(self, call_id: str) -> list[OutcomeChange]:
        """Every outcome edit of a call, oldest first."""
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                "SELECT call_id, changed_at, changed_by, old_outcome, new_outcome, old_target,"
                " new_target FROM outcome_history WHERE call_id = :id ORDER BY id",
                {"id": call_id},
            ).fetchall()
        return [
            OutcomeChange(
                call_id=r[0], changed_at=self._required_time(r[1]), changed_by=r[2],
                old_outcome=Outcome(r[3]) if r[3] else None,
                new_outcome=Outcome(r[4]) if r[4] else None, old_target=r[5], new_target=r[6],
            )
            for r in rows
        ]  # fmt: skip

    def _record(
        self, row: Sequence[Any], topics: list[Topic], searches: list[SearchQuery]
    ) -> CallRecord:
        v = dict(zip(CALL_COLUMNS, row, strict=True))
        return CallRecord(
            call_id=v["call_id"], queue=v["queue"], agent_id=v["agent_id"],
            caller_number=v["caller_number"], caller_name=v["caller_name"],
            language=v["language"], offered_at=self._required_time(v["offered_at"]),
            answered_at=self._time_in(v["answered_at"]), ended_at=self._time_in(v["ended_at"]),
            wrapup_end_at=self._time_in(v["wrapup_end_at"]),
            outcome=Outcome(v["outcome"]) if v["outcome"] else None,
            outcome_target=v["outcome_target"],
            transfer_mode=TransferMode(v["transfer_mode"]) if v["transfer_mode"] else None,
            notes=v["notes"], topics=tuple(topics), searches=tuple(searches),
            updated_at=self._time_in(v["updated_at"]), updated_by=v["updated_by"],
            purged_at=self._time_in(v["purged_at"]),
        )  # fmt: skip

    def _load_children(
        self, cur: Any, ids: list[str]
    ) -> tuple[dict[str, list[Topic]], dict[str, list[SearchQuery]]]:
        topics: dict[str, list[Topic]] = {i: [] for i in ids}
        searches: dict[str, list[SearchQuery]] = {i: [] for i in ids}
        if not ids:
            return topics, searches
        marks = ", ".join(f":id{n}" for n in range(len(ids)))
        params = {f"id{n}": i for n, i in enumerate(ids)}
        for call_id, article, key in self._exec(
            cur,
            f"SELECT call_id, article_id, leika_key FROM call_topics WHERE call_id IN ({marks})"
            " ORDER BY call_id, position",
            params,
        ).fetchall():
            topics[call_id].append(Topic(article, key))
        for call_id, text, hits, at, high in self._exec(
            cur,
            f"SELECT call_id, query, hit_count, searched_at, high_hit_count FROM call_searches"
            f" WHERE call_id IN ({marks}) ORDER BY call_id, seq",
            params,
        ).fetchall():
            searches[call_id].append(SearchQuery(text, hits, self._time_in(at), high))
        return topics, searches

    def get_call(self, call_id: str) -> CallRecord:
        """One call with its topics and searches; raises NotFound."""
        with self._transaction(write=False) as cur:
            row = self._exec(
                cur,
                f"SELECT {', '.join(CALL_COLUMNS)} FROM {self._calls_from} WHERE call_id = :id",
                {"id": call_id},
            ).fetchone()
            if row is None:
                raise NotFound(f"no call {call_id!r}")
            topics, searches = self._load_children(cur, [call_id])
        return self._record(row, topics[call_id], searches[call_id])

    def list_calls(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
        outcome: Outcome | None = None,
        caller_number: str | None = None,
        limit: int = 100,
    ) -> list[CallRecord]:
        """Calls offered in [since, until), newest first; `caller_number` matches exactly."""
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        for clause, name, value in (
            ("offered_at >= :since", "since", self._time_out(since)),
            ("offered_at < :until", "until", self._time_out(until)),
            ("agent_id = :agent", "agent", agent_id),
            ("outcome = :outcome", "outcome", outcome.value if outcome else None),
            (self._caller_clause(), "number", caller_number),
        ):
            if value is not None:
                where.append(clause)
                params[name] = value
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                f"SELECT {', '.join(CALL_COLUMNS)} FROM {self._calls_from}"
                f" WHERE {' AND '.join(where)}"
                " ORDER BY offered_at DESC, call_id LIMIT :limit",
                params,
            ).fetchall()
            topics, searches = self._load_children(cur, [r[0] for r in rows])
        return [self._record(r, topics[r[0]], searches[r[0]]) for r in rows]

    def count_calls(self) -> int:
        """How many calls the store holds."""
        with self._transaction(write=False) as cur:
            return int(self._exec(cur, "SELECT count(*) FROM calls").fetchone()[0])
