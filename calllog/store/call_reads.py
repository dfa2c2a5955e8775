"""Reading calls: one call, lists, counts, and `read()`, the public read session for reports."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from calllog.exceptions import NotFound
from calllog.models import CallRecord, Outcome
from calllog.store.call_rows import CallRows
from calllog.store.schema import CALL_COLUMNS


class ReadSession:
    """One read transaction: SELECTs with `:name` parameters, values in the backend's types.

    Reports (`calllog.kpi`) and benchmarks query through this instead of the store's
    internals; `CALL_COLUMNS` selected from `calls` turn into records with `records`.
    """

    def __init__(self, store: CallRows, cursor: Any) -> None:
        self._store = store
        self._cur = cursor
        self.dialect: str = store.dialect.name
        """`sqlite` or `postgresql`."""
        self.zone = store.zone
        """The zone of the stored local day and hour (`offered_day`, ...)."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a SELECT."""
        found = self._store._exec(self._cur, sql, dict(params or {})).fetchall()
        return [tuple(r) for r in found]

    def time_param(self, value: datetime | None) -> Any:
        """An aware time as the backend compares it (UTC text on SQLite)."""
        return self._store._time_out(value)

    def day_param(self, value: date) -> Any:
        """A local day as the backend compares it (`staffed_time.day`)."""
        return self._store._day_out(value)

    def time(self, value: Any) -> datetime | None:
        """A stored time as an aware datetime."""
        return self._store._time_in(value)

    @staticmethod
    def day(value: Any) -> date:
        """A stored local day (`offered_day`) as a date."""
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    def records(self, rows: Sequence[Sequence[Any]]) -> list[CallRecord]:
        """Rows of `CALL_COLUMNS` as records with their topics and searches."""
        return self._store._records(self._cur, rows)


class CallReads(CallRows):
    """One call, listings and counts; `read()` for everything else."""

    @contextlib.contextmanager
    def read(self) -> Iterator[ReadSession]:
        """A read transaction (SQLite readers run beside a writer)."""
        with self._transaction(write=False) as cur:
            yield ReadSession(self, cur)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after bulk loads; benchmarks)."""
        with self._transaction() as cur:
            cur.execute("ANALYZE")

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
            return self._records(cur, [row])[0]

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
            return self._records(cur, rows)

    def count_calls(self) -> int:
        """How many calls the store holds."""
        with self._transaction(write=False) as cur:
            return int(self._exec(cur, "SELECT count(*) FROM calls").fetchone()[0])
