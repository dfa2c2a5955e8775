"""The built-in PBX simulator: an asyncio AMI server speaking Asterisk 22's wire protocol.

It serves the reference dialplan of `../shared/asterisk/conf` (queue service115,
Local-channel agents, departments 2001-2003) with the municipalities' own numbers and
their language choice (sim.language), generates citizen calls at a rate
with seeded German names and numbers, lets AMI actions take effect, and has
fault switches for tests: drop every connection, send a malformed frame, flood.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from telephony.badinput import BadInputLog
from telephony.parse import Frame, encode_frame
from telephony.sim.actions import ACTIONS
from telephony.sim.names import CallerFactory
from telephony.sim.pbx import Pbx, SimCall, SimError, Timing
from telephony.sim.queue_log import QueueLogFile
from telephony.sim.session import ALL_CLASSES, MAX_CONNECTIONS, Session

__all__ = ["MAX_CONNECTIONS", "PbxSimulator"]

log = logging.getLogger(__name__)


class PbxSimulator:
    """The AMI server; `await start()`, then `await stop()` (also an async context manager)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 5038,
        username: str = "agentconsole",
        secret: str = "s3cret",
        *,
        agents: int = 2,
        rate_per_minute: float = 0.0,
        seed: int | None = None,
        timing: Timing | None = None,
        max_wait: float | None = None,
        departments: Mapping[str, str] | None = None,
        queue_log: Path | None = None,
        wrapup_time: float = 0.0,
    ) -> None:
        self.host, self.port = host, port
        self._username, self._secret = username, secret
        self.rate_per_minute = rate_per_minute
        self.max_wait = max_wait
        """Generated callers still waiting in the queue after this many seconds hang up."""
        self.callers = CallerFactory(seed)
        self.sessions: set[Session] = set()
        self.queue_log = queue_log
        """Where Asterisk's queue_log is appended (None: not written)."""
        self._queue_log: QueueLogFile | None = None
        self.pbx = Pbx(
            self._broadcast, agents=agents, timing=timing, wrapup_time=wrapup_time, seed=seed
        )
        if departments is not None:
            self.pbx.departments = dict(departments)
        self.frozen = False
        """Fault switch: accept bytes but never answer (a hung PBX or a dead route)."""
        self.bad = BadInputLog(log, "PBX simulator")
        """Bad input from clients, counted per kind (logged without flooding)."""
        self.actions_seen: list[str] = []
        """Action names received, in order (for tests)."""
        self._started = time.monotonic()
        self._server: asyncio.Server | None = None
        self._generator: asyncio.Task[None] | None = None
        self._flood: asyncio.Task[None] | None = None

    async def __aenter__(self) -> PbxSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) actually bound (port 0 picks a free one)."""
        return self.host, self.port

    async def start(self) -> None:
        """Listen; starts the call generator when a rate is set."""
        loop = asyncio.get_running_loop()
        if self.queue_log is not None and self._queue_log is None:
            self._queue_log = QueueLogFile(self.queue_log, self.pbx.queue)
        self._server = await loop.create_server(
            lambda: Session(self), self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        if self.rate_per_minute > 0 and self._generator is None:
            self._generator = asyncio.create_task(self._generate())
        log.info("PBX simulator listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """Close the listener and every session; cancel the generator and any flood."""
        for task in (self._generator, self._flood):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._generator = self._flood = None
        await self.close_listener()
        self.drop_connections()
        for call in list(self.pbx.calls.values()):
            self.pbx._cancel_timers(call)
        if self._queue_log is not None:
            self._queue_log.close()
            self._queue_log = None
        for hold in self.pbx.holds:
            hold.cancel()

    async def close_listener(self) -> None:
        """Stop accepting connections (sessions stay up)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def serve_forever(self) -> None:
        """Run until cancelled."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # -- scripting ----------------------------------------------------------------
    def offer_call(
        self,
        number: str | None = None,
        name: str | None = None,
        hangup_after: float | None = None,
        *,
        exten: str = "115",
        key: str = "",
    ) -> SimCall:
        """A citizen calls `exten` (115 or a municipality's 115XXXX, where `key` chooses the
        language); optionally hangs up after `hangup_after` seconds."""
        if number is None or name is None:
            gen_number, gen_name = self.callers.caller()
            number, name = number or gen_number, name or gen_name
        call = self.pbx.offer_call(number, name, exten=exten, key=key)
        if hangup_after is not None:
            asyncio.get_running_loop().call_later(
                hangup_after, lambda: self.pbx.caller_hangs_up(call)
            )
        return call

    def department_does_not_answer(self, exten: str) -> None:
        """Department `exten` rings but never answers from now on."""
        self.pbx.silent_departments.add(exten)

    def agent_does_not_answer(self, interface: str) -> None:
        """The agent's phone rings until the queue gives up."""
        self.pbx.members[interface].answers = False

    def citizen_does_not_answer(self, number: str) -> None:
        """A call-back to this number rings out (the call ends after `citizen_timeout`)."""
        self.pbx.unreachable.add(number)

    # -- faults ---------------------------------------------------------------------
    def drop_connections(self) -> None:
        """Abort every client connection at once (no Goodbye)."""
        for session in list(self.sessions):
            if session.transport is not None:
                session.transport.abort()
        self.sessions.clear()

    def send_raw(self, data: bytes) -> None:
        """Send arbitrary bytes to every session (e.g. a malformed frame)."""
        for session in list(self.sessions):
            session.write(data)

    def start_flood(self, per_second: int, seconds: float) -> asyncio.Task[None]:
        """Emit `per_second` QueueMemberStatus events for `seconds`; returns the task."""
        self._flood = asyncio.create_task(self._do_flood(per_second, seconds))
        return self._flood

    async def _do_flood(self, per_second: int, seconds: float) -> None:
        member = next(iter(self.pbx.members.values()))
        total, sent = int(per_second * seconds), 0
        started = time.monotonic()
        while sent < total:
            due = min(total, int((time.monotonic() - started) * per_second) + 1)
            for _ in range(due - sent):
                self.pbx.member_event(member)
            sent = due
            await asyncio.sleep(0.005)

    # -- plumbing ---------------------------------------------------------------------
    def _broadcast(self, name: str, privilege: str, headers: list[tuple[str, str]]) -> None:
        if self._queue_log is not None:  # the PBX keeps its accounting even when AMI hangs
            self._queue_log.observe(name, headers)
        if self.frozen:
            return
        data = encode_frame(("Event", name), headers)
        for session in list(self.sessions):
            if session.authenticated and privilege in session.mask:
                session.write(data)

    async def _generate(self) -> None:
        while True:
            await asyncio.sleep(self.callers.gap(self.rate_per_minute))
            talk = 20 + self.callers.gap(60 / 90)  # calls last ~20-200 s unless handled
            exten, key = self.callers.dialling()
            call = self.offer_call(hangup_after=talk, exten=exten, key=key)
            if self.max_wait:
                asyncio.get_running_loop().call_later(self.max_wait, self._give_up, call)

    def callback_over(self, call: SimCall) -> None:
        if call.state == "callback":
            self.pbx.end_callback(call)

    def _give_up(self, call: SimCall) -> None:
        if call.state in {"queued", "ringing", "language"}:
            self.pbx.caller_hangs_up(call)

    def handle(self, session: Session, frame: Frame) -> None:
        """Answer one action."""
        name = frame.name.lower()
        if self.frozen:
            return
        self.actions_seen.append(frame.name)
        if name == "login":
            self._login(session, frame)
        elif name == "logoff":
            session.respond(frame, "Goodbye", Message="Thanks for all the fish.")
            if session.transport is not None:
                session.transport.close()
        elif not session.authenticated:
            session.error(frame, "Permission denied")
        else:
            handler = _OWN.get(name) or ACTIONS.get(name)
            if handler is None:
                session.error(frame, f"Invalid/unknown command: {frame.name}. Use Action: "
                              "ListCommands to show available commands.")  # fmt: skip
                return
            try:
                handler(self, session, frame)
            except SimError as exc:
                session.error(frame, str(exc))

    def _login(self, session: Session, frame: Frame) -> None:
        if session.authenticated:
            session.respond(frame, Message="Already authenticated")
            return
        if frame.get("Username") != self._username or frame.get("Secret") != self._secret:
            session.error(frame, "Authentication failed")
            return
        session.authenticated = True
        events = frame.get("Events", "on").lower()
        if events in {"off", "no", "false"}:
            session.mask = set()
        elif events not in {"on", "yes", "true", ""}:
            session.mask = {p.strip() for p in events.split(",")}
        session.respond(frame, Message="Authentication accepted")
        uptime = str(int(time.monotonic() - self._started))
        session.write(encode_frame(("Event", "FullyBooted"), {
            "Privilege": "system,all", "Uptime": uptime, "LastReload": uptime,
            "Status": "Fully Booted"}))  # fmt: skip
        if "security" in session.mask:
            session.write(self._auth_event(session))

    def _auth_event(self, session: Session) -> bytes:
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())
        assert session.transport is not None
        local = session.transport.get_extra_info("sockname") or ("127.0.0.1", self.port)
        peer = session.transport.get_extra_info("peername") or ("127.0.0.1", 0)
        return encode_frame(("Event", "SuccessfulAuth"), {
            "Privilege": "security,all", "EventTV": now, "Severity": "Informational",
            "Service": "AMI", "EventVersion": "1", "AccountID": self._username,
            "SessionID": f"0x{id(session):x}", "LocalAddress": f"IPV4/TCP/{local[0]}/{local[1]}",
            "RemoteAddress": f"IPV4/TCP/{peer[0]}/{peer[1]}", "UsingPassword": "0",
            "SessionTV": now})  # fmt: skip

    def _events(self, session: Session, frame: Frame) -> None:
        mask = frame.get("EventMask", "on").lower()
        if mask in {"off", "no", "false"}:
            session.mask = set()
            session.respond(frame, Events="Off")
            return
        session.mask = set(ALL_CLASSES) if mask in {"on", "yes", "true"} else {
            p.strip() for p in mask.split(",")}  # fmt: skip
        session.respond(frame, Events="On")

    def _ping(self, session: Session, frame: Frame) -> None:
        session.respond(frame, Ping="Pong", Timestamp=f"{time.time():.6f}")


_OWN: dict[str, Callable[[PbxSimulator, Session, Frame], None]] = {
    "events": PbxSimulator._events,
    "ping": PbxSimulator._ping,
}
