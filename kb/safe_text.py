"""Terminal-safe text: outside text can never drive a terminal or reorder what it shows (pure).

Text from outside Lotse (KB files, a DLDB export, caller names chosen by the caller, the call
log) may hold control characters, ANSI/OSC escape sequences (clear the screen, set the window
title, write the clipboard with OSC 52) or bidi overrides that display text in another order
than it is stored. Two rules, one table of what is unsafe:

- `terminal_safe` (display): every unsafe character is replaced by a visible one, one for one:
  C0 controls and DEL by their control pictures (ESC shows as ␛, NUL as ␀), C1 controls, bidi
  controls and lone surrogates by U+FFFD. An escape sequence thus shows as harmless text
  ("␛[2J"). Single-line text keeps the length in code points (highlight spans stay valid).
- `clean_text` (files an importer writes): escape sequences are removed as a whole, the other
  unsafe characters dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: The substitute for a C1 control, a bidi control or a lone surrogate.
REPLACEMENT = "\ufffd"
#: Bidi embeddings, overrides, isolates and marks (Trojan Source): ALM, LRM, RLM, LRE-RLO, LRI-PDI
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Line and paragraph separators some renderers break lines at.
SEPARATORS = "\u2028\u2029"

_C0 = {code: 0x2400 + code for code in range(0x20)}  # ␀ ... ␟
_C0[0x7F] = 0x2421  # ␡
_OTHER = {code: REPLACEMENT for code in range(0x80, 0xA0)}
_OTHER.update((ord(c), REPLACEMENT) for c in BIDI_CONTROLS + SEPARATORS)
_OTHER.update((code, REPLACEMENT) for code in range(0xD800, 0xE000))

_SINGLE_LINE: dict[int, int | str] = {**_C0, **_OTHER, ord("\t"): " "}
_MULTI_LINE: dict[int, int | str] = {**_SINGLE_LINE, ord("\t"): "\t", ord("\n"): "\n"}
_MULTI_LINE.update((ord(c), "\n") for c in SEPARATORS)
_DROP: dict[int, None] = dict.fromkeys(c for c in [*_C0, *_OTHER] if c not in (9, 10))

_UNSAFE = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}{SEPARATORS}\\ud800-\\udfff]"
)
#: ECMA-48 escape sequences, 7-bit and 8-bit: CSI, strings (OSC, DCS, SOS, PM, APC), others.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """`text` with every control, bidi control and lone surrogate shown as a visible character.

    Args:
        text: outside text about to be displayed.
        multiline: keep tab and newline (a CR before a newline is dropped, line and paragraph
            separators become newlines); otherwise tab becomes a space and a newline ␊.
    """
    if multiline:
        if not _UNSAFE.search(text):
            return text
        return text.replace("\r\n", "\n").translate(_MULTI_LINE)
    if text.isprintable():
        return text
    return text.translate(_SINGLE_LINE)


def clean_text(text: str) -> str:
    """`text` without escape sequences, controls (but tab and newline) and bidi controls."""
    if not _UNSAFE.search(text):
        return text
    return _SEQUENCE.sub("", text.replace("\r\n", "\n")).translate(_DROP)


def clean_values(value: object) -> object:
    """A parsed JSON/YAML document with `clean_text` applied to every string (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_values(k): clean_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_values(item) for item in value]
    return value
