"""The recorder on the simulator (or a real Asterisk with docs/survey.md's context): calls
ended "mit Umfrage" with their ratings, and the agents' staffed time, both call-log backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from calllog.kpi import build_report
from calllog.pbx import EndedBy
from calllog.reports import Period
from calllog.staffed import StaffedState
from calllog.store import SqlStore
from recorder.service import Recorder
from telephony.bridge import AmiBridge
from telephony.calls import CallState, TransferKind
from tests.integration.recorder.conftest import Target, eventually, stored
from tests.integration.telephony.conftest import Driver, call_from, until


def _today() -> Period:
    today = datetime.now(UTC).astimezone().date()
    return Period(today, today)


async def _surveyed(bridge: AmiBridge, driver: Driver, number: str) -> tuple[str, str]:
    """A call answered, then handed to the survey by the agent; (call id, caller channel)."""
    await driver.place_call(number, "Umfrage Teilnehmer")
    call = await until(bridge, call_from(bridge, number, CallState.CONNECTED))
    assert await bridge.send_to_survey(call.call_id) in (TransferKind.BLIND, TransferKind.REDIRECT)
    ended = await until(bridge, lambda: (c := bridge.tracker.calls[call.call_id]).survey and c)
    assert ended.state == CallState.ENDED and ended.transfer_kind is None  # for the agent: over
    return call.call_id, call.caller_channel


async def test_a_call_ended_with_the_survey_is_recorded_with_its_rating(
    pbx: Target, recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore
) -> None:
    if pbx.sim is not None:  # the citizens below press their keys themselves, however slowly
        pbx.sim.pbx.survey_answers = False
        pbx.sim.pbx.timing = replace(pbx.sim.pbx.timing, survey_timeout=600)
    rated, caller = await _surveyed(bridge, driver, "02341110001")
    # The driver's own connection: the bridge may have seen SurveyStarted (and woken its
    # waiters) before the driver did, so poll the driver's events instead of the bridge's.
    await eventually(lambda: any(f.get("UserEvent") == "SurveyStarted" for f in driver.events))
    await driver.press(caller, "4")
    record = await eventually(stored(store, rated, lambda r: r.survey_rating is not None))
    assert record.survey_rating == 4 and record.survey_at == record.ended_at
    assert record.pbx_transfer is None and record.ended_by is EndedBy.AGENT
    assert record.talk_ms is not None and record.answered_at is not None

    silent, caller = await _surveyed(bridge, driver, "02341110002")
    await eventually(stored(store, silent, lambda r: r.survey_at is not None))
    await driver.hangup(caller)  # hangs up in the survey: no rating
    await recorder.wait_idle()
    assert store.get_call(silent).survey_rating is None

    report = build_report(store, _today(), now=datetime.now(UTC))
    s = report.comparison.satisfaction
    assert s is not None and (s.offered, s.responses, s.ratings[3]) == (2, 1, 1)
    assert report.totals.transferred == 0 and report.totals.answered == 2


async def test_staffed_time_per_agent_and_state_is_written(
    pbx: Target, recorder: Recorder, bridge: AmiBridge, store: SqlStore
) -> None:
    await bridge.pause("agent1", "Schulung")
    await until(bridge, lambda: bridge.tracker.agents["Local/agent1@agents/n"].paused)
    await eventually(lambda: recorder.clock.watching)
    await bridge.unpause("agent1")
    await eventually(lambda: any(
        s.agent_id == "agent1" and s.reason == "Schulung"
        for s in store.list_staffed(_today().start, _today().end)
    ))  # fmt: skip
    await recorder.stop()  # closes what is still open
    spans = store.list_staffed(_today().start, _today().end)
    states = {(s.agent_id, s.state, s.reason) for s in spans}
    assert ("agent1", StaffedState.PAUSED, "Schulung") in states
    assert ("agent2", StaffedState.AVAILABLE, None) in states
    report = build_report(store, _today(), now=datetime.now(UTC))
    assert report.comparison.staffed.logged_in_ms > 0
    assert {a for a, _ in report.comparison.per_agent} >= {"agent1", "agent2"}


async def test_a_lost_pbx_connection_is_not_counted_as_staffed(
    pbx: Target, recorder: Recorder, store: SqlStore
) -> None:
    sim = pbx.require_sim()
    await eventually(lambda: recorder.clock.watching)
    sim.drop_connections()  # the spans close at the loss and open again at the resync
    await eventually(lambda: recorder.bridge.reconnects >= 1 and recorder.clock.watching)
    await recorder.stop()
    spans = [s for s in store.list_staffed(_today().start, _today().end) if s.agent_id == "agent1"]
    assert len(spans) == 2 and spans[1].started_at > spans[0].ended_at  # the gap: not counted
