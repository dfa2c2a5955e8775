"""A shift's worth of PBX behaviour the console relies on: against the simulator or Asterisk.

- the wrap-up pause is in place before Lotse hangs up the agent's leg: the next caller
  waits instead of being put through to an agent who is still writing up the last call;
- a member's wrap-up time (Asterisk's `wrapuptime`) holds the agent after a caller hangs
  up, long enough for the console's pause to arrive;
- a call-back is a call: tracked from the agent's answer, hung up by Lotse, agent freed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from telephony.bridge import AmiBridge
from telephony.calls import AgentState, CallState, EndedBy
from telephony.protocol import CallChanged, Update
from tests.integration.telephony.conftest import Driver, call_from, until

A1 = "Local/agent1@agents/n"
A3 = "Local/agent3@agents/n"
#: Seconds the extra member is held after a call (whole seconds, as Asterisk counts them).
HOLD = 4


def record(bridge: AmiBridge) -> tuple[list[Update], asyncio.Task[None]]:
    """Every update from now on."""
    seen: list[Update] = []

    async def collect() -> None:
        async for update in bridge.updates():
            seen.append(update)

    return seen, asyncio.create_task(collect())


def states_of(seen: list[Update], number: str) -> list[CallState]:
    """The states the call from `number` went through, in order."""
    return [u.call.state for u in seen if isinstance(u, CallChanged)
            and u.call.caller_number == number]  # fmt: skip


async def test_pause_before_hangup_keeps_the_next_caller_away(
    bridge: AmiBridge, driver: Driver
) -> None:
    await bridge.pause("agent2", "Pause")
    try:
        await driver.place_call("03044440001", "Erste Anruferin")
        first = await until(bridge, call_from(bridge, "03044440001", CallState.CONNECTED))
        assert first.agent_interface == A1
        await until(bridge, lambda: bridge.tracker.calls[first.call_id].bridged)
        seen, collector = record(bridge)
        await driver.place_call("03044440002", "Zweiter Anrufer")
        await until(bridge, call_from(bridge, "03044440002", CallState.QUEUED))
        await bridge.pause("agent1", "Nachbearbeitung")  # what the console does on F4 ...
        await bridge.hangup(first.call_id)  # ... before the agent's leg is hung up
        ended = await until(bridge, call_from(bridge, "03044440001", CallState.ENDED))
        assert ended.ended_by == EndedBy.AGENT
        snapshot = await bridge.queue_status()
        assert [e.caller_number for e in snapshot.entries] == ["03044440002"]
        member = next(m for m in snapshot.members if m.interface == A1)
        assert member.paused and member.paused_reason == "Nachbearbeitung"
        assert bridge.tracker.agents[A1].state == AgentState.WRAP_UP
        assert set(states_of(seen, "03044440002")) == {CallState.QUEUED}  # never rang
        await bridge.unpause("agent1")  # wrap-up saved: now the next caller comes
        second = await until(bridge, call_from(bridge, "03044440002", CallState.CONNECTED))
        assert second.agent_interface == A1
        collector.cancel()
    finally:
        await bridge.unpause("agent1")
        await bridge.unpause("agent2")


@pytest.fixture
async def agent3(driver: Driver) -> AsyncIterator[str]:
    """A third queue member with its own wrap-up time (QueueAdd ... Wrapuptime)."""
    await driver.session.action(
        "QueueAdd",
        {"Queue": "service115", "Interface": A3, "MemberName": "Agent 3",
         "Wrapuptime": str(HOLD)},
        5, check=True,
    )  # fmt: skip
    yield A3
    with contextlib.suppress(Exception):
        await driver.session.action("QueueRemove", {"Queue": "service115", "Interface": A3}, 5)


async def test_member_wrapuptime_holds_the_agent_after_the_caller_hangs_up(
    bridge: AmiBridge, driver: Driver, agent3: str
) -> None:
    await bridge.pause("agent1", "Pause")
    await bridge.pause("agent2", "Pause")
    try:
        await driver.place_call("03055550001", "Erster Anrufer")
        first = await until(bridge, call_from(bridge, "03055550001", CallState.CONNECTED))
        assert first.agent_interface == agent3
        await until(bridge, lambda: bridge.tracker.calls[first.call_id].bridged)
        await driver.hangup(first.caller_channel)  # the caller ends it: no console involved
        await until(bridge, call_from(bridge, "03055550001", CallState.ENDED))
        await driver.place_call("03055550002", "Zweite Anruferin")
        second = await until(
            bridge, call_from(bridge, "03055550002", CallState.CONNECTED), timeout=HOLD + 15
        )
        assert second.agent_interface == agent3
        # the member was held for its wrap-up time before the queue offered the next call
        assert second.queue_wait is not None and second.queue_wait >= HOLD - 1
        await driver.hangup(second.caller_channel)
        await until(bridge, call_from(bridge, "03055550002", CallState.ENDED))
    finally:
        await bridge.unpause("agent1")
        await bridge.unpause("agent2")


async def test_callback_is_a_call_until_lotse_hangs_it_up(
    bridge: AmiBridge, driver: Driver
) -> None:
    await bridge.pause("agent1", "Rückruf")  # the console keeps queue calls away meanwhile
    try:
        call_id = await bridge.originate_callback("agent1", "02341112234", "Frau Öztürk")
        call = await until(bridge, lambda: bridge.tracker.calls.get(call_id))
        assert call.outbound and call.state == CallState.CONNECTED
        assert call.agent_interface == A1 and call.caller_number == "02341112234"
        assert bridge.tracker.agents[A1].call_id == call_id
        assert bridge.tracker.agents[A1].state == AgentState.ON_CALL
        await bridge.pause("agent1", "Nachbearbeitung")
        await bridge.hangup(call_id)
        ended = await until(bridge, lambda: (c := bridge.tracker.calls[call_id]).over and c)
        assert ended.ended_by == EndedBy.AGENT and ended.state == CallState.ENDED
        await until(bridge, lambda: bridge.tracker.agents[A1].call_id == "")
    finally:
        await bridge.unpause("agent1")
