"""Actions from an AMI client, read as Asterisk's manager reads them: line by line, bounded (pure).

Asterisk ends a line at LF (a CR before it is dropped), ends an action at an empty line,
discards a line longer than its input buffer and ignores headers beyond its maximum. The
simulator does the same, so a client that never ends a line costs at most MAX_LINE_BYTES.
"""

from __future__ import annotations

#: Longest action line (bytes, without the line end), as Asterisk's manager input buffer. An
#: action with a longer line is dropped as a whole (counted in `dropped`).
MAX_LINE_BYTES = 1024
#: Most header lines of one action (Asterisk's AST_MAX_MANHEADERS); later lines are ignored.
MAX_HEADERS = 128


class ActionReader:
    """Feed bytes as they arrive; get complete actions back as lists of lines."""

    def __init__(self) -> None:
        self.dropped = 0
        """Actions dropped because a line was longer than MAX_LINE_BYTES."""
        self.ignored_headers = 0
        """Header lines beyond MAX_HEADERS that were ignored."""
        self._line = bytearray()
        self._lines: list[str] = []
        self._too_long = False
        """The current action had a line longer than MAX_LINE_BYTES."""
        self._in_long_line = False
        """Dropping bytes up to the end of a line that is too long."""

    def feed(self, data: bytes) -> list[list[str]]:
        """Add `data`; return the actions it completed, in order."""
        actions: list[list[str]] = []
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            piece, start = data[start:end], end + 1
            if self._in_long_line:  # the end of a line already found too long
                self._in_long_line = False
                continue
            self._line += piece
            raw = bytes(self._line).removesuffix(b"\r")
            self._line.clear()
            if len(raw) > MAX_LINE_BYTES:
                self._too_long = True
            elif raw:
                self._add(raw.decode("utf-8", errors="replace"))
            elif self._too_long:
                self.dropped += 1
                self._lines, self._too_long = [], False
            elif self._lines:
                actions.append(self._lines)
                self._lines = []
        if not self._in_long_line:
            self._line += data[start:]
            if len(self._line) > MAX_LINE_BYTES + 1:  # + 1: the CR that may end it
                self._line.clear()
                self._too_long = self._in_long_line = True
        return actions

    def _add(self, line: str) -> None:
        if len(self._lines) < MAX_HEADERS:
            self._lines.append(line)
        else:
            self.ignored_headers += 1
