"""`lotse calllog outbox`: the writes waiting on this workstation and those the call log refused."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from calllog.exceptions import CallLogError
from calllog.outbox import BufferedStore
from calllog.private_files import private_file
from calllog.store import OutboxEntry, SqliteOutbox, open_store

#: German names of the kinds of writes.
KINDS = {"call": "Anruf", "callback": "Rückruf", "outcome": "Ergebnis", "feedback": "Meldung",
         "staffed": "Besetzungszeit"}  # fmt: skip
#: Characters of a reason shown in the listing (the export has all of it).
REASON_WIDTH = 70


def register_outbox(calllog_commands: Any) -> None:
    """Add `outbox` under `lotse calllog`."""
    outbox = calllog_commands.add_parser(
        "outbox", help="waiting and refused writes of this workstation: list, retry, export"
    )
    outbox.add_argument(
        "--retry", nargs="*", type=int, metavar="NR",
        help="queue refused entries again (all, or these numbers) and deliver what waits",
    )  # fmt: skip
    outbox.add_argument(
        "--export", metavar="FILE",
        help="write every entry with its data as JSON lines (0600: holds personal data)",
    )  # fmt: skip
    outbox.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    outbox.set_defaults(handler=_outbox)


@contextmanager
def _opened(path: Path) -> Iterator[SqliteOutbox]:
    try:
        outbox = SqliteOutbox(path)
    except Exception as exc:  # sqlite3 or OS errors: one line
        raise CommandError(f"{path}: cannot open the outbox: {exc}") from exc
    try:
        yield outbox
    finally:
        outbox.close()


def _outbox(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    path = settings.calllog.outbox
    if not path.exists() and args.retry is None:
        print(f"Kein Zwischenspeicher unter {path}: nichts wartet, nichts wurde abgelehnt.")
        return 0
    zone = ZoneInfo(settings.calllog.timezone)
    with _opened(path) as outbox:
        if args.retry is not None:
            _retry(outbox, args.retry, args.db or settings.calllog.url, settings.calllog.timezone)
        if args.export:
            _export(outbox, Path(args.export))
        if args.retry is None and not args.export:
            _list(outbox, zone)
    return 0


def _rows(entries: Sequence[OutboxEntry], status: str, zone: ZoneInfo) -> list[list[str]]:
    return [
        [
            str(e.seq), status, KINDS.get(e.kind, e.kind), e.key, _local(e.queued_at, zone),
            str(e.attempts) if status == "wartet" else "–",
            _short(e.error or "") or "–",
        ]
        for e in entries
    ]  # fmt: skip


def _list(outbox: SqliteOutbox, zone: ZoneInfo) -> None:
    queued, rejected = outbox.entries(), outbox.rejected_entries()
    if not queued and not rejected:
        print("Zwischenspeicher leer: nichts wartet, nichts wurde abgelehnt.")
        return
    rows = _rows(queued, "wartet", zone) + _rows(rejected, "abgelehnt", zone)
    header = ["Nr", "Status", "Art", "Schlüssel", "Eingereiht", "Versuche", "Grund"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    for line in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(f"{len(queued)} warten, {len(rejected)} abgelehnt"
          + (" (erneut versuchen: lotse calllog outbox --retry)" if rejected else ""))  # fmt: skip


def _retry(outbox: SqliteOutbox, seqs: list[int], url: str, zone: str) -> None:
    known = {e.seq for e in outbox.rejected_entries()}
    unknown = sorted(set(seqs) - known)
    if unknown:
        raise CommandError(f"no refused entry numbered {', '.join(map(str, unknown))}")
    again = outbox.requeue(seqs or None)
    try:
        store = open_store(url, zone=zone)
    except CallLogError as exc:
        raise CommandError(str(exc)) from exc
    buffered = BufferedStore(store, outbox, retry_interval=0)
    before = outbox.rejected()
    try:
        delivered = buffered.flush()
    finally:
        store.close()
    refused = outbox.rejected() - before
    print(f"{again} erneut eingereiht; {delivered} übertragen, {refused} wieder abgelehnt, "
          f"{len(outbox)} warten noch")  # fmt: skip


def _export(outbox: SqliteOutbox, target: Path) -> None:
    lines = [_json(e, "queued") for e in outbox.entries()]
    lines += [_json(e, "rejected") for e in outbox.rejected_entries()]
    try:
        if not target.exists() or target.is_file():  # not a terminal or a pipe
            private_file(target)
        target.write_text("".join(lines), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{target}: cannot write: {exc.strerror}") from exc
    print(f"{len(lines)} Einträge nach {target} exportiert (enthält personenbezogene Daten).")


def _json(entry: OutboxEntry, status: str) -> str:
    data = {
        "seq": entry.seq, "status": status, "kind": entry.kind, "key": entry.key,
        "queued_at": entry.queued_at, "attempts": entry.attempts, "error": entry.error,
        "payload": entry.payload,
    }  # fmt: skip
    return json.dumps(data, ensure_ascii=False) + "\n"


def _local(stamp: str, zone: ZoneInfo) -> str:
    try:
        return f"{datetime.fromisoformat(stamp).astimezone(zone):%Y-%m-%d %H:%M}"
    except ValueError:
        return stamp or "–"


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= REASON_WIDTH else line[: REASON_WIDTH - 1] + "…"
