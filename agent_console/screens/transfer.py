"""The transfer dialog: the responsible office first, then the searchable directory of the
call's municipality's offices and the shared ones, then colleagues in the caller's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from agent_console.origin import Colleague, language_name
from agent_console.screens.dialogs import CallBound, ConfirmDialog
from agent_console.screens.session import colleague_order, office_order
from agent_console.widgets.search_box import SearchBox
from kb.hours import describe, open_state
from kb.models import Office
from kb.safe_text import terminal_safe
from telephony.origin import HOME_LANGUAGE


@dataclass(frozen=True)
class TransferChoice:
    """Where to transfer and how (and which call: the dialog belongs to one)."""

    call_id: str
    office_id: str
    name: str
    target: str
    """Extension (or external number) to dial."""
    attended: bool
    closed: bool


@dataclass(frozen=True)
class Colleagues:
    """Colleagues a caller in `language` may be handed to: those free now, and how many more
    speak it but cannot take the call now."""

    language: str = HOME_LANGUAGE
    free: Sequence[Colleague] = ()
    busy: int = 0

    def note(self) -> str:
        """The line under the directory (empty for a German-speaking caller)."""
        if self.language == HOME_LANGUAGE:
            return ""
        name = language_name(self.language)
        if not self.free:
            more = f" ({self.busy} im Gespräch, in Pause oder abgemeldet)" if self.busy else ""
            return f"Niemand, der {name} spricht, ist gerade frei{more}."
        more = f"; {self.busy} weitere gerade nicht frei" if self.busy else ""
        return f"{len(self.free)} frei, die {name} sprechen{more}."


#: Option ids of colleagues in the directory (office ids never contain a colon).
COLLEAGUE = "agent:"


def colleague_prompt(colleague: Colleague, language: str) -> Text:
    """One directory line for a free colleague: extension, name, languages."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("  ● ", style="green")
    text.append(f"{terminal_safe(colleague.extension):<6} ", style="bold")
    text.append(terminal_safe(colleague.name), style="bold")
    text.append(f"  spricht {language_name(language)}", style="cyan")
    text.append("  (Kollegin/Kollege, frei)", style="dim")
    return text


def office_prompt(office: Office, now: datetime, responsible: bool) -> Text:
    """One directory line: open-now mark, extension, name (terminal-safe), opening state."""
    state = open_state(office, now)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("★ " if responsible else "  ", style="bold yellow")
    text.append("● " if state.is_open else "○ ", style="green" if state.is_open else "red bold")
    target = office.extension if office.extension else f"extern {office.phone}"
    text.append(f"{terminal_safe(target):<6} ", style="bold")
    text.append(terminal_safe(office.name), style="bold" if state.is_open else "dim")
    text.append("  ")
    text.append(describe(state, now), style="green" if state.is_open else "red")
    if responsible:
        text.append("  (zuständig)", style="yellow")
    return text


class TransferDialog(CallBound):
    """Choose an office for one call; Enter transfers blind, F6 with consultation (attended).

    It closes when its call ends; a choice can only ever concern its own call.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "choose(False)", "Blind verbinden"),
        Binding("f6", "choose(True)", "Mit Rückfrage"),
        Binding("escape", "cancel", "Abbrechen"),
    ]

    def __init__(
        self,
        offices: Sequence[Office],
        responsible: str | None,
        clock: Callable[[], datetime],
        call_id: str = "",
        colleagues: Colleagues | None = None,
    ) -> None:
        super().__init__(call_id)
        self.offices = list(offices)
        self.responsible = responsible
        self.clock = clock
        self.colleagues = colleagues or Colleagues()

    def compose(self) -> ComposeResult:
        """Filter box, directory, keys."""
        with Vertical(classes="dialog", id="transfer-dialog"):
            yield Label("Weiterleiten an …", classes="dialog-title")
            yield SearchBox(placeholder="Stelle oder Durchwahl filtern", id="transfer-filter")
            yield OptionList(id="transfer-offices")
            note = self.colleagues.note()
            if note:
                yield Label(terminal_safe(note), id="transfer-colleagues")
            yield Label(
                "Enter/F5: blind verbinden   ·   F6: mit Rückfrage   ·   Esc: abbrechen",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        """Fill the directory and focus the filter."""
        self._fill("")
        self.query_one("#transfer-filter", SearchBox).focus()

    def _fill(self, text: str) -> None:
        now = self.clock()
        listing = self.query_one("#transfer-offices", OptionList)
        listing.clear_options()
        for office in office_order(self.offices, self.responsible, text):
            prompt = office_prompt(office, now, office.id == self.responsible)
            listing.add_option(Option(prompt, id=office.id))
        language = self.colleagues.language
        for colleague in colleague_order(self.colleagues.free, text):
            prompt = colleague_prompt(colleague, language)
            listing.add_option(Option(prompt, id=COLLEAGUE + colleague.agent_id))
        if listing.option_count:
            listing.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the agent types."""
        self._fill(event.value)

    def on_search_box_moved(self, event: SearchBox.Moved) -> None:
        """Up/Down in the filter move through the directory."""
        listing = self.query_one("#transfer-offices", OptionList)
        if listing.option_count:
            current = listing.highlighted if listing.highlighted is not None else 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + event.step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: blind transfer to the highlighted office."""
        event.stop()
        self.action_choose(False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on the list: blind transfer."""
        event.stop()
        self.action_choose(False)

    def action_choose(self, attended: bool) -> None:
        """Transfer to the highlighted office; a closed one asks first."""
        if self.gone:
            self.notify("Der Anruf ist beendet – es wird nicht weitergeleitet.", severity="warning")
            self.dismiss(None)
            return
        listing = self.query_one("#transfer-offices", OptionList)
        if listing.highlighted is None or not listing.option_count:
            self.notify("Keine Stelle gewählt.", severity="warning")
            return
        office_id = listing.get_option_at_index(listing.highlighted).id or ""
        if office_id.startswith(COLLEAGUE):
            agent_id = office_id.removeprefix(COLLEAGUE)
            mate = next(c for c in self.colleagues.free if c.agent_id == agent_id)
            self.dismiss(TransferChoice(self.call_id, office_id, mate.name, mate.extension,
                                        attended, closed=False))  # fmt: skip
            return
        office = next(o for o in self.offices if o.id == office_id)
        closed = not open_state(office, self.clock()).is_open
        choice = TransferChoice(
            self.call_id, office.id, office.name, office.transfer_target, attended, closed
        )
        if not closed:
            self.dismiss(choice)
            return

        def confirmed(yes: bool | None) -> None:
            if yes and not self.gone:
                self.dismiss(choice)

        question = f"{office.name} ist gerade geschlossen. Trotzdem verbinden?"
        self.app.push_screen(ConfirmDialog(question, self.call_id), confirmed)

    def action_cancel(self) -> None:
        """Close without transferring."""
        self.dismiss(None)
