"""AgentConsoleApp: starts the services, shows the console, watches the KB and the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import work
from textual.app import CSSPathType, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from agent_console.config import Settings
from agent_console.desk import Phase
from agent_console.messages import KbReloaded
from agent_console.origin import Colleague
from agent_console.safe_app import SafeApp
from agent_console.screens.console import ConsoleScreen
from agent_console.screens.dialogs import ConfirmDialog
from agent_console.screens.supervisor import SupervisorOptions, supervisor_screen
from agent_console.services import ConsoleOptions, Services
from kb.knowledge import touched_articles
from kb.loader import Problem

log = logging.getLogger(__name__)

#: Seconds each service may take to stop on exit.
STOP_TIMEOUT = 3.0


def console_options(settings: Settings) -> ConsoleOptions:
    """Map the settings onto what the console needs."""
    identity = settings.agents.get(settings.agent_id)
    return ConsoleOptions(
        agent_id=settings.agent_id,
        interfaces=tuple(identity.interfaces) if identity else (),
        wrapup_reason=settings.pbx.wrapup_reason,
        callback_reason=settings.pbx.callback_reason,
        pause_reasons=tuple(settings.pbx.pause_reasons),
        drafts_dir=settings.console.drafts_dir,
        callback_hours=settings.calllog.callback_hours,
        result_limit=settings.search.result_limit,
        survey=bool(settings.survey.context),
        survey_every=settings.survey.every_nth_call if settings.survey.context else 0,
        routing=settings.municipalities.routing(settings.languages),
        colleagues=tuple(
            Colleague(
                agent_id,
                who.name or agent_id,
                who.extension,
                tuple(settings.languages.of(agent_id)),
                tuple(who.interfaces),
            )
            for agent_id, who in settings.agents.items()
        ),
    )


class AgentConsoleApp(SafeApp):
    """The agent console; dependencies come in through the constructor."""

    TITLE = "Lotse"
    SUB_TITLE = "Servicecenter 115"
    CSS_PATH: ClassVar[CSSPathType | None] = ["styles/console.tcss", "styles/dialogs.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Beenden", priority=True),
        Binding("ctrl+p", "command_palette", "Befehle", show=False, priority=True),
        Binding("f10", "supervisor", "Kennzahlen", show=False),
    ]

    def __init__(self, services: Services, options: ConsoleOptions | Settings) -> None:
        super().__init__()
        self.services = services
        self.options = console_options(options) if isinstance(options, Settings) else options
        self.console_screen = ConsoleScreen(services, self.options)
        self._stopped = False
        self.supervisor_options = (
            SupervisorOptions.from_settings(options) if isinstance(options, Settings) else None
        )

    def get_default_screen(self) -> Screen[None]:
        """The console is the base screen."""
        return self.console_screen

    async def on_mount(self) -> None:
        """Start the background services (demo PBX), then the telephony; poll KB and outbox."""
        for service in self.services.background:
            try:
                await service.start()
            except OSError as exc:
                self.notify(f"Dienst nicht gestartet: {exc}", severity="error")
        await self.services.telephony.start()
        if self.services.knowledge.editor:
            self.sub_title = "Vorschau für die Redaktion: Entwürfe sichtbar und markiert"
            self.report_broken(self.services.kb.errors)
        self.set_interval(self.options.kb_poll_seconds, self.poll_kb)
        self.set_interval(self.options.outbox_retry_seconds, self.flush_outbox)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette lists every console action (German)."""
        for binding in ConsoleScreen.BINDINGS:
            assert isinstance(binding, Binding)
            yield SystemCommand(
                f"{binding.description} ({binding.key.upper()})",
                f"Taste {binding.key}",
                partial(self.console_screen.run_action, binding.action),
            )
        yield SystemCommand("Beenden (Strg+Q)", "Konsole schließen", self.action_quit)

    def action_supervisor(self) -> None:
        """Supervisors: live figures and the call-log browser (F10)."""
        screen = supervisor_screen(self.services.calllog, self.supervisor_options,
                                   self.services.clock, self.services.telephony)  # fmt: skip
        if isinstance(screen, str):
            self.notify(screen, severity="warning")
        else:
            self.push_screen(screen)

    @work(exclusive=True, group="kb-watch", thread=True)
    def poll_kb(self) -> None:
        """Blocking: reload the KB when files changed on disk and update the search index."""
        knowledge = self.services.knowledge
        try:
            changed = knowledge.poll()
        except Exception as exc:  # a broken edit must never end the console
            self.call_from_thread(self.notify, f"Wissensdatenbank nicht neu geladen: {exc}",
                                  severity="error")  # fmt: skip
            return
        if not changed:
            return
        kb = knowledge.kb
        articles = touched_articles(kb, changed)
        update = getattr(self.services.searcher, "update", None)
        try:
            for article_id in sorted(articles):
                if callable(update):
                    update(kb, article_id)
        except Exception as exc:
            self.call_from_thread(self.notify, f"Suchindex nicht aktualisiert: {exc}",
                                  severity="error")  # fmt: skip
        broken = [p for p in kb.errors if any(p.path.name == c.split("/")[-1] for c in changed)]
        note = f"Wissensdatenbank aktualisiert ({len(changed)} Datei(en))."
        if broken and not self.services.knowledge.editor:
            kept = any(g.path == broken[0].path for g in kb.last_good.values())
            rest = "die letzte gültige Fassung bleibt." if kept else "übersprungen."
            note += f" {broken[0].path.name} ist fehlerhaft; {rest}"
        self.call_from_thread(self.notify, note, severity="warning" if broken else "information")
        if broken and self.services.knowledge.editor:
            self.call_from_thread(self.report_broken, broken)
        self.console_screen.post_message(KbReloaded(changed))

    def report_broken(self, problems: list[Problem]) -> None:
        """Editors: what broke, file:line, and which version agents keep seeing."""
        if not problems:
            return
        kb, root = self.services.kb, self.services.knowledge.root
        lines = []
        for problem in problems[:5]:
            path = problem.path.relative_to(root) if root else problem.path
            kept = any(problem.path == found.path for found in kb.last_good.values())
            keep = " (Agenten sehen die letzte gültige Fassung)" if kept else ""
            where = f"{problem.field}: " if problem.field else ""
            lines.append(f"{path}:{problem.line}: {where}{problem.message}{keep}")
        more = f"\n… und {len(problems) - 5} weitere (lotse kb lint)" if len(problems) > 5 else ""
        self.notify("\n".join(lines) + more, title="Fehler in der Wissensdatenbank",
                    severity="error", timeout=30, markup=False)  # fmt: skip

    @work(exclusive=True, group="outbox", thread=True)
    def flush_outbox(self) -> None:
        """Blocking: deliver call-log writes that waited while the database was down."""
        try:
            self.services.flush_outbox()
        except Exception as exc:
            log.warning("outbox flush failed: %s", exc)
        self.call_from_thread(self.console_screen.set_queued, self.services.queued_records())

    async def action_quit(self) -> None:
        """Leave; during a call or an open wrap-up ask first (the wrap-up's draft is kept)."""
        desk = self.console_screen.desk
        if not desk.busy:
            await self.leave()
            return
        if isinstance(self.screen, ConfirmDialog) and self.screen.id == "quit-confirm":
            return
        what = "die Nachbearbeitung ist offen" if desk.phase == Phase.WRAP_UP else (
            "ein Gespräch läuft")  # fmt: skip
        question = (f"Lotse beenden? Achtung: {what}. Was Sie eingegeben haben, bleibt "
                    "gespeichert und wird beim nächsten Start wieder geöffnet.")  # fmt: skip

        async def answered(yes: bool | None) -> None:
            if yes:
                await self.leave()

        dialog = ConfirmDialog(question)
        dialog.id = "quit-confirm"
        self.push_screen(dialog, answered)

    async def leave(self) -> None:
        """Stop the telephony and the background services, then exit."""
        await self.stop_services()
        self.exit()

    async def stop_services(self) -> None:
        """Stop everything started in `on_mount` (idempotent, bounded in time)."""
        if self._stopped:
            return
        self._stopped = True
        stoppers = [self.services.telephony, *reversed(self.services.background)]
        for service in stoppers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(service.stop(), STOP_TIMEOUT)

    async def on_unmount(self) -> None:
        """Make sure nothing keeps running when the app ends another way."""
        await self.stop_services()
