"""The bridge over real TCP: against the simulator, or a real Asterisk (see conftest)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from telephony.bridge import AmiBridge
from telephony.calls import AgentState, CallState, EndedBy, TransferKind
from telephony.events import OriginateResult
from telephony.exceptions import (
    CallStateError,
    NotConnectedError,
    UnknownCallError,
    UnsafeValueError,
)
from telephony.protocol import CallChanged, ConnectionState
from tests.integration.telephony.conftest import Driver, Target, call_from, until

A1 = "Local/agent1@agents/n"
A2 = "Local/agent2@agents/n"


async def test_connects_and_reads_queue_status(bridge: AmiBridge) -> None:
    snapshot = await bridge.queue_status()
    assert snapshot.queue == "service115"
    assert {A1, A2} <= {m.interface for m in snapshot.members}
    assert {A1, A2} <= {a.interface for a in bridge.agents()}


async def test_refused_login_is_reported_without_the_secret(
    pbx: Target, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bridge = AmiBridge(pbx.config(secret="wrong-secret-4711"))
    await bridge.start()
    await bridge.wait_for(lambda: bridge.state == ConnectionState.DISCONNECTED, 10)
    with pytest.raises(NotConnectedError):
        await bridge.queue_status()
    await bridge.stop()
    assert "wrong-secret-4711" not in caplog.text
    assert "wrong-secret-4711" not in repr(bridge.config)


async def test_answered_call_then_caller_hangs_up(bridge: AmiBridge, driver: Driver) -> None:
    seen: list[object] = []

    async def collect() -> None:
        async for update in bridge.updates():
            seen.append(update)

    collector = asyncio.create_task(collect())
    await asyncio.sleep(0)
    await driver.place_call("02341234567", "Jürgen Größe")
    call = await until(bridge, call_from(bridge, "02341234567", CallState.CONNECTED))
    assert call.caller_name == "Jürgen Größe" and call.queue == "service115"
    assert call.agent_interface in {A1, A2} and call.queue_wait is not None
    assert bridge.tracker.agents[call.agent_interface].state == AgentState.ON_CALL
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].bridged)
    await driver.hangup(call.caller_channel)
    ended = await until(bridge, call_from(bridge, "02341234567", CallState.ENDED))
    assert ended.ended_by == EndedBy.CALLER
    await until(
        bridge, lambda: bridge.tracker.agents[call.agent_interface].state == AgentState.AVAILABLE
    )
    await asyncio.sleep(0.05)  # let the subscriber drain its queue
    collector.cancel()
    states = [u.call.state for u in seen if isinstance(u, CallChanged)]
    assert CallState.CONNECTED in states and states[-1] == CallState.ENDED


async def test_blind_transfer_sent_at_once_waits_for_the_bridge(
    bridge: AmiBridge, driver: Driver
) -> None:
    await driver.place_call("02349876543", "Max Mustermann")
    call = await until(bridge, call_from(bridge, "02349876543", CallState.CONNECTED))
    kind = await bridge.blind_transfer(call.call_id, "2002")  # right after AgentConnect
    assert kind == TransferKind.BLIND
    moved = await until(bridge, call_from(bridge, "02349876543", CallState.TRANSFERRED))
    assert (moved.transfer_kind, moved.transfer_target) == (TransferKind.BLIND, "2002")
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].transfer_status == "ANSWER")
    assert bridge.tracker.agents[call.agent_interface].call_id == ""
    with pytest.raises(CallStateError):  # the agent has no leg left; never cut the citizen off
        await bridge.hangup(call.call_id)
    await driver.hangup(call.caller_channel)
    await until(bridge, call_from(bridge, "02349876543", CallState.ENDED))


async def test_attended_transfer_completed(bridge: AmiBridge, driver: Driver) -> None:
    await driver.place_call("02345551234", "Ayşe Yılmaz")
    call = await until(bridge, call_from(bridge, "02345551234", CallState.CONNECTED))
    await bridge.attended_transfer(call.call_id, "2001")
    held = await until(bridge, lambda: (c := bridge.tracker.calls[call.call_id]).on_hold and c)
    assert held.state == CallState.CONNECTED
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].consult_channel)
    await bridge.complete_transfer(call.call_id)
    done = await until(bridge, call_from(bridge, "02345551234", CallState.TRANSFERRED))
    assert (done.transfer_kind, done.transfer_target) == (TransferKind.ATTENDED, "2001")
    await driver.hangup(call.caller_channel)
    await until(bridge, call_from(bridge, "02345551234", CallState.ENDED))


async def test_attended_transfer_cancelled(bridge: AmiBridge, driver: Driver) -> None:
    await driver.place_call("015112345678", "Dörte Köhler")
    call = await until(bridge, call_from(bridge, "015112345678", CallState.CONNECTED))
    await bridge.attended_transfer(call.call_id, "2003")
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].on_hold)
    with pytest.raises(CallStateError):  # would complete the transfer instead
        await bridge.hangup(call.call_id)
    await bridge.cancel_transfer(call.call_id)
    back = await until(
        bridge,
        lambda: (c := bridge.tracker.calls[call.call_id]).bridged and not c.on_hold and c,
    )
    assert back.state == CallState.CONNECTED and back.transfer_kind is None
    await bridge.hangup(call.call_id)
    ended = await until(bridge, call_from(bridge, "015112345678", CallState.ENDED))
    assert ended.ended_by == EndedBy.AGENT


async def test_paused_agents_and_abandoned_call(bridge: AmiBridge, driver: Driver) -> None:
    await bridge.pause("agent1", "Nachbearbeitung")
    await bridge.pause("agent2", "Pause")
    await until(bridge, lambda: bridge.tracker.agents[A1].state == AgentState.WRAP_UP)
    await until(bridge, lambda: bridge.tracker.agents[A2].state == AgentState.PAUSED)
    assert bridge.tracker.agents[A2].pause_reason == "Pause"
    await driver.place_call("02344443333", "Anrufer")
    queued = await until(bridge, call_from(bridge, "02344443333", CallState.QUEUED))
    snapshot = await bridge.queue_status()
    assert queued.caller_channel in {e.channel for e in snapshot.entries}
    await driver.hangup(queued.caller_channel)
    gone = await until(bridge, call_from(bridge, "02344443333", CallState.ABANDONED))
    assert gone.ended_by == EndedBy.CALLER and gone.answered_at is None
    await bridge.unpause("agent1")
    await bridge.unpause("agent2")
    await until(bridge, lambda: bridge.tracker.agents[A1].state == AgentState.AVAILABLE)


async def test_callback_rings_the_agent_first(bridge: AmiBridge, driver: Driver) -> None:
    results: list[OriginateResult] = []
    bridge._on_event = lambda e, t: results.append(e) if isinstance(e, OriginateResult) else None
    await bridge.pause("agent1", "Rückruf")  # keep queue calls away from agent1
    await bridge.originate_callback("agent1", "02341112233", "Rückruf Frau Öztürk")
    result = results[-1]  # originate_callback returns once the agent's phone answered
    assert result.success and result.channel.startswith("Local/agent1@agents-")
    await driver.hangup(result.channel)
    await bridge.unpause("agent1")


async def test_unsafe_values_refused_before_sending(bridge: AmiBridge) -> None:
    with pytest.raises(UnsafeValueError):
        await bridge.blind_transfer("1.1", "2002\r\nAction: Hangup\r\nChannel: x")
    with pytest.raises(UnsafeValueError):
        await bridge.pause("agent1", "Pause\r\nAction: Originate")
    with pytest.raises(UnsafeValueError):
        await bridge.originate_callback("agent1", "0234;1")
    with pytest.raises(UnknownCallError):
        await bridge.blind_transfer("no-such-call", "2002")
    with pytest.raises(UnknownCallError):
        await bridge.pause("agent9", "Pause")
    assert bridge.state == ConnectionState.CONNECTED


async def test_actions_fail_fast_when_pbx_unreachable(pbx: Target) -> None:
    bridge = AmiBridge(pbx.config(port=1, backoff_initial=5.0))
    await bridge.start()
    await bridge.wait_for(lambda: bridge.state == ConnectionState.CONNECTING, 1)
    for action in (
        bridge.queue_status(),
        bridge.pause("agent1", "Pause"),
        bridge.originate_callback("agent1", "02341234567"),
    ):
        with pytest.raises(NotConnectedError):
            await action
    await bridge.stop()


async def test_three_calls_two_agents(bridge: AmiBridge, driver: Driver) -> None:
    numbers = ["03011111111", "03022222222", "03033333333"]
    for number, name in zip(numbers, ["Uwe Weiß", "Grete Groß", "Malte Fuß"], strict=True):
        await driver.place_call(number, name)
    await until(
        bridge,
        lambda: (
            sum(1 for c in bridge.calls() if c.state == CallState.CONNECTED) == 2
            and sum(1 for c in bridge.calls() if c.state == CallState.QUEUED) == 1
        ),
    )
    busy = {a.interface: a.call_id for a in bridge.agents() if a.interface in {A1, A2}}
    connected = {c.call_id: c for c in bridge.calls() if c.state == CallState.CONNECTED}
    assert set(busy.values()) == set(connected)
    assert all(bridge.tracker.agents[i].state == AgentState.ON_CALL for i in (A1, A2))
    first = next(iter(connected.values()))
    waiting = next(c for c in bridge.calls() if c.state == CallState.QUEUED)
    await bridge.hangup(first.call_id)
    taken = await until(bridge, call_from(bridge, waiting.caller_number, CallState.CONNECTED))
    assert taken.agent_interface == first.agent_interface
    assert bridge.tracker.agents[first.agent_interface].call_id == taken.call_id
    assert bridge.tracker.calls[first.call_id].ended_by == EndedBy.AGENT
