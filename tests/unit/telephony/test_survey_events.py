"""The caller survey and the queue's member events, as Asterisk 22 sent them (recorded traces).

survey.ami: three calls end "mit Umfrage": a BlindTransfer into `lotse-survey` and a rating
(4), a BlindTransfer and the caller hangs up in the survey, a Redirect and a rating (2).
member_events.ami: agent 3 logs in (QueueAdd), takes a call, pauses, logs out paused.
"""

from __future__ import annotations

from telephony import events as ev
from telephony.calls import Agent, AgentState, CallState, CallTracker, EndedBy
from telephony.parse import parse_event
from tests.unit.telephony.conftest import trace_events

AGENT3 = "Local/agent3@agents/n"


def run(events: list[ev.AmiEvent], tracker: CallTracker) -> CallTracker:
    for i, event in enumerate(events):
        tracker.apply(event, 1000.0 + i)
    return tracker


def test_the_survey_events_parse() -> None:
    events = trace_events("survey")
    started = [e for e in events if isinstance(e, ev.SurveyStarted)]
    rated = [e for e in events if isinstance(e, ev.SurveyRated)]
    assert len(started) == 3 and {e.queue for e in started} == {"service115"}
    assert [e.rating for e in rated] == [4, 2]
    assert all(e.linkedid and e.channel.endswith(";1") for e in [*started, *rated])
    assert [e.uniqueid == e.linkedid for e in rated] == [True, True]  # the caller's channel


def test_a_rating_that_is_not_one_to_five_is_zero() -> None:
    frame = "Event: UserEvent\r\nChannel: x;1\r\nLinkedid: 1.1\r\nUserEvent: SurveyRated\r\n"
    for value, rating in (("5", 5), ("0", 0), ("7", 0), ("44", 0), ("", 0), (" 3", 3)):
        event = parse_event(frame + f"Rating: {value}")
        assert isinstance(event, ev.SurveyRated) and event.rating == rating, value


def test_with_the_survey_context_the_call_ends_at_the_hand_over_not_as_a_transfer() -> None:
    events = trace_events("survey")
    tracker = run(events, CallTracker(survey_context="lotse-survey"))
    calls = list(tracker.calls.values())
    assert [c.state for c in calls] == [CallState.ENDED] * 3
    assert all(c.survey and c.transfer_kind is None and c.ended_by == EndedBy.AGENT for c in calls)
    blind = next(i for i, e in enumerate(events) if isinstance(e, ev.BlindTransfer))
    assert calls[0].ended_at == 1000.0 + blind  # not when the caller left the survey
    redirected = next(i for i, e in enumerate(events) if isinstance(e, ev.SurveyStarted)
                      and e.linkedid == calls[2].call_id)  # fmt: skip
    assert calls[2].ended_at == 1000.0 + redirected  # the Redirect: when the survey began
    assert all(a.state != AgentState.ON_CALL for a in tracker.agents.values())


def test_without_the_survey_context_the_blind_transfer_is_seen_first() -> None:
    # SurveyStarted still ends the call, but a transfer was reported before it: the console
    # and the recorder must know the survey's context (both read `survey.context`).
    tracker = run(trace_events("survey"), CallTracker())
    first = next(iter(tracker.calls.values()))
    assert (first.transfer_kind, first.transfer_target, first.survey) == ("blind", "1", True)


def test_a_member_who_logs_out_paused_is_unavailable() -> None:
    tracker = CallTracker()
    states: list[tuple[AgentState, str]] = []
    for i, event in enumerate(trace_events("member_events")):
        for change in tracker.apply(event, float(i)):
            now = (getattr(change, "state", None), getattr(change, "pause_reason", ""))
            if isinstance(change, Agent) and change.interface == AGENT3 and states[-1:] != [now]:
                states.append((change.state, change.pause_reason))
    assert [s for s, _ in states[:3]] == [AgentState.AVAILABLE, AgentState.RINGING,
                                          AgentState.ON_CALL]  # fmt: skip
    assert (AgentState.WRAP_UP, "Nachbearbeitung") in states
    assert (AgentState.PAUSED, "Mittagspause") in states
    assert states[-1] == (AgentState.UNAVAILABLE, "")  # removed: not "paused" for ever
