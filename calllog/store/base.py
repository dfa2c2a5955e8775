"""The connection hooks every SQL store provides; the query modules build on them."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from calllog.exceptions import StoreError
from calllog.store.schema import _Dialect

if TYPE_CHECKING:
    from calllog.store.access import Access


class StoreBase:
    """A DB-API connection behind a lock; the backends supply connection and types."""

    dialect: _Dialect
    _calls_from = "calls"
    """Where calls are read from: `my_calls` for an agent's login (PostgreSQL)."""
    _callbacks_from = "callbacks"
    """Where tickets are read from: `my_callbacks` for an agent's login (PostgreSQL)."""

    def __init__(self, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self._lock = threading.RLock()

    # -- connection, supplied by the backends ------------------------------------------
    def _transaction(self, write: bool = True) -> contextlib.AbstractContextManager[Any]:
        """A transaction's cursor; `write=False` lets SQLite readers run beside a writer."""
        raise NotImplementedError

    def access(self) -> Access:
        """Who the database says this login is (see `calllog.store.access`)."""
        raise NotImplementedError

    def _caller_clause(self) -> str:
        """The condition "the caller's number is :number" this login may use."""
        return "caller_number = :number"

    def _reads_personal(self) -> bool:
        """Whether this login may read callers' numbers, names and notes (not an agent's)."""
        return True

    def _has_table(self, cur: Any, name: str) -> bool:
        raise NotImplementedError

    def _time_out(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def _time_in(self, value: Any) -> datetime | None:
        raise NotImplementedError

    def _day_out(self, value: date) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

    def _exec(self, cur: Any, text: str, params: dict[str, Any] | None = None) -> Any:
        return cur.execute(self.dialect.sql(text), params or {})

    def _for_update(self) -> str:
        return ""

    def _required_time(self, value: Any) -> datetime:
        result = self._time_in(value)
        if result is None:
            raise StoreError("missing time in a stored row")
        return result
