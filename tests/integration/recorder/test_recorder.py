"""The recorder over real TCP on the simulator (or a real Asterisk), both call-log backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from calllog.models import TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from calllog.store import SqlStore
from recorder.service import Recorder
from telephony.bridge import AmiBridge
from telephony.calls import CallState
from telephony.exceptions import ReadOnlyError
from telephony.origin import Routing
from tests.integration.recorder.conftest import Target, eventually, make_recorder, stored
from tests.integration.telephony.conftest import Driver, call_from, until
from tests.integration.telephony.language_dialplan import add_language_dialplan


async def test_a_caller_who_gives_up_in_the_queue_is_recorded(
    recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    for agent in ("agent1", "agent2"):
        await bridge.pause(agent, "Pause")
    try:
        await driver.place_call("02344443333", "Anrufer")
        call = await until(bridge, call_from(bridge, "02344443333", CallState.QUEUED))
        await eventually(stored(store, call.call_id, lambda r: True))  # offered, still waiting
        await driver.hangup(call.caller_channel)
        record = await eventually(stored(store, call.call_id, lambda r: r.queue_exit is not None))
    finally:
        for agent in ("agent1", "agent2"):
            await bridge.unpause(agent)
    assert record.queue_exit is QueueExit.ABANDONED and record.source is Source.RECORDER
    assert (record.exit_position, record.entry_position) == (1, 1)
    assert record.answered_at is None and record.ended_by is EndedBy.CALLER
    assert record.wait_ms is not None and record.wait_ms > 0
    assert record.caller_number == "02344443333" and record.outcome is None


async def test_an_answered_call_with_talk_time_and_who_hung_up(
    recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    await driver.place_call("02341234567", "Erika Musterfrau")
    call = await until(bridge, call_from(bridge, "02341234567", CallState.CONNECTED))
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].bridged)
    await driver.hangup(call.caller_channel)
    record = await eventually(
        stored(store, call.call_id, lambda r: r.ended_by is not None and r.ended_at is not None)
    )  # AgentComplete may come before or after the caller's Hangup
    assert record.agent_id in {"agent1", "agent2"} and record.answered_at is not None
    assert record.ended_by is EndedBy.CALLER
    assert record.talk_ms is not None and record.wait_ms is not None
    assert record.queue_exit is None and record.pbx_transfer is None


async def test_a_blind_transfer_is_recorded_with_its_target(
    recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    await driver.place_call("02349876543", "Max Mustermann")
    call = await until(bridge, call_from(bridge, "02349876543", CallState.CONNECTED))
    await bridge.blind_transfer(call.call_id, "2002")
    record = await eventually(stored(store, call.call_id, lambda r: r.pbx_transfer is not None))
    assert (record.pbx_transfer, record.pbx_transfer_target) == (TransferMode.BLIND, "2002")
    assert record.ended_at is not None and record.ended_by is None
    await driver.hangup(call.caller_channel)


async def test_an_attended_transfer_is_recorded_with_its_target(
    recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    await driver.place_call("02345551234", "Eva Beispiel")
    call = await until(bridge, call_from(bridge, "02345551234", CallState.CONNECTED))
    await bridge.attended_transfer(call.call_id, "2001")
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].consult_channel != "")
    await eventually(lambda: consultation_answered(driver, call.call_id))
    await bridge.complete_transfer(call.call_id)
    record = await eventually(stored(store, call.call_id, lambda r: r.pbx_transfer is not None))
    assert (record.pbx_transfer, record.pbx_transfer_target) == (TransferMode.ATTENDED, "2001")
    assert record.answered_at is not None and record.ended_at is not None
    await driver.hangup(call.caller_channel)


def consultation_answered(driver: Driver, call_id: str) -> bool:
    """The department took the consultation (on a real Asterisk, completing the transfer while
    it still rings sometimes loses it: the agent's handset leg hangs up, not the transferer)."""
    return any(
        f.name == "DialEnd" and f.get("DialStatus") == "ANSWER" and f.get("Linkedid") == call_id
        and "@departments" in f.get("Channel")
        for f in driver.events
    )  # fmt: skip


async def test_a_recorder_restarted_mid_call_completes_the_record(
    pbx: Target, bridge: AmiBridge, driver: Driver, store: SqlStore, tmp_path: Path
) -> None:
    state = tmp_path / "recorder-state.json"  # what the first hands to the second
    first = make_recorder(pbx, store, state_path=state)
    await first.start()
    await first.bridge.wait_connected(10)
    await driver.place_call("02347770000", "Neu Start")
    call = await until(bridge, call_from(bridge, "02347770000", CallState.CONNECTED))
    answered = await eventually(stored(store, call.call_id, lambda r: r.answered_at is not None))
    await first.stop()
    second = make_recorder(pbx, store, state_path=state)
    await second.start()
    await second.bridge.wait_connected(10)
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].bridged)
    await driver.hangup(call.caller_channel)
    record = await eventually(stored(store, call.call_id, lambda r: r.ended_at is not None))
    await second.stop()
    assert store.count_calls() == 1  # one record, however many recorders saw the call
    assert (record.offered_at, record.answered_at) == (answered.offered_at, answered.answered_at)
    assert record.ended_by is EndedBy.CALLER and record.talk_ms is not None


async def test_two_recorders_never_count_a_call_twice(
    pbx: Target, recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    twin = make_recorder(pbx, store)
    await twin.start()
    await twin.bridge.wait_connected(10)
    ids = []
    for n in range(3):
        await driver.place_call(f"0234100000{n}", f"Zwilling {n}")
        call = await until(bridge, call_from(bridge, f"0234100000{n}", CallState.CONNECTED))
        await until(bridge, lambda c=call: bridge.tracker.calls[c.call_id].bridged)
        await driver.hangup(call.caller_channel)
        ids.append(call.call_id)
    for call_id in ids:
        await eventually(stored(store, call_id, lambda r: r.ended_by is not None))
    await twin.stop()
    await recorder.wait_idle()
    assert store.count_calls() == 3
    assert twin.written > 0 and recorder.written > 0


async def test_the_recorder_never_changes_a_call(pbx: Target, recorder: Recorder) -> None:
    with pytest.raises(ReadOnlyError):
        await recorder.bridge.pause("agent1", "Pause")
    with pytest.raises(ReadOnlyError):
        await recorder.bridge.unpause("agent2")
    if pbx.sim is not None:
        assert set(pbx.sim.actions_seen) <= {"Login", "QueueStatus", "Ping", "Events"}


async def test_the_recorder_survives_a_pbx_restart(
    pbx: Target, recorder: Recorder, store: SqlStore
) -> None:
    sim = pbx.require_sim()
    sim.drop_connections()
    await eventually(
        lambda: recorder.bridge.reconnects >= 1 and recorder.bridge.state == "connected"
    )
    call = sim.offer_call("02349990000", "Nach Neustart")
    record = await eventually(stored(store, call.linkedid, lambda r: True))
    assert record.caller_number == "02349990000"
    await asyncio.sleep(0)


async def test_the_municipality_and_language_of_a_call_are_recorded(
    pbx: Target, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    """A citizen dials Beispielheim's number and presses 2 (Türkçe) in the language choice."""
    if pbx.sim is None:
        await add_language_dialplan(driver.session)
    routing = Routing(by_number={"1150002": "beispielheim"}, default="musterstadt")
    rec = make_recorder(pbx, store, routing=routing)
    await rec.start()
    try:
        await rec.bridge.wait_connected(10)
        await driver.place_call("02341150301", "Ayşe Demir", exten="1150002")
        caller = await eventually(lambda: next(
            (f.get("Channel") for f in driver.events if f.name == "Newstate"
             and f.get("CallerIDNum") == "02341150301" and f.get("ChannelState") == "6"
             and f.get("Channel").endswith(";1")), None))  # fmt: skip
        await driver.press(caller, "2")
        call = await until(bridge, call_from(bridge, "02341150301", CallState.CONNECTED))
        record = await eventually(stored(store, call.call_id, lambda r: r.answered_at))
        assert (record.pbx_municipality, record.pbx_language) == ("beispielheim", "tr")
        await driver.place_call("02341150302", "Karl Haupt")
        main = await until(bridge, call_from(bridge, "02341150302"))
        other = await eventually(stored(store, main.call_id, lambda r: True))
        assert (other.pbx_municipality, other.pbx_language) == ("musterstadt", "de")
        for channel in (call.caller_channel, main.caller_channel):
            await driver.hangup(channel)
    finally:
        await rec.stop()
