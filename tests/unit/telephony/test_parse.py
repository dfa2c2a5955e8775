"""AMI frame parsing and action encoding, from the recorded Asterisk 22 traces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telephony import events as ev
from telephony.exceptions import ProtocolError, UnsafeValueError
from telephony.parse import encode_action, parse_frame, read_trace, split_frames, to_event
from tests.unit.telephony.conftest import TRACES, trace_events, trace_frames


def test_banner_and_login_response() -> None:
    banner, frames = read_trace((TRACES / "queue_status_ping_badlogin.ami").read_bytes())
    assert banner == "Asterisk Call Manager/11.0.0"
    first = frames[0]
    assert (first.kind, first.name, first.action_id) == ("response", "Success", "smoke-1")
    assert first.get("Message") == "Authentication accepted"


def test_every_trace_frame_parses_without_bad_lines() -> None:
    for path in TRACES.glob("*.ami"):
        for frame in trace_frames(path.stem):
            assert frame.kind in {"response", "event"}
            assert frame.bad_lines == 0


def test_utf8_caller_names_survive() -> None:
    joins = [e for e in trace_events("attended_transfer") if isinstance(e, ev.QueueCallerJoin)]
    assert joins[0].caller_name == "Ayşe Yılmaz"
    joins = [e for e in trace_events("redirect_transfer") if isinstance(e, ev.QueueCallerJoin)]
    assert joins[0].caller_name == "Jürgen Größe"


def test_empty_values_and_unknown_caller_id() -> None:
    frame = parse_frame("Event: Newchannel\r\nCallerIDNum: <unknown>\r\nAccountCode: \r\n")
    assert frame.headers["AccountCode"] == ""
    assert frame.headers["CallerIDNum"] == "<unknown>"


def test_queue_status_list_items_carry_action_id() -> None:
    frames = trace_frames("queue_status_ping_badlogin")
    items = [f for f in frames if f.kind == "event" and f.action_id == "smoke-3"]
    assert [f.name for f in items] == [
        "QueueParams",
        "QueueMember",
        "QueueMember",
        "QueueStatusComplete",
    ]
    member = to_event(items[1])
    assert isinstance(member, ev.MemberStatus)
    assert member.interface == "Local/agent1@agents/n"
    assert (member.member_name, member.status, member.paused) == ("Agent 1", 1, False)


def test_pause_reason_parsed() -> None:
    pauses = [e for e in trace_events("abandoned_in_queue") if isinstance(e, ev.MemberStatus)]
    assert [(p.paused, p.paused_reason) for p in pauses[:2]] == [
        (True, "Nachbearbeitung"),
        (True, "Pause"),
    ]


def test_transfer_events() -> None:
    blind = next(e for e in trace_events("blind_transfer") if isinstance(e, ev.BlindTransfer))
    assert blind.success and blind.extension == "2002"
    assert blind.transferer_channel == "Local/agent2@agents-00000003;1"
    att = next(e for e in trace_events("attended_transfer") if isinstance(e, ev.AttendedTransfer))
    assert att.success and att.target_extension == "2001"
    assert att.linkedid == "1795296786.16"


def test_user_event_repeated_key_last_wins() -> None:
    dept = next(e for e in trace_events("blind_transfer") if isinstance(e, ev.DepartmentReached))
    assert (dept.department, dept.exten) == ("Kfz-Zulassung", "2002")


def test_malformed_lines_are_counted_not_fatal() -> None:
    frame = parse_frame("Event: Hangup\r\nthis line has no colon\r\nChannel: X/1")
    assert frame.bad_lines == 1 and frame.get("Channel") == "X/1"
    with pytest.raises(ProtocolError):
        parse_frame("garbage without any header")


def test_split_frames_keeps_incomplete_rest() -> None:
    frames, rest = split_frames(b"Event: A\r\nX: 1\r\n\r\nEvent: B\r\n")
    assert frames == [b"Event: A\r\nX: 1"]
    assert rest == b"Event: B\r\n"


def test_unknown_event_kept_with_headers() -> None:
    event = to_event(parse_frame("Event: FullyBooted\r\nStatus: Fully Booted"))
    assert event == ev.OtherEvent("FullyBooted", {"Status": "Fully Booted"})


def test_encode_action_wire_format() -> None:
    data = encode_action("QueuePause", {"ActionID": "1", "Reason": "Nachbearbeitung"})
    assert data == b"Action: QueuePause\r\nActionID: 1\r\nReason: Nachbearbeitung\r\n\r\n"


@pytest.mark.parametrize(
    "value", ["2002\r\nAction: Originate", "x\ny", "x\rAction: Hangup", "a\x00b", "a\u2028b"]
)
def test_encode_action_refuses_header_injection(value: str) -> None:
    with pytest.raises(UnsafeValueError, match="control character"):
        encode_action("BlindTransfer", {"Exten": value})


def test_encode_action_refuses_bad_header_names() -> None:
    with pytest.raises(UnsafeValueError):
        encode_action("Ping", {"Bad Name": "x"})
    with pytest.raises(UnsafeValueError):
        encode_action("Ping\r\nAction: Hangup", {})


def test_pairs_keep_repeated_headers_in_wire_order() -> None:
    frame = parse_frame("Action: Originate\r\nVariable: A=1\r\nVariable: B=2\r\nEmpty:")
    assert frame.kind == "action" and frame.name == "Originate"
    assert frame.pairs == [
        ("Action", "Originate"),
        ("Variable", "A=1"),
        ("Variable", "B=2"),
        ("Empty", ""),
    ]
    assert frame.headers == {"Variable": "B=2", "Empty": ""}


@given(st.text(max_size=300))
def test_arbitrary_text_parses_or_raises_protocol_error(text: str) -> None:
    try:
        frame = parse_frame(text)
    except ProtocolError:
        return
    assert frame.kind in {"response", "event", "action", "unknown"}
    if frame.kind == "event":
        to_event(frame)  # never raises for an event frame, whatever its headers


@given(st.lists(st.binary(max_size=40), max_size=20))
def test_split_frames_never_loses_bytes(chunks: list[bytes]) -> None:
    buffer, frames = b"", []
    for chunk in chunks:
        done, buffer = split_frames(buffer + chunk)
        frames += done
    data = b"".join(chunks)
    assert all(f in data for f in frames)
    assert data.endswith(buffer)
