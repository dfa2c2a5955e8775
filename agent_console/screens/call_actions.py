"""The console's call actions: transfer (blind, attended), hang up, pause, call-backs, feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from agent_console.notices import write_notice
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.dialogs import FeedbackDialog
from agent_console.screens.session import CallSession
from agent_console.screens.transfer import TransferChoice, TransferDialog
from agent_console.services import Services
from agent_console.widgets.article_view import ArticleView
from calllog.models import ArticleFeedback, FeedbackKind
from telephony.calls import Agent
from telephony.exceptions import TelephonyError

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class CallActions(_Base):
    """Mixed into ConsoleScreen: the actions behind F3-F9 (each in a worker when it does I/O)."""

    services: Services
    session: CallSession | None
    agent: Agent | None
    agent_id: str
    _transfers: dict[str, str]

    def refresh_bar(self) -> None:
        """Provided by the screen."""
        raise NotImplementedError

    def _titles(self) -> dict[str, str]:
        raise NotImplementedError

    def action_transfer(self) -> None:
        """Open the transfer dialog (responsible office of the open article first)."""
        if self.session is None:
            return
        view = self.query_one("#article", ArticleView)
        article = self.services.kb.articles.get(view.article_id or "")
        responsible = article.office if article else None
        offices = list(self.services.kb.offices.values())
        dialog = TransferDialog(offices, responsible, self.services.clock)
        self.app.push_screen(dialog, self._transfer_chosen)

    def _transfer_chosen(self, choice: TransferChoice | None) -> None:
        if choice is not None and self.session is not None:
            self.transfer(self.session, choice)

    @work(exclusive=True, group="pbx-transfer")
    async def transfer(self, session: CallSession, choice: TransferChoice) -> None:
        """Ask the PBX to transfer; show the result."""
        telephony = self.services.telephony
        session.transfer_office = choice.name
        try:
            if choice.attended:
                await telephony.attended_transfer(session.call_id, choice.target)
                session.consulting = choice.target
                self.notify(f"Rückfrage mit {choice.name} ({choice.target}) läuft – "
                            "F5 übergibt, F6 holt den Anrufer zurück.")  # fmt: skip
            else:
                await telephony.blind_transfer(session.call_id, choice.target)
                self._transfers[session.call_id] = choice.name
                self.notify(f"Weitergeleitet an {choice.name} ({choice.target}).")
        except TelephonyError as exc:
            session.transfer_office = ""
            self.notify(f"Weiterleitung an {choice.name} fehlgeschlagen: {exc}", severity="error")
        self.refresh_bar()
        self.refresh_bindings()

    @work(exclusive=True, group="pbx-transfer")
    async def action_complete_transfer(self) -> None:
        """Leave the consultation: the caller is connected with the office."""
        session = self.session
        if session is None or not session.consulting:
            return
        try:
            await self.services.telephony.complete_transfer(session.call_id)
            self.notify(f"Übergeben an {session.transfer_office or session.consulting}.")
        except TelephonyError as exc:
            self.notify(f"Übergabe fehlgeschlagen: {exc}", severity="error")

    @work(exclusive=True, group="pbx-transfer")
    async def action_cancel_transfer(self) -> None:
        """End the consultation; back with the caller."""
        session = self.session
        if session is None or not session.consulting:
            return
        try:
            await self.services.telephony.cancel_transfer(session.call_id)
            session.consulting, session.transfer_office = "", ""
            self.notify("Rückfrage beendet – Sie sind wieder mit dem Anrufer verbunden.")
        except TelephonyError as exc:
            self.notify(f"Rückfrage nicht beendet: {exc}", severity="error")
        self.refresh_bar()
        self.refresh_bindings()

    @work(exclusive=True, group="pbx-hangup")
    async def action_hangup(self) -> None:
        """End the call from the console; wrap-up follows."""
        if self.session is None:
            return
        try:
            await self.services.telephony.hangup(self.session.call_id)
        except TelephonyError as exc:
            self.notify(f"Auflegen fehlgeschlagen: {exc}", severity="error")

    @work(exclusive=True, group="pbx-pause")
    async def action_toggle_pause(self) -> None:
        """Pause ("Pause") or become available."""
        paused = self.agent is not None and self.agent.paused
        try:
            if paused:
                await self.services.telephony.unpause(self.agent_id)
            else:
                await self.services.telephony.pause(self.agent_id, "Pause")
        except TelephonyError as exc:
            self.notify(f"Status nicht geändert: {exc}", severity="error")

    def action_callbacks(self) -> None:
        """Show the call-backs due for this agent."""
        self.app.push_screen(CallbacksScreen(self.services, self.agent_id, self._titles()))

    def action_feedback(self) -> None:
        """Flag the open article for the editors."""
        article_id = self.query_one("#article", ArticleView).article_id
        article = self.services.kb.articles.get(article_id or "")
        if article is None:
            self.notify("Bitte zuerst einen Artikel öffnen.", severity="warning")
            return

        def sent(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                kind, comment = answer
                item = ArticleFeedback(article.id, FeedbackKind(kind), comment, self.agent_id,
                                       self.services.clock(),
                                       self.session.call_id if self.session else None)  # fmt: skip
                self.send_feedback(item)

        self.app.push_screen(FeedbackDialog(article.title), sent)

    @work(group="feedback", thread=True)
    def send_feedback(self, item: ArticleFeedback) -> None:
        """Blocking: store the flag."""
        try:
            delivery = self.services.calllog.add_feedback(item)
        except Exception as exc:  # any store error becomes a notice
            self.app.call_from_thread(self.notify, f"Meldung nicht gespeichert: {exc}",
                                      severity="error")  # fmt: skip
            return
        notice = write_notice("Meldung", delivery)
        if notice is None:
            self.app.call_from_thread(self.notify, "Danke – die Redaktion wurde informiert.")
        else:
            self.app.call_from_thread(self.notify, notice[0], severity=notice[1])
