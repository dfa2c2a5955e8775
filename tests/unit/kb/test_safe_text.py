"""The terminal-safe text rule: controls, escape sequences and bidi controls never get through."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kb.safe_text import BIDI_CONTROLS, clean_text, clean_values, terminal_safe
from tests.hostile import CLIPBOARD, HOSTILE, HOSTILE_SHOWN, MARKUP, RLO, TITLE


def unsafe(text: str, allowed: str = "") -> list[str]:
    """Characters a terminal could act on: controls, bidi controls, surrogates, separators."""
    return [
        c
        for c in text
        if c not in allowed
        and (unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"} or c in BIDI_CONTROLS)
    ]


def test_hostile_text_is_shown_visibly_one_for_one() -> None:
    shown = terminal_safe(HOSTILE)
    assert shown == HOSTILE_SHOWN
    assert len(shown) == len(HOSTILE)  # highlight spans computed on the original stay valid
    assert unsafe(shown) == []


def test_each_hostile_piece() -> None:
    assert terminal_safe("\x1b[2J") == "␛[2J"
    assert terminal_safe(CLIPBOARD) == "␛]52;c;SGFjaw==␇"
    assert terminal_safe(TITLE) == "␛]0;pwned␇"
    assert terminal_safe(f"Evil{RLO}fdp.exe") == "Evil\ufffdfdp.exe"
    assert terminal_safe("a\x00b") == "a␀b"
    assert terminal_safe("\x9b2J\x85") == "\ufffd2J\ufffd"  # 8-bit CSI and NEL
    assert terminal_safe("a\udcffb") == "a\ufffdb"  # undecodable byte from the environment


def test_single_line_and_multi_line() -> None:
    assert terminal_safe("Name\tmit\nZeile\r") == "Name mit␊Zeile␍"
    text = "Zeile 1\r\nZeile 2\n\tEinzug\rÜberschrieben\u2028"
    assert terminal_safe(text, multiline=True) == "Zeile 1\nZeile 2\n\tEinzug␍Überschrieben\n"


def test_ordinary_text_is_unchanged() -> None:
    text = "Führerschein – 46,00 € · „Zuständig“ [Bürgerbüro] ★ ○ ● ✓ العربية עברית"
    assert terminal_safe(text) is text
    assert terminal_safe(text, multiline=True) is text
    assert clean_text(text) is text
    assert terminal_safe(MARKUP) == MARKUP  # markup is a matter for the widgets (plain Text)


@given(st.text())
def test_nothing_unsafe_gets_through(text: str) -> None:
    single = terminal_safe(text)
    assert len(single) == len(text)
    assert unsafe(single) == []
    assert unsafe(terminal_safe(text, multiline=True), allowed="\t\n") == []
    assert unsafe(clean_text(text), allowed="\t\n") == []


def test_clean_text_removes_whole_sequences() -> None:
    assert clean_text(HOSTILE) == "ABC" + MARKUP
    assert clean_text("\x1b[1mFett\x1b[0m und \x9b31mrot\x9b0m") == "Fett und rot"
    assert clean_text("Titel\x1bP1;2|daten\x1b\\ Ende") == "Titel Ende"  # DCS string
    assert clean_text("offen\x1b]8;;https://x.example\x1b\\Link") == "offenLink"  # OSC 8
    assert clean_text("Zeile\r\nzwei\ttab\x1b") == "Zeile\nzwei\ttab"  # a lone ESC dropped


def test_clean_values_cleans_keys_and_nested_values() -> None:
    data = {"name\x1b": ["a\u202eb", {"x": "c\x07"}], "n": 3, "ok": None}
    assert clean_values(data) == {"name": ["ab", {"x": "c"}], "n": 3, "ok": None}
