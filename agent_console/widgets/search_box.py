"""The search box: typing searches; Up/Down move through the results without leaving it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from agent_console.widgets.field import Field


class SearchBox(Field):
    """A steady field that also reports Up/Down so the result list can follow the keyboard."""

    DEFAULT_CSS = """
    SearchBox {
        height: 3;  /* fixed: an auto height re-lays out the whole screen on every key */
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Nächster Treffer", show=False),
        Binding("up", "move(-1)", "Voriger Treffer", show=False),
    ]

    class Moved(Message):
        """The agent pressed Up or Down in the search box."""

        def __init__(self, search_box: SearchBox, step: int) -> None:
            super().__init__()
            self.search_box = search_box
            self.step = step

        @property
        def control(self) -> SearchBox:
            """The search box."""
            return self.search_box

    @property
    def content_width(self) -> int:
        """At least the visible width, so typing changes no virtual size (no screen re-layout)."""
        return max(super().content_width, self.scrollable_content_region.width)

    def action_move(self, step: int) -> None:
        """Ask the screen to move the highlighted result."""
        self.post_message(self.Moved(self, step))
