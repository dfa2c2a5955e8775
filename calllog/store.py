"""The call-log store: one interface, SQLite and PostgreSQL backends; the only SQL in calllog."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from calllog.exceptions import (
    InvalidRecord,
    NotFound,
    SchemaOutdated,
    StoreError,
    StoreUnavailable,
    UnsupportedUrl,
)
from calllog.models import (
    ArticleFeedback,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    OutcomeChange,
    PurgeResult,
    SearchQuery,
    Topic,
    TransferMode,
)

if TYPE_CHECKING:
    import psycopg

#: The zone whose local day and hour are stored beside each offer time.
DEFAULT_ZONE = "Europe/Berlin"

CALL_COLUMNS = (
    "call_id", "queue", "agent_id", "caller_number", "caller_name", "language",
    "offered_at", "answered_at", "ended_at", "wrapup_end_at",
    "offered_day", "offered_dow", "offered_hour", "wait_ms", "talk_ms", "wrapup_ms",
    "outcome", "outcome_target", "transfer_mode", "notes", "updated_at", "updated_by",
    "purged_at",
)  # fmt: skip
TICKET_COLUMNS = (
    "ticket_id", "call_id", "created_at", "due_at", "created_by", "clarify", "caller_name",
    "number", "topic", "office", "status", "attempts", "updated_at", "closed_at",
)  # fmt: skip
FEEDBACK_COLUMNS = (
    "feedback_id", "article_id", "kind", "comment", "agent_id", "call_id", "created_at",
    "status", "resolved_by", "resolved_at",
)  # fmt: skip
TOPIC_COLUMNS = ("call_id", "position", "article_id", "leika_key", "offered_at", "outcome")
SEARCH_COLUMNS = ("call_id", "seq", "query", "hit_count", "searched_at", "offered_at")
_PERSONAL = ("caller_number", "caller_name", "notes")
_TIME_COLUMNS = frozenset(
    {"offered_at", "answered_at", "ended_at", "wrapup_end_at", "updated_at", "purged_at",
     "created_at", "due_at", "closed_at", "searched_at", "changed_at", "cutoff",
     "resolved_at"}
)  # fmt: skip


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
        limit: int = 100,
    ) -> list[CallRecord]:
        """Calls offered in [since, until), newest first."""
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
        limit: int = 500,
    ) -> list[CallbackTicket]:
        """Tickets by due time, earliest first."""
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


def _sqlite_path(url: str) -> str:
    rest = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
    if not rest:
        raise UnsupportedUrl(f"not a SQLite URL with a path: {url!r}")
    return rest


def open_store(url: str, *, migrate: bool | None = None, zone: str = DEFAULT_ZONE) -> SqlStore:
    """Open the store a URL names: `sqlite:///path/calls.db` or `postgresql://user@host/db`.

    `migrate=None` (the default): a SQLite store is migrated on open; a PostgreSQL store
    is contacted on first use and raises SchemaOutdated if it needs `lotse db upgrade`.
    `migrate=True` migrates either now; `migrate=False` leaves the schema alone.
    """
    if url.startswith("sqlite:"):
        return SqliteStore(_sqlite_path(url), migrate=migrate is not False, zone=zone)
    if url.startswith(("postgresql://", "postgres://")) and migrate is False:
        return PostgresStore(url, check_schema=False, zone=zone)
    if url.startswith(("postgresql://", "postgres://")):
        store = PostgresStore(url, migrate=bool(migrate), zone=zone)
        if migrate:
            store.migrate()
        return store
    raise UnsupportedUrl(f"unsupported store URL (use sqlite:/// or postgresql://): {url!r}")


def _migration_scripts(dialect: str) -> list[tuple[int, str, str]]:
    folder = resources.files("calllog.migrations").joinpath(dialect)
    scripts = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            scripts.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(scripts)


def latest_version(dialect: str) -> int:
    """The newest schema version this program knows for a dialect."""
    return max(version for version, _, _ in _migration_scripts(dialect))


def _rows(columns: Sequence[str], table: str) -> str:
    marks = ", ".join(":" + c for c in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


_UPSERT_CALL = (
    _rows(CALL_COLUMNS, "calls")
    + " ON CONFLICT (call_id) DO UPDATE SET "
    + ", ".join(
        f"{c} = CASE WHEN calls.purged_at IS NULL THEN excluded.{c} END"
        if c in _PERSONAL
        else f"{c} = calls.{c}"
        if c == "purged_at"
        else f"{c} = excluded.{c}"
        for c in CALL_COLUMNS[1:]
    )
    + " WHERE calls.updated_at <= excluded.updated_at RETURNING call_id"
)
_UPSERT_TICKET = (
    _rows(TICKET_COLUMNS, "callbacks")
    + " ON CONFLICT (ticket_id) DO UPDATE SET "
    + ", ".join(
        f"{c} = CASE WHEN callbacks.purged_at IS NULL THEN excluded.{c} END"
        if c in ("caller_name", "number", "clarify")
        else f"{c} = excluded.{c}"
        for c in TICKET_COLUMNS[1:]
    )
    + " WHERE callbacks.updated_at <= excluded.updated_at"
)
# A flag's content never changes; a replay may only move an open flag to done.
_UPSERT_FEEDBACK = (
    _rows(FEEDBACK_COLUMNS, "article_feedback")
    + " ON CONFLICT (feedback_id) DO UPDATE SET status = excluded.status,"
    " resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at"
    " WHERE article_feedback.status = 'open' AND excluded.status = 'done'"
)


@dataclass(frozen=True, slots=True)
class _Dialect:
    name: str

    def sql(self, text: str) -> str:
        """Named `:param` placeholders in this dialect's style."""
        if self.name == "sqlite":
            return text
        return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", text)


class SqlStore:
    """The store over a DB-API connection; the subclasses supply connection and types."""

    dialect: _Dialect

    def __init__(self, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self._lock = threading.RLock()

    # -- connection, supplied by the backends ------------------------------------------
    def _transaction(self, write: bool = True) -> contextlib.AbstractContextManager[Any]:
        """A transaction's cursor; `write=False` lets SQLite readers run beside a writer."""
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

    # -- migrations ------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The newest migration applied (0 for an empty database)."""
        with self._transaction() as cur:
            return self._read_version(cur)

    def _read_version(self, cur: Any) -> int:
        self._exec(
            cur,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
            " name text NOT NULL, applied_at text NOT NULL)",
        )
        row = self._exec(cur, "SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending schema migrations in order (up to `target`); returns those applied."""
        applied = []
        with self._transaction() as cur:
            self._lock_schema(cur)
            current = self._read_version(cur)
            for version, name, script in _migration_scripts(self.dialect.name):
                if version <= current or (target is not None and version > target):
                    continue
                self._run_script(cur, script)
                self._exec(
                    cur,
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (:version, :name, :at)",
                    {"version": version, "name": name, "at": datetime.now(UTC).isoformat()},
                )
                applied.append(version)
        return applied

    def _lock_schema(self, cur: Any) -> None:
        """Serialise concurrent migrations (a no-op where the transaction already does)."""

    def _run_script(self, cur: Any, script: str) -> None:
        raise NotImplementedError

    # -- calls -----------------------------------------------------------------------------
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
             "searched_at": self._time_out(s.searched_at), "offered_at": offered}
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

    def _for_update(self) -> str:
        return ""

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

    def _required_time(self, value: Any) -> datetime:
        result = self._time_in(value)
        if result is None:
            raise StoreError("missing time in a stored row")
        return result

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
        for call_id, text, hits, at in self._exec(
            cur,
            f"SELECT call_id, query, hit_count, searched_at FROM call_searches"
            f" WHERE call_id IN ({marks}) ORDER BY call_id, seq",
            params,
        ).fetchall():
            searches[call_id].append(SearchQuery(text, hits, self._time_in(at)))
        return topics, searches

    def get_call(self, call_id: str) -> CallRecord:
        """One call with its topics and searches; raises NotFound."""
        with self._transaction(write=False) as cur:
            row = self._exec(
                cur,
                f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE call_id = :id",
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
        limit: int = 100,
    ) -> list[CallRecord]:
        """Calls offered in [since, until), newest first."""
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        for clause, name, value in (
            ("offered_at >= :since", "since", self._time_out(since)),
            ("offered_at < :until", "until", self._time_out(until)),
            ("agent_id = :agent", "agent", agent_id),
            ("outcome = :outcome", "outcome", outcome.value if outcome else None),
        ):
            if value is not None:
                where.append(clause)
                params[name] = value
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE {' AND '.join(where)}"
                " ORDER BY offered_at DESC, call_id LIMIT :limit",
                params,
            ).fetchall()
            topics, searches = self._load_children(cur, [r[0] for r in rows])
        return [self._record(r, topics[r[0]], searches[r[0]]) for r in rows]

    def count_calls(self) -> int:
        """How many calls the store holds."""
        with self._transaction(write=False) as cur:
            return int(self._exec(cur, "SELECT count(*) FROM calls").fetchone()[0])

    def bulk_insert(self, records: Iterable[CallRecord], batch_size: int = 20_000) -> int:
        """Load many new calls fast (seeding, imports); calls already stored are kept as they are.

        Returns the number of records read. Outcome history is not written.
        """
        now = datetime.now(UTC)
        total = 0
        batch: list[CallRecord] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                total += self._bulk_batch(batch, now)
                batch = []
        if batch:
            total += self._bulk_batch(batch, now)
        return total

    def _bulk_batch(self, batch: list[CallRecord], now: datetime) -> int:
        calls, topics, searches = [], [], []
        for record in batch:
            params = self._call_params(record, now)
            calls.append(params)
            more_topics, more_searches = self._child_rows(record, params["offered_at"])
            topics += more_topics
            searches += more_searches
        with self._transaction() as cur:
            self._bulk_rows(cur, "calls", CALL_COLUMNS, calls, "call_id")
            self._bulk_rows(cur, "call_topics", TOPIC_COLUMNS, topics, "call_id, article_id")
            self._bulk_rows(cur, "call_searches", SEARCH_COLUMNS, searches, "call_id, seq")
        return len(batch)

    def _bulk_rows(
        self, cur: Any, table: str, columns: Sequence[str], rows: list[dict[str, Any]], key: str
    ) -> None:
        if rows:
            sql = _rows(columns, table) + f" ON CONFLICT ({key}) DO NOTHING"
            cur.executemany(self.dialect.sql(sql), rows)

    # -- call-back tickets -----------------------------------------------------------------
    def _ticket_params(self, ticket: CallbackTicket) -> dict[str, Any]:
        params = {
            name: self._time_out(value) if name in _TIME_COLUMNS else value
            for name, value in ((n, getattr(ticket, n)) for n in TICKET_COLUMNS)
        }
        params["status"] = ticket.status.value
        params["updated_at"] = self._time_out(ticket.updated_at or datetime.now(UTC))
        return params

    def bulk_insert_callbacks(self, tickets: Iterable[CallbackTicket]) -> int:
        """Load many new tickets fast (seeding); tickets already stored are kept."""
        rows = [self._ticket_params(t) for t in tickets]
        with self._transaction() as cur:
            self._bulk_rows(cur, "callbacks", TICKET_COLUMNS, rows, "ticket_id")
        return len(rows)

    def upsert_callback(self, ticket: CallbackTicket) -> None:
        """Insert or replace a call-back ticket by id."""
        with self._transaction() as cur:
            self._exec(cur, _UPSERT_TICKET, self._ticket_params(ticket))

    def _ticket(self, row: Sequence[Any]) -> CallbackTicket:
        v = dict(zip(TICKET_COLUMNS, row, strict=True))
        for name in ("created_at", "due_at", "updated_at", "closed_at"):
            v[name] = self._time_in(v[name])
        v["status"] = CallbackStatus(v["status"])
        v["clarify"] = v["clarify"] or ""
        return CallbackTicket(**v)

    def get_callback(self, ticket_id: str) -> CallbackTicket:
        """One ticket; raises NotFound."""
        with self._transaction(write=False) as cur:
            row = self._exec(
                cur,
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM callbacks WHERE ticket_id = :id",
                {"id": ticket_id},
            ).fetchone()
        if row is None:
            raise NotFound(f"no call-back ticket {ticket_id!r}")
        return self._ticket(row)

    def list_callbacks(
        self,
        *,
        statuses: Iterable[CallbackStatus] | None = None,
        due_before: datetime | None = None,
        limit: int = 500,
    ) -> list[CallbackTicket]:
        """Tickets by due time, earliest first."""
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        if statuses is not None:
            chosen = sorted(s.value for s in statuses)
            where.append(f"status IN ({', '.join(f':s{n}' for n in range(len(chosen)))})")
            params.update({f"s{n}": s for n, s in enumerate(chosen)})
        if due_before is not None:
            where.append("due_at < :due")
            params["due"] = self._time_out(due_before)
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                f"SELECT {', '.join(TICKET_COLUMNS)} FROM callbacks WHERE {' AND '.join(where)}"
                " ORDER BY due_at, ticket_id LIMIT :limit",
                params,
            ).fetchall()
        return [self._ticket(r) for r in rows]

    # -- feedback to editors ---------------------------------------------------------------
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

    # -- privacy ---------------------------------------------------------------------------
    def purge(self, cutoff: datetime, *, now: datetime, by: str, outbox: int = 0) -> PurgeResult:
        """Remove personal data from calls offered, and closed tickets created, before cutoff.

        The anonymous figures (times, outcome, topics) stay; the purge itself is recorded.
        Article feedback is kept: its comments are meant for the editors, not caller data.
        """
        params = {"cutoff": self._time_out(cutoff), "now": self._time_out(now)}
        with self._transaction() as cur:
            calls = self._exec(
                cur,
                "UPDATE calls SET caller_number = NULL, caller_name = NULL, notes = NULL,"
                " purged_at = :now WHERE offered_at < :cutoff AND purged_at IS NULL",
                params,
            ).rowcount
            tickets = self._exec(
                cur,
                "UPDATE callbacks SET caller_name = NULL, number = NULL, clarify = NULL,"
                " purged_at = :now WHERE created_at < :cutoff AND purged_at IS NULL"
                " AND status IN ('done', 'failed_to_reach')",
                params,
            ).rowcount
            self._exec(
                cur,
                "INSERT INTO purges (purged_at, purged_by, cutoff, calls, callbacks, outbox)"
                " VALUES (:now, :by, :cutoff, :calls, :tickets, :outbox)",
                {**params, "by": by, "calls": calls, "tickets": tickets, "outbox": outbox},
            )
        return PurgeResult(cutoff, now, calls, tickets, outbox)

    def purge_log(self) -> list[PurgeResult]:
        """Every purge so far, oldest first."""
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur, "SELECT cutoff, purged_at, calls, callbacks, outbox FROM purges ORDER BY id"
            ).fetchall()
        return [
            PurgeResult(self._required_time(a), self._required_time(b), c, d, e)
            for a, b, c, d, e in rows
        ]


# ----------------------------------------------------------------------------------------
# SQLite
# ----------------------------------------------------------------------------------------
class SqliteStore(SqlStore):
    """A call log in one SQLite file (WAL mode); the default for a single workstation."""

    dialect = _Dialect("sqlite")

    def __init__(self, path: str | Path, *, migrate: bool = True, zone: str = DEFAULT_ZONE) -> None:
        super().__init__(zone)
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the call log: {exc}") from exc
        if migrate:
            self.migrate()

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"{self.path}: {exc}") from exc
                raise
            finally:
                cur.close()

    def _run_script(self, cur: Any, script: str) -> None:
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                cur.execute(statement)
                statement = ""

    def _time_out(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")  # fixed width, so text order is time order

    def _time_in(self, value: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)

    def _day_out(self, value: date) -> str:
        return value.isoformat()

    def close(self) -> None:
        """Close the database file."""
        self._conn.close()


# ----------------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------------
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: Any) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return str(value)


class PostgresStore(SqlStore):
    """A call log shared by a centre's workstations in PostgreSQL (psycopg 3).

    The connection is opened on first use and re-opened after it was lost; while the
    server cannot be reached every operation raises StoreUnavailable.
    """

    dialect = _Dialect("postgresql")

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = False,
        check_schema: bool = True,
        zone: str = DEFAULT_ZONE,
        connect_timeout: int = 5,
    ) -> None:
        super().__init__(zone)
        self.url = url
        self._auto_migrate = migrate
        self._check_schema = check_schema
        self._fresh = False  # bulk loading: the current batch holds only new calls
        self._connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None

    def _connection(self) -> psycopg.Connection[Any]:
        import psycopg

        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self._connect_timeout)
            conn.execute("SET TIME ZONE 'UTC'")
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot reach the call log database: {exc}".strip()) from exc
        self._conn = conn
        try:
            if self._auto_migrate:
                self.migrate()
            elif self._check_schema and self.schema_version() < latest_version("postgresql"):
                raise SchemaOutdated("the call log schema is outdated; run `lotse db upgrade`")
        except BaseException:
            self._conn = None  # check again on the next connection
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[psycopg.Cursor[Any]]:
        import psycopg

        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                # Never reuse a connection after a transport error: it may be half-dead
                # (e.g. an aborted pipeline) without being marked closed.
                self._conn = None
                with contextlib.suppress(psycopg.Error):
                    conn.close()
                raise StoreUnavailable(f"lost the call log database: {exc}".strip()) from exc
            except psycopg.Error as exc:
                if conn.broken:
                    self._conn = None
                raise StoreError(f"call log database: {exc}".strip()) from exc

    def _lock_schema(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(115005)")

    def _run_script(self, cur: Any, script: str) -> None:
        cur.execute(script.encode())

    def _for_update(self) -> str:
        return " FOR UPDATE"

    def _time_out(self, value: datetime | None) -> datetime | None:
        return value

    def _time_in(self, value: Any) -> datetime | None:
        return value if isinstance(value, datetime) else None

    def _day_out(self, value: date) -> date:
        return value

    def _bulk_batch(self, batch: list[CallRecord], now: datetime) -> int:
        with self._lock:
            self._fresh = not self._any_stored([r.call_id for r in batch])
            return super()._bulk_batch(batch, now)

    def _any_stored(self, call_ids: list[str]) -> bool:
        with self._transaction() as cur:
            cur.execute("SELECT 1 FROM calls WHERE call_id = ANY(%s) LIMIT 1", (call_ids,))
            return cur.fetchone() is not None

    def _bulk_rows(
        self, cur: Any, table: str, columns: Sequence[str], rows: list[dict[str, Any]], key: str
    ) -> None:
        """COPY straight in when the batch is all new, else via a temporary table."""
        if not rows:
            return
        names = ", ".join(columns)
        if self._fresh and table != "callbacks":
            target = table
        else:
            target = f"stage_{table}"
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table}) ON COMMIT DELETE ROWS"
            )
        with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for start in range(0, len(rows), 1000):
                copy.write(
                    "".join(
                        "\t".join([_copy_field(row[c]) for c in columns]) + "\n"
                        for row in rows[start : start + 1000]
                    )
                )
        if target != table:
            cur.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {target}"
                f" ON CONFLICT ({key}) DO NOTHING"
            )

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# ----------------------------------------------------------------------------------------
# Outbox (SQLite): records waiting for the shared database
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued write: `kind` is `call`, `callback`, `outcome` or `feedback`; JSON payload."""

    seq: int
    kind: str
    key: str
    payload: dict[str, Any]


class SqliteOutbox:
    """A local, durable FIFO of writes for the shared store (a SQLite file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,"
            " queued_at TEXT NOT NULL)"
        )
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS outbox_rejected (seq INTEGER PRIMARY KEY,"
            " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,"
            " queued_at TEXT NOT NULL, error TEXT NOT NULL)"
        )

    def append(self, kind: str, key: str, payload: dict[str, Any]) -> int:
        """Queue a write; returns its sequence number."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO outbox (kind, key, payload, queued_at) VALUES (?, ?, ?, ?)",
                (kind, key, json.dumps(payload), datetime.now(UTC).isoformat()),
            )
            return int(cur.lastrowid or 0)

    def peek(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest queued writes, in order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, kind, key, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [OutboxEntry(s, k, key, json.loads(p)) for s, k, key, p in rows]

    def entries(self) -> list[OutboxEntry]:
        """Every queued write, in order."""
        return self.peek(limit=-1)

    def reject(self, seq: int, error: str) -> None:
        """Move a write the store refused to the dead letters, with the reason."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT INTO outbox_rejected (seq, kind, key, payload, queued_at, error)"
                " SELECT seq, kind, key, payload, queued_at, ? FROM outbox WHERE seq = ?",
                (error, seq),
            )
            self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            self._conn.execute("COMMIT")

    def rejected(self) -> int:
        """How many writes were refused by the store."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox_rejected").fetchone()[0])

    def remove(self, seq: int) -> None:
        """Drop a delivered write."""
        with self._lock:
            self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def replace(self, seq: int, payload: dict[str, Any]) -> None:
        """Rewrite a queued payload (used by the purge)."""
        with self._lock:
            self._conn.execute(
                "UPDATE outbox SET payload = ? WHERE seq = ?", (json.dumps(payload), seq)
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        """Close the outbox file."""
        self._conn.close()
