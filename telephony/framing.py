"""The AMI byte stream from the PBX split into frames: bounded in memory, linear in time (pure).

asterisk-ami's reader appends every read to one bytes object and searches it from the start
each time: a peer that never ends a frame grows it without bound, in quadratic time. The
splitter here keeps at most MAX_FRAME_BYTES of an unfinished frame; a longer frame is
dropped as a whole (counted in `oversized`) and reading goes on at the next frame.
"""

from __future__ import annotations

#: The end of a frame on the wire.
FRAME_END = b"\r\n\r\n"
#: Largest frame kept (bytes before the blank line). Asterisk 22's frames in the recorded
#: traces are at most 2.7 KB; a larger frame is dropped and counted, the connection stays.
MAX_FRAME_BYTES = 65_536
#: Longest banner line accepted before the connection is given up as not an AMI server.
MAX_BANNER_BYTES = 256


class FrameTooLarge(Exception):
    """The banner line is longer than MAX_BANNER_BYTES (raised by `banner`)."""


class FrameSplitter:
    """Feed bytes as they arrive; get complete frames (without the blank line) back."""

    def __init__(self, max_frame: int = MAX_FRAME_BYTES) -> None:
        self.max_frame = max_frame
        self.oversized = 0
        """Frames dropped because they were longer than `max_frame`."""
        self._buffer = bytearray()
        self._scanned = 0
        """Bytes of the buffer already searched for FRAME_END."""
        self._skipping = False
        """Inside an oversized frame: drop bytes up to its end."""

    @property
    def pending(self) -> int:
        """Bytes held for the unfinished frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """Add `data`; return the frames it completed, in order (empty ones left out)."""
        buffer = self._buffer
        buffer += data
        frames: list[bytes] = []
        start, search = 0, max(0, self._scanned - len(FRAME_END) + 1)
        while (end := buffer.find(FRAME_END, search)) >= 0:
            if self._skipping:  # the end of an oversized frame
                self._skipping = False
            elif end - start > self.max_frame:
                self.oversized += 1
            elif buffer[start:end].strip():
                frames.append(bytes(buffer[start:end]))
            start = search = end + len(FRAME_END)
        del buffer[:start]
        if len(buffer) > self.max_frame:  # no end in sight: keep only what may begin FRAME_END
            self.oversized += 0 if self._skipping else 1
            self._skipping = True
            del buffer[: -(len(FRAME_END) - 1)]
        self._scanned = len(buffer)
        return frames


def banner(data: bytes, limit: int = MAX_BANNER_BYTES) -> tuple[bytes, bytes] | None:
    """(banner line, rest) once `data` holds the first line; None while it is incomplete.

    Raises FrameTooLarge when no line end came within `limit` bytes.
    """
    end = data.find(b"\r\n", 0, limit + 2)
    if end < 0:
        if len(data) > limit:
            raise FrameTooLarge(f"no AMI banner within {limit} bytes")
        return None
    return data[:end], data[end + 2 :]
