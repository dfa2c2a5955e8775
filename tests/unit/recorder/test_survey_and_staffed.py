"""The recorder on the recorded survey and member-event traces: survey facts, staffed time,
and the queue_log of the same PBX."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calllog.models import CallRecord
from calllog.pbx import EndedBy, Source
from calllog.staffed import StaffedSpan, StaffedState
from recorder.core import RecorderCore
from recorder.queue_log import QueueLogCalls
from recorder.staffed import StaffedClock
from telephony import events as ev
from telephony.calls import Agent, AgentState, CallTracker
from tests.unit.recorder.test_core import AGENTS, T0, feed, final
from tests.unit.telephony.conftest import trace_events

SURVEY = "lotse-survey"
QUEUE_LOG = Path(__file__).resolve().parents[2] / "fixtures" / "queue_log"
A3 = "Local/agent3@agents/n"
IDS = {**AGENTS, A3: "agent3"}


def _by_call(written: list[CallRecord]) -> dict[str, list[CallRecord]]:
    found: dict[str, list[CallRecord]] = {}
    for record in written:
        found.setdefault(record.call_id, []).append(record)
    return found


def test_calls_that_end_in_the_survey_are_no_transfers_and_carry_the_rating() -> None:
    events = trace_events("survey")
    written = feed(events, RecorderCore(AGENTS, survey_context=SURVEY),
                   CallTracker(survey_context=SURVEY))  # fmt: skip
    first, second, third = (final(r) for r in _by_call(written).values())
    for call in (first, second, third):
        assert call.pbx_transfer is None and call.pbx_transfer_target is None
        assert call.ended_by is EndedBy.AGENT and call.survey_at == call.ended_at
        assert call.source is Source.RECORDER and call.agent_id in {"agent1", "agent2"}
    assert [c.survey_rating for c in (first, second, third)] == [4, None, 2]
    blind = next(i for i, e in enumerate(events) if isinstance(e, ev.BlindTransfer))
    assert first.ended_at == datetime.fromtimestamp(T0 + blind, UTC)  # the hand-over, not later
    started = [i for i, e in enumerate(events) if isinstance(e, ev.SurveyStarted)]
    assert third.ended_at == datetime.fromtimestamp(T0 + started[2], UTC)  # after a Redirect


def test_a_rating_is_written_once_more_after_the_call_ended() -> None:
    events = trace_events("survey")
    rated = next(i for i, e in enumerate(events) if isinstance(e, ev.SurveyRated))
    written = feed(events[: rated + 1], RecorderCore(AGENTS, survey_context=SURVEY),
                   CallTracker(survey_context=SURVEY))  # fmt: skip
    assert written[-1].survey_rating == 4 and written[-2].survey_rating is None


def test_the_queue_log_knows_the_survey_too() -> None:
    calls = QueueLogCalls(agent_id={"Agent 1": "agent1", "Agent 2": "agent2"}.get,
                          survey_context=SURVEY)  # fmt: skip
    calls.read((QUEUE_LOG / "asterisk22_survey.queue_log").read_text().splitlines())
    assert calls.bad == []
    records = {r.caller_number: r for r in calls.records()}
    rated, hung_up, redirected = (records[f"0234111000{n}"] for n in (1, 2, 3))
    assert (rated.survey_rating, rated.pbx_transfer, rated.ended_by) == (4, None, EndedBy.AGENT)
    assert rated.survey_at == rated.ended_at == datetime.fromtimestamp(1795887706, UTC)
    assert (hung_up.survey_rating, hung_up.survey_at is not None) == (None, True)
    assert redirected.survey_rating == 2 and redirected.ended_by is EndedBy.AGENT
    assert redirected.ended_at == datetime.fromtimestamp(1795887709, UTC)
    assert records["02342220001"].survey_at is None  # the member-events call: no survey
    plain = QueueLogCalls(survey_context="")
    plain.read((QUEUE_LOG / "asterisk22_survey.queue_log").read_text().splitlines())
    assert next(iter(plain.records())).pbx_transfer is not None  # without it: a transfer


def test_a_bad_survey_line_is_reported_and_skipped() -> None:
    calls = QueueLogCalls(survey_context=SURVEY)
    calls.read(["1795887706|1.1|service115|NONE|ENTERQUEUE||0234|1",
                "1795887707|1.1|service115|NONE|SURVEY|9"])  # fmt: skip
    assert [b.number for b in calls.bad] == [2]


def _staffed(events: list[ev.AmiEvent]) -> list[StaffedSpan]:
    """The bridge's way: tracker changes to the clock, connected before the first event."""
    tracker, clock = CallTracker(), StaffedClock(IDS)
    spans = clock.connected([], T0 - 1)
    for i, event in enumerate(events):
        spans += clock.apply(tracker.apply(event, T0 + i), T0 + i)
    return spans + clock.lost(T0 + len(events))


def _at(i: int) -> datetime:
    return datetime.fromtimestamp(T0 + i, UTC)


def test_member_events_become_staffed_time() -> None:
    events = trace_events("member_events")
    spans = [s for s in _staffed(events) if s.agent_id == "agent3"]
    assert [(s.state, s.reason) for s in spans] == [
        (StaffedState.AVAILABLE, None), (StaffedState.RINGING, None),
        (StaffedState.TALKING, None), (StaffedState.WRAP_UP, None),
        (StaffedState.AVAILABLE, None), (StaffedState.PAUSED, "Mittagspause"),
    ]  # fmt: skip
    assert all(a.ended_at == b.started_at for a, b in itertools.pairwise(spans))
    removed = next(i for i, e in enumerate(events) if isinstance(e, ev.MemberRemoved))
    assert spans[-1].ended_at == _at(removed)  # logged out: no more staffed time
    others = {(s.agent_id, s.reason) for s in _staffed(events) if s.agent_id != "agent3"}
    assert ("agent1", "Schulung") in others and ("agent2", "Schulung") in others


def test_the_clock_counts_only_what_it_watched() -> None:
    clock = StaffedClock(IDS, refresh_seconds=60)
    agent = Agent(A3, state=AgentState.AVAILABLE, queue="service115")
    assert clock.apply([agent], T0) == []  # not connected yet: a resync's changes
    assert clock.connected([agent], T0) == []
    assert clock.tick(T0 + 30) == []
    [grown] = clock.tick(T0 + 60)  # still going on: written with its end moved on
    assert (grown.started_at, grown.ended_at) == (_at(0), _at(60))
    assert clock.tick(T0 + 61) == []
    [closed] = clock.lost(T0 + 90)  # connection lost: nothing counted until it is back
    assert (closed.started_at, closed.ended_at) == (_at(0), _at(90))
    assert clock.lost(T0 + 95) == [] and clock.tick(T0 + 500) == []
    assert clock.connected([agent], T0 + 600) == []
    [again] = clock.lost(T0 + 660)
    assert again.started_at == _at(600) and again.ms == 60_000


def test_the_clock_keeps_to_its_queues_and_skips_empty_spans() -> None:
    clock = StaffedClock(IDS, queues=["service115"])
    other = Agent("Local/x@agents/n", state=AgentState.AVAILABLE, queue="other")
    mine = Agent(A3, state=AgentState.AVAILABLE, queue="service115")
    clock.connected([other, mine], T0)
    paused = Agent(A3, state=AgentState.PAUSED, pause_reason="Pause", queue="service115")
    assert clock.apply([paused], T0) == []  # a change within the same instant: no 0 ms span
    [span] = clock.apply([Agent(A3, state=AgentState.ON_CALL, queue="service115")], T0 + 5)
    assert (span.agent_id, span.state, span.reason, span.ms) == (
        "agent3", StaffedState.PAUSED, "Pause", 5000,
    )  # fmt: skip
    assert [s.agent_id for s in clock.lost(T0 + 10)] == ["agent3"]
    assert timedelta(seconds=5) == span.ended_at - span.started_at
