"""Garbage from the PBX: counted per kind, logged a few times, never per frame; calls go on."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from telephony.ami import AmiSession
from telephony.bridge import AmiBridge
from telephony.framing import MAX_BANNER_BYTES, MAX_FRAME_BYTES
from telephony.parse import MAX_FRAME_LINES
from tests.integration.telephony.conftest import Target, call_from, until

GARBAGE = (
    b"no colon here\r\nrubbish\r\n\r\n",  # not a frame
    b"Event: QueueCallerJoin\r\nChannel: PJSIP/x-1\r\nCallerIDName: \x1b[2J\r\n\r\n",  # no call
    b"Event: AgentConnect\r\nHoldTime: many\r\nInterface: Local/agent1@agents/n\r\n\r\n",
    b"Event: QueueEntry\r\nQueue: service115\r\n\r\n",
)


async def test_ten_thousands_of_bad_frames(
    pbx: Target, bridge: AmiBridge, caplog: pytest.LogCaptureFixture
) -> None:
    sim = pbx.require_sim()
    caplog.set_level(logging.WARNING)
    sim.send_raw(b"".join(GARBAGE) * 5_000)
    sim.send_raw(b"Event: Many\r\n" + b"X: 1\r\n" * MAX_FRAME_LINES + b"\r\n")
    sim.send_raw(b"Event: Big\r\nData: " + b"x" * MAX_FRAME_BYTES + b"\r\n\r\n")
    sim.offer_call("0234777", "Erika Mustermann")  # after all of it, on the same connection
    call = await until(bridge, call_from(bridge, "0234777"), timeout=30)
    assert call.caller_name == "Erika Mustermann"
    assert bridge.reconnects == 0 and bridge.state == "connected"
    assert bridge._session is not None
    counts = bridge._session.client.bad.counts
    assert counts["malformed frame dropped: empty or malformed AMI frame"] == 5_000
    assert counts["unusable event dropped: QueueCallerJoin without Linkedid"] == 5_000
    assert counts["unusable event dropped: QueueEntry without Linkedid"] == 5_000
    assert counts[f"malformed frame dropped: frame with more than {MAX_FRAME_LINES} lines"] == 1
    assert counts[f"frame over {MAX_FRAME_BYTES} bytes dropped"] == 1
    logged = [r for r in caplog.records if r.name.startswith("telephony")]
    assert len(logged) == 6  # one line per kind, no traceback, nothing per frame
    assert all(r.exc_info is None for r in logged)
    assert not any("\x1b" in r.getMessage() for r in logged)


async def test_a_peer_that_never_sends_a_banner_line(caplog: pytest.LogCaptureFixture) -> None:
    """Not an AMI server: the connection is given up after MAX_BANNER_BYTES, not buffered."""
    caplog.set_level(logging.WARNING)

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            for _ in range(64):  # 4 MB, never a line end
                writer.write(b"H" * 65_536)
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(talk, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    session = AmiSession("127.0.0.1", port, lambda f, t: None, lambda e: None)
    try:
        with pytest.raises(ConnectionError, match="before the banner"):
            await session.open(10)
    finally:
        session.close()
        server.close()
        await server.wait_closed()
    (record,) = [r for r in caplog.records if r.name == "telephony.ami"]
    assert f"no AMI banner within {MAX_BANNER_BYTES} bytes" in record.getMessage()
