"""The PBX speaks like the recorded Asterisk 22: the same events with the same fields.

Each scenario is driven only through AMI actions (as the traces were recorded),
so this also runs against a real Asterisk with the reference dialplan.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from telephony.ami import AmiSession
from telephony.parse import Frame, read_trace
from tests.integration.telephony.conftest import Target

TRACES = Path(__file__).resolve().parents[2] / "fixtures" / "ami"
#: Events whose presence depends on the session's event mask, not on the scenario.
_IGNORED = {"SuccessfulAuth", "FullyBooted"}


class Recorder:
    """A raw AMI session that keeps every event frame."""

    def __init__(self, session: AmiSession, frames: list[Frame]) -> None:
        self.session = session
        self.frames = frames

    async def act(self, name: str, **headers: str) -> Frame:
        """Send an action; raise on Response: Error."""
        reply = await self.session.action(name, headers, 5, check=True)
        return reply.response

    async def wait(self, match: Callable[[Frame], bool], timeout: float = 10.0) -> Frame:
        """The first recorded frame matching `match` (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.frames:
                if match(frame):
                    return frame
            await asyncio.sleep(0.02)
        raise TimeoutError("expected frame did not arrive")

    async def call(self, number: str, name: str) -> tuple[str, str]:
        """Originate a citizen call; wait until bridged; returns (caller, agent) channels."""
        await self.act(
            "Originate",
            Channel=f"Local/{number}@citizen-phone/n",
            Context="inbound",
            Exten="115",
            Priority="1",
            CallerID=f'"{name}" <{number}>',
            Async="true",
        )
        connect = await self.wait(
            lambda f: f.name == "AgentConnect" and f.get("CallerIDNum") == number
        )
        caller, agent = connect.get("Channel"), connect.get("DestChannel")
        await self.wait(lambda f: f.name == "BridgeEnter" and f.get("Channel") == caller)
        return caller, agent


@pytest.fixture
async def recorder(pbx: Target) -> AsyncIterator[Recorder]:
    """A logged-in raw session recording events."""
    frames: list[Frame] = []
    session = AmiSession(pbx.host, pbx.port, lambda f, t: frames.append(f), lambda e: None)
    await session.open(5)
    await session.login(pbx.user, pbx.secret, "call,agent,user,dtmf", 5)
    yield Recorder(session, frames)
    session.close()


def _fields(frames: list[Frame]) -> dict[str, list[str]]:
    """Event name -> header names in wire order (first occurrence)."""
    found: dict[str, list[str]] = {}
    for frame in frames:
        if frame.kind == "event" and frame.name not in _IGNORED:
            found.setdefault(frame.name, [k for k, _ in frame.pairs])
    return found


def _snapshot_prefix(keys: list[str], n: int) -> str | None:
    """The prefix when keys[n] starts a channel snapshot (`<p>Channel, <p>ChannelState, ...`)."""
    key = keys[n]
    if not key.endswith("Channel") or n + 1 >= len(keys):
        return None
    prefix = key.removesuffix("Channel")
    return prefix if keys[n + 1] == f"{prefix}ChannelState" else None


def without_gone_channels(want: list[str], got: list[str]) -> list[str]:
    """The recorded fields minus each channel snapshot whose channel the new event lacks.

    Asterisk leaves a channel's whole block out when that channel is already gone,
    and that varies from run to run: AgentComplete after a hang-up (the agent's
    `Dest...` block, or the caller's too), AttendedTransfer (the `TransferTarget...`
    block). Every other field must be there, in the recorded order, and nothing else.
    """
    kept: list[str] = []
    skipping: str | None = None  # the prefix of the block being left out ("" for the channel)
    for n, key in enumerate(want):
        if skipping is not None:
            if key == f"{skipping}Linkedid":
                skipping = None
            continue
        prefix = _snapshot_prefix(want, n)
        if prefix is not None and key not in got:
            skipping = prefix
            continue
        kept.append(key)
    return kept


def _compare(trace: str, frames: list[Frame], ignore: frozenset[str] = frozenset()) -> None:
    """Every event of the trace, with its fields (`ignore`: events compared elsewhere)."""
    _, recorded = read_trace((TRACES / f"{trace}.ami").read_bytes())
    want, got = _fields(recorded), _fields(frames)
    for name in ignore:
        want.pop(name, None)
    missing = sorted(set(want) - set(got))
    assert not missing, f"events Asterisk sent in {trace} but the PBX did not: {missing}"
    for name, keys in want.items():
        expected = without_gone_channels(keys, got[name])
        assert got[name] == expected, f"{name}: fields differ from {trace}"


def test_only_whole_blocks_of_gone_channels_may_be_missing() -> None:
    block = ["DestChannel", "DestChannelState", "DestUniqueid", "DestLinkedid"]
    want = ["Event", "Channel", "ChannelState", "Linkedid", *block, "Queue", "Reason"]
    assert without_gone_channels(want, ["Event", "Queue", "Reason"]) == [
        "Event", "Queue", "Reason"]  # fmt: skip
    assert without_gone_channels(want, want) == want
    extra = ["Event", "Channel", "ChannelState", "Linkedid", "Queue", "Reason", "Extra"]
    assert without_gone_channels(want, extra) != extra  # an extra field still fails
    reordered = ["Event", "Queue", "Channel", "ChannelState", "Linkedid", "Reason"]
    assert without_gone_channels(want, reordered) != reordered  # so does another order


async def test_answered_then_caller_hangs_up(recorder: Recorder) -> None:
    caller, _ = await recorder.call("02341234567", "Erika Musterfrau")
    await recorder.act("Hangup", Channel=caller)
    await recorder.wait(lambda f: f.name == "Hangup" and f.get("Channel") == caller)
    await recorder.wait(lambda f: f.name == "QueueMemberStatus" and f.get("InCall") == "0")
    _compare("answered_then_caller_hangs_up", recorder.frames)


async def test_blind_transfer(recorder: Recorder) -> None:
    caller, agent = await recorder.call("02349876543", "Max Mustermann")
    await recorder.act("BlindTransfer", Channel=agent, Exten="2002", Context="departments")
    await recorder.wait(lambda f: f.name == "BridgeEnter" and "@backoffice" in f.get("Channel"))
    await recorder.act("Hangup", Channel=caller)
    await recorder.wait(lambda f: f.name == "Hangup" and f.get("Channel") == caller)
    _compare("blind_transfer", recorder.frames)


async def test_redirect_transfer(recorder: Recorder) -> None:
    caller, _ = await recorder.call("015112345678", "Jürgen Größe")
    await recorder.act(
        "Redirect", Channel=caller, Exten="2003", Context="departments", Priority="1"
    )
    await recorder.wait(lambda f: f.name == "BridgeEnter" and "@backoffice" in f.get("Channel"))
    await recorder.act("Hangup", Channel=caller)
    await recorder.wait(lambda f: f.name == "AgentComplete")
    await recorder.wait(lambda f: f.name == "Hangup" and f.get("Channel") == caller)
    _compare("redirect_transfer", recorder.frames)


async def test_attended_transfer(recorder: Recorder) -> None:
    caller, agent = await recorder.call("02345551234", "Ayşe Yılmaz")
    await recorder.act("Atxfer", Channel=agent, Exten="2001", Context="departments")
    await recorder.wait(lambda f: f.name == "BridgeEnter" and "@backoffice" in f.get("Channel"))
    await recorder.act("Hangup", Channel=agent)
    await recorder.wait(lambda f: f.name == "AttendedTransfer")
    await recorder.act("Hangup", Channel=caller)
    await recorder.wait(lambda f: f.name == "Hangup" and f.get("Channel") == caller)
    _compare("attended_transfer", recorder.frames)


async def test_abandoned_in_queue(recorder: Recorder) -> None:
    for n, reason in ((1, "Nachbearbeitung"), (2, "Pause")):
        await recorder.act(
            "QueuePause",
            Queue="service115",
            Interface=f"Local/agent{n}@agents/n",
            Paused="true",
            Reason=reason,
        )
    await recorder.act(
        "Originate",
        Channel="Local/02344443333@citizen-phone/n",
        Context="inbound",
        Exten="115",
        Priority="1",
        CallerID='"Anrufer" <02344443333>',
        Async="true",
    )
    join = await recorder.wait(lambda f: f.name == "QueueCallerJoin")
    await recorder.act("Hangup", Channel=join.get("Channel"))
    await recorder.wait(lambda f: f.name == "Hangup" and f.get("Channel") == join.get("Channel"))
    for n in (1, 2):
        await recorder.act(
            "QueuePause", Queue="service115", Interface=f"Local/agent{n}@agents/n", Paused="false"
        )
    await recorder.wait(lambda f: f.name == "QueueMemberPause" and f.get("Paused") == "0")
    _compare("abandoned_in_queue", recorder.frames)


async def test_queue_status_summary_ping_and_second_login(recorder: Recorder) -> None:
    _, recorded = read_trace((TRACES / "queue_status_ping_badlogin.ami").read_bytes())
    want = {f.name: [k for k, _ in f.pairs if k != "ActionID"] for f in recorded}
    session = recorder.session
    status = await session.action("QueueStatus", {"Queue": "service115"}, 5, check=True)
    summary = await session.action("QueueSummary", {"Queue": "service115"}, 5, check=True)
    got = {f.name: [k for k, _ in f.pairs if k != "ActionID"] for f in status.events}
    assert got["QueueParams"] == want["QueueParams"]
    assert got["QueueMember"] == want["QueueMember"]
    assert [f.name for f in summary.events] == ["QueueSummary"]
    assert [k for k, _ in summary.events[0].pairs if k != "ActionID"] == want["QueueSummary"]
    pong = await session.action("Ping", {}, 5, check=True)
    assert pong.response.get("Ping") == "Pong" and pong.response.get("Timestamp")
    again = await session.action("Login", {"Username": "x", "Secret": "wrong"}, 5)
    assert again.response.get("Message") == "Already authenticated"
