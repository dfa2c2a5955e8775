"""One regression test per asterisk-ami 0.1.7 defect fixed in telephony/ami.py.

Each test first shows the defect in the unwrapped library where that is quick
and safe, then asserts the wrapper's behaviour. The server is the built-in
simulator on a free loopback port.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import warnings
from collections.abc import AsyncIterator

import pytest
from asterisk.ami import AMIClient, AutoReconnect, FutureResponse, Response, SimpleAction

from telephony.ami import AmiSession, LotseAmiClient, _SafeFuture
from telephony.bridge import AmiBridge, BridgeConfig
from telephony.parse import Frame
from telephony.sim import PbxSimulator

SECRET = "s3cret"
#: The unwrapped library is exercised on purpose; its notifyAll warning is expected there.
pytestmark = pytest.mark.filterwarnings("ignore:notifyAll:DeprecationWarning")


@pytest.fixture
async def sim() -> AsyncIterator[PbxSimulator]:
    async with PbxSimulator(port=0) as simulator:
        yield simulator


def _noop(*_: object) -> None:
    return None


def _login(client: AMIClient) -> Response | None:
    future = client.send_action(SimpleAction("Login", Username="agentconsole", Secret=SECRET))
    return future.response


def _ping(client: AMIClient) -> Response | None:
    return client.send_action(SimpleAction("Ping")).response


async def _client(sim: PbxSimulator, sink: object = _noop) -> LotseAmiClient:
    client = LotseAmiClient("127.0.0.1", sim.port, sink, _noop, poll=0.1)  # type: ignore[arg-type]
    await asyncio.to_thread(client.connect)
    await asyncio.sleep(0.05)  # banner
    return client


async def test_defect1_quiet_line_no_longer_kills_the_reader(sim: PbxSimulator) -> None:
    raw = AMIClient("127.0.0.1", sim.port, timeout=0.1)
    await asyncio.to_thread(raw.connect)
    await asyncio.sleep(0.4)  # quiet: the library's recv timeout fires
    assert await asyncio.to_thread(_login, raw) is None, "0.1.7 defect no longer present?"
    raw.disconnect()

    client = await _client(sim)
    await asyncio.sleep(0.4)  # several poll ticks without traffic
    assert (await asyncio.to_thread(_login, client)).status == "Success"
    assert (await asyncio.to_thread(_ping, client)).keys["Ping"] == "Pong"
    client.shutdown()


async def test_defect2_bridge_keepalive_pings_without_autoreconnect(sim: PbxSimulator) -> None:
    bridge = AmiBridge(BridgeConfig(port=sim.port, secret=SECRET, ping_interval=0.2))
    await bridge.start()
    await bridge.wait_connected(3)
    await asyncio.sleep(0.7)
    assert sim.actions_seen.count("Ping") >= 2
    assert bridge.state == "connected"
    await bridge.stop()


async def test_defect3_reader_is_daemon_and_process_exits_without_logoff(
    sim: PbxSimulator,
) -> None:
    assert AutoReconnect(AMIClient()).daemon is False, "0.1.7: AutoReconnect is non-daemon"
    client = await _client(sim)
    assert client._thread.daemon and client._thread.name == "ami-reader"
    client.shutdown()
    script = (
        "import time\n"
        "from telephony.ami import LotseAmiClient\n"
        f"c = LotseAmiClient('127.0.0.1', {sim.port}, lambda *a: None, lambda *a: None)\n"
        "c.connect(); time.sleep(0.2)\n"
        "print('leaving without logoff')\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 10)
    assert proc.returncode == 0 and b"leaving" in out


async def test_defect4_listener_and_callback_exceptions_do_not_kill_the_reader(
    sim: PbxSimulator,
) -> None:
    with pytest.raises(NameError):  # 0.1.7: response.py uses traceback without importing it
        FutureResponse(callback=lambda r: 1 / 0).response = Response("Success", {})

    def bad_sink(frame: Frame, arrived: float) -> None:
        raise RuntimeError("listener bug")

    client = await _client(sim, bad_sink)
    assert (await asyncio.to_thread(_login, client)).status == "Success"

    def failing_callback_then_ping() -> Response | None:
        client.send_action(SimpleAction("Ping"), callback=lambda r: 1 / 0).response  # noqa: B018
        return _ping(client)

    assert (await asyncio.to_thread(failing_callback_then_ping)).keys["Ping"] == "Pong"
    assert client._thread.is_alive()
    client.shutdown()


async def test_defect5_list_actions_collect_every_item(sim: PbxSimulator) -> None:
    raw = AMIClient("127.0.0.1", sim.port, timeout=0.5)
    await asyncio.to_thread(raw.connect)
    await asyncio.to_thread(_login, raw)
    first = await asyncio.to_thread(
        lambda: raw.send_action(SimpleAction("QueueStatus", Queue="service115")).response
    )
    assert first.keys["EventList"] == "start", "0.1.7 resolves with the first response only"
    raw.disconnect()

    events: list[Frame] = []
    session = AmiSession("127.0.0.1", sim.port, lambda f, t: events.append(f), _noop)
    await session.open(3)
    await session.login("agentconsole", SECRET, "on", 3)
    reply = await session.action("QueueStatus", {"Queue": "service115"}, 3)
    names = [f.name for f in reply.events]
    assert names == ["QueueParams", "QueueMember", "QueueMember"]
    assert not any(f.name == "QueueMember" for f in events), "list items are not stray events"
    session.close()


class _RecordingSocket:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> int:  # what 0.1.7 calls: may write only part
        self.sent.append(bytes(data[:5]))
        return 5

    def sendall(self, data: bytes) -> None:
        self.sent.append(bytes(data))


def test_defect6_sendall_writes_whole_actions() -> None:
    raw = AMIClient()
    raw._socket = _RecordingSocket()
    raw.send(SimpleAction("Ping", ActionID="1"))
    assert raw._socket.sent == [b"Actio"], "0.1.7 uses send() and ignores partial writes"

    client = LotseAmiClient("127.0.0.1", 1, _noop, _noop)
    client._socket = _RecordingSocket()
    client.send(b"Action: Ping\r\nActionID: 1\r\n\r\n")
    assert client._socket.sent == [b"Action: Ping\r\nActionID: 1\r\n\r\n"]


async def test_defect6_concurrent_senders_do_not_interleave(sim: PbxSimulator) -> None:
    client = await _client(sim)
    await asyncio.to_thread(_login, client)
    results: list[Response | None] = []

    def worker() -> None:
        for _ in range(25):
            results.append(_ping(client))

    threads = [threading.Thread(target=worker) for _ in range(6)]

    def run_all() -> None:
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    await asyncio.to_thread(run_all)
    assert len(results) == 150 and all(r is not None and r.status == "Success" for r in results)
    client.shutdown()


def test_defect7_action_ids_unique_across_threads() -> None:
    client = LotseAmiClient("127.0.0.1", 1, _noop, _noop)
    ids: list[str] = []

    def take() -> None:
        ids.extend(client.next_action_id() for _ in range(2000))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 16000
    other = LotseAmiClient("127.0.0.1", 1, _noop, _noop)
    assert other.next_action_id() not in ids, "ids are unique per connection too"


def test_defect8_no_notifyall_deprecation() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning):
            FutureResponse().response = Response("Success", {})
        future = _SafeFuture(None, 1)
        future.response = Response("Success", {})
        assert future.response.status == "Success"


def test_safe_future_times_out_with_none() -> None:
    started = time.monotonic()
    assert _SafeFuture(None, 0.05).response is None
    assert time.monotonic() - started < 1


class _ScriptedSocket:
    """recv() hands out prepared chunks, then b"" (the peer closed)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.largest_read = 0

    def recv(self, size: int) -> bytes:
        self.largest_read = max(self.largest_read, size)
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        return None


def _frames_read(client: AMIClient, chunks: list[bytes]) -> list[str]:
    client._socket = _ScriptedSocket(chunks)
    client.finished = threading.Event()
    return list(client._next_pack())


def test_defect9_an_unterminated_frame_is_bounded_and_skipped() -> None:
    flood = [b"Asterisk Call Manager/11.0.0\r\nEvent: Flood\r\nData: ", *[b"X" * 65_536] * 32]
    ending = [b"\r\n\r\nEvent: After\r\nLinkedid: 1\r\n\r\n"]
    raw = AMIClient("127.0.0.1", 0, buffer_size=65_536)
    frames = _frames_read(raw, [*flood, *ending])
    assert len(frames[1]) > 2_000_000, "0.1.7 defect no longer present?"  # kept whole

    client = LotseAmiClient("127.0.0.1", 0, _noop, _noop)
    frames = _frames_read(client, [*flood, *ending])
    assert frames == ["Asterisk Call Manager/11.0.0", "Event: After\r\nLinkedid: 1"]
    assert client.malformed == 1 and client.bad.total == 1
