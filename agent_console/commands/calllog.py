"""`lotse db` and `lotse calllog`: the call log's store from the shell (`callbacks.py`: tickets)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import day_arg, settings_for
from agent_console.commands.outbox import register_outbox
from agent_console.commands.users import register_users
from agent_console.config import Settings
from calllog.exceptions import CallLogError
from calllog.models import CallRecord, Topic
from calllog.outbox import purge_outbox
from calllog.privacy import mask_number, retention_cutoff
from calllog.seed import DEFAULT_TOPICS, generate_calls, generate_tickets
from calllog.seed_staffed import answered_into, generate_staffed
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqliteOutbox, SqlStore, gaps_explained, open_store
from kb.safe_text import terminal_safe

#: The longest period `lotse calllog seed` spreads synthetic calls over (ten years).
MAX_SEED_DAYS = 3660


def register(subparsers: Any) -> None:
    """Add `db` and `calllog` with their subcommands."""
    db = subparsers.add_parser("db", help="Datenbank des Anrufprotokolls verwalten")
    db_sub = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply pending schema migrations")
    db_option(upgrade)
    upgrade.set_defaults(handler=_upgrade)
    register_users(db_sub)

    calllog = subparsers.add_parser("calllog", help="Anrufprotokoll: Liste, Testdaten, Löschung")
    sub = calllog.add_subparsers(dest="calllog_command", metavar="CALLLOG_COMMAND", required=True)
    seed = sub.add_parser("seed", help="fill the store with realistic synthetic calls")
    seed.add_argument("--calls", type=_count, required=True, metavar="N")
    seed.add_argument("--seed", type=int, default=115, metavar="S", help="random seed")
    seed.add_argument(
        "--days", type=_count, default=365, help=f"calendar days to spread over (≤ {MAX_SEED_DAYS})"
    )
    seed.add_argument("--end", type=day_arg, help="last day (exclusive; default today)")
    db_option(seed)
    seed.set_defaults(handler=_seed)

    purge = sub.add_parser("purge", help="remove personal data older than the retention period")
    purge.add_argument("--older-than", type=_count, metavar="DAYS", help="default: configured")
    db_option(purge)
    purge.set_defaults(handler=_purge)

    listing = sub.add_parser("list", help="latest calls, numbers masked")
    listing.add_argument("--limit", type=_count, default=20)
    listing.add_argument("--agent", help="only this agent's calls")
    db_option(listing)
    listing.set_defaults(handler=_list_calls)
    register_outbox(sub)


def db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


@contextmanager
def store_from_args(
    args: argparse.Namespace, settings: Settings, migrate: bool | None = None
) -> Iterator[SqlStore]:
    """Open the store named by --db or the settings; call-log errors become one line."""
    try:
        store = open_store(
            args.db or settings.calllog.url, migrate=migrate, zone=settings.calllog.timezone
        )
    except CallLogError as exc:
        raise CommandError(str(exc)) from exc
    try:
        yield store
    except CallLogError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        store.close()


#: The former private name, still imported by `agent_console.commands.supervisor`.
_store = store_from_args


def service_calendar(settings: Settings) -> ServiceCalendar:
    """The service calendar the settings describe."""
    cfg = settings.calllog
    try:
        return ServiceCalendar(
            opens=cfg.service_opens,
            closes=cfg.service_closes,
            weekdays=frozenset(cfg.service_weekdays),
            timezone=cfg.timezone,
            holidays=state_holidays(cfg.holiday_state or settings.kb.state),
        )
    except (CallLogError, NotImplementedError) as exc:  # holidays: unknown state code
        raise CommandError(f"invalid service hours in the settings: {exc}") from exc


def kb_topics(root: Path) -> list[Topic]:
    """Article ids (file stems) under `<root>/articles`, with their LeiKa keys when given."""
    import yaml

    topics = []
    for path in sorted((root / "articles").glob("*.yaml")):
        key = None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            found = data.get("leika") if isinstance(data, dict) else None
            key = str(found) if found else None
            topics.append(Topic(path.stem, key))
        except (OSError, yaml.YAMLError, CallLogError):
            topics.append(Topic(path.stem))
    return topics


def _upgrade(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with store_from_args(args, settings, migrate=False) as store:
        before = store.schema_version()
        applied = store.migrate()
        after = store.schema_version()
    done = ", ".join(map(str, applied)) or "keine"
    print(f"Schema-Version {before} → {after} (angewendet: {done})")
    for line in gaps_explained(applied):  # a number missing from the list is no lost file
        print(f"  {line}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    if args.days > MAX_SEED_DAYS:
        raise CommandError(f"--days {args.days}: at most {MAX_SEED_DAYS}")
    settings = settings_for(args)
    topics = kb_topics(settings.kb.root) or list(DEFAULT_TOPICS)
    end = args.end or datetime.now(ZoneInfo(settings.calllog.timezone)).date()
    calendar = service_calendar(settings)
    promised: list[CallRecord] = []
    calls = generate_calls(
        args.calls, end=end, days=args.days, calendar=calendar, topics=topics, seed=args.seed,
        promised=promised,
    )  # fmt: skip
    taken: list[CallRecord] = []  # answered calls: the agents' staffed time around them
    with store_from_args(args, settings, migrate=True) as store:
        try:
            written = store.bulk_insert(answered_into(calls, taken))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        zone = ZoneInfo(settings.calllog.timezone)
        staffed = store.bulk_insert_staffed(generate_staffed(taken, zone=zone, seed=args.seed))
        tickets = generate_tickets(
            promised, calendar=calendar, now=datetime.now(UTC), seed=args.seed,
            hours=settings.calllog.callback_hours,
        )  # fmt: skip
        store.bulk_insert_callbacks(tickets)
        total = store.count_calls()
    print(
        f"{written} Anrufe, {len(tickets)} Rückrufaufträge und {staffed} Abschnitte Besetzungszeit"
        f" erzeugt ({len(topics)} Themen); im Protokoll jetzt {total} Anrufe"
    )
    return 0


def _purge(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    days = settings.calllog.retention_days if args.older_than is None else args.older_than
    now = datetime.now(UTC)
    cutoff = retention_cutoff(now, days)
    with store_from_args(args, settings) as store:
        if store.access().role not in (None, "admin"):
            raise CommandError(
                "only the owner of the call log's tables purges it (it rewrites them); run"
                " lotse calllog purge with the admin's database login"
            )
        scrubbed = 0
        outbox_path = settings.calllog.outbox
        if outbox_path.exists():  # this workstation's waiting and refused writes too
            outbox = SqliteOutbox(outbox_path)
            try:
                scrubbed = purge_outbox(outbox, cutoff)
            finally:
                outbox.close()
        result = store.purge(cutoff, now=now, by=settings.agent_id, outbox=scrubbed)
    print(
        f"Personenbezogene Daten vor {cutoff:%Y-%m-%d} gelöscht: {result.calls} Anrufe, "
        f"{result.callbacks} Rückrufaufträge, {result.searches} Suchtexte, "
        f"{result.feedback} Meldungen, {result.outbox} wartende Einträge"
    )
    if not result.wiped:
        raise CommandError(
            "personal data removed, but old copies are still in the database files: another"
            " program held the SQLite file open (run the purge again once it is closed), the"
            " PostgreSQL login does not own the tables (run it as the owner) or a transaction"
            " older than the purge stayed open for minutes (run the purge again)",
            status=1,
        )
    return 0


def table(header: Sequence[str], rows: list[list[str]]) -> None:
    rows = [[terminal_safe(cell) for cell in row] for row in rows]  # one line per row
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    for line in [list(header), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def _list_calls(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    zone = ZoneInfo(settings.calllog.timezone)
    with store_from_args(args, settings) as store:
        calls = store.list_calls(agent_id=args.agent, limit=args.limit)
    rows = [
        [
            f"{c.offered_at.astimezone(zone):%Y-%m-%d %H:%M}", c.call_id, c.agent_id or "–",
            mask_number(c.caller_number) or "–", c.outcome.value if c.outcome else "läuft",
            f"{c.wait_ms / 1000:.0f}" if c.wait_ms is not None else "–",
            ", ".join(t.article_id for t in c.topics),
        ]
        for c in calls
    ]  # fmt: skip
    table(["Angeboten", "Anruf", "Agent", "Nummer", "Ergebnis", "Wartezeit s", "Themen"], rows)
    return 0
