"""Hostile outside text for the terminal-safe tests, and what must never reach a terminal."""

from __future__ import annotations

#: Clears the screen (CSI 2 J).
CLEAR = "\x1b[2J"
#: OSC 52: writes "Hack" to the clipboard of the agent's terminal.
CLIPBOARD = "\x1b]52;c;SGFjaw==\x07"
#: OSC 0: sets the window title (ended by BEL).
TITLE = "\x1b]0;pwned\x07"
#: RIGHT-TO-LEFT OVERRIDE: shows the text after it reversed.
RLO = "\u202e"
#: An 8-bit CSI (C1 control): SGR red on terminals that honour C1.
CSI8 = "\x9b31m"
#: Textual markup that would turn text into a link that quits the app, and a style.
MARKUP = "[@click=app.quit]x[/] [bold red]Z"

#: All of the above in one string, with a NUL.
HOSTILE = f"A{CLEAR}{CLIPBOARD}{TITLE}{RLO}B\x00C{CSI8}{MARKUP}"
#: HOSTILE as a YAML double-quoted scalar, as an editor's file may hold it.
HOSTILE_YAML = (
    '"A\\e[2J\\e]52;c;SGFjaw==\\a\\e]0;pwned\\a\\u202EB\\0C\\x9b31m'
    '[@click=app.quit]x[/] [bold red]Z"'
)
#: HOSTILE as the agent sees it: every control visible, markup literal.
HOSTILE_SHOWN = "A␛[2J␛]52;c;SGFjaw==␇␛]0;pwned␇\ufffdB␀C\ufffd31m" + MARKUP

#: Sequences that must never be written to a terminal (Textual's own output has other ESCs).
NEVER_WRITTEN = (CLEAR, "\x1b]52", "\x1b]0;", "\x07", "\x00", RLO, "\x9b")
#: Characters that must never be in plain output (no escape sequences are expected there).
NEVER_IN_TEXT = ("\x1b", "\x07", "\x00", RLO, "\x9b")


def assert_never_written(output: str) -> None:
    """Fail when `output` (a terminal byte stream as text) holds a hostile sequence."""
    found = [repr(s) for s in NEVER_WRITTEN if s in output]
    assert not found, f"written to the terminal: {', '.join(found)}"


def assert_plain_safe(output: str) -> None:
    """Fail when plain-text output holds a control or bidi character of HOSTILE."""
    found = [repr(s) for s in NEVER_IN_TEXT if s in output]
    assert not found, f"in the output: {', '.join(found)}"
