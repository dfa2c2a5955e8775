"""The simulator against a hostile AMI client: bounded reading, clean replies, few connections."""

from __future__ import annotations

import asyncio
import logging

import pytest

from telephony.sim import PbxSimulator
from telephony.sim.reader import MAX_LINE_BYTES
from telephony.sim.server import MAX_CONNECTIONS


async def connect(sim: PbxSimulator) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    assert await reader.readline() == b"Asterisk Call Manager/11.0.0\r\n"
    return reader, writer


async def reply(reader: asyncio.StreamReader) -> bytes:
    return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)


async def test_an_unterminated_line_then_a_ping(caplog: pytest.LogCaptureFixture) -> None:
    """20 MB without a line end used to be kept whole and re-split on every read."""
    caplog.set_level(logging.WARNING)
    async with PbxSimulator(port=0) as sim:
        reader, writer = await connect(sim)
        writer.write(b"Action: Login\r\nUsername: ")
        for _ in range(320):
            writer.write(b"A" * 65_536)
            await writer.drain()
        (session,) = sim.sessions
        assert len(session._reader._line) <= MAX_LINE_BYTES + 1
        writer.write(b"\r\n\r\nAction: Ping\r\nActionID: p1\r\n\r\n")
        answer = await reply(reader)
        assert b"Response: Error\r\nActionID: p1\r\nMessage: Permission denied" in answer
        assert session._reader.dropped == 1 and sim.actions_seen == ["Ping"]
        writer.close()
    assert [r.getMessage() for r in caplog.records] == [
        f"PBX simulator: action with a line over {MAX_LINE_BYTES} bytes dropped; further ones "
        "are counted and reported at most every 60 s"
    ]


async def test_replies_never_carry_a_bare_line_end() -> None:
    """A bare LF or CR sent inside a value must not end a line of the reply."""
    async with PbxSimulator(port=0) as sim:
        reader, writer = await connect(sim)
        writer.write(b"Action: Login\r\nUsername: agentconsole\r\nSecret: s3cret\r\n"
                     b"Events: off\r\n\r\n")  # fmt: skip
        writer.write(b"Action: Ping\nActionID: a\rInjected: 1\n\n")
        writer.write(b"Action: No\rSuch\r\nActionID: b\r\n\r\n")
        answers = b""
        while b"ActionID: b" not in answers:
            answers += await reply(reader)
        writer.close()
    assert b"ActionID: a Injected: 1\r\n" in answers and b"command: No Such." in answers
    assert b"\n" not in answers.replace(b"\r\n", b"") and b"\r" not in answers.replace(b"\r\n", b"")


async def test_connections_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    async with PbxSimulator(port=0) as sim:
        open_ = [await connect(sim) for _ in range(MAX_CONNECTIONS)]
        reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed at once, no banner
        writer.close()
        for _, w in open_:
            w.close()
    assert len(caplog.records) == 1
    assert f"{MAX_CONNECTIONS} connections open" in caplog.records[0].getMessage()
