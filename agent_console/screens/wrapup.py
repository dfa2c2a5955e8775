"""The wrap-up form: outcome (preselected), topics, notes, call-back; cannot be left without one.

For a call-back the form also asks whether the citizen was reached; saving then
counts the attempt on the ticket (done, next try, or given up). Everything typed is
kept on disk as a draft until the form is saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, RadioButton, RadioSet, SelectionList, Static

from agent_console.drafts import DraftStore, WrapUpDraft
from agent_console.labels import CALLBACK_RESULT_LABELS, OUTCOME_LABELS
from agent_console.notices import worst
from agent_console.screens.session import CallSession, clock_text, preselect_outcome
from agent_console.screens.wrapup_save import FormError, Saving, WrapUpResult, build_outcome
from agent_console.services import Services
from agent_console.widgets.field import Field
from agent_console.widgets.plain import plain
from agent_console.writer import OrderedWriter
from calllog.callbacks import due_time
from calllog.exceptions import CallLogError
from calllog.models import AttemptResult, Outcome
from calllog.outbox import Delivery
from kb.safe_text import terminal_safe

_BERLIN = ZoneInfo("Europe/Berlin")
_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
#: Outcomes the agent can choose after a call that was answered.
CHOOSABLE = [o for o in OUTCOME_LABELS if o != Outcome.ABANDONED]

__all__ = ["CHOOSABLE", "WrapUpResult", "WrapUpScreen", "due_text"]


def due_text(due: datetime) -> str:
    """'Mo 24.11. 14:05' in Berlin time."""
    local = due.astimezone(_BERLIN)
    return f"{_WEEKDAYS[local.weekday()]} {local:%d.%m. %H:%M}"


class WrapUpScreen(ModalScreen[WrapUpResult]):
    """After-call work for one session; dismissed only once everything is saved or queued."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "Speichern"),
        Binding("escape", "refuse", "Zurück", show=False),
    ]

    def __init__(
        self,
        session: CallSession,
        services: Services,
        agent_id: str,
        titles: dict[str, str],
        callback_hours: float,
        *,
        writer: OrderedWriter | None = None,
        drafts: DraftStore | None = None,
        draft: WrapUpDraft | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.services = services
        self.agent_id = agent_id
        self.titles = titles
        self.callback_hours = callback_hours
        self.writer = writer or OrderedWriter()
        self.drafts = drafts
        self.restored = draft
        self.started = services.clock()
        self.saving = False
        self.outcome: Outcome | None = draft.outcome if draft else preselect_outcome(session)
        """The outcome chosen so far (preselected from what happened)."""
        self.attempt: AttemptResult | None = draft.attempt if draft else None
        """For a call-back: whether the citizen was reached."""

    @property
    def callback(self) -> bool:
        """This wrap-up ends a call-back (a ticket's attempt)."""
        return self.session.ticket is not None

    def compose(self) -> ComposeResult:
        """The form."""
        s, draft = self.session, self.restored
        caller = s.caller_name or s.caller_number or "unbekannt"
        kind = "Rückruf" if self.callback else "Nachbearbeitung"
        with Vertical(classes="dialog", id="wrapup-dialog"), VerticalScroll(id="wrapup-form"):
            yield Label(plain(f"{kind} – {caller} ({s.caller_number or 'ohne Nummer'})"),
                        classes="dialog-title")  # fmt: skip
            yield Static("", id="wrapup-timer")
            if s.ticket is not None:
                t = s.ticket
                about = f"Zu klären: {t.clarify} · fällig {due_text(t.due_at)} · "
                yield Static(plain(f"{about}bisher {t.attempts} Versuch(e)"), id="wrapup-ticket")
                yield Label("Rückruf (Pflicht):")
                with RadioSet(id="wrapup-attempt"):
                    for result, label in CALLBACK_RESULT_LABELS.items():
                        yield RadioButton(label, value=self.attempt == result,
                                          id=f"attempt-{result}")  # fmt: skip
            with Vertical(id="reached-fields"):
                yield Label("Ergebnis (Pflicht):")
                with RadioSet(id="wrapup-outcome"):
                    for outcome in CHOOSABLE:
                        yield RadioButton(OUTCOME_LABELS[outcome], value=outcome == self.outcome,
                                          id=f"outcome-{outcome.value}")  # fmt: skip
                yield Label("Themen (Leertaste wählt ab):")
                ticked = set(draft.topics) if draft and draft.topics is not None else None
                topics = [(plain(self.titles.get(t, t)), t, ticked is None or t in ticked)
                          for t in s.topics]  # fmt: skip
                yield SelectionList[str](*topics, id="wrapup-topics")
                target = draft.target if draft and draft.target is not None else (
                    s.transfer_office or s.transfer_target)  # fmt: skip
                yield Field(terminal_safe(target), placeholder="Weitergeleitet an / verwiesen an",
                            id="wrapup-target")  # fmt: skip
                yield Field(draft.handover if draft else "", id="wrapup-handover",
                            placeholder="Übergabenotiz für das Fachamt (qualifiziert)")  # fmt: skip
            yield Field(draft.notes if draft else "", placeholder="Notizen", id="wrapup-notes")
            with Vertical(id="callback-fields"):
                yield Label("Rückruf:")
                number = draft.callback_number if draft and draft.callback_number is not None \
                    else s.caller_number  # fmt: skip
                yield Field(terminal_safe(number), placeholder="Rückrufnummer",
                            id="callback-number")  # fmt: skip
                clarify = draft.callback_clarify if draft else ""
                yield Field(clarify, placeholder="Was ist zu klären? (Pflicht)",
                            id="callback-clarify")  # fmt: skip
                yield Static("", id="callback-due")
            yield Static("", id="wrapup-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        """Show the fields that apply; tick the after-call-work timer; keep a draft at once."""
        self._sync_fields()
        self._tick()
        self.set_interval(1.0, self._tick)
        first = "#wrapup-attempt" if self.callback else "#wrapup-outcome"
        self.query_one(first, RadioSet).focus()
        self.keep_draft()

    def _tick(self) -> None:
        elapsed = (self.services.clock() - self.started).total_seconds()
        timer = self.query_one("#wrapup-timer", Static)
        timer.update(f"Nachbearbeitungszeit: {clock_text(elapsed)}")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Outcome or call-back result chosen: the fields follow, the hint goes."""
        button_id = event.pressed.id or ""
        if button_id.startswith("outcome-"):
            self.outcome = Outcome(button_id.removeprefix("outcome-"))
        elif button_id.startswith("attempt-"):
            self.attempt = AttemptResult(button_id.removeprefix("attempt-"))
        self._error("")
        self._sync_fields()
        self.keep_draft()

    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def keep_draft(self) -> None:
        """Whatever the agent types is on disk at once (a crash or kill loses nothing)."""
        if self.drafts is None or not self.is_mounted:
            return
        try:
            self.drafts.save(self._draft())
        except OSError as exc:
            self._error(f"Entwurf nicht gesichert: {exc}")

    def _draft(self) -> WrapUpDraft:
        value = self._value
        return WrapUpDraft(
            session=self.session, outcome=self.outcome,
            topics=tuple(str(t) for t in self.query_one("#wrapup-topics", SelectionList).selected),
            target=value("#wrapup-target"), notes=value("#wrapup-notes"),
            callback_number=value("#callback-number"),
            callback_clarify=value("#callback-clarify"), attempt=self.attempt,
            handover=value("#wrapup-handover"),
        )  # fmt: skip

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _sync_fields(self) -> None:
        reached = not self.callback or self.attempt == AttemptResult.REACHED
        self.query_one("#reached-fields").display = reached
        self.query_one("#wrapup-handover").display = self.outcome == Outcome.TRANSFERRED
        callback = reached and self.outcome == Outcome.CALLBACK
        self.query_one("#callback-fields").display = callback
        if callback:
            due = due_time(self.services.clock(), self.services.calendar, self.callback_hours)
            self.query_one("#callback-due", Static).update(
                f"Fällig: {due_text(due)} ({self.callback_hours:g} Servicestunden)"
            )

    def action_refuse(self) -> None:
        """Esc does not leave: an outcome must be saved."""
        self._error("Bitte ein Ergebnis wählen und mit F10 speichern.")

    def _error(self, message: str) -> None:
        self.query_one("#wrapup-error", Static).update(plain(message, multiline=True))

    def action_save(self) -> None:
        """Validate and write the record (and tickets) in order, then close."""
        if self.saving:
            return
        value = self._value
        topics = [str(t) for t in self.query_one("#wrapup-topics", SelectionList).selected]
        try:
            plan = build_outcome(
                self.session, self.services, self.agent_id, self.callback_hours,
                outcome=self.outcome, attempt=self.attempt, topics=topics,
                notes=value("#wrapup-notes"), target=value("#wrapup-target"),
                number=value("#callback-number"), clarify=value("#callback-clarify"),
                handover=value("#wrapup-handover"),
            )  # fmt: skip
        except FormError as exc:
            self._error(str(exc))
            return
        self.saving = True
        self._error("Wird gespeichert …")
        self.write(plan)

    @work(exclusive=True, group="wrapup-save")
    async def write(self, plan: Saving) -> None:
        """Write in the console's order (after the call's open record); a BufferedStore queues."""
        calllog = self.services.calllog
        try:
            delivery = Delivery.STORED
            if plan.record is not None:
                delivery = worst(delivery, await self.writer.run(calllog.upsert_call, plan.record))
            for ticket in plan.tickets:
                delivery = worst(delivery, await self.writer.run(calllog.upsert_callback, ticket))
        except (CallLogError, OSError) as exc:
            self.saving = False
            self._error(f"Speichern fehlgeschlagen: {exc}. Bitte erneut versuchen (F10).")
            return
        if self.drafts is not None:
            self.drafts.delete(self.session.call_id)
        self.dismiss(plan.result(self.services.queued_records(), delivery))
