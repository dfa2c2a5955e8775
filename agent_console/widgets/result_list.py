"""The hit list: titles with what matched highlighted, the office and whether it is open now.

Hits the search is not sure of (`confidence: low`) read "vielleicht: …"; when no hit is sure,
"Keine passende Leistung gefunden" stands above them: the knowledge base has no answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from kb.hours import describe
from kb.safe_text import terminal_safe
from search.analysis import highlight_spans
from search.protocol import Hit

#: Background of the highlighted hit.
HIGHLIGHT = "on #24466b"
#: Shown above the hits when none of them is sure.
NO_MATCH = "Keine passende Leistung gefunden"
#: Before the title of a hit the search is not sure of.
MAYBE = "vielleicht: "
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


def place_note(hit: Hit, municipality: str | None, names: Mapping[str, str]) -> str:
    """Whose version a hit is, when that matters: "nur Ortsdorf" for another town's own
    service, "◆ eigene Angaben" for the call's municipality's version of a service."""
    if hit.municipality is None:
        return ""
    if hit.municipality != municipality:
        return f"nur {names.get(hit.municipality, hit.municipality)}"
    return "◆ eigene Angaben" if hit.local_fields else ""


def hit_lines(
    hit: Hit, now: datetime, municipality: str | None = None, names: Mapping[str, str] | None = None
) -> tuple[Text, Text]:
    """Two lines for one hit: highlighted title; whose version it is (see `place_note`),
    office, open state and where it matched.

    Title and office name are KB text, shown terminal-safe (one for one, so the highlight
    spans found in the title stay in place).
    """
    title = Text(terminal_safe(hit.title), style="bold", no_wrap=True, overflow="ellipsis")
    for start, end in highlight_spans(hit.title, hit.matched_terms):
        title.stylize("reverse", start, end)
    if not hit.high:
        title.stylize("not bold")
        title = Text.assemble((MAYBE, "italic dim"), title, no_wrap=True, overflow="ellipsis")
    line = Text("  ", no_wrap=True, overflow="ellipsis")
    note = place_note(hit, municipality, names or {})
    if note:  # first: the office name after it may be cut off
        line.append(f"{terminal_safe(note)} · ", style="cyan" if note[0] == "◆" else "yellow")
    if hit.open_state is not None:
        opened = hit.open_state.is_open
        line.append("● " if opened else "○ ", style="green" if opened else "red")
        office = terminal_safe(hit.office_name or "?")
        line.append(f"{describe(hit.open_state, now)} · {office}", style="dim")
    elif hit.office_name:
        line.append(terminal_safe(hit.office_name), style="dim")
    if "title" not in hit.matched_fields and hit.matched_fields:
        via = _FIELD_LABELS.get(hit.matched_fields[0], hit.matched_fields[0])
        line.append(f" · über {via}", style="italic dim")
    return title, line


class ResultList(Widget, can_focus=True):
    """Search hits, two lines each, one highlighted; Line API, so a keystroke repaints cheaply.

    The screen moves the highlight while the cursor stays in the search box; focused, the list
    takes Up/Down/Enter itself. Choosing a hit posts `ResultList.Chosen`.
    """

    DEFAULT_CSS = """
    ResultList > .result-list--no-match {
        color: $warning;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"result-list--no-match"}
    """`result-list--no-match`: the notice above hits the search is not sure of."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Nächster", show=False),
        Binding("up", "move(-1)", "Voriger", show=False),
        Binding("enter", "choose", "Öffnen", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None)
    """Index of the highlighted hit."""

    class Chosen(Message):
        """The agent chose a hit (Enter)."""

        def __init__(self, result_list: ResultList, article_id: str) -> None:
            super().__init__()
            self.result_list = result_list
            self.article_id = article_id

        @property
        def control(self) -> ResultList:
            """The list."""
            return self.result_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self.no_match = False
        """True when hits are listed but none is sure: the notice stands above them."""
        self._lines: list[tuple[Text, Text]] = []
        self._strips: list[Strip] = []
        self._blank = Strip.blank(0)
        self._strip_key: tuple[int, int | None, int] | None = None

    def show(
        self,
        hits: Sequence[Hit],
        clock: Callable[[], datetime],
        municipality: str | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the hits, highlighting the first (`municipality`: whose call it is;
        `names`: municipality id -> name)."""
        now = clock()
        self.hits = list(hits)
        self.no_match = bool(hits) and not any(hit.high for hit in hits)
        self._lines = [hit_lines(hit, now, municipality, names) for hit in hits]
        self._strip_key = None
        self.highlighted = 0 if hits else None
        self.refresh()

    @property
    def option_count(self) -> int:
        """How many hits are listed."""
        return len(self.hits)

    def move(self, step: int) -> None:
        """Move the highlight by `step`, staying within the list."""
        if not self.hits:
            return
        current = self.highlighted if self.highlighted is not None else -step
        self.highlighted = max(0, min(len(self.hits) - 1, current + step))

    def action_move(self, step: int) -> None:
        """Up/Down while the list has focus."""
        self.move(step)

    def action_choose(self) -> None:
        """Enter while the list has focus."""
        if self.highlighted_id is not None:
            self.post_message(self.Chosen(self, self.highlighted_id))

    @property
    def highlighted_id(self) -> str | None:
        """The article id under the highlight."""
        if self.highlighted is None or not self.hits:
            return None
        return self.hits[self.highlighted].id

    def watch_highlighted(self) -> None:
        """Repaint when the highlight moves."""
        self._strip_key = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """One screen line (Line API: strips are built once per result list and width)."""
        width = self.size.width
        key = (width, self.highlighted, id(self._lines))
        if key != self._strip_key:
            self._strips = self._build_strips(width)
            self._strip_key = key
        if y < len(self._strips):
            return self._strips[y]
        return self._blank

    def _build_strips(self, width: int) -> list[Strip]:
        console = self.app.console
        base = self.rich_style
        self._blank = Strip.blank(width, base)
        strips = []
        if self.no_match:
            style = self.get_component_rich_style("result-list--no-match")
            notice = Text(NO_MATCH, style=style, no_wrap=True, overflow="ellipsis")
            notice.truncate(width, overflow="ellipsis", pad=True)
            segments = list(Segment.apply_style(notice.render(console), base))
            strips.append(Strip(segments, width).crop(0, width))
        for index, pair in enumerate(self._lines):
            for text in pair:
                line = text.copy()
                line.truncate(width, overflow="ellipsis", pad=True)
                if index == self.highlighted:
                    line.stylize(HIGHLIGHT)
                segments = list(Segment.apply_style(line.render(console), base))
                strips.append(Strip(segments, width).crop(0, width))
        return strips
