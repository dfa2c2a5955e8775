"""Catalogue HTML to clean text: paragraphs split by a blank line, list items as marked lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: The marker html_to_text puts before a list item: "- " or "1. " (possibly indented).
LIST_ITEM = re.compile(r"^\s*(?:-|\d+\.)\s+")

_BLOCKS = {"p", "div", "section", "article", "blockquote", "table", "tr", "pre"}
_BLOCKS |= {f"h{level}" for level in range(1, 7)}
_CELLS = ("td", "th")
_HIDDEN = ("script", "style")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass
class _ListState:
    """An open `ul`/`ol` and how many items it has had."""

    kind: str
    items: int = 0


class _TextBuilder(HTMLParser):
    """Collects text as lines: blocks become paragraphs, list items lines with a marker."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # "" marks a paragraph break
        self._parts: list[str] = []
        self._prefix = ""
        self._marker = False
        self._lists: list[_ListState] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._skip += 1
        elif tag == "br":
            self._end_line()
        elif tag in ("ul", "ol"):
            self._end_line(paragraph=not self._lists)
            self._lists.append(_ListState(tag))
        elif tag == "li":
            self._start_item()
        elif tag in _BLOCKS or tag in _CELLS:
            self._end_line(paragraph=not self._lists and tag not in _CELLS)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._skip = max(self._skip - 1, 0)
        elif tag in ("ul", "ol"):
            self._end_line(paragraph=len(self._lists) == 1)
            if self._lists:
                self._lists.pop()
            self._prefix, self._marker = "", False
        elif tag == "li":
            self._end_line()
            self._prefix = ""
        elif tag in _BLOCKS:
            self._end_line(paragraph=not self._lists)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        # Text typed with blank lines inside one element ("150 Euro\r\n\nunbefristet: ...")
        # was meant as separate lines; single newlines are ordinary HTML whitespace.
        first, *more = re.split(r"\r?\n[ \t\r]*\n", data)
        self._parts.append(first)
        for part in more:
            self._end_line()
            self._parts.append(part)

    def _start_item(self) -> None:
        self._end_line()
        depth = max(len(self._lists), 1)
        state = self._lists[-1] if self._lists else _ListState("ul")
        state.items += 1
        marker = f"{state.items}." if state.kind == "ol" else "-"
        self._prefix = "  " * (depth - 1) + marker + " "
        self._marker = True

    def _end_line(self, paragraph: bool = False) -> None:
        text = " ".join("".join(self._parts).translate(_INVISIBLE).split())
        self._parts = []
        if text:
            self.lines.append(self._prefix + text)
            # Further lines of the same list item are indented under its text.
            self._prefix = " " * len(self._prefix) if self._lists else ""
            self._marker = False
        elif self._marker:
            return  # an item still waiting for its text keeps its marker
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        """Everything fed so far, with at most one blank line in a row."""
        self.close()
        self._end_line()
        out: list[str] = []
        for line in self.lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


def html_to_text(html: str | None) -> str:
    """Clean text from catalogue HTML: paragraphs split by a blank line, list items as `- `
    (or `1. `) lines; entities decoded, scripts and invisible characters dropped."""
    if not html:
        return ""
    builder = _TextBuilder()
    builder.feed(html.replace("\xa0", " "))
    return builder.text()


def text_lines(text: str, keep_breaks: bool = False) -> list[str]:
    """The lines of cleaned text without list markers; paragraph breaks as "" if asked."""
    lines = (LIST_ITEM.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line or keep_breaks]
