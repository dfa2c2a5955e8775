"""Garbage from a PBX: the call tracker refuses unusable events cleanly, never with an assert."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telephony import events as ev
from telephony.calls import CallTracker
from telephony.exceptions import ProtocolError
from telephony.parse import _BUILDERS, parse_frame, to_event

HEADERS = [
    "Channel", "Linkedid", "Uniqueid", "DestChannel", "Interface", "MemberName", "Queue",
    "CallerIDNum", "CallerIDName", "HoldTime", "RingTime", "TalkTime", "Reason", "Position",
    "Wait", "BridgeUniqueid", "Result", "TransfereeChannel", "TransfereeLinkedid", "Context",
    "Extension", "UserEvent", "Department", "Exten", "DialStatus", "Cause", "Status", "Paused",
    "InCall", "Location", "ActionID", "Response", "DestLinkedid",
]  # fmt: skip
VALUES = st.sampled_from(
    ["", "1", "-5", "99999999999999999999", "caller", "agent", "Success", "L1", "L2",
     "Local/agent1@agents/n", "service115", "DepartmentReached", "true", "\x1b[2J", "nan"]
)  # fmt: skip
FRAME = st.tuples(
    st.sampled_from(sorted(_BUILDERS)),
    st.lists(st.tuples(st.sampled_from(HEADERS), VALUES), max_size=12),
)


@settings(max_examples=300)
@given(st.lists(FRAME, min_size=1, max_size=40))
def test_any_sequence_of_garbage_events_only_raises_protocol_errors(
    frames: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    tracker = CallTracker()
    for at, (name, headers) in enumerate(frames):
        text = "\r\n".join([f"Event: {name}", *(f"{k}: {v}" for k, v in headers)])
        with contextlib.suppress(ProtocolError):
            tracker.apply(to_event(parse_frame(text)), 1000.0 + at)


@pytest.mark.parametrize(
    "event",
    [
        ev.QueueCallerJoin("PJSIP/x-1", "1.1", "", "0234", "Erika", "service115", 1),
        ev.QueueCallerAbandon("PJSIP/x-1", "", "0234", "Erika", "service115", 3),
        ev.QueueEntry("service115", 1, "PJSIP/x-1", "", "", "0234", "Erika", 5),
    ],
)
def test_an_event_without_linkedid_changes_nothing(event: ev.AmiEvent) -> None:
    tracker = CallTracker()
    with pytest.raises(ProtocolError, match="without Linkedid"):
        tracker.apply(event, 1000.0)
    assert tracker.calls == {} and tracker.active_calls() == []


def test_resync_leaves_out_entries_naming_no_call() -> None:
    tracker = CallTracker()
    good = ev.QueueEntry("service115", 1, "PJSIP/x-1", "1.1", "1.1", "0234", "Erika", 5)
    bad = ev.QueueEntry("service115", 2, "PJSIP/x-2", "", "", "0235", "Max", 5)
    changes = tracker.resync([], [good, bad], 1000.0)
    assert [c.call_id for c in changes] == ["1.1"]  # type: ignore[union-attr]
