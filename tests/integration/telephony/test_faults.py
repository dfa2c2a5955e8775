"""Fault tests: the simulator fails on purpose; each test states what the client saw.

These need the simulator and are skipped against a real Asterisk.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from telephony.bridge import AmiBridge
from telephony.calls import CallState, EndedBy, TransferKind
from telephony.exceptions import ActionError, NotConnectedError
from telephony.protocol import ConnectionChanged, ConnectionState, Update
from telephony.sim import PbxSimulator, Timing
from tests.integration.telephony.conftest import FAST, Target, call_from, until


def _record(bridge: AmiBridge) -> tuple[list[Update], asyncio.Task[None]]:
    seen: list[Update] = []

    async def collect() -> None:
        async for update in bridge.updates():
            seen.append(update)

    return seen, asyncio.create_task(collect())


def _states(seen: list[Update]) -> list[ConnectionState]:
    return [u.state for u in seen if isinstance(u, ConnectionChanged)]


async def test_connection_dropped_mid_call(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    seen, collector = _record(bridge)
    sim.offer_call("02341234567", "Erika Musterfrau")
    call = await until(bridge, call_from(bridge, "02341234567", CallState.CONNECTED))
    await sim.close_listener()  # nobody can reconnect yet
    sim.drop_connections()
    await until(bridge, lambda: bridge.state == ConnectionState.RECONNECTING, 3)
    try:
        await bridge.hangup(call.call_id)
        raise AssertionError("an action while disconnected must fail")
    except NotConnectedError:
        pass  # fails fast, nothing queued for later
    await sim.start()  # same port
    await bridge.wait_connected(5)
    # the call survived on the PBX: after resync it is still connected and can be ended
    assert bridge.tracker.calls[call.call_id].state == CallState.CONNECTED
    await bridge.hangup(call.call_id)
    ended = await until(bridge, call_from(bridge, "02341234567", CallState.ENDED))
    assert ended.ended_by == EndedBy.AGENT
    collector.cancel()
    assert _states(seen) == [ConnectionState.RECONNECTING, ConnectionState.CONNECTED]
    assert "Hangup" in sim.actions_seen and sim.actions_seen.count("Login") == 2


async def test_simulator_restart_resyncs_lost_calls(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    sim.offer_call("02349876543", "Max Mustermann")
    call = await until(bridge, call_from(bridge, "02349876543", CallState.CONNECTED))
    port = sim.port
    await sim.stop()
    started = time.perf_counter()
    async with PbxSimulator(port=port, timing=FAST) as fresh:
        back = ConnectionState.CONNECTED
        await until(bridge, lambda: bridge.reconnects >= 1 and bridge.state == back, 5)
        took = time.perf_counter() - started
        lost = bridge.tracker.calls[call.call_id]
        assert lost.state == CallState.ENDED and lost.ended_by == EndedBy.UNKNOWN
        assert took < 3.0
        fresh.offer_call("02340000001", "Günther Groß")
        await until(bridge, call_from(bridge, "02340000001", CallState.CONNECTED))


async def test_malformed_frame_is_dropped(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    sim.send_raw(b"this line is no header\r\n\r\n\xff\xfe\x00garbage\r\n\r\n")
    sim.send_raw(b"Event: QueueMemberStatus\r\nno colon here\r\nQueue: service115\r\n\r\n")
    sim.offer_call("02344443333", "Anna-Lena Süßmuth")
    call = await until(bridge, call_from(bridge, "02344443333", CallState.CONNECTED))
    assert call.caller_name == "Anna-Lena Süßmuth"
    assert bridge.malformed_frames == 2  # the third frame parsed, its bad line counted
    assert bridge.state == ConnectionState.CONNECTED


async def test_flood_of_5000_events_per_second(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    before = bridge.events_applied
    flood = sim.start_flood(per_second=5000, seconds=1.0)
    await asyncio.sleep(0.3)
    snapshot = await bridge.queue_status()  # actions still answered during the flood
    assert snapshot.members
    await flood
    await until(bridge, lambda: bridge.events_applied - before >= 4500, 5)
    assert bridge.state == ConnectionState.CONNECTED
    sim.offer_call("02341110000", "Jörg Löffler")
    await until(bridge, call_from(bridge, "02341110000", CallState.CONNECTED))


async def test_hung_pbx_detected_by_keepalive(pbx: Target) -> None:
    sim = pbx.require_sim()
    bridge = AmiBridge(pbx.config(ping_interval=0.3, ping_timeout=0.3))
    seen, collector = _record(bridge)
    await bridge.start()
    await bridge.wait_connected(3)
    sim.frozen = True  # TCP stays up, nothing answers
    started = time.perf_counter()
    await until(bridge, lambda: bridge.state == ConnectionState.RECONNECTING, 3)
    assert time.perf_counter() - started < 2.0
    sim.frozen = False
    await bridge.wait_connected(5)
    await bridge.stop()
    collector.cancel()
    assert ConnectionState.RECONNECTING in _states(seen)


async def test_scripted_caller_hangs_up_while_queued(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    await bridge.pause("agent1", "Pause")
    await bridge.pause("agent2", "Pause")
    sim.offer_call("02345550000", "Sören Dreßler", hangup_after=0.3)
    gone = await until(bridge, call_from(bridge, "02345550000", CallState.ABANDONED))
    assert gone.ended_by == EndedBy.CALLER


async def test_scripted_department_does_not_answer(pbx: Target) -> None:
    sim = pbx.require_sim()
    sim.pbx.timing = Timing(agent_answer=0.1, department_answer=0.1, department_timeout=0.4)
    sim.department_does_not_answer("2002")
    bridge = AmiBridge(pbx.config())
    await bridge.start()
    await bridge.wait_connected(3)
    sim.offer_call("02346660000", "Käthe Nüßlein")
    call = await until(bridge, call_from(bridge, "02346660000", CallState.CONNECTED))
    await bridge.blind_transfer(call.call_id, "2002")
    ended = await until(bridge, call_from(bridge, "02346660000", CallState.ENDED))
    assert ended.transfer_status == "NOANSWER" and ended.transfer_kind == TransferKind.BLIND
    await bridge.stop()


async def test_blind_transfer_falls_back_to_redirect(pbx: Target) -> None:
    sim = pbx.require_sim()
    sim.pbx.timing = Timing(agent_answer=0.1, department_answer=0.1, bridge_settle=2.0)
    bridge = AmiBridge(pbx.config(bridge_wait=0.1))
    await bridge.start()
    await bridge.wait_connected(3)
    sim.offer_call("02347770000", "Björn Häußler")
    call = await until(bridge, call_from(bridge, "02347770000", CallState.CONNECTED))
    kind = await bridge.blind_transfer(call.call_id, "2003")  # not bridged: Transfer invalid
    assert kind == TransferKind.REDIRECT
    assert sim.actions_seen[-2:] == ["BlindTransfer", "Redirect"]
    moved = await until(bridge, call_from(bridge, "02347770000", CallState.TRANSFERRED))
    assert (moved.transfer_kind, moved.transfer_target) == (TransferKind.REDIRECT, "2003")
    await bridge.stop()


async def test_generator_offers_seeded_calls(pbx: Target) -> None:
    pbx.require_sim()
    names: list[list[str]] = []
    for _ in range(2):
        async with PbxSimulator(port=0, rate_per_minute=1200, seed=42, timing=FAST) as sim:
            bridge = AmiBridge(pbx.config(port=sim.port))
            await bridge.start()
            await bridge.wait_connected(3)
            await until(bridge, lambda b=bridge: len(b.tracker.calls) >= 3, 5)
            names.append([c.caller_name for c in list(bridge.tracker.calls.values())[:3]])
            await bridge.stop()
    assert names[0] == names[1] and all(names[0])


async def test_generated_callers_give_up_after_max_wait(pbx: Target) -> None:
    pbx.require_sim()
    async with PbxSimulator(port=0, rate_per_minute=1200, seed=1, max_wait=0.2) as sim:
        for member in sim.pbx.members.values():
            member.paused = True
        bridge = AmiBridge(pbx.config(port=sim.port))
        await bridge.start()
        await bridge.wait_connected(3)
        abandoned = await until(
            bridge,
            lambda: [c for c in bridge.tracker.calls.values() if c.state == CallState.ABANDONED],
            5,
        )
        assert abandoned[0].ended_by == EndedBy.CALLER and abandoned[0].caller_name
        await bridge.stop()


async def test_callback_not_answered_by_the_agent(pbx: Target) -> None:
    sim = pbx.require_sim()
    sim.agent_does_not_answer("Local/agent2@agents/n")
    bridge = AmiBridge(pbx.config(originate_timeout=0.3))
    await bridge.start()
    await bridge.wait_connected(3)
    try:
        await bridge.originate_callback("agent2", "02341112233")
        raise AssertionError("an unanswered call-back must raise")
    except ActionError as exc:
        assert "did not answer" in str(exc)
    await until(bridge, lambda: bridge.tracker.agents["Local/agent2@agents/n"].device_status == 1)
    await bridge.stop()


async def test_simulator_serves_configured_departments(pbx: Target) -> None:
    sim = pbx.require_sim()
    sim.pbx.timing = Timing(agent_answer=0.1, department_answer=0.1)
    sim.pbx.departments = {
        **sim.pbx.departments,
        "2030": "Steueramt",
        "08004555530": "Familienkasse",
    }
    bridge = AmiBridge(pbx.config())
    await bridge.start()
    await bridge.wait_connected(3)
    sim.offer_call("02348880000", "Grete Müller")
    call = await until(bridge, call_from(bridge, "02348880000", CallState.CONNECTED))
    await bridge.blind_transfer(call.call_id, "08004555530")
    moved = await until(bridge, call_from(bridge, "02348880000", CallState.TRANSFERRED))
    assert moved.transfer_target == "08004555530"
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].transfer_status == "ANSWER")
    sim.offer_call("02348880001", "Paul Weiß")
    other = await until(bridge, call_from(bridge, "02348880001", CallState.CONNECTED))
    with pytest.raises(ActionError, match="Extension does not exist"):
        await bridge.blind_transfer(other.call_id, "2999")
    await bridge.stop()
