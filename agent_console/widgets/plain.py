"""Outside text in widgets: shown as it is, never read as markup, controls made visible.

Textual reads a `str` given to Static, Label, notify, DataTable cells or SelectionList prompts
as markup: a caller named "[@click=app.quit]" would become a link. Outside text (KB, PBX,
call log, error messages) therefore enters widgets as Rich `Text` built by `plain`, which
also applies the terminal-safe rule (kb.safe_text).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from kb.safe_text import terminal_safe

T = TypeVar("T")


def plain(text: str, style: str = "", *, multiline: bool = False) -> Text:
    """Rich Text showing `text` literally (no markup), with controls shown visibly."""
    return Text(terminal_safe(text, multiline=multiline), style=style)


def safe_copy(value: T) -> T:
    """A KB model (or list, dict, string) with every string in it terminal-safe (multi-line)."""
    if isinstance(value, str):
        return cast(T, terminal_safe(value, multiline=True))
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return cast(T, value.model_copy(update={n: safe_copy(getattr(value, n)) for n in fields}))
    if isinstance(value, list | tuple):
        return cast(T, type(value)(safe_copy(item) for item in value))
    if isinstance(value, dict):
        return cast(T, {safe_copy(k): safe_copy(v) for k, v in value.items()})
    return value


def plain_cell(value: object) -> object:
    """A table cell: strings become plain Text; numbers and renderables stay."""
    return plain(value) if isinstance(value, str) else value


class PlainTable(DataTable[Any]):
    """A DataTable whose string cells are plain, terminal-safe text (never markup)."""

    def add_row(
        self,
        *cells: object,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        """Add a row; each string cell is shown literally."""
        return super().add_row(
            *map(plain_cell, cells),
            height=height,
            key=key,
            label=plain(label) if isinstance(label, str) else label,
        )
