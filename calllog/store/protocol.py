"""`CallStore`: what the console and the supervisor views need from a call log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from calllog.models import (
    ArticleFeedback,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Outcome,
    OutcomeChange,
    PurgeResult,
)


class CallStore(Protocol):
    """What the console and the supervisor views need from a call log."""

    def migrate(self) -> list[int]:
        """Apply pending schema migrations; returns the versions applied."""
        ...

    def upsert_call(self, record: CallRecord) -> bool:
        """Insert or replace a call by id; False when the stored version is newer."""
        ...

    def get_call(self, call_id: str) -> CallRecord:
        """One call with its topics and searches; raises NotFound."""
        ...

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
        ...

    def count_calls(self) -> int:
        """How many calls the store holds."""
        ...

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
        ...

    def outcome_history(self, call_id: str) -> list[OutcomeChange]:
        """Every outcome edit of a call, oldest first."""
        ...

    def upsert_callback(self, ticket: CallbackTicket) -> None:
        """Insert or replace a call-back ticket by id; an older version never replaces a newer."""
        ...

    def get_callback(self, ticket_id: str) -> CallbackTicket:
        """One ticket; raises NotFound."""
        ...

    def list_callbacks(
        self,
        *,
        statuses: Iterable[CallbackStatus] | None = None,
        due_before: datetime | None = None,
        created_by: str | None = None,
        limit: int = 500,
    ) -> list[CallbackTicket]:
        """Tickets by due time, earliest first; `created_by` keeps one agent's tickets."""
        ...

    def add_feedback(self, item: ArticleFeedback) -> None:
        """Store an agent's flag on an article; replaying it (same id) changes nothing."""
        ...

    def list_feedback(
        self, *, article_id: str | None = None, status: str | None = "open", limit: int = 200
    ) -> list[ArticleFeedback]:
        """Flags for the editors, newest first; `status=None` lists open and done ones."""
        ...

    def resolve_feedback(self, feedback_id: str, *, by: str, at: datetime) -> ArticleFeedback:
        """Mark a flag done (a flag done already keeps its first resolution); raises NotFound."""
        ...

    def purge(self, cutoff: datetime, *, now: datetime, by: str) -> PurgeResult:
        """Remove personal data from calls offered and closed tickets created before cutoff."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...
