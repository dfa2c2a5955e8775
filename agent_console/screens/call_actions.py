"""The console's keys F3-F9: each becomes a desk event (or opens the dialog that asks first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from agent_console.desk import (
    CallbackChosen,
    ConsultFinished,
    Desk,
    Event,
    HangupPressed,
    PauseChosen,
    Phase,
    ReadyChosen,
    SurveyToggled,
    TransferChosen,
)
from agent_console.lifecycle import allows
from agent_console.notices import write_notice
from agent_console.origin import CallPlace, colleagues_for
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.dialogs import FeedbackDialog, PauseDialog
from agent_console.screens.session import CallSession
from agent_console.screens.transfer import Colleagues, TransferChoice, TransferDialog
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.article_view import ArticleView
from calllog.models import ArticleFeedback, CallbackTicket, FeedbackKind

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class CallActions(_Base):
    """Mixed into ConsoleScreen: the actions behind F3-F9."""

    services: Services
    options: ConsoleOptions
    desk: Desk
    session: CallSession | None
    agent_id: str
    callback_ticket: CallbackTicket | None
    _choices: dict[str, TransferChoice]

    if TYPE_CHECKING:  # provided by CallFlow, PlaceActions and the screen
        feed: Callable[[Event], None]
        _titles: Callable[[], dict[str, str]]
        current_place: Callable[[], CallPlace]

    def action_transfer(self) -> None:
        """Open the transfer dialog for this call: the open article's responsible office, the
        call's municipality's offices, the shared ones, then colleagues who speak the caller's
        language and are free now."""
        if not allows(self.desk, "transfer"):
            return
        kb, place = self.services.kb, self.current_place()
        view = self.query_one("#article", ArticleView)
        article = kb.article_for(view.article_id or "", place.municipality)
        responsible = article.office if article else None
        offices = kb.offices_for(place.municipality)
        if responsible is not None and all(o.id != responsible for o in offices):
            found = kb.offices.get(responsible)  # e.g. another town's local service
            offices = [found, *offices] if found is not None else offices
        colleagues = Colleagues(place.language, *colleagues_for(
            place.language, self.agent_id, self.options.colleagues,
            self.services.telephony.agents()))  # fmt: skip
        dialog = TransferDialog(offices, responsible, self.services.clock, self.desk.call_id,
                                colleagues)  # fmt: skip
        self.app.push_screen(dialog, self._transfer_chosen)

    def _transfer_chosen(self, choice: TransferChoice | None) -> None:
        if choice is not None:
            self._choices[choice.call_id] = choice
            self.feed(TransferChosen(choice.call_id, choice.target, choice.attended))

    def action_hangup(self) -> None:
        """End the call from the console (the wrap-up pause is set first)."""
        self.feed(HangupPressed())

    def action_survey(self) -> None:
        """F12: end this call "mit Umfrage" (F4 then hands the caller to the survey), or not."""
        if not self.options.survey:
            self.notify("Die Umfrage ist nicht eingerichtet (survey.context).", severity="warning")
            return
        self.feed(SurveyToggled())
        if allows(self.desk, "survey"):
            self.notify("Mit Umfrage: F4 gibt den Anrufer zur Umfrage weiter." if self.desk.survey
                        else "Ohne Umfrage: F4 legt auf.")  # fmt: skip

    def action_complete_transfer(self) -> None:
        """Leave the consultation: the caller is connected with the office."""
        self.feed(ConsultFinished(hand_over=True))

    def action_cancel_transfer(self) -> None:
        """End the consultation; back with the caller."""
        self.feed(ConsultFinished(hand_over=False))

    def action_toggle_pause(self) -> None:
        """F8: choose a pause (after this call, when on one), or be ready again."""
        desk = self.desk
        if desk.pause_after and desk.busy:
            self.feed(ReadyChosen())
            self.notify("Keine Pause nach diesem Gespräch.")
            return
        if desk.phase == Phase.PAUSED:
            self.feed(ReadyChosen())
            return

        def chosen(reason: str | None) -> None:
            if reason:
                self.feed(PauseChosen(reason))
                if self.desk.busy:
                    self.notify(f"Pause ({reason}) beginnt nach diesem Gespräch.")

        self.app.push_screen(PauseDialog(self.options.pause_reasons, desk.busy), chosen)

    def action_callbacks(self) -> None:
        """Show the call-backs due for this agent; Enter calls the citizen back."""
        screen = CallbacksScreen(self.services, self.agent_id, self._titles(),
                                 can_call=allows(self.desk, "call_back"))  # fmt: skip
        self.app.push_screen(screen, self._callback_chosen)

    def _callback_chosen(self, ticket: CallbackTicket | None) -> None:
        if ticket is None:
            return
        if not ticket.number:
            self.notify("Für diesen Rückruf ist keine Nummer hinterlegt.", severity="warning")
            return
        if allows(self.desk, "call_back"):
            self.callback_ticket = ticket
            self.notify(f"Rückruf an {ticket.number} – Ihr Telefon klingelt zuerst.")
        self.feed(CallbackChosen(ticket.ticket_id, ticket.number, ticket.caller_name or ""))

    def action_feedback(self) -> None:
        """Flag the open article for the editors (belongs to the call it was raised in)."""
        article_id = self.query_one("#article", ArticleView).article_id
        article = self.services.kb.articles.get(article_id or "")
        if article is None:
            self.notify("Bitte zuerst einen Artikel öffnen.", severity="warning")
            return
        call_id = self.session.call_id if self.session else ""

        def sent(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                kind, comment = answer
                item = ArticleFeedback(article.id, FeedbackKind(kind), comment, self.agent_id,
                                       self.services.clock(), call_id or None)  # fmt: skip
                self.send_feedback(item)

        self.app.push_screen(FeedbackDialog(article.title, call_id), sent)

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
