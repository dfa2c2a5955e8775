"""What the console is given: searcher, telephony, call log, knowledge base, clock (injected)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from agent_console.origin import Colleague
from calllog.models import ArticleFeedback, CallbackStatus, CallbackTicket, CallRecord
from calllog.outbox import Delivery
from calllog.service_hours import ServiceCalendar
from calllog.staffed import StaffedSpan
from calllog.store import Access
from kb.loader import KnowledgeBase
from search.protocol import Searcher
from telephony.origin import Routing
from telephony.protocol import Telephony

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock (aware, UTC)."""
    return datetime.now(UTC)


class CallLogReads(Protocol):
    """What the console reads from the call log (the store itself, never the outbox)."""

    def access(self) -> Access:
        """Who the database says this login is (SQLite: nobody in particular)."""
        ...

    def list_calls(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
        caller_number: str | None = None,
        limit: int = 100,
    ) -> list[CallRecord]:
        """Calls offered in [since, until), newest first; `caller_number` matches exactly."""
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


class CallLog(Protocol):
    """The console's call log: writes that are never lost (`calllog.outbox.BufferedStore`)."""

    @property
    def store(self) -> CallLogReads:
        """Where reads go (they raise while the database is down)."""
        ...

    @property
    def pending(self) -> int:
        """Writes waiting for the database."""
        ...

    def upsert_call(self, record: CallRecord) -> Delivery:
        """Write a call now or queue it; says where it went."""
        ...

    def upsert_callback(self, ticket: CallbackTicket) -> Delivery:
        """Write a call-back ticket now or queue it."""
        ...

    def add_feedback(self, item: ArticleFeedback) -> Delivery:
        """Store an agent's flag on an article for the editors (`lotse kb feedback`)."""
        ...

    def upsert_staffed(self, spans: Sequence[StaffedSpan]) -> Delivery:
        """Write staffed time (the demo's in-process recorder; consoles never do)."""
        ...

    def flush(self) -> int:
        """Deliver waiting writes; returns how many the database took."""
        ...

    def close(self) -> None:
        """Release the connection and the outbox."""
        ...


class Background(Protocol):
    """Something that runs on the console's event loop beside it (e.g. the demo's simulator)."""

    async def start(self) -> None:
        """Start serving."""
        ...

    async def stop(self) -> None:
        """Stop and release everything."""
        ...


Snapshot = dict[str, tuple[int, int]]


def kb_snapshot(root: Path) -> Snapshot:
    """(mtime_ns, size) of every YAML file under `root/articles`, `offices` and `approved`, and
    of each municipality's (`municipalities/<id>/`: its file, `articles/`, `offices/`)."""
    folders = ["articles", "offices", "approved"]
    try:
        places = sorted(e.name for e in os.scandir(root / "municipalities") if e.is_dir())
    except OSError:
        places = []
    for place in places:
        folders += [f"municipalities/{place}", f"municipalities/{place}/articles",
                    f"municipalities/{place}/offices"]  # fmt: skip
    found: Snapshot = {}
    for sub in folders:
        try:
            entries = list(os.scandir(root / sub))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".yaml", ".yml")):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                found[f"{sub}/{entry.name}"] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Relative paths added, removed or modified between two snapshots (pure)."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@dataclass
class KnowledgeSource:
    """The loaded knowledge base and how to reload it when files change on disk."""

    kb: KnowledgeBase
    root: Path | None = None
    """The KB folder watched for changes; None: never reloaded (tests)."""
    loader: Callable[[Path], KnowledgeBase] | None = None
    snapshot: Snapshot = field(default_factory=dict)
    editor: bool = False
    """An editor's preview (drafts shown, marked): the console names broken files with file:line."""

    def __post_init__(self) -> None:
        if self.root is not None and not self.snapshot:
            self.snapshot = kb_snapshot(self.root)

    def poll(self) -> list[str]:
        """Blocking: reload when files changed; returns the changed relative paths."""
        if self.root is None or self.loader is None:
            return []
        now = kb_snapshot(self.root)
        changed = changed_files(self.snapshot, now)
        if changed:
            self.kb = self.loader(self.root)
            self.snapshot = now
        return changed


@dataclass(frozen=True)
class ConsoleOptions:
    """The settings the console screens need, as plain values."""

    agent_id: str = "agent1"
    interfaces: tuple[str, ...] = ("Local/agent1@agents/n",)
    """This agent's queue member interfaces (calls ringing there are popped)."""
    wrapup_reason: str = "Nachbearbeitung"
    """Pause reason during wrap-up (sent to the PBX, shown as "Nachbearbeitung")."""
    callback_reason: str = "Rückruf"
    """Pause reason while the agent's phone rings for a call-back."""
    pause_reasons: tuple[str, ...] = ("Pause", "Mittagspause", "Schulung", "Besprechung", "Technik")
    """What F8 offers, first is the default."""
    drafts_dir: Path | None = None
    """Where unsaved wrap-ups are kept (None: not kept, e.g. in some tests)."""
    callback_hours: float = 24
    result_limit: int = 10
    kb_poll_seconds: float = 2.0
    """How often the KB folder is checked for edited files."""
    outbox_retry_seconds: float = 5.0
    survey: bool = True
    """The caller survey is set up (`survey.context`): F12 may end a call "mit Umfrage"."""
    survey_every: int = 0
    """Offer the survey on every Nth answered call (0: only when the agent chooses it)."""
    routing: Routing = field(default_factory=Routing)
    """The municipality and the caller's language from the PBX's facts ([municipalities],
    [languages])."""
    colleagues: tuple[Colleague, ...] = ()
    """The configured agents with their languages and extensions (transfers by language)."""


@dataclass
class Services:
    """Everything the console depends on, built by the CLI (or a test) and passed in."""

    knowledge: KnowledgeSource
    searcher: Searcher
    telephony: Telephony
    calllog: CallLog
    calendar: ServiceCalendar
    clock: Clock = utc_now
    background: Sequence[Background] = ()
    """Started before the telephony and stopped after it (the demo's simulator)."""
    closers: list[Callable[[], Any]] = field(default_factory=list)
    """Called once when the console has stopped (close the searcher, the store)."""

    @property
    def kb(self) -> KnowledgeBase:
        """The current knowledge base."""
        return self.knowledge.kb

    def queued_records(self) -> int:
        """Call-log writes waiting for the database."""
        return self.calllog.pending

    def flush_outbox(self) -> int:
        """Blocking: try to deliver queued writes; returns how many went out."""
        return self.calllog.flush() if self.queued_records() else 0

    def close(self) -> None:
        """Run the closers once (errors in one do not stop the others)."""
        closers, self.closers = self.closers, []
        for closer in closers:
            with contextlib.suppress(Exception):  # closing on exit must not raise
                closer()
