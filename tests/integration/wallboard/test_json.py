"""The wall's JSON is the recorder's state on the PBX, and today's figures are the call log's.

Runs twice: on the recorder's own board (as in the demo) and on the wallboard's own
read-only connection (as `lotse wallboard`); either way the JSON is compared with what the
recorder sees at the same moment and with the report of the call log the recorder wrote.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from calllog.due import due_callbacks
from calllog.kpi import build_report
from calllog.models import CallbackTicket
from calllog.reports import Period, service_level
from calllog.store import SqlStore
from recorder.live import LiveSnapshot
from recorder.service import Recorder
from telephony.bridge import AmiBridge
from telephony.calls import CallState
from tests.integration.recorder.conftest import stored
from tests.integration.telephony.conftest import Driver, call_from, until
from tests.integration.wallboard.conftest import BERLIN, eventually, wall_json
from wallboard.web import WallboardServer

AGENTS = ("agent1", "agent2")


def agents_of(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(a["agent"], a["state"], a["pause_reason"]) for a in data["agents"]}


def recorders_agents(recorder: Recorder) -> set[tuple[str, str, str]]:
    return {(a.agent_id, str(a.state), a.pause_reason) for a in recorder.live().agents}


def seen_by(recorder: Recorder, waiting: int, state: str) -> LiveSnapshot | None:
    """The recorder's board once it shows `waiting` callers and every agent in `state`."""
    live = recorder.live()
    if live.waiting == waiting and all(str(a.state) == state for a in live.agents):
        return live
    return None


async def test_a_shift_on_the_wall_as_the_recorder_sees_it(
    recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore, wall: WallboardServer
) -> None:
    for agent in AGENTS:
        await bridge.pause(agent, "Besprechung")
    try:
        await driver.place_call("02345550001", "Wartende Person")
        call = await until(bridge, call_from(bridge, "02345550001", CallState.QUEUED))
        data = await wall_json(wall, lambda d: d["pbx"]["ok"] and d["waiting"]["callers"] == 1
                               and all(a["state"] == "paused" for a in d["agents"]))  # fmt: skip
        # The follower has a PBX connection of its own: the recorder's may see it a moment later.
        live = await eventually(lambda: seen_by(recorder, waiting=1, state="paused"))
        assert data["waiting"]["callers"] == live.waiting == 1
        assert [(q["queue"], q["waiting"]) for q in data["queues"]] == [
            (q.queue, q.waiting) for q in live.queues
        ]
        assert agents_of(data) == recorders_agents(recorder) == {
            ("agent1", "paused", "Besprechung"), ("agent2", "paused", "Besprechung"),
        }  # fmt: skip
        assert {c["label"]: c["agents"] for c in data["agent_counts"]}["Pause"] == 2
        text = json.dumps(data, ensure_ascii=False)
        assert "5550001" not in text and "Wartende" not in text  # nothing about the caller
    finally:
        for agent in AGENTS:
            await bridge.unpause(agent)

    data = await wall_json(wall, lambda d: d["waiting"]["callers"] == 0
                           and any(a["state"] == "on_call" for a in d["agents"]))  # fmt: skip
    on_wall = {a["agent"] for a in data["agents"] if a["state"] == "on_call"}
    on_call = await eventually(  # the same agents, once the recorder has seen it too
        lambda: on_wall == {a.agent_id for a in recorder.live().agents if a.state == "on_call"}
    )
    assert on_call
    await driver.hangup(bridge.tracker.calls[call.call_id].caller_channel)
    await eventually(stored(store, call.call_id, lambda r: r.ended_at is not None))

    for agent in AGENTS:  # the next caller gives up in the queue
        await bridge.pause(agent, "Besprechung")
    try:
        await driver.place_call("02345550002", "Gibt auf")
        gone = await until(bridge, call_from(bridge, "02345550002", CallState.QUEUED))
        await driver.hangup(gone.caller_channel)
        await eventually(stored(store, gone.call_id, lambda r: r.queue_exit is not None))
    finally:
        for agent in AGENTS:
            await bridge.unpause(agent)

    now = datetime.now(UTC)
    store.upsert_callback(CallbackTicket("cb-late", now - timedelta(days=3),
                                         now - timedelta(hours=1), "agent1", "Frist"))  # fmt: skip
    data = await wall_json(wall, lambda d: d["today"]["offered"] == 2
                           and d["today"]["abandoned"] == 1
                           and d["today"]["callbacks_overdue"] == 1)  # fmt: skip
    day = datetime.now(UTC).astimezone(BERLIN).date()
    totals = build_report(store, Period(day, day), now=now).totals
    today = data["today"]
    assert (today["offered"], today["answered"], today["abandoned"]) == (
        totals.offered, totals.answered, totals.abandoned,
    ) == (2, 1, 1)  # fmt: skip
    assert today["service_level"] == round(service_level(totals) or 0, 4)
    due = due_callbacks(store, now)
    assert (today["callbacks_due_today"], today["callbacks_overdue"]) == (
        due.due_today, due.overdue,
    )  # fmt: skip
    assert today["stale"] is False and data["alerts"] == [] and data["database"]["ok"] is True
