"""Integration fixtures: the built-in simulator, or a real Asterisk when LOTSE_TEST_AMI_* are set.

With LOTSE_TEST_AMI_HOST, _PORT, _USER and _SECRET set, every test here runs
against that Asterisk (reference dialplan of ../shared/asterisk/conf); tests
that need fault injection are skipped there, since only the simulator can be
made to fail on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest

from telephony.ami import AmiSession
from telephony.bridge import AgentIdentity, AmiBridge, BridgeConfig
from telephony.calls import Call
from telephony.parse import Frame
from telephony.sim import PbxSimulator, Timing

ENV = ("LOTSE_TEST_AMI_HOST", "LOTSE_TEST_AMI_PORT", "LOTSE_TEST_AMI_USER", "LOTSE_TEST_AMI_SECRET")
AGENTS = {
    "agent1": AgentIdentity(("Local/agent1@agents/n",)),
    "agent2": AgentIdentity(("Local/agent2@agents/n",)),
}
#: Fast but realistic timings for the simulator (a real Asterisk answers after 1 s).
FAST = Timing(agent_answer=0.2, department_answer=0.2, bridge_settle=0.05)
T = TypeVar("T")


@dataclass
class Target:
    """Where the PBX under test is; `sim` is None for a real Asterisk."""

    host: str
    port: int
    user: str
    secret: str = field(repr=False)
    sim: PbxSimulator | None

    def config(self, **overrides: object) -> BridgeConfig:
        """A bridge configuration for this PBX."""
        values: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "username": self.user,
            "secret": self.secret,
            "agents": AGENTS,
            "ping_interval": 2.0,
            "backoff_initial": 0.05,
            "backoff_max": 0.5,
            "survey_context": "lotse-survey",
        }
        values.update(overrides)
        return BridgeConfig(**values)  # type: ignore[arg-type]

    def require_sim(self) -> PbxSimulator:
        """The simulator; skips on a real Asterisk (faults cannot be injected there)."""
        if self.sim is None:
            pytest.skip("fault injection needs the built-in simulator")
        return self.sim


@pytest.fixture
async def pbx() -> AsyncIterator[Target]:
    """The PBX under test."""
    if all(os.environ.get(name) for name in ENV):
        host, port, user, secret = (os.environ[name] for name in ENV)
        yield Target(host, int(port), user, secret, None)
        return
    async with PbxSimulator(port=0, seed=115, timing=FAST) as sim:
        yield Target("127.0.0.1", sim.port, "agentconsole", "s3cret", sim)


class Driver:
    """A second AMI connection playing the citizens (Originate, as the traces were made)."""

    def __init__(self, session: AmiSession) -> None:
        self.session = session
        self.events: list[Frame] = []

    async def place_call(self, number: str, name: str, exten: str = "115") -> None:
        """A citizen calls 115 (or a municipality's own number, see language_dialplan)."""
        await self.session.action(
            "Originate",
            {
                "Channel": f"Local/{number}@citizen-phone/n",
                "Context": "inbound",
                "Exten": exten,
                "Priority": "1",
                "CallerID": f'"{name}" <{number}>',
                "Async": "true",
            },
            5,
            check=True,
        )

    async def hangup(self, channel: str) -> None:
        """Hang up any channel (the citizen putting the phone down)."""
        await self.session.action("Hangup", {"Channel": channel}, 5, check=True)

    async def press(self, caller_channel: str, digit: str) -> None:
        """The citizen presses a key (DTMF from the handset: the `;2` half of the caller)."""
        handset = caller_channel.rsplit(";", 1)[0] + ";2"
        await self.session.action(
            "PlayDTMF", {"Channel": handset, "Digit": digit, "Duration": "120"}, 5, check=True
        )


@pytest.fixture
async def driver(pbx: Target) -> AsyncIterator[Driver]:
    """The citizens' side."""
    holder: list[Driver] = []
    session = AmiSession(
        pbx.host, pbx.port, lambda f, t: holder[0].events.append(f), lambda e: None
    )
    holder.append(Driver(session))
    await session.open(5)
    await session.login(pbx.user, pbx.secret, "call,agent,user", 5)
    yield holder[0]
    session.close()


@pytest.fixture
async def bridge(pbx: Target) -> AsyncIterator[AmiBridge]:
    """A connected bridge; agents are unpaused before and calls hung up after each test."""
    bridge = AmiBridge(pbx.config())
    await bridge.start()
    await bridge.wait_connected(10)
    for agent_id in AGENTS:
        await bridge.unpause(agent_id)
    yield bridge
    if bridge.state == "connected":
        for call in bridge.calls():
            channel = call.caller_channel
            if channel:
                with contextlib.suppress(Exception):  # already gone
                    await bridge._send("Hangup", {"Channel": channel})
    await bridge.stop()


async def until(bridge: AmiBridge, probe: Callable[[], T | None], timeout: float = 10.0) -> T:
    """Wait until `probe()` returns something truthy; return it."""
    found: list[T] = []

    def check() -> bool:
        value = probe()
        if value:
            found.append(value)
        return bool(value)

    await bridge.wait_for(check, timeout)
    return found[-1]


def call_from(bridge: AmiBridge, number: str, *states: str) -> Callable[[], Call | None]:
    """A probe for the call from `number` in one of `states`."""

    def probe() -> Call | None:
        for call in reversed(bridge.tracker.calls.values()):
            if call.caller_number == number and (not states or call.state in states):
                return call
        return None

    return probe


async def settle(seconds: float = 0.05) -> None:
    """Let in-flight frames arrive."""
    await asyncio.sleep(seconds)
