"""Pure AMI wire format: split bytes into frames, parse frames, map them to typed events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from telephony import events as ev
from telephony.exceptions import ProtocolError
from telephony.framing import FRAME_END
from telephony.safety import check_header_name, check_header_value

#: Most lines in one frame; a frame with more is refused (ProtocolError). Asterisk 22's
#: frames in the recorded traces have at most 76.
MAX_FRAME_LINES = 512
#: The banner Asterisk sends first, e.g. `Asterisk Call Manager/11.0.0`.
BANNER_PREFIX = "Asterisk Call Manager/"


@dataclass(frozen=True, slots=True)
class Frame:
    """One AMI message: a response (to an action), an event, or an action (server side)."""

    kind: str
    """`response`, `event`, `action` or `unknown`."""
    name: str
    """Response status (`Success`, `Error`, `Goodbye`), event name or action name."""
    headers: dict[str, str] = field(default_factory=dict)
    """Header name -> value; when a name repeats, the last value wins (see `pairs`)."""
    bad_lines: int = 0
    """Lines without a colon (tolerated and counted, never fatal)."""
    raw: str = ""
    """The frame's text as received."""

    @property
    def action_id(self) -> str:
        """The ActionID header or ''."""
        return self.headers.get("ActionID", "")

    def get(self, key: str, default: str = "") -> str:
        """A header value or `default`."""
        return self.headers.get(key, default)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every header in wire order, repeats included (e.g. `Variable:`)."""
        return [p for p in map(_split_line, _lines(self.raw)) if p is not None]


_KINDS = {"response": "response", "event": "event", "action": "action"}


def _lines(text: str) -> list[str]:
    return text.split("\r\n") if "\r\n" in text else text.split("\n")


def _split_line(line: str) -> tuple[str, str] | None:
    key, sep, value = line.partition(":")
    if not sep or not key or " " in key:
        return None
    return key, value[1:] if value[:1] == " " else value


def parse_frame(text: str) -> Frame:
    """Parse the text of one frame (without the blank line that ends it).

    Raises ProtocolError for a frame without a header or with more than MAX_FRAME_LINES lines.
    """
    lines = _lines(text)
    if len(lines) > MAX_FRAME_LINES:
        raise ProtocolError(f"frame with more than {MAX_FRAME_LINES} lines")
    headers: dict[str, str] = {}
    bad = 0
    first: tuple[str, str] | None = None
    for line in lines:
        key, sep, value = line.partition(": ")
        if not sep:  # "Key:" with an empty value, or no colon at all
            pair = _split_line(line)
            if pair is None:
                bad += 1 if line.strip() else 0
                continue
            key, value = pair
        elif " " in key:
            bad += 1
            continue
        if first is None:
            first = (key, value)
        else:
            headers[key] = value
    if first is None:
        raise ProtocolError("empty or malformed AMI frame")
    kind = _KINDS.get(first[0].lower(), "unknown")
    return Frame(kind, first[1].strip(), headers, bad, text)


def split_frames(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Split complete frames off `buffer`; returns (frames, the incomplete rest)."""
    parts = buffer.split(FRAME_END)
    rest = parts.pop()
    return [p for p in parts if p.strip()], rest


def read_trace(data: bytes) -> tuple[str, list[Frame]]:
    """Parse a recorded AMI session (banner line first); returns (banner, frames)."""
    banner, _, body = data.partition(b"\r\n")
    frames, _ = split_frames(body)
    return banner.decode("utf-8"), [parse_frame(f.decode("utf-8")) for f in frames]


def encode_action(name: str, headers: Mapping[str, str], variables: Iterable[str] = ()) -> bytes:
    """Serialise an action; every name and value is checked for header injection first."""
    lines = [f"Action: {check_header_value('Action', check_header_name(name))}"]
    for key, value in headers.items():
        lines.append(f"{check_header_name(key)}: {check_header_value(key, value)}")
    lines.extend(f"Variable: {check_header_value('Variable', v)}" for v in variables)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def encode_frame(
    first: tuple[str, str], headers: Mapping[str, str] | Iterable[tuple[str, str]]
) -> bytes:
    """Serialise a response or event (server side, used by the simulator).

    A CR or LF inside a value (e.g. an ActionID a client sent) becomes a space: a value can
    never end its line early or add a header to the frame.
    """
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    lines = [f"{first[0]}: {_one_line(first[1])}"]
    lines.extend(f"{k}: {_one_line(v)}" for k, v in pairs)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", errors="replace")


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ") if "\r" in value or "\n" in value else value


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _cid(value: str) -> str:
    return "" if value == "<unknown>" else value


def _member(h: dict[str, str]) -> ev.MemberStatus:
    return ev.MemberStatus(
        queue=h.get("Queue", ""),
        interface=h.get("Interface") or h.get("Location", ""),
        member_name=h.get("MemberName") or h.get("Name", ""),
        status=_int(h.get("Status", "0")),
        paused=h.get("Paused", "0") in {"1", "true", "yes"},
        paused_reason=h.get("PausedReason", ""),
        in_call=h.get("InCall", "0") == "1",
        calls_taken=_int(h.get("CallsTaken", "0")),
    )


def _ring_fields(h: dict[str, str]) -> tuple[str, str, str, str, str, str, str, str]:
    """The fields AgentCalled and AgentConnect share, in their order."""
    return (
        h.get("Channel", ""),
        h.get("Linkedid", ""),
        h.get("DestChannel", ""),
        h.get("Interface", ""),
        h.get("MemberName", ""),
        h.get("Queue", ""),
        _cid(h.get("CallerIDNum", "")),
        _cid(h.get("CallerIDName", "")),
    )


def _agent_called(h: dict[str, str]) -> ev.AgentCalled:
    return ev.AgentCalled(*_ring_fields(h))


def _agent_connect(h: dict[str, str]) -> ev.AgentConnect:
    return ev.AgentConnect(
        *_ring_fields(h), _int(h.get("HoldTime", "0")), _int(h.get("RingTime", "0"))
    )


def _agent_complete(h: dict[str, str]) -> ev.AgentComplete:
    # Asterisk leaves out the block of a channel already gone: the caller's (then the agent's
    # leg still names the call, DestLinkedid), the agent's, or both.
    return ev.AgentComplete(
        h.get("Channel", ""),
        h.get("Linkedid", "") or h.get("DestLinkedid", ""),
        h.get("DestChannel", ""),
        h.get("Interface", ""),
        h.get("Queue", ""),
        _int(h.get("HoldTime", "0")),
        _int(h.get("TalkTime", "0")),
        h.get("Reason", ""),
        _cid(h.get("CallerIDNum", "")),
        _cid(h.get("CallerIDName", "")),
    )


def _queue_join(h: dict[str, str]) -> ev.QueueCallerJoin:
    return ev.QueueCallerJoin(
        h.get("Channel", ""),
        h.get("Uniqueid", ""),
        h.get("Linkedid", ""),
        _cid(h.get("CallerIDNum", "")),
        _cid(h.get("CallerIDName", "")),
        h.get("Queue", ""),
        _int(h.get("Position", "0")),
        h.get("Exten", ""),
        h.get("Language", ""),
    )


def _queue_abandon(h: dict[str, str]) -> ev.QueueCallerAbandon:
    return ev.QueueCallerAbandon(
        h.get("Channel", ""),
        h.get("Linkedid", ""),
        _cid(h.get("CallerIDNum", "")),
        _cid(h.get("CallerIDName", "")),
        h.get("Queue", ""),
        _int(h.get("HoldTime", "0")),
        _int(h.get("Position", "0")),
        _int(h.get("OriginalPosition", "0")),
        h.get("Uniqueid", ""),
    )


def _queue_entry(h: dict[str, str]) -> ev.QueueEntry:
    uniqueid = h.get("Uniqueid", "")
    return ev.QueueEntry(
        h.get("Queue", ""),
        _int(h.get("Position", "0")),
        h.get("Channel", ""),
        uniqueid,
        h.get("Linkedid", "") or uniqueid,
        _cid(h.get("CallerIDNum", "")),
        _cid(h.get("CallerIDName", "")),
        _int(h.get("Wait", "0")),
    )


def _blind(h: dict[str, str]) -> ev.BlindTransfer:
    return ev.BlindTransfer(
        h.get("Result", "") == "Success",
        h.get("TransfererChannel", ""),
        h.get("TransfereeChannel", ""),
        h.get("TransfereeLinkedid", "") or h.get("TransfererLinkedid", ""),
        h.get("Context", ""),
        h.get("Extension", ""),
    )


def _attended(h: dict[str, str]) -> ev.AttendedTransfer:
    return ev.AttendedTransfer(
        h.get("Result", "") == "Success",
        h.get("OrigTransfererChannel", ""),
        h.get("TransfereeChannel", ""),
        h.get("TransferTargetChannel", ""),
        h.get("TransfereeLinkedid", "") or h.get("OrigTransfererLinkedid", ""),
        h.get("TransferTargetExten", ""),
    )


def _rating(value: str) -> int:
    """A survey key 1-5 as the dialplan passed it on; 0 for anything else."""
    value = value.strip()
    return int(value) if len(value) == 1 and value in "12345" else 0


def _user_event(h: dict[str, str]) -> ev.AmiEvent:
    name = h.get("UserEvent")
    channel, linkedid, uniqueid = h.get("Channel", ""), h.get("Linkedid", ""), h.get("Uniqueid", "")
    if name == "DepartmentReached":
        return ev.DepartmentReached(channel, linkedid, h.get("Department", ""), h.get("Exten", ""))
    if name == "SurveyStarted":
        return ev.SurveyStarted(channel, linkedid, uniqueid, h.get("Queue", ""))
    if name == "SurveyRated":
        return ev.SurveyRated(channel, linkedid, uniqueid, _rating(h.get("Rating", "")))
    return ev.OtherEvent("UserEvent", h)


_BUILDERS: dict[str, Callable[[dict[str, str]], ev.AmiEvent]] = {
    "QueueCallerJoin": _queue_join,
    "QueueCallerLeave": lambda h: ev.QueueCallerLeave(
        h.get("Channel", ""), h.get("Linkedid", ""), h.get("Queue", "")
    ),
    "QueueCallerAbandon": _queue_abandon,
    "AgentCalled": _agent_called,
    "AgentRingNoAnswer": lambda h: ev.AgentRingNoAnswer(
        h.get("Channel", ""),
        h.get("Linkedid", ""),
        h.get("DestChannel", ""),
        h.get("Interface", ""),
        h.get("Queue", ""),
    ),
    "AgentConnect": _agent_connect,
    "AgentComplete": _agent_complete,
    "BridgeEnter": lambda h: ev.BridgeEnter(
        h.get("BridgeUniqueid", ""), h.get("Channel", ""), h.get("Linkedid", "")
    ),
    "BridgeLeave": lambda h: ev.BridgeLeave(
        h.get("BridgeUniqueid", ""), h.get("Channel", ""), h.get("Linkedid", "")
    ),
    "Hold": lambda h: ev.HoldChanged(h.get("Channel", ""), h.get("Linkedid", ""), True),
    "Unhold": lambda h: ev.HoldChanged(h.get("Channel", ""), h.get("Linkedid", ""), False),
    "BlindTransfer": _blind,
    "AttendedTransfer": _attended,
    "Newchannel": lambda h: ev.ChannelCreated(
        h.get("Channel", ""),
        h.get("Uniqueid", ""),
        h.get("Linkedid", ""),
        h.get("Context", ""),
        h.get("Exten", ""),
    ),
    "DialBegin": lambda h: ev.DialBegin(
        h.get("Channel", ""),
        h.get("Linkedid", "") or h.get("DestLinkedid", ""),
        h.get("DestChannel", ""),
        h.get("Context", ""),
        h.get("Exten", ""),
    ),
    "DialEnd": lambda h: ev.DialEnd(
        h.get("Channel", ""),
        h.get("Linkedid", "") or h.get("DestLinkedid", ""),
        h.get("DestChannel", ""),
        h.get("DialStatus", ""),
    ),
    "HangupRequest": lambda h: ev.HangupRequested(h.get("Channel", ""), h.get("Linkedid", "")),
    "SoftHangupRequest": lambda h: ev.HangupRequested(h.get("Channel", ""), h.get("Linkedid", "")),
    "Hangup": lambda h: ev.ChannelHungUp(
        h.get("Channel", ""),
        h.get("Uniqueid", ""),
        h.get("Linkedid", ""),
        _int(h.get("Cause", "0")),
        h.get("Cause-txt", ""),
    ),
    "QueueMemberStatus": _member,
    "QueueMemberPause": _member,
    "QueueMemberAdded": _member,
    "QueueMember": _member,
    "QueueMemberRemoved": lambda h: ev.MemberRemoved(
        h.get("Queue", ""), h.get("Interface") or h.get("Location", "")
    ),
    "QueueEntry": _queue_entry,
    "UserEvent": _user_event,
    "OriginateResponse": lambda h: ev.OriginateResult(
        h.get("ActionID", ""),
        h.get("Response", "") == "Success",
        h.get("Channel", ""),
        h.get("Uniqueid", ""),
        _int(h.get("Reason", "0")),
    ),
}


def to_event(frame: Frame) -> ev.AmiEvent:
    """Map an event frame to its typed event (OtherEvent for names not interpreted)."""
    if frame.kind != "event":
        raise ProtocolError(f"not an event frame: {frame.kind} {frame.name}")
    builder = _BUILDERS.get(frame.name)
    if builder is None:
        return ev.OtherEvent(frame.name, frame.headers)
    return builder(frame.headers)


def parse_event(text: str) -> ev.AmiEvent:
    """Parse the text of an event frame into its typed event."""
    return to_event(parse_frame(text))
