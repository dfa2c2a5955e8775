"""Calls: merging writes by owner, outcome edits and their history, reading and listing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from calllog.exceptions import NotFound, RecordRefused
from calllog.merge import Merged, merge
from calllog.models import CallRecord, Outcome, OutcomeChange
from calllog.pbx import Source
from calllog.store.call_rows import CallRows
from calllog.store.schema import (
    _AGENT_HIDDEN,
    CALL_COLUMNS,
    SEARCH_COLUMNS,
    TOPIC_COLUMNS,
    _rows,
)

#: An agent's login (PostgreSQL) may not read these: the merge sees them as unknown.
_HIDDEN_SELECT = ", ".join(f"NULL AS {c}" if c in _AGENT_HIDDEN else c for c in CALL_COLUMNS)


class WriteResult(StrEnum):
    """What writing one record did to the call log."""

    ADDED = "added"
    """The call was new."""
    CHANGED = "changed"
    """The call was there; the write added or replaced something."""
    UNCHANGED = "unchanged"
    """The call was there with everything the write said (a replay, or older)."""


class CallQueries(CallRows):
    """The SQL for calls, their topics and searches, and the outcome history."""

    def upsert_call(self, record: CallRecord) -> bool:
        """Write a record; its part merges with the stored one (see `calllog.merge`).

        Returns False when the write carried an agent's part older than the stored one
        (that part was ignored). Replaying a write changes nothing. Personal data of a
        purged call is not brought back. A changed outcome is appended to the history.
        """
        with self._transaction() as cur:
            _, agent_taken = self._merge_in(cur, record, datetime.now(UTC))
        return agent_taken or record.source is not Source.AGENT

    def merge_calls(
        self, records: Iterable[CallRecord], batch_size: int = 500
    ) -> list[WriteResult]:
        """Write many records like `upsert_call`, `batch_size` per transaction (imports)."""
        results: list[WriteResult] = []
        batch: list[CallRecord] = []
        for record in [*records, None]:
            if record is not None:
                batch.append(record)
            if batch and (record is None or len(batch) >= batch_size):
                now = datetime.now(UTC)
                with self._transaction() as cur:
                    results += [self._merge_in(cur, r, now)[0] for r in batch]
                batch = []
        return results

    def _stored(self, cur: Any, call_id: str) -> CallRecord | None:
        columns = ", ".join(CALL_COLUMNS) if self._reads_personal() else _HIDDEN_SELECT
        sql = f"SELECT {columns} FROM calls WHERE call_id = :id" + self._for_update()
        row = self._exec(cur, sql, {"id": call_id}).fetchone()
        return None if row is None else self._records(cur, [row])[0]

    def _update_columns(self, stored: CallRecord, merged: Merged) -> list[str]:
        """The columns to write: one this login could not read (personal data, the survey
        rating) only when the write's own value replaced it (its PBX facts or its agent's
        part was taken)."""
        if self._reads_personal():
            return list(CALL_COLUMNS[1:])
        taken = {
            "caller_number": merged.pbx_taken, "caller_name": merged.pbx_taken,
            "notes": merged.agent_taken, "handover_note": merged.agent_taken,
            "survey_rating": merged.pbx_taken,
        }  # fmt: skip
        keep = stored.purged_at is not None  # purged: stays empty
        return [c for c in CALL_COLUMNS[1:] if c not in taken or (taken[c] and not keep)]

    def _merge_in(self, cur: Any, record: CallRecord, now: datetime) -> tuple[WriteResult, bool]:
        stored = self._stored(cur, record.call_id)
        if stored is None:
            merged = merge(None, record, now)
            params = self._call_params(merged.record, now)
            sql = _rows(CALL_COLUMNS, "calls") + " ON CONFLICT (call_id) DO NOTHING"
            if self._exec(cur, sql + " RETURNING call_id", params).fetchone() is not None:
                self._write_children(cur, merged.record, params["offered_at"])
                return WriteResult.ADDED, merged.agent_taken
            stored = self._stored(cur, record.call_id)  # another writer came first
            if stored is None:  # it exists, but this login may not see it
                raise RecordRefused(
                    f"call {record.call_id!r} is another agent's (row-level security, 42501)"
                )
        merged = merge(stored, record, now)
        if not merged.changed:
            return WriteResult.UNCHANGED, merged.agent_taken
        params = self._call_params(merged.record, now)
        columns = self._update_columns(stored, merged)
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        self._exec(cur, f"UPDATE calls SET {assignments} WHERE call_id = :call_id", params)
        self._write_children(cur, merged.record, params["offered_at"])
        new = (merged.record.outcome, merged.record.outcome_target)
        if stored.has_agent_part and new != (stored.outcome, stored.outcome_target):
            self._append_history(
                cur, record.call_id, params["agent_updated_at"],
                merged.record.updated_by or merged.record.agent_id or "unknown",
                [_value(stored.outcome), stored.outcome_target], [_value(new[0]), new[1]],
            )  # fmt: skip
        return WriteResult.CHANGED, merged.agent_taken

    def _write_children(self, cur: Any, record: CallRecord, offered: Any) -> None:
        topics, searches = self._child_rows(record, offered)
        for table in ("call_topics", "call_searches"):
            self._exec(cur, f"DELETE FROM {table} WHERE call_id = :id", {"id": record.call_id})
        if topics:
            cur.executemany(self.dialect.sql(_rows(TOPIC_COLUMNS, "call_topics")), topics)
        if searches:
            cur.executemany(self.dialect.sql(_rows(SEARCH_COLUMNS, "call_searches")), searches)

    def resolve_call_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored call id for each id that is one, or the Uniqueid of a stored caller."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(f":id{n}" for n in range(len(chunk)))
            params = {f"id{n}": i for n, i in enumerate(chunk)}
            with self._transaction(write=False) as cur:
                rows = self._exec(
                    cur,
                    f"SELECT call_id, caller_uniqueid FROM calls WHERE call_id IN ({marks})"
                    f" OR caller_uniqueid IN ({marks})",
                    params,
                ).fetchall()
            wanted = set(chunk)
            for call_id, uniqueid in rows:
                if uniqueid in wanted:
                    found.setdefault(uniqueid, call_id)
                if call_id in wanted:
                    found[call_id] = call_id
        return found

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
                " updated_at = :at, agent_updated_at = :at, updated_by = :by WHERE call_id = :id",
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


def _value(outcome: Outcome | None) -> str | None:
    return None if outcome is None else outcome.value
