"""The AMI byte stream split into frames: bounded in memory, nothing lost, oversized dropped."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telephony.exceptions import ProtocolError
from telephony.framing import (
    MAX_BANNER_BYTES,
    MAX_FRAME_BYTES,
    FrameSplitter,
    FrameTooLarge,
    banner,
)
from telephony.parse import MAX_FRAME_LINES, parse_frame

FRAMES = [b"Event: A\r\nLinkedid: 1", b"Response: Success\r\nActionID: x", b"Event: B"]
STREAM = b"".join(f + b"\r\n\r\n" for f in FRAMES)


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_any_chunking_gives_the_same_frames(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(STREAM)]
    splitter = FrameSplitter()
    got = [f for a, b in itertools.pairwise(points) for f in splitter.feed(STREAM[a:b])]
    assert got == FRAMES and splitter.pending == 0 and splitter.oversized == 0


def test_an_unterminated_frame_is_bounded_and_dropped() -> None:
    """10 MB without a blank line, read as the socket delivers it: memory stays bounded."""
    splitter = FrameSplitter()
    chunk = b"X" * 65_536
    splitter.feed(b"Event: Flood\r\nData: ")
    for _ in range(160):
        assert splitter.feed(chunk) == []
        assert splitter.pending <= MAX_FRAME_BYTES + len(chunk)
    assert splitter.oversized == 1
    assert splitter.feed(b"\r\n\r\n" + STREAM) == FRAMES  # reading goes on at the next frame
    assert splitter.oversized == 1 and splitter.pending == 0


def test_a_complete_frame_over_the_limit_is_dropped() -> None:
    big = b"Event: Big\r\nData: " + b"Y" * MAX_FRAME_BYTES
    splitter = FrameSplitter()
    assert splitter.feed(big + b"\r\n\r\n" + STREAM) == FRAMES
    assert splitter.oversized == 1


def test_the_end_of_an_oversized_frame_split_across_reads() -> None:
    splitter = FrameSplitter(max_frame=10)
    assert splitter.feed(b"Z" * 30 + b"\r\n\r") == []
    assert splitter.feed(b"\nEvent: B\r\n\r\n") == [b"Event: B"]
    assert splitter.oversized == 1


def test_banner() -> None:
    assert banner(b"Asterisk Call") is None
    assert banner(b"Asterisk Call Manager/11.0.0\r\nResponse") == (
        b"Asterisk Call Manager/11.0.0",
        b"Response",
    )
    with pytest.raises(FrameTooLarge, match=f"no AMI banner within {MAX_BANNER_BYTES} bytes"):
        banner(b"A" * (MAX_BANNER_BYTES + 1))


def test_a_frame_with_too_many_lines_is_refused() -> None:
    lines = ["Event: Many", *(f"X{n}: {n}" for n in range(MAX_FRAME_LINES))]
    with pytest.raises(ProtocolError, match=f"more than {MAX_FRAME_LINES} lines"):
        parse_frame("\r\n".join(lines))
    assert parse_frame("\r\n".join(lines[:MAX_FRAME_LINES])).name == "Many"
