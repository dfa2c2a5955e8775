"""SupervisorScreen: the service promise as live tiles, charts and tables; SupervisorApp runs it.

With a telephony connection it also shows the "jetzt" panel straight from the PBX (callers
waiting, longest wait, each agent's state), folded by `recorder.live.LiveBoard`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult, CSSPathType
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label
from textual.worker import get_current_worker

from agent_console.safe_app import SafeApp
from agent_console.screens.supervisor_options import (
    PERIODS,
    SupervisorOptions,
    period_for,
)
from agent_console.widgets.kpi_charts import HeatMap, TrendChart
from agent_console.widgets.kpi_survey import SatisfactionGrid
from agent_console.widgets.kpi_tiles import KpiTiles
from agent_console.widgets.live_board import LiveBoardPanel
from agent_console.widgets.plain import PlainTable, plain
from calllog.comparison import StaffedTime
from calllog.exceptions import CallLogError
from calllog.kpi import build_report
from calllog.report_formats import pct, secs
from calllog.reports import Period, Report, aht_s, avg_wait_s, fcr_rate, service_level
from calllog.store import SqlStore
from recorder.live import LiveBoard
from telephony.protocol import AgentChanged, CallChanged, ConnectionChanged, Telephony


def sql_store(calllog: Any) -> SqlStore | None:
    """The SQL store behind the console's call log (a store or a BufferedStore)."""
    for candidate in (calllog, getattr(calllog, "store", None)):
        if isinstance(candidate, SqlStore):
            return candidate
    return None


def supervisor_screen(
    calllog: Any,
    options: SupervisorOptions | None,
    clock: Callable[[], datetime] | None = None,
    telephony: Telephony | None = None,
) -> SupervisorScreen | str:
    """The screen for the console's user, or why it cannot be shown (German, for notify)."""
    if options is None or not options.supervisor:
        return "Kennzahlen und Anrufprotokoll nur für die Teamleitung."
    store = sql_store(calllog)
    if store is None:
        return "Kein Anrufprotokoll für die Kennzahlen verfügbar."
    options = options if clock is None else replace(options, clock=clock)
    return SupervisorScreen(store, options, telephony)


class SupervisorScreen(Screen[None]):
    """Live KPI tiles, trend, heat map and tables; re-queried every few seconds in a thread."""

    CSS_PATH = "../styles/supervisor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "period('today')", "Heute"),
        Binding("w", "period('week')", "7 Tage"),
        Binding("m", "period('month')", "30 Tage"),
        Binding("r", "refresh", "Aktualisieren"),
        Binding("a", "browse", "Anrufprotokoll"),
        Binding("escape", "leave", "Zurück"),
    ]

    def __init__(
        self, store: SqlStore, options: SupervisorOptions, telephony: Telephony | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.options = options
        self.telephony = telephony
        """The PBX connection behind the "jetzt" panel (None: no panel)."""
        self.board = LiveBoard(options.agent_ids, options.queues)
        self.period_key = "today"
        self.report: Report | None = None
        """The figures shown, None until the first query finished."""

    def compose(self) -> ComposeResult:
        """Tiles on top, charts in the middle, tables below."""
        yield Header()
        yield Label("", id="kpi-caption")
        yield KpiTiles(id="kpi-tiles")
        with Horizontal(id="kpi-charts"):
            yield TrendChart("", id="kpi-trend")
            yield HeatMap("", id="kpi-heatmap")
            yield SatisfactionGrid("", id="kpi-survey")
        with Horizontal(id="kpi-tables"):
            if self.telephony is not None and self.options.supervisor:
                with Vertical(id="kpi-now-column"):
                    yield Label("Jetzt (Telefonanlage)", classes="kpi-table-title")
                    yield LiveBoardPanel(id="kpi-now")
            with Vertical():
                yield Label("Agenten" if self.options.supervisor else "Meine Themen",
                            classes="kpi-table-title")  # fmt: skip
                yield PlainTable(id="kpi-agents", zebra_stripes=True, cursor_type="row")
            with Vertical():
                yield Label("Themen und Ergebnis", classes="kpi-table-title")
                yield PlainTable(id="kpi-topics", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Set up the tables, query now and then every `refresh_seconds`."""
        self.title = "Lotse – Kennzahlen"
        self.query_one("#kpi-agents", DataTable).add_columns(
            "Agent", "Angeboten", "SL", "FCR", "Warten Ø", "AHT", "Besetzt", "Auslast."
        )
        self.query_one("#kpi-topics", DataTable).add_columns(
            "Thema", "Anrufe", "gelöst", "weiter", "Rückruf", "Verweis"
        )
        self.action_refresh()
        self.set_interval(self.options.refresh_seconds, self.action_refresh)
        if self.telephony is not None and self.options.supervisor:
            now = self.options.clock().timestamp()
            self.board.seed(self.telephony.calls(), self.telephony.agents(), now)
            self.board.connection_changed(self.telephony.state)
            self.follow_pbx(self.telephony)
            self.show_live()
            self.set_interval(1.0, self.show_live)

    @work(exclusive=True, group="live")
    async def follow_pbx(self, telephony: Telephony) -> None:
        """Fold the PBX's updates into the board while the screen is open."""
        async for update in telephony.updates():
            now = self.options.clock().timestamp()
            if isinstance(update, ConnectionChanged):
                self.board.connection_changed(update.state)
                self.board.seed(telephony.calls(), telephony.agents(), now)  # after a resync
            elif isinstance(update, CallChanged):
                self.board.apply([update.call], now)
            elif isinstance(update, AgentChanged):
                self.board.apply([update.agent], now)

    def show_live(self) -> None:
        """Show the board as it is now (every second)."""
        if not self.query(LiveBoardPanel):
            return  # the screen is being closed
        self.query_one(LiveBoardPanel).show(self.board.snapshot(self.options.clock().timestamp()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The call-log browser is for supervisors only."""
        return self.options.supervisor if action == "browse" else True

    def action_period(self, key: str) -> None:
        """Show another period."""
        self.period_key = key
        self.action_refresh()

    def action_refresh(self) -> None:
        """Re-query the figures (in a thread)."""
        zone = ZoneInfo(self.options.timezone)
        self.load(period_for(self.period_key, self.options.clock(), zone))

    @work(exclusive=True, group="kpi", thread=True)
    def load(self, period: Period) -> None:
        """Blocking: run the KPI queries, then hand the report to the UI thread."""
        opts = self.options
        try:
            report = build_report(
                self.store, period, now=opts.clock(), targets=opts.targets,
                agent_id=None if opts.supervisor else opts.agent_id,
                breakdowns=opts.supervisor, grid=opts.grid, hours_per_post=opts.hours_per_post,
            )  # fmt: skip
        except CallLogError as exc:
            self.app.call_from_thread(self.notify, f"Kennzahlen nicht geladen: {exc}",
                                      severity="error")  # fmt: skip
            return
        if not get_current_worker().is_cancelled:  # a newer query (other period) replaced it
            self.app.call_from_thread(self.show_report, report)

    def show_report(self, report: Report) -> None:
        """Put a report on the screen (unless the screen is being closed meanwhile)."""
        if not self.is_attached or not self.query("#kpi-caption"):
            return  # a query finished after the screen was left
        self.report = report
        zone = ZoneInfo(self.options.timezone)
        who = "alle Agenten" if report.agent_id is None else f"Agent {report.agent_id}"
        label = PERIODS[self.period_key][0]
        self.query_one("#kpi-caption", Label).update(
            plain(
                f"{label}: {report.period.start:%d.%m.%Y} – {report.period.end:%d.%m.%Y} · {who} · "
                f"Stand {report.generated_at.astimezone(zone):%H:%M:%S}"
            )
        )
        self.query_one(KpiTiles).show(report)
        self.query_one(TrendChart).show(report.trend)
        self.query_one(HeatMap).show(report.heatmap)
        self.query_one(SatisfactionGrid).show(report.comparison)
        self._fill_tables(report)

    def _fill_tables(self, report: Report) -> None:
        agents = self.query_one("#kpi-agents", DataTable)
        agents.clear()
        staffed = dict(report.comparison.per_agent)
        for agent, c in report.per_agent:
            if agent is not None:
                s = staffed.get(agent, StaffedTime())
                agents.add_row(agent, str(c.offered), pct(service_level(c)), pct(fcr_rate(c)),
                               secs(avg_wait_s(c)), secs(aht_s(c)), f"{s.hours:.1f} h",
                               pct(s.occupancy))  # fmt: skip
        topics = self.query_one("#kpi-topics", DataTable)
        topics.clear()
        for t in report.topics[:15]:
            o = t.outcomes
            topics.add_row(t.article_id, str(t.calls), str(o.get("resolved", 0)),
                           str(o.get("transferred", 0)), str(o.get("callback", 0)),
                           str(o.get("not_responsible", 0)))  # fmt: skip

    def action_browse(self) -> None:
        """Open the call-log browser."""
        from agent_console.screens.supervisor_calls import CallBrowserScreen

        self.app.push_screen(CallBrowserScreen(self.store, self.options))

    def action_leave(self) -> None:
        """Back to the console, or quit when this screen is the app."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()


class SupervisorApp(SafeApp):
    """`lotse supervisor`: the supervisor screen on its own."""

    TITLE = "Lotse"
    SUB_TITLE = "Kennzahlen"
    CSS_PATH: ClassVar[CSSPathType | None] = [
        "../styles/supervisor.tcss",
        "../styles/dialogs.tcss",
    ]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Beenden", priority=True)]

    def __init__(
        self, store: SqlStore, options: SupervisorOptions, telephony: Telephony | None = None
    ) -> None:
        """`telephony`, when given, is started and stopped with the app (the "jetzt" panel)."""
        super().__init__()
        self.store = store
        self.options = options
        self.telephony = telephony

    def get_default_screen(self) -> Screen[None]:
        """The supervisor screen is the base screen."""
        return SupervisorScreen(self.store, self.options, self.telephony)

    async def on_mount(self) -> None:
        """Connect to the PBX for the "jetzt" panel (in the background; it reconnects)."""
        if self.telephony is not None:
            await self.telephony.start()

    async def on_unmount(self) -> None:
        """Disconnect from the PBX."""
        if self.telephony is not None:
            await self.telephony.stop()
