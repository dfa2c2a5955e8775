"""One AMI client connection of the simulator: framing in, responses out."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from telephony.parse import Frame, encode_frame, parse_frame
from telephony.sim.reader import MAX_LINE_BYTES, ActionReader

if TYPE_CHECKING:
    from telephony.sim.server import PbxSimulator

#: The banner of Asterisk 22 (AMI protocol 11).
BANNER = b"Asterisk Call Manager/11.0.0\r\n"
#: Most AMI connections served at once; a further one is closed at once (and logged).
MAX_CONNECTIONS = 64
#: Every event class: what a session receives until it sets its own mask.
ALL_CLASSES = frozenset({"system", "call", "log", "verbose", "command", "agent", "user",
    "config", "dtmf", "reporting", "cdr", "dialplan", "originate", "agi", "cc", "aoc",
    "test", "security", "message"})  # fmt: skip


class Session(asyncio.Protocol):
    """One AMI client connection."""

    def __init__(self, server: PbxSimulator) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.authenticated = False
        self.mask: set[str] = set(ALL_CLASSES)
        self._reader = ActionReader()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Send the banner, or close at once when MAX_CONNECTIONS are served already."""
        assert isinstance(transport, asyncio.Transport)
        if len(self.server.sessions) >= MAX_CONNECTIONS:
            self.server.bad.report(f"connection refused: {MAX_CONNECTIONS} connections open")
            transport.close()
            return
        self.transport = transport
        self.server.sessions.add(self)
        transport.write(BANNER)

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the session."""
        self.server.sessions.discard(self)

    def data_received(self, data: bytes) -> None:
        """Split actions off the stream (bounded, see sim.reader) and answer each."""
        dropped = self._reader.dropped
        actions = self._reader.feed(data)
        if self._reader.dropped > dropped:
            self.server.bad.report(f"action with a line over {MAX_LINE_BYTES} bytes dropped")
        for lines in actions:
            try:
                frame = parse_frame("\r\n".join(lines))
            except ValueError:
                self.server.bad.report("malformed action dropped")
                continue
            if frame.kind == "action":
                self.server.handle(self, frame)

    def write(self, data: bytes) -> None:
        """Send bytes unless the connection is closing."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def respond(self, frame: Frame, status: str = "Success", **fields: str) -> None:
        """Send `Response: <status>` with the action's ActionID first, as Asterisk does."""
        headers = {"ActionID": frame.action_id} if frame.action_id else {}
        headers.update(fields)
        self.write(encode_frame(("Response", status), headers))

    def error(self, frame: Frame, message: str) -> None:
        """Send `Response: Error` with a message."""
        self.respond(frame, "Error", Message=message)
