"""Ending a call "mit Umfrage" (F12, then F4), every Nth call, and the handover note."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Input

from agent_console.app import AgentConsoleApp
from agent_console.desk import Phase
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.call_bar import CallBar
from calllog.models import Outcome
from calllog.store import SqliteStore
from telephony.sim import PbxSimulator

from .conftest import AGENT, wait_until
from .flows import answered, choose, console, save, search_and_open, wrapup
from .test_console import connected_call, fake_of


async def test_f12_then_f4_hands_the_caller_to_the_survey_not_to_an_office(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    simulator.pbx.survey_answers = False
    simulator.pbx.timing = replace(simulator.pbx.timing, survey_timeout=600)  # stays in it
    async with sim_app.run_test(size=(120, 40)) as pilot:
        call_id = await answered(pilot, sim_app, simulator, "02341555001")
        await search_and_open(pilot, sim_app, "personalausweis", "personalausweis-beantragen")
        await pilot.press("f12")
        screen = console(sim_app)
        assert screen.desk.survey
        assert "mit Umfrage" in sim_app.query_one(CallBar).view.extra
        await pilot.press("f12", "f12")  # taken back, and chosen again
        assert screen.desk.survey
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        sim_call = simulator.pbx.calls.get(call_id)
        assert sim_call is not None and sim_call.state == "survey"  # the caller is in it
        assert simulator.pbx.members[AGENT].reason == "Nachbearbeitung"  # paused first
        assert form.outcome == Outcome.RESOLVED  # not "transferred": an article was opened
        assert form.session.survey and form.session.transfer_kind is None
        await save(pilot, sim_app)
        record = store.get_call(call_id)
    assert record.outcome is Outcome.RESOLVED and record.transfer_mode is None
    assert record.survey_at == record.ended_at and record.survey_rating is None  # PBX only
    assert record.pbx_transfer is None


async def test_every_nth_call_is_offered_the_survey(
    fake_services: Services, store: SqliteStore, tmp_path: Path
) -> None:
    options = ConsoleOptions(interfaces=(AGENT,), drafts_dir=tmp_path / "d", survey_every=2)
    app = AgentConsoleApp(fake_services, options)
    async with app.run_test(size=(120, 40)) as pilot:
        offered, calls = [], []
        screen = app.console_screen
        for n in range(4):
            call_id = await connected_call(pilot, app, f"023400{n}")
            calls.append(call_id)
            offered.append(screen.desk.survey)
            await pilot.press("f4")
            form = await wrapup(pilot, app)
            choose(form, Outcome.RESOLVED)
            await save(pilot, app)
            await wait_until(pilot, lambda: screen.desk.phase == Phase.READY)
            ended = ("send_to_survey", call_id) in fake_of(app).actions
            assert ended == offered[-1]
    assert offered == [False, True, False, True]
    assert [store.get_call(c).survey_at is not None for c in calls] == offered


async def test_f12_outside_a_call_does_nothing(fake_app: AgentConsoleApp) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f12")
        assert not fake_app.console_screen.desk.survey
        assert ("send_to_survey",) not in [a[:1] for a in fake_of(fake_app).actions]


async def test_a_transfer_with_a_handover_note_is_qualified(
    fake_app: AgentConsoleApp, store: SqliteStore
) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        call_id = await connected_call(pilot, fake_app)
        await pilot.press("f4")
        form = await wrapup(pilot, fake_app)
        note = form.query_one("#wrapup-handover", Input)
        assert not note.display  # only for a transfer
        choose(form, Outcome.TRANSFERRED)
        await wait_until(pilot, lambda: note.display)
        form.query_one("#wrapup-target", Input).value = "Kfz-Zulassung"
        note.value = "Halterwechsel, Unterlagen vollständig"
        await save(pilot, fake_app)
        record = store.get_call(call_id)
    assert record.outcome is Outcome.TRANSFERRED and record.handover
    assert record.handover_note == "Halterwechsel, Unterlagen vollständig"
    assert record.transfer_mode is None  # the wrap-up names no PBX transfer here
