"""The municipality picker (Ctrl+G): whose call this is, searchable by name, district or id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from agent_console.screens.dialogs import CallBound
from agent_console.widgets.search_box import SearchBox
from kb.models import Municipality
from kb.safe_text import terminal_safe
from search.analysis import fold


def municipality_order(
    municipalities: Iterable[Municipality], current: str | None, text: str = ""
) -> list[Municipality]:
    """The picker's list: the call's current municipality first, the home one next, then by
    name; every word typed must occur in the name, the district or the id (umlauts folded)."""
    words = fold(text).split()

    def matches(place: Municipality) -> bool:
        hay = fold(f"{place.name} {place.district or ''} {place.id} {place.ags or ''}")
        return all(w in hay for w in words)

    chosen = [m for m in municipalities if matches(m)]
    return sorted(chosen, key=lambda m: (m.id != current, not m.home, fold(m.name)))


def municipality_prompt(place: Municipality, current: bool) -> Text:
    """One line: mark, name, district, federal state (terminal-safe)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("▶ " if current else "  ", style="bold yellow")
    text.append(terminal_safe(place.name), style="bold")
    if place.district:
        text.append(f"  {terminal_safe(place.district)}", style="dim")
    text.append(f"  ({place.state})", style="dim")
    if place.home:
        text.append("  Sitz des Servicecenters", style="italic")
    return text


class MunicipalityDialog(CallBound):
    """Choose the municipality of one call; Enter takes the highlighted one, Esc keeps it.

    It closes when its call ends; a choice only ever concerns its own call.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "cancel", "Abbrechen"),
    ]

    def __init__(
        self, municipalities: Sequence[Municipality], current: str | None, call_id: str = ""
    ) -> None:
        super().__init__(call_id)
        self.municipalities = list(municipalities)
        self.current = current

    def compose(self) -> ComposeResult:
        """Filter box, list, keys."""
        with Vertical(classes="dialog", id="municipality-dialog"):
            yield Label("Gemeinde des Anrufs", classes="dialog-title")
            yield SearchBox(placeholder="Gemeinde suchen", id="municipality-filter")
            yield OptionList(id="municipality-list")
            yield Label("Enter: übernehmen   ·   Esc: abbrechen", classes="dialog-keys")

    def on_mount(self) -> None:
        """Fill the list and focus the filter."""
        self._fill("")
        self.query_one("#municipality-filter", SearchBox).focus()

    def _fill(self, text: str) -> None:
        listing = self.query_one("#municipality-list", OptionList)
        listing.clear_options()
        for place in municipality_order(self.municipalities, self.current, text):
            prompt = municipality_prompt(place, place.id == self.current)
            listing.add_option(Option(prompt, id=place.id))
        if listing.option_count:
            listing.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the agent types."""
        self._fill(event.value)

    def on_search_box_moved(self, event: SearchBox.Moved) -> None:
        """Up/Down in the filter move through the list."""
        listing = self.query_one("#municipality-list", OptionList)
        if listing.option_count:
            current = listing.highlighted if listing.highlighted is not None else 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + event.step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter takes the highlighted municipality."""
        event.stop()
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on the list takes it."""
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Close with the highlighted municipality's id (nothing once the call is gone)."""
        if self.gone:
            self.dismiss(None)
            return
        listing = self.query_one("#municipality-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            self.notify("Keine Gemeinde gefunden.", severity="warning")
            return
        self.dismiss(listing.get_option_at_index(listing.highlighted).id)

    def action_cancel(self) -> None:
        """Close without a change."""
        self.dismiss(None)
