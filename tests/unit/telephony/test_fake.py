"""FakeTelephony behaves like the bridge where the console can tell."""

from __future__ import annotations

import asyncio

import pytest

from telephony.calls import AgentState, CallState, EndedBy, TransferKind
from telephony.exceptions import ActionError, NotConnectedError, UnsafeValueError
from telephony.fake import FakeTelephony
from telephony.protocol import CallChanged, ConnectionChanged, ConnectionState


async def test_scripted_call_and_actions() -> None:
    fake = FakeTelephony()
    stream = fake.updates()
    await fake.start()
    first = await asyncio.wait_for(anext(stream), 1)
    assert first == ConnectionChanged(ConnectionState.CONNECTED)
    call = fake.offer_call("02341234567", "Jürgen Größe")
    fake.connect_agent(call.call_id, "agent1")
    assert fake.agents()[0].state == AgentState.ON_CALL
    assert await fake.blind_transfer(call.call_id, "2002") == TransferKind.BLIND
    assert fake.actions == [("blind_transfer", call.call_id, "2002")]
    assert [c.state for c in fake.calls()] == [CallState.TRANSFERRED]
    updates = [await asyncio.wait_for(anext(stream), 1) for _ in range(5)]
    states = [u.call.state for u in updates if isinstance(u, CallChanged)]
    assert states[0] == CallState.QUEUED and states[-1] == CallState.TRANSFERRED


async def test_fails_fast_validates_and_scripts_errors() -> None:
    fake = FakeTelephony()
    with pytest.raises(NotConnectedError):
        await fake.pause("agent1", "Pause")
    await fake.start()
    with pytest.raises(UnsafeValueError):
        await fake.pause("agent1", "Pause\r\nAction: Hangup")
    await fake.pause("agent1", "Nachbearbeitung")
    assert fake.agents()[0].state == AgentState.WRAP_UP
    call = fake.offer_call("0301234567", "Ute Weiß")
    fake.connect_agent(call.call_id, "agent2")
    fake.fail_next = ActionError("Hangup", "No such channel")
    with pytest.raises(ActionError):
        await fake.hangup(call.call_id)
    assert [c.state for c in fake.calls()] == [CallState.CONNECTED]
    stream = fake.updates()
    await fake.hangup(call.call_id)
    assert fake.calls() == []
    updates = [await asyncio.wait_for(anext(stream), 1) for _ in range(2)]
    ended = [u.call for u in updates if isinstance(u, CallChanged)]
    assert ended[-1].state == CallState.ENDED and ended[-1].ended_by == EndedBy.AGENT
    snapshot = await fake.queue_status()
    assert {m.interface for m in snapshot.members} == set(fake.interfaces.values())
