"""The CLI's terminal edge: everything `lotse` prints passes the terminal-safe text rule.

`lotse` prints outside text (KB titles, caller names, agent ids, notes, error messages that
quote input). Instead of trusting every print, `cli.main` wraps stdout and stderr for the
whole run, so every write, log record and argparse message shows controls, escape sequences
and bidi controls visibly (`kb.safe_text.terminal_safe`); tab and newline stay. The Textual
apps are not affected: their driver writes to the original terminal stream.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from kb.safe_text import BIDI_CONTROLS, SEPARATORS, terminal_safe

#: Code points JSON leaves raw with ensure_ascii=False that a terminal must not receive.
_JSON_ESCAPES = {
    code: f"\\u{code:04x}"
    for code in [*range(0x7F, 0xA0), *map(ord, BIDI_CONTROLS + SEPARATORS), *range(0xD800, 0xE000)]
}


class SafeStream:
    """A text stream that writes everything through `terminal_safe` (multi-line)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text` in its terminal-safe form; returns the length given (as print expects)."""
        self.stream.write(terminal_safe(text, multiline=True))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        """Write each line through `write`."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def safe_streams() -> Iterator[None]:
    """Wrap sys.stdout and sys.stderr in SafeStream for the block; restore them afterwards."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def safe_json(value: object, **options: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)` with the unsafe code points that JSON leaves raw
    (DEL, C1 controls, bidi controls, lone surrogates) written as \\u escapes: lossless, valid
    JSON, and terminal-safe (JSON escapes C0 controls itself)."""
    return json.dumps(value, ensure_ascii=False, **options).translate(_JSON_ESCAPES)
