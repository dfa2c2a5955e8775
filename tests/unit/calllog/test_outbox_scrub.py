"""The outbox's retention rules on payloads: a call-back ticket loses its attempts' notes too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from calllog.codec import ticket_from_dict, ticket_to_dict
from calllog.models import AttemptResult, CallbackAttempt, CallbackStatus, CallbackTicket
from calllog.outbox_purge import scrub_payload

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _ticket(notes: str | None) -> CallbackTicket:
    attempt = CallbackAttempt(T0 + timedelta(hours=2), "agent1", AttemptResult.NOT_REACHED,
                              notes=notes)  # fmt: skip
    return CallbackTicket(
        "t1", T0, T0 + timedelta(days=1), "agent1", "Frist klären", caller_name="Erika Muster",
        number="+49 234 5550100", status=CallbackStatus.IN_PROGRESS, attempts=1,
        history=(attempt,),
    )  # fmt: skip


def test_a_queued_ticket_past_retention_loses_number_name_clarify_and_attempt_notes() -> None:
    payload = ticket_to_dict(_ticket("Frau Muster sagt: neue Nummer 0171 5550199"))
    clean = scrub_payload("callback", payload, T0 + timedelta(days=90))
    assert clean is not None
    ticket = ticket_from_dict(clean)
    assert (ticket.number, ticket.caller_name, ticket.clarify) == ("", "", "")
    assert [a.notes for a in ticket.history] == [None]
    assert [a.result for a in ticket.history] == [AttemptResult.NOT_REACHED]  # facts stay
    assert "0171" not in repr(clean) and "Muster" not in repr(clean)


def test_a_scrubbed_or_young_ticket_is_left_alone() -> None:
    young = ticket_to_dict(_ticket("Notiz"))
    assert scrub_payload("callback", young, T0 - timedelta(days=1)) is None
    clean = scrub_payload("callback", young, T0 + timedelta(days=90))
    assert clean is not None
    assert scrub_payload("callback", clean, T0 + timedelta(days=90)) is None  # nothing left
