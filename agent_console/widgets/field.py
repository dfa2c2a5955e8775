"""A text field with a steady cursor: what it shows never depends on when it is drawn."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class Field(Input):
    """An Input whose cursor does not blink.

    Textual's Input toggles its cursor every half second, so two renders of the same text a
    moment apart differ (cursor cell shown or not). The console's fields keep the cursor on
    while they have focus: a steady screen is easier to read at a desk all day, and a render
    depends only on the state (the snapshots showed the blink phase on a busy machine).
    """

    cursor_blink = reactive(False, init=False)
    """Off: the cursor is shown while the field has focus, always."""
