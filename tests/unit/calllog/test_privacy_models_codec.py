"""Masked numbers, retention cutoff, record rules and the outbox codec."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calllog.codec import call_from_dict, call_to_dict, ticket_from_dict, ticket_to_dict
from calllog.exceptions import InvalidRecord
from calllog.models import (
    AttemptResult,
    CallbackAttempt,
    CallbackTicket,
    CallRecord,
    Outcome,
    SearchQuery,
    Topic,
    TransferMode,
)
from calllog.privacy import mask_number, retention_cutoff

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+49 234 9101234", "+49 ••••••••34"),
        ("02349101234", "0234 •••••34"),
        ("0171/1234567", "0171 •••••67"),
        ("1234", "••••"),
        ("", ""),
        (None, ""),
    ],
)
def test_numbers_are_masked_except_prefix_and_last_two_digits(
    number: str | None, masked: str
) -> None:
    assert mask_number(number) == masked


def test_masking_never_shows_the_middle_digits() -> None:
    masked = mask_number("+49 234 9876543")
    assert "987" not in masked and "654" not in masked


def test_retention_cutoff() -> None:
    assert retention_cutoff(T0, 90) == T0 - timedelta(days=90)
    with pytest.raises(ValueError):
        retention_cutoff(T0, -1)


def test_abandoned_call_waits_until_hang_up() -> None:
    record = CallRecord(
        "c1",
        "service115",
        T0,
        ended_at=T0 + timedelta(seconds=4, milliseconds=250),
        outcome=Outcome.ABANDONED,
    )
    assert (record.wait_ms, record.talk_ms, record.wrapup_ms) == (4250, None, None)


@pytest.mark.parametrize(
    "changes",
    [
        {"call_id": ""},
        {"queue": ""},
        {"offered_at": datetime(2026, 3, 2, 9)},
        {"answered_at": T0 - timedelta(seconds=1)},
        {"answered_at": T0, "outcome": Outcome.ABANDONED},
        {"transfer_mode": TransferMode.BLIND, "outcome": Outcome.RESOLVED},
        {"topics": (Topic("a"), Topic("a"))},
    ],
)
def test_records_breaking_rules_are_refused(changes: dict[str, object]) -> None:
    values: dict[str, object] = {"call_id": "c1", "queue": "q", "offered_at": T0, **changes}
    with pytest.raises(InvalidRecord):
        CallRecord(**values)  # type: ignore[arg-type]


def test_leika_keys_are_checked() -> None:
    assert Topic("reisepass-beantragen", "99085001000000").leika_key
    for bad in ("12345678901234", "9908500100000", "99O85001000000"):
        with pytest.raises(InvalidRecord):
            Topic("x", bad)


def test_codec_round_trips_records_and_tickets() -> None:
    record = CallRecord(
        "c1",
        "service115",
        T0,
        agent_id="agent1",
        caller_number="+49 234 1",
        answered_at=T0 + timedelta(seconds=3),
        ended_at=T0 + timedelta(seconds=90),
        outcome=Outcome.TRANSFERRED,
        outcome_target="Standesamt 2010",
        transfer_mode=TransferMode.BLIND,
        topics=(Topic("geburtsurkunde"),),
        searches=(
            SearchQuery("geburt urkunde", 2, T0 + timedelta(seconds=10), 1),
            SearchQuery("geburt", 5, None),
        ),
        updated_at=T0 + timedelta(seconds=95),
    )
    assert call_from_dict(call_to_dict(record)) == record
    t = CallbackTicket("t1", T0, T0 + timedelta(days=2), "agent1", "Frist", number="0234 5")
    assert ticket_from_dict(ticket_to_dict(t)) == t
    tried = CallbackTicket(
        "t2", T0, T0 + timedelta(days=2), "agent1", "Frist", attempts=2,
        history=(CallbackAttempt(T0, "agent1", AttemptResult.NOT_REACHED, "9.1"),
                 CallbackAttempt(T0, "agent2", AttemptResult.REACHED, None, Outcome.WRITTEN)),
    )  # fmt: skip
    assert ticket_from_dict(ticket_to_dict(tried)) == tried


def test_a_search_knows_whether_it_found_something_suitable() -> None:
    assert SearchQuery("perso", 3, None, 1).answered
    assert not SearchQuery("rente beantragen", 8, None, 0).answered  # only "vielleicht"
    assert not SearchQuery("xyz", 0).answered
    assert SearchQuery("perso", 3).answered  # recorded before high counts: by hits alone
    with pytest.raises(InvalidRecord):
        SearchQuery("perso", 3, None, 4)
    with pytest.raises(InvalidRecord):
        SearchQuery("perso", 3, None, -1)


def test_outbox_records_queued_before_high_counts_still_decode() -> None:
    record = CallRecord("c1", "service115", T0, searches=(SearchQuery("perso", 3, T0),))
    data = call_to_dict(record)
    data["searches"] = [item[:3] for item in data["searches"]]
    assert call_from_dict(data) == record
