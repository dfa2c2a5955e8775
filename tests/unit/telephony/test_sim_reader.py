"""The simulator reads actions as Asterisk does: LF ends a line, lines and headers are bounded."""

from __future__ import annotations

from telephony.sim.reader import MAX_HEADERS, MAX_LINE_BYTES, ActionReader

DATA = (
    b"Action: Ping\r\nActionID: 1\r\n\r\n"
    b"Action: Login\nUsername: " + b"x" * 2000 + b"\n\n"
    b"Action: Ping\nActionID: a\rb\n\n"
)
EXPECTED = [["Action: Ping", "ActionID: 1"], ["Action: Ping", "ActionID: a\rb"]]


def test_any_chunking_reads_the_same_actions() -> None:
    for size in (1, 2, 7, 100, len(DATA)):
        reader = ActionReader()
        got = [a for n in range(0, len(DATA), size) for a in reader.feed(DATA[n : n + size])]
        assert got == EXPECTED and reader.dropped == 1


def test_an_unterminated_line_is_bounded() -> None:
    """10 MB without a line end, as the socket delivers it: at most one line is held."""
    reader = ActionReader()
    reader.feed(b"Action: Ping\r\nActionID: ")
    for _ in range(160):
        assert reader.feed(b"A" * 65_536) == []
        assert len(reader._line) <= MAX_LINE_BYTES + 1
    assert reader.feed(b"\r\n\r\nAction: Ping\r\nActionID: 2\r\n\r\n") == [
        ["Action: Ping", "ActionID: 2"]
    ]
    assert reader.dropped == 1


def test_headers_beyond_the_maximum_are_ignored() -> None:
    lines = b"".join(b"X%d: 1\r\n" % n for n in range(MAX_HEADERS + 10))
    (action,) = ActionReader().feed(b"Action: Ping\r\n" + lines + b"\r\n")
    assert len(action) == MAX_HEADERS and action[0] == "Action: Ping"
