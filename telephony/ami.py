"""The only module that opens the PBX socket: asterisk-ami 0.1.7, its defects fixed, under asyncio.

asterisk-ami is kept for its reader (it splits frames on bytes and decodes
whole frames, so UTF-8 names split across reads stay intact). Its defects in
0.1.7, each fixed here and pinned by a regression test in
tests/unit/telephony/test_ami_defects.py:

1. A quiet line kills the reader: the socket timeout (3 s) raises out of
   `_next_pack`, `listen` ends, every later response is None.
   -> `_PatientSocket` turns a timeout into a poll tick.
2. Only `AutoReconnect`'s Ping loop kept connections alive.
   -> not used; `AmiSession.ping` is driven by the bridge's keep-alive and
   reconnects happen in the bridge with backoff.
3. `AutoReconnect` is a non-daemon thread (the process hangs without logoff).
   -> not used; our reader thread is a named daemon and `close()` joins it.
4. An exception in a listener or action callback kills the reader thread
   (`response.py` calls `traceback` without importing it).
   -> `fire_recv_pack` contains every exception; `_SafeFuture` logs instead.
5. List actions (QueueStatus, CoreShowChannels) resolve with the first
   response; the items arrive as events with the same ActionID.
   -> `AmiSession.action` collects them up to `EventList: Complete`.
6. `socket.send` instead of `sendall` (partial writes) and no send lock.
   -> `send` uses `sendall` under a lock.
7. The ActionID counter is not locked. -> locked, and prefixed per connection.
8. `FutureResponse` calls the deprecated `notifyAll`. -> `_SafeFuture` uses `notify_all`.
9. `_next_pack` keeps an unfinished frame in memory without bound and searches it from the
   start on every read (quadratic). -> `_next_pack` uses telephony.framing (MAX_FRAME_BYTES,
   MAX_BANNER_BYTES); a longer frame is dropped and counted, the connection stays.

Bad input (malformed, oversized or unusable frames, failing handlers) never floods the log:
it is counted per kind and logged once, then at most once a minute (telephony.badinput).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from asterisk.ami import AMIClient, FutureResponse, Response

from telephony.badinput import BadInputLog
from telephony.exceptions import (
    ActionError,
    ActionTimeoutError,
    AuthenticationError,
    NotConnectedError,
    ProtocolError,
)
from telephony.framing import FrameSplitter, FrameTooLarge, banner
from telephony.parse import Frame, encode_action, parse_frame

log = logging.getLogger(__name__)

FrameSink = Callable[[Frame, float], None]
#: Frames handled per event-loop turn.
_DRAIN_BATCH = 256
_connection_ids = itertools.count(1)


class _PatientSocket:
    """Socket proxy whose recv() treats a timeout as a tick (defect 1), stamping arrivals."""

    def __init__(self, sock: socket.socket, finished: threading.Event) -> None:
        self._sock = sock
        self._finished = finished
        self.last_recv = 0.0

    def recv(self, size: int) -> bytes:
        """Bytes from the socket; b"" once closed or finished, never a timeout."""
        while True:
            try:
                data = self._sock.recv(size)
            except TimeoutError:
                if self._finished.is_set():
                    return b""
                continue
            except OSError:
                return b""
            self.last_recv = time.perf_counter()
            return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _SafeFuture(FutureResponse):
    """FutureResponse without the NameError on callback failure and without notifyAll."""

    def set_response(self, response: Response) -> None:
        """Store the response and wake waiters; a failing callback is logged, not raised."""
        try:
            if self._callback is not None:
                self._callback(response)
        except Exception:
            log.exception("AMI action callback failed")
        finally:
            with self._lock:
                self._response = response
                self._lock.notify_all()

    response = property(FutureResponse.get_response, set_response)


class LotseAmiClient(AMIClient):
    """asterisk-ami's AMIClient with the defects above fixed; frames go to `sink`."""

    def __init__(
        self,
        address: str,
        port: int,
        sink: FrameSink,
        on_closed: Callable[[BaseException | None], None],
        *,
        poll: float = 0.5,
        connect_timeout: float = 3.0,
        action_timeout: float = 3.0,
    ) -> None:
        super().__init__(address=address, port=port, timeout=poll, buffer_size=65536)
        self._action_timeout = action_timeout
        self._sink = sink
        self._on_closed = on_closed
        self._connect_timeout = connect_timeout
        self._id_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._prefix = f"lotse-{next(_connection_ids)}-"
        self.banner = ""
        self._closed = False
        self.malformed = 0
        """Frames that could not be parsed or were too large (dropped, never fatal)."""
        self.bad = BadInputLog(log, f"PBX {address}:{port}")
        """Bad input of this connection, counted per kind (logged without flooding)."""

    def connect(self) -> None:
        """Open the TCP connection (blocking) and start the daemon reader thread."""
        sock = socket.create_connection((self._address, self._port), self._connect_timeout)
        if self._closed:  # shut down while connecting (e.g. the caller's timeout expired)
            sock.close()
            raise ConnectionError("closed while connecting")
        sock.settimeout(self._timeout)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self.finished = threading.Event()
        self._socket = _PatientSocket(sock, self.finished)
        self._thread = threading.Thread(target=self.listen, name="ami-reader", daemon=True)
        self._thread.start()

    def _next_pack(self) -> Iterator[str]:
        """The banner line, then each frame: bounded and linear (defect 9)."""
        data = b""
        try:
            while (first := banner(data)) is None:
                if not (chunk := self._recv()):
                    return
                data += chunk
        except FrameTooLarge as exc:  # not an AMI server: give the connection up
            self.bad.report(str(exc))
            return
        line, rest = first
        yield self._decode_pack(line)
        splitter = FrameSplitter()
        chunk = rest
        while True:
            dropped = splitter.oversized
            for frame in splitter.feed(chunk):
                yield self._decode_pack(frame)
            if splitter.oversized > dropped:
                self.malformed += splitter.oversized - dropped
                self.bad.report(f"frame over {splitter.max_frame} bytes dropped")
            if not (chunk := self._recv()):
                return

    def _recv(self) -> bytes:
        """The next bytes, or b"" once the connection is closed or finished."""
        if self.finished.is_set():
            return b""
        data: bytes = self._socket.recv(self._buffer_size)
        if not data:
            self.finished.set()
            with contextlib.suppress(OSError):
                self._socket.close()
        return data

    def listen(self) -> None:
        """Run the library's reader; always report the end exactly once."""
        error: BaseException | None = None
        try:
            super().listen()
        except BaseException as exc:  # banner mismatch raises a bare Exception()
            error = exc
        finally:
            self.finished.set()
            self._on_closed(error)

    def next_action_id(self) -> str:
        """A unique ActionID (locked, prefixed per connection)."""
        with self._id_lock:
            self._action_counter += 1
            return f"{self._prefix}{self._action_counter}"

    def send(self, pack: Any) -> None:
        """Write a whole action (sendall, one writer at a time)."""
        data = pack if isinstance(pack, bytes) else (str(pack) + "\r\n").encode(self.encoding)
        with self._send_lock:
            if self._socket is None:
                raise ConnectionError("not connected")
            self._socket.sendall(data)

    def send_action(self, action: Any, callback: Any = None) -> FutureResponse:
        """The library's synchronous API, with the safe future."""
        action_id = action.keys.setdefault("ActionID", self.next_action_id())
        future = _SafeFuture(callback, self._action_timeout)
        self._futures[action_id] = future
        self.send(action)
        return future

    def fire_recv_pack(self, pack: str) -> None:
        """Parse one frame with telephony.parse and hand it on; nothing here may kill the thread."""
        if not self.banner:
            self.banner = self._ami_version or ""
        arrived = self._socket.last_recv or time.perf_counter()
        try:
            frame = parse_frame(pack)
        except ProtocolError as exc:
            self.malformed += 1
            self.bad.report(f"malformed frame dropped: {exc}", pack[:80])
            return
        try:
            if frame.kind == "response" and frame.action_id in self._futures:
                self.fire_recv_reponse(Response(frame.name, dict(frame.headers), []))
            self._sink(frame, arrived)
        except Exception as exc:
            self.bad.report(f"frame handler failed ({type(exc).__name__})", error=exc)

    def shutdown(self, join: float = 0.5) -> None:
        """Close the socket; wait up to `join` seconds for the daemon reader thread."""
        self._closed = True
        if self.finished is not None:
            self.finished.set()
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                self._socket.close()
        if join and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(join)


@dataclass
class Reply:
    """An action's answer: the response, plus the list items of list actions."""

    response: Frame
    events: list[Frame] = field(default_factory=list)


@dataclass
class _Pending:
    name: str
    future: asyncio.Future[Reply]
    reply: Reply | None = None


class AmiSession:
    """One AMI connection used from asyncio: frames arrive on the loop, actions are awaited."""

    def __init__(
        self,
        host: str,
        port: int,
        on_event: Callable[[Frame, float], None],
        on_closed: Callable[[BaseException | None], None],
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._on_event = on_event
        self._on_closed = on_closed
        self._pending: dict[str, _Pending] = {}
        self._inbox: deque[tuple[Frame, float]] = deque()
        self._drain_scheduled = False
        self._banner: asyncio.Future[None] = self._loop.create_future()
        self.closed = False
        self.last_traffic = time.monotonic()
        self.client = LotseAmiClient(host, port, self._from_thread, self._closed_from_thread)
        self.client.add_listener(on_connect=self._banner_from_thread)

    @property
    def malformed(self) -> int:
        """Malformed frames dropped on this connection."""
        return int(self.client.malformed)

    async def open(self, timeout: float) -> None:
        """Connect and wait for the AMI banner."""
        async with asyncio.timeout(timeout):
            await self._loop.run_in_executor(None, self.client.connect)
            await self._banner

    async def login(self, username: str, secret: str, events: str, timeout: float) -> None:
        """Log in; the secret never appears in logs or errors."""
        reply = await self.action("Login", {"Username": username, "Secret": secret}, timeout)
        if reply.response.name != "Success":
            raise AuthenticationError(f"AMI login refused for user {username!r}")
        await self.action("Events", {"EventMask": events}, timeout, check=True)

    def next_action_id(self) -> str:
        """An ActionID unique on this connection (to know an action's events before it is sent)."""
        return str(self.client.next_action_id())

    async def action(
        self,
        name: str,
        headers: Mapping[str, str],
        timeout: float,
        *,
        check: bool = False,
        action_id: str | None = None,
    ) -> Reply:
        """Send an action and await its reply (with list items); fails fast when closed."""
        if self.closed:
            raise NotConnectedError(f"{name} not sent: the PBX connection is down")
        action_id = action_id or self.client.next_action_id()
        data = encode_action(name, {"ActionID": action_id, **headers})
        pending = _Pending(name, self._loop.create_future())
        self._pending[action_id] = pending
        try:
            await self._loop.run_in_executor(None, self.client.send, data)
            async with asyncio.timeout(timeout):
                reply = await pending.future
        except TimeoutError:
            raise ActionTimeoutError(f"{name}: no answer within {timeout:g} s") from None
        except OSError:
            raise NotConnectedError(f"{name} not sent: the PBX connection is down") from None
        finally:
            self._pending.pop(action_id, None)
        if check and reply.response.name == "Error":
            raise ActionError(name, reply.response.get("Message", "error"))
        return reply

    async def ping(self, timeout: float) -> None:
        """Ping; raises ActionTimeoutError when the PBX does not answer."""
        await self.action("Ping", {}, timeout, check=True)

    def close(self) -> None:
        """Close the connection; pending actions fail with NotConnectedError."""
        if not self.closed:
            self.closed = True
            self._fail_pending()
        self.client.shutdown(join=0)  # never block the loop; the reader ends on its own

    # -- reader thread -> loop ----------------------------------------------------
    def _banner_from_thread(self, source: object = None, **_: object) -> None:
        self._loop.call_soon_threadsafe(self._set_banner)

    def _set_banner(self) -> None:
        if not self._banner.done():
            self._banner.set_result(None)

    def _from_thread(self, frame: Frame, arrived: float) -> None:
        self._inbox.append((frame, arrived))
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self._loop.call_soon_threadsafe(self._drain)

    def _closed_from_thread(self, error: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # loop already closed
            self._loop.call_soon_threadsafe(self._closed, error)

    def _closed(self, error: BaseException | None) -> None:
        while self._inbox:  # everything that arrived before the end, in order
            self._drain()
        if not self._banner.done():
            self._banner.set_exception(ConnectionError("connection closed before the banner"))
        already = self.closed
        self.closed = True
        self._fail_pending()
        if not already:
            self._on_closed(error)

    def _fail_pending(self) -> None:
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(
                    NotConnectedError(f"{pending.name}: the PBX connection was lost")
                )

    def _drain(self) -> None:
        """Handle queued frames, at most a batch per loop turn so a flood cannot starve the UI."""
        self._drain_scheduled = False
        self.last_traffic = time.monotonic()
        for _ in range(_DRAIN_BATCH):
            if not self._inbox:
                return
            frame, arrived = self._inbox.popleft()
            try:
                self._dispatch(frame, arrived)
            except ProtocolError as exc:  # an event the call tracker cannot use
                self.client.bad.report(f"unusable event dropped: {exc}")
            except Exception as exc:
                self.client.bad.report(f"event handler failed ({type(exc).__name__})", error=exc)
        if self._inbox and not self._drain_scheduled:
            self._drain_scheduled = True
            self._loop.call_soon(self._drain)

    def _dispatch(self, frame: Frame, arrived: float) -> None:
        pending = self._pending.get(frame.action_id) if frame.action_id else None
        if pending is None or pending.future.done():
            if frame.kind == "event":
                self._on_event(frame, arrived)
            return
        if frame.kind == "response":
            pending.reply = Reply(frame)
            if frame.get("EventList").lower() != "start":
                pending.future.set_result(pending.reply)
        elif pending.reply is not None and frame.kind == "event":
            if frame.get("EventList").lower() == "complete":
                pending.future.set_result(pending.reply)
            else:
                pending.reply.events.append(frame)
        elif frame.kind == "event":
            self._on_event(frame, arrived)
