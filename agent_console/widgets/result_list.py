"""The hit list: titles with what matched highlighted, the office and whether it is open now."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kb.hours import describe
from search.analysis import highlight_spans
from search.protocol import Hit

_FIELD_LABELS = {
    "title": "Titel",
    "synonyms": "Suchbegriffe",
    "short_answer": "Kurzantwort",
    "documents": "Unterlagen",
    "procedure": "Ablauf",
    "body": "Text",
    "office": "Stelle",
    "category": "Kategorie",
}


def hit_prompt(hit: Hit, now: datetime) -> Text:
    """Two lines for one hit: highlighted title; office, open state and matched fields."""
    title = Text(hit.title, style="bold")
    for start, end in highlight_spans(hit.title, hit.matched_terms):
        title.stylize("reverse", start, end)
    line = Text("\n  ")
    if hit.open_state is not None:
        opened = hit.open_state.is_open
        line.append("● " if opened else "○ ", style="green" if opened else "red")
        line.append(f"{hit.office_name or '?'}: {describe(hit.open_state, now)}", style="dim")
    elif hit.office_name:
        line.append(hit.office_name, style="dim")
    if "title" not in hit.matched_fields and hit.matched_fields:
        via = _FIELD_LABELS.get(hit.matched_fields[0], hit.matched_fields[0])
        line.append(f" · über {via}", style="italic dim")
    return title + line


class ResultList(OptionList):
    """Search hits; the option id is the article id. Selecting posts OptionList.OptionSelected."""

    def show(self, hits: Sequence[Hit], clock: Callable[[], datetime]) -> None:
        """Replace the options with `hits`, highlighting the first."""
        now = clock()
        self.clear_options()
        self.add_options([Option(hit_prompt(hit, now), id=hit.id) for hit in hits])
        if hits:
            self.highlighted = 0

    def move(self, step: int) -> None:
        """Move the highlight by `step`, staying within the list."""
        if self.option_count == 0:
            return
        current = self.highlighted if self.highlighted is not None else -step
        self.highlighted = max(0, min(self.option_count - 1, current + step))

    @property
    def highlighted_id(self) -> str | None:
        """The article id under the highlight."""
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
