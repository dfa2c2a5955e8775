"""The recorder writes the municipality and the language the PBX's facts map to (issue 16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from calllog.merge import merge
from calllog.models import CallRecord
from recorder.core import RecorderCore
from telephony import events as ev
from telephony.origin import Routing
from tests.unit.recorder.test_core import AGENTS, feed, final
from tests.unit.telephony.conftest import trace_events

ROUTING = Routing(
    by_number={"1150002": "beispielheim"}, default="musterstadt",
    languages_by_queue={"service115": "de"},
)  # fmt: skip


def _with_join(events: list[ev.AmiEvent], exten: str, language: str) -> list[ev.AmiEvent]:
    """The trace as if the caller had dialled `exten` and chosen `language`."""
    return [replace(e, exten=exten, language=language) if isinstance(e, ev.QueueCallerJoin)
            else e for e in events]  # fmt: skip


def test_a_call_to_a_municipalitys_number_in_turkish() -> None:
    events = _with_join(trace_events("answered_then_caller_hangs_up"), "1150002", "tr")
    call = final(feed(events, RecorderCore(AGENTS, routing=ROUTING)))
    assert (call.pbx_municipality, call.pbx_language) == ("beispielheim", "tr")
    assert call.municipality is None and call.language is None  # the agent's part


def test_a_call_to_115_without_a_choice_is_the_defaults() -> None:
    call = final(feed(trace_events("blind_transfer"), RecorderCore(AGENTS, routing=ROUTING)))
    assert (call.pbx_municipality, call.pbx_language) == ("musterstadt", "de")


def test_without_a_join_only_the_queue_speaks() -> None:
    """A call first seen in QueueStatus (after a reconnect): no number, no channel language."""
    entry = ev.QueueEntry("service115", 1, "C/1", "9.1", "9.1", "0234", "A", 12)
    written = feed([entry], RecorderCore(AGENTS, routing=Routing(by_queue={"service115": "x"})))
    assert (final(written).pbx_municipality, final(written).pbx_language) == ("x", None)


def test_the_agents_choice_is_kept_beside_the_pbxs_and_survives_later_pbx_writes() -> None:
    written = feed(
        _with_join(trace_events("answered_then_caller_hangs_up"), "1150002", "tr"),
        RecorderCore(AGENTS, routing=ROUTING),
    )
    first, rest = written[0], written[1:]
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    agent = CallRecord(first.call_id, first.queue, first.offered_at, municipality="ortsdorf",
                       language="tr", updated_at=now)  # fmt: skip
    stored = merge(None, first, now).record
    stored = merge(stored, agent, now).record
    for record in rest:
        stored = merge(stored, record, now).record
    assert (stored.municipality, stored.pbx_municipality) == ("ortsdorf", "beispielheim")
    assert (stored.language, stored.pbx_language) == ("tr", "tr")
