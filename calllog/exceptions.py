"""Errors raised by the call log.

Hierarchy::

    CallLogError
    ├── InvalidRecord          a call record or ticket breaks a rule (also a ValueError)
    ├── CalendarError          service hours that can never be reached
    ├── NotFound               no call or ticket with that id
    └── StoreError             anything the store could not do
        ├── UnsupportedUrl     the store URL names no known backend
        ├── SchemaOutdated     the database needs `lotse db upgrade`
        ├── StoreUnavailable   the server cannot take the work now (unreachable, read-only,
        │                      full, restarting): a write waits in the outbox and is retried
        └── RecordRefused      the server refuses this record itself (a constraint, bad data,
                               a row this login may not write): retrying cannot help
"""

from __future__ import annotations


class CallLogError(Exception):
    """Base class of every call-log error."""


class InvalidRecord(CallLogError, ValueError):
    """A call record or call-back ticket breaks a rule."""


class CalendarError(CallLogError, ValueError):
    """The service calendar has no working time to count."""


class NotFound(CallLogError, KeyError):
    """No call or ticket with the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class StoreError(CallLogError):
    """The store could not do what was asked."""


class UnsupportedUrl(StoreError):
    """The store URL names no known backend."""


class SchemaOutdated(StoreError):
    """The database schema is older than this program; run `lotse db upgrade`."""


class StoreUnavailable(StoreError):
    """The database cannot do the work now (unreachable, read-only, full, restarting)."""


class RecordRefused(StoreError):
    """The database refuses this record itself; the same write would fail again."""
