"""`lotse callbacks list|show|close`: call-back tickets from the shell."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.commands.calllog import db_option, store_from_args, table
from agent_console.labels import CALLBACK_RESULT_LABELS, CALLBACK_STATUS_LABELS, outcome_label
from calllog.callbacks import close, is_overdue
from calllog.exceptions import InvalidRecord, NotFound
from calllog.models import PENDING_STATUSES, CallbackStatus, CallbackTicket
from calllog.privacy import mask_number

#: `--status` words: one status, `pending` (open and in progress) or `all`.
STATUS_CHOICES = ("pending", "all", *(s.value for s in CallbackStatus))
#: What `close --as` accepts.
CLOSE_AS = {"done": CallbackStatus.DONE, "failed_to_reach": CallbackStatus.UNREACHABLE}


def register(subparsers: Any) -> None:
    """Add `callbacks` with `list`, `show` and `close`."""
    callbacks = subparsers.add_parser("callbacks", help="Rückrufaufträge")
    sub = callbacks.add_subparsers(dest="callbacks_command", metavar="CALLBACKS_COMMAND")
    sub.required = True
    listing = sub.add_parser("list", help="call-back tickets by status, earliest due first")
    listing.add_argument(
        "--status",
        choices=STATUS_CHOICES,
        default="pending",
        help="pending (open and in progress, the default), all, or one status",
    )
    listing.add_argument("--overdue", action="store_true", help="only tickets past their due time")
    listing.add_argument("--agent", help="only tickets this agent promised")
    listing.add_argument(
        "--numbers", action="store_true", help="show full phone numbers (to call back)"
    )
    db_option(listing)
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", help="one ticket with its history of attempts")
    show.add_argument("ticket", help="the ticket id (see `lotse callbacks list`)")
    show.add_argument("--numbers", action="store_true", help="show the full phone number")
    db_option(show)
    show.set_defaults(handler=_show)
    closing = sub.add_parser("close", help="close a ticket: done, or failed to reach")
    closing.add_argument("ticket", help="the ticket id")
    closing.add_argument(
        "--as",
        dest="close_as",
        choices=sorted(CLOSE_AS),
        default="done",
        help="done (answered otherwise, e.g. by letter) or failed_to_reach",
    )
    db_option(closing)
    closing.set_defaults(handler=_close)


def _statuses(word: str) -> frozenset[CallbackStatus] | None:
    if word == "pending":
        return PENDING_STATUSES
    return None if word == "all" else frozenset({CallbackStatus(word)})


def _list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    zone = ZoneInfo(settings.calllog.timezone)
    now = datetime.now(UTC)
    with store_from_args(args, settings) as store:
        tickets = store.list_callbacks(
            statuses=_statuses(args.status), due_before=now if args.overdue else None,
            created_by=args.agent, limit=10_000,
        )  # fmt: skip
    rows = [
        [
            f"{t.due_at.astimezone(zone):%Y-%m-%d %H:%M}",
            "überfällig" if is_overdue(t, now) else "",
            t.ticket_id, CALLBACK_STATUS_LABELS[t.status],
            (t.number if args.numbers else mask_number(t.number)) or "–", t.topic or "–",
            t.office or "–", str(t.attempts),
        ]
        for t in tickets
    ]  # fmt: skip
    if not rows:
        print("Keine überfälligen Rückrufe." if args.overdue else "Keine Rückrufe.")
        return 0
    table(["Fällig", "", "Auftrag", "Status", "Nummer", "Thema", "Stelle", "Versuche"], rows)
    return 0


def _ticket(store: Any, ticket_id: str) -> CallbackTicket:
    try:
        ticket: CallbackTicket = store.get_callback(ticket_id)
    except NotFound:
        raise CommandError(f"no call-back ticket {ticket_id!r}") from None
    return ticket


def _show(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    zone = ZoneInfo(settings.calllog.timezone)
    with store_from_args(args, settings) as store:
        t = _ticket(store, args.ticket)
    number = (t.number if args.numbers else mask_number(t.number)) or "–"
    print(f"Auftrag {t.ticket_id}: {CALLBACK_STATUS_LABELS[t.status]}")
    print(f"  Anrufer: {t.caller_name or '–'}, {number}")
    print(f"  Zu klären: {t.clarify or '–'}")
    print(f"  Angelegt: {t.created_at.astimezone(zone):%Y-%m-%d %H:%M} von {t.created_by}, "
          f"fällig {t.due_at.astimezone(zone):%Y-%m-%d %H:%M}")  # fmt: skip
    if t.closed_at is not None:
        print(f"  Abgeschlossen: {t.closed_at.astimezone(zone):%Y-%m-%d %H:%M}")
    print(f"  Versuche: {t.attempts}")
    for n, a in enumerate(t.history, 1):
        result = CALLBACK_RESULT_LABELS[a.result]
        told = f" – {outcome_label(a.outcome)}" if a.outcome else ""
        print(f"    {n}. {a.at.astimezone(zone):%Y-%m-%d %H:%M} {a.agent_id}: {result}{told}")
    return 0


def _close(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with store_from_args(args, settings) as store:
        ticket = _ticket(store, args.ticket)
        if not ticket.pending:
            raise CommandError(f"ticket {ticket.ticket_id!r} is already closed ({ticket.status})")
        try:
            closed = close(ticket, datetime.now(UTC), CLOSE_AS[args.close_as])
        except InvalidRecord as exc:
            raise CommandError(str(exc)) from None
        store.upsert_callback(closed)
    print(f"Auftrag {closed.ticket_id}: {CALLBACK_STATUS_LABELS[closed.status]}")
    return 0
