"""The supervisor screen and the call-log browser on a frozen clock and seeded calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from textual.widgets import DataTable, Input, Label

from agent_console.app import AgentConsoleApp
from agent_console.config import AgentIdentity, Settings
from agent_console.screens.supervisor import SupervisorApp, SupervisorOptions, SupervisorScreen
from agent_console.screens.supervisor_calls import CallBrowserScreen, CallDetailDialog
from agent_console.services import Services
from agent_console.widgets.kpi_survey import SatisfactionGrid
from agent_console.widgets.kpi_tiles import KpiTile
from calllog.models import CallRecord, Outcome
from calllog.reports import service_level, target_state
from calllog.seed import generate_calls
from calllog.seed_staffed import generate_staffed
from calllog.store import SqliteStore
from telephony.calls import AgentState
from telephony.fake import FakeTelephony
from telephony.protocol import ConnectionState

from .conftest import AGENT, FROZEN, calendar, wait_until

SIZE = (120, 40)
BERLIN = ZoneInfo("Europe/Berlin")
AGENT_IDS = {"Local/agent1@agents/n": "agent1", "Local/agent2@agents/n": "agent2"}
Snap = Callable[..., bool]


def seeded(store: SqliteStore) -> SqliteStore:
    """3,000 calls over the 30 days up to the frozen day (same seed, same calls)."""
    store.bulk_insert(generate_calls(3000, end=date(2026, 11, 25), days=30, calendar=calendar()))
    return store


def options(role: str = "supervisor", refresh: float = 60.0, **more: Any) -> SupervisorOptions:
    """Supervisor options on the frozen clock."""
    return SupervisorOptions(agent_id="agent1", role=role, refresh_seconds=refresh,
                             clock=lambda: FROZEN, **more)  # fmt: skip


def screen_of(app: SupervisorApp) -> SupervisorScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, SupervisorScreen)
    return screen


async def test_tiles_follow_the_figures_and_periods(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options())
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: screen.report is not None)
        assert screen.report is not None and screen.report.period.start == date(2026, 11, 24)
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.report.period.start == date(2026, 10, 26))  # type: ignore[union-attr]
        report = screen.report
        assert report is not None and report.totals.offered == 3000
        tile = app.screen.query_one("#tile-service-level", KpiTile)
        state = target_state(service_level(report.totals), 0.75)
        assert tile.has_class(f"-{state}")
        assert app.screen.query_one("#kpi-agents", DataTable).row_count == 40


async def test_live_refresh_shows_new_calls(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options(refresh=0.2))
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: screen.report is not None)
        before = screen.report.totals.offered  # type: ignore[union-attr]
        at = FROZEN - timedelta(minutes=5)
        store.upsert_call(CallRecord("live-1", "service115", at, ended_at=at,
                                     outcome=Outcome.ABANDONED))  # fmt: skip
        await wait_until(pilot, lambda: screen.report.totals.offered == before + 1)  # type: ignore[union-attr]


async def test_agent_sees_own_figures_and_no_browser(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options(role="agent"))
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: screen.report is not None)
        assert screen.report is not None and screen.report.agent_id == "agent1"
        assert screen.report.per_agent == ()
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, CallBrowserScreen)


async def test_browser_filters_masks_and_opens_a_call(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, CallBrowserScreen))
        browser = app.screen
        assert isinstance(browser, CallBrowserScreen)
        await wait_until(pilot, lambda: bool(browser.calls))
        browser.query_one("#filter-agent", Input).value = "agent3"
        browser.query_one("#filter-agent", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: {c.agent_id for c in browser.calls} == {"agent3"})
        table = browser.query_one(DataTable)
        assert "•" in str(table.get_row_at(0)[3])  # numbers masked for supervisors by default
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CallDetailDialog))
        text = str(app.screen.query_one("#call-detail-text").render())
        assert "angeboten in" in text and "angenommen von agent3" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CallBrowserScreen))


async def test_browser_shows_numbers_to_allowed_roles(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options(show_numbers=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, CallBrowserScreen))
        browser = app.screen
        assert isinstance(browser, CallBrowserScreen)
        await wait_until(pilot, lambda: bool(browser.calls))
        first = browser.calls[0]
        assert str(browser.query_one(DataTable).get_row_at(0)[3]) == first.caller_number


async def test_browser_refuses_dates_beyond_the_supported_days(store: SqliteStore) -> None:
    """9999-12-31 in the filter used to end the app with an OverflowError (day + 1)."""
    app = SupervisorApp(seeded(store), options())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, CallBrowserScreen))
        browser = app.screen
        assert isinstance(browser, CallBrowserScreen)
        await wait_until(pilot, lambda: bool(browser.calls))
        status = browser.query_one("#browser-status")
        for value in ("9999-12-31", "0001-01-01"):
            status.update("")  # type: ignore[attr-defined]
            browser.query_one("#filter-to", Input).value = value
            browser.query_one("#filter-to", Input).focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda: "JJJJ-MM-TT zwischen" in str(status.render()))
            assert app.is_running
        browser.query_one("#filter-to", Input).value = "9998-12-31"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Anrufe" in str(status.render()))


def test_supervisor_month_snapshot(snap_compare: Snap, store: SqliteStore) -> None:
    fake = FakeTelephony()  # the "jetzt" panel: one caller waiting 1:15, agent2 on a break
    waiting = fake.offer_call("0234 77", "Wartend")
    fake._put(replace(waiting, joined_at=FROZEN.timestamp() - 75))
    fake._set_agent("Local/agent2@agents/n", AgentState.PAUSED, paused=True, reason="Mittag")
    app = SupervisorApp(seeded(store), options(agent_ids=AGENT_IDS), fake)

    async def run_before(pilot: Any) -> None:
        screen = screen_of(pilot.app)
        await wait_until(pilot, lambda: screen.report is not None)
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.report.totals.offered == 3000)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def console_settings(role: str) -> Settings:
    """Settings whose agent1 has the given role."""
    return Settings(agent_id="agent1",
                    agents={"agent1": AgentIdentity(interfaces=[AGENT], role=role)})  # fmt: skip


async def test_console_opens_the_figures_for_supervisors(
    fake_services: Services, store: SqliteStore
) -> None:
    seeded(store)
    app = AgentConsoleApp(fake_services, console_settings("supervisor"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        screen = app.screen
        assert isinstance(screen, SupervisorScreen)
        await wait_until(pilot, lambda: screen.report is not None)
        assert screen.report is not None and screen.report.period.end == FROZEN.date()
        assert screen.report.totals.offered > 0
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.console_screen)


async def test_console_keeps_the_figures_from_agents(fake_services: Services) -> None:
    app = AgentConsoleApp(fake_services, console_settings("agent"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is app.console_screen


async def test_the_jetzt_panel_follows_the_pbx(store: SqliteStore) -> None:
    fake = FakeTelephony()
    waiting = fake.offer_call("0234 77", "Wartend")
    assert waiting.joined_at is not None
    now = [waiting.joined_at + 42]
    live = replace(
        options(), clock=lambda: datetime.fromtimestamp(now[0], UTC), queues=("service115",),
        agent_ids=AGENT_IDS,
    )  # fmt: skip
    app = SupervisorApp(store, live, fake)
    async with app.run_test(size=SIZE) as pilot:
        label = app.screen.query_one("#now-summary", Label)
        table = app.screen.query_one("#now-agents", DataTable)

        def summary_text() -> str:
            return str(label.render())

        def row(index: int) -> list[str]:
            return [str(cell) for cell in table.get_row_at(index)]

        await wait_until(pilot, lambda: "1 Anrufer wartet, am längsten 0:42" in summary_text())
        assert row(1) == ["agent2", "Bereit", "≥ 0:00", ""]  # since before we looked
        await fake.pause("agent2", "Mittag [b]")  # PBX text: shown as it is, never markup
        await wait_until(pilot, lambda: row(1)[1:] == ["Pause", "0:00", "Mittag [b]"])
        now[0] += 65
        await wait_until(pilot, lambda: row(1)[2] == "1:05")
        fake.connect_agent(waiting.call_id, "agent1")
        await wait_until(pilot, lambda: "niemand wartet" in summary_text())
        await wait_until(pilot, lambda: row(0)[1] == "Im Gespräch")
        fake.set_state(ConnectionState.RECONNECTING)
        await wait_until(pilot, lambda: "nicht erreichbar" in summary_text())
        assert table.row_count == 0


async def test_the_comparison_ring_on_the_screen(store: SqliteStore) -> None:
    calls = list(generate_calls(3000, end=date(2026, 11, 25), days=30, calendar=calendar()))
    store.bulk_insert(calls)
    store.bulk_insert_staffed(generate_staffed(calls, zone=BERLIN))
    app = SupervisorApp(store, options())
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.report is not None
                         and screen.report.period.start == date(2026, 10, 26))  # fmt: skip
        report = screen.report
        assert report is not None and report.comparison.satisfaction is not None
        grid = str(app.screen.query_one(SatisfactionGrid).render())
        assert "Zufriedenheit (Umfrage)" in grid and "08-10" in grid and "Antworten" in grid
        staffed = str(app.screen.query_one("#tile-staffed", KpiTile).render())
        assert f"{report.comparison.staffed.hours:.1f}".replace(".", ",") in staffed
        table = app.screen.query_one("#kpi-agents", DataTable)
        assert str(table.get_row_at(0)[-2]).endswith(" h") and "%" in str(table.get_row_at(0)[-1])


async def test_an_agent_sees_no_ratings(store: SqliteStore) -> None:
    app = SupervisorApp(seeded(store), options(role="agent"))
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: screen.report is not None)
        assert "nicht je Agent" in str(app.screen.query_one(SatisfactionGrid).render())
