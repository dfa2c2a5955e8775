"""Whose call and in which language: the dialled number and the channel language (issue 16)."""

from __future__ import annotations

from telephony import events as ev
from telephony.calls import CallTracker
from telephony.origin import Routing, language_code
from telephony.parse import parse_event
from tests.unit.telephony.conftest import trace_events

ROUTING = Routing(
    by_number={"1150002": "beispielheim", "1150003": "ortsdorf"},
    by_queue={"ortsdorf-queue": "ortsdorf"},
    default="musterstadt",
    languages_by_queue={"tuerkisch": "tr"},
)


def test_asterisk_22_join_carries_the_dialled_number_and_the_channel_language() -> None:
    joins = [e for e in trace_events("abandoned_in_queue") if isinstance(e, ev.QueueCallerJoin)]
    assert joins and all((j.exten, j.language) == ("115", "en") for j in joins)


def test_a_join_without_the_snapshot_fields_leaves_them_empty() -> None:
    join = parse_event(
        "Event: QueueCallerJoin\r\nChannel: C/1\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n"
        "Queue: q\r\nPosition: 1"
    )
    assert isinstance(join, ev.QueueCallerJoin)
    assert (join.exten, join.language) == ("", "")


def test_the_tracker_keeps_the_number_and_language_of_the_first_join() -> None:
    tracker = CallTracker()
    first = ev.QueueCallerJoin("C/1", "9.1", "9.1", "0234", "A", "q", 1, "1150002", "tr")
    again = ev.QueueCallerJoin("C/1", "9.1", "9.1", "0234", "A", "q", 1, "115", "en")
    tracker.apply(first, 0.0)
    tracker.apply(again, 1.0)
    call = tracker.calls["9.1"]
    assert (call.dialled, call.language) == ("1150002", "tr")


def test_the_number_dialled_decides_then_the_queue_then_the_default() -> None:
    assert ROUTING.municipality("1150002", "ortsdorf-queue") == "beispielheim"
    assert ROUTING.municipality("115", "ortsdorf-queue") == "ortsdorf"
    assert ROUTING.municipality("115", "service115") == "musterstadt"
    assert Routing().municipality("115", "service115") is None


def test_the_ivr_choice_decides_then_the_queue_and_the_pbx_default_means_german() -> None:
    assert ROUTING.language("tr", "service115") == "tr"
    assert ROUTING.language("uk_UA", "tuerkisch") == "uk"  # the caller's own choice wins
    assert ROUTING.language("en", "tuerkisch") == "tr"  # Asterisk's default: no choice made
    assert ROUTING.language("en", "service115") == "de"
    assert ROUTING.language("", "service115") == "de"
    english = Routing(pbx_default_language="de")  # defaultlanguage=de: "en" is a real choice
    assert english.language("en", "service115") == "en"
    assert english.language("de", "service115") == "de"


def test_language_codes_are_folded_and_nonsense_is_dropped() -> None:
    assert [language_code(v) for v in ("TR", "tr_TR", "pt-BR", "ckb", "")] == [
        "tr", "tr", "pt", "ckb", "",
    ]  # fmt: skip
    assert language_code("de\r\nAction: Hangup") == ""
    assert language_code("12") == ""
