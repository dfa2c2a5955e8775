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
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from telephony.badinput import BadInputLog
from telephony.parse import Frame, encode_frame, parse_frame
from telephony.sim.language import MUNICIPALITY_NUMBER
from telephony.sim.model import Member
from telephony.sim.names import CallerFactory
from telephony.sim.pbx import Pbx, SimCall, SimError, Timing
from telephony.sim.queue_log import QueueLogFile
from telephony.sim.reader import MAX_LINE_BYTES, ActionReader
from telephony.sim.survey import SURVEY_CONTEXT, SURVEY_EXTEN

log = logging.getLogger(__name__)

#: The banner of Asterisk 22 (AMI protocol 11).
BANNER = b"Asterisk Call Manager/11.0.0\r\n"
#: Most AMI connections served at once; a further one is closed at once (and logged).
MAX_CONNECTIONS = 64
_CITIZEN = re.compile(r"^Local/(\+?[0-9]{3,20})@citizen-phone/n\Z")
_CALLERID = re.compile(r'^"?([^"<]*)"?\s*<([^>]*)>\Z')
_ALL = {"system", "call", "log", "verbose", "command", "agent", "user", "config", "dtmf",
        "reporting", "cdr", "dialplan", "originate", "agi", "cc", "aoc", "test", "security",
        "message"}  # fmt: skip


class Session(asyncio.Protocol):
    """One AMI client connection."""

    def __init__(self, server: PbxSimulator) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.authenticated = False
        self.mask: set[str] = set(_ALL)
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

    def _callback_over(self, call: SimCall) -> None:
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
            handler = _ACTIONS.get(name)
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
        session.mask = set(_ALL) if mask in {"on", "yes", "true"} else {
            p.strip() for p in mask.split(",")}  # fmt: skip
        session.respond(frame, Events="On")

    def _ping(self, session: Session, frame: Frame) -> None:
        session.respond(frame, Ping="Pong", Timestamp=f"{time.time():.6f}")

    def _call_of(self, frame: Frame, role: str) -> SimCall:
        call, found_role = self.pbx.find_by_channel(frame.get("Channel"))
        if not found_role.startswith(role):
            raise SimError("Transfer invalid")
        return call

    def _exten(self, frame: Frame) -> str:
        exten = frame.get("Exten")
        if frame.get("Context") != "departments" or exten not in self.pbx.departments:
            raise SimError("Extension does not exist")
        return exten

    def _survey(self, frame: Frame) -> bool:
        """The action goes to the survey's context (its extension, or an error)."""
        if frame.get("Context") != SURVEY_CONTEXT:
            return False
        if frame.get("Exten") != SURVEY_EXTEN:
            raise SimError("Extension does not exist")
        return True

    def _blind(self, session: Session, frame: Frame) -> None:
        call = self._call_of(frame, "agent")
        if self._survey(frame):
            self.pbx.survey_blind(call)
        else:
            self.pbx.blind_transfer(call, self._exten(frame))
        session.respond(frame, Message="Transfer succeeded")

    def _atxfer(self, session: Session, frame: Frame) -> None:
        call = self._call_of(frame, "agent")
        exten = self._exten(frame)
        session.respond(frame, Message="Atxfer successfully queued")
        self.pbx.atxfer(call, exten)

    def _redirect(self, session: Session, frame: Frame) -> None:
        call = self._call_of(frame, "caller")
        if self._survey(frame):
            session.respond(frame, Message="Redirect successful")
            self.pbx.survey_redirect(call)
            return
        exten = self._exten(frame)
        session.respond(frame, Message="Redirect successful")
        self.pbx.redirect(call, exten)

    def _play_dtmf(self, session: Session, frame: Frame) -> None:
        call, _ = self.pbx.find_by_channel(frame.get("Channel"))
        digit = frame.get("Digit")
        if len(digit) != 1 or digit not in "0123456789*#ABCD":
            raise SimError("No digit specified")
        session.respond(frame, Message="DTMF successfully queued")
        self.pbx.press(call, digit)  # heard by the survey, if the call is in it

    def _hangup(self, session: Session, frame: Frame) -> None:
        self.pbx.find_by_channel(frame.get("Channel"))
        session.respond(frame, Message="Channel Hungup")
        self.pbx.hangup_channel(frame.get("Channel"))

    def _queue_pause(self, session: Session, frame: Frame) -> None:
        member = self.pbx.members.get(frame.get("Interface"))
        if member is None:
            raise SimError("Interface not found")
        paused = frame.get("Paused").lower() in {"true", "1", "yes"}
        member.paused, member.reason = paused, frame.get("Reason") if paused else ""
        member.last_pause = int(time.time())
        state = "paused" if paused else "unpaused"
        session.respond(frame, Message=f"Interface {state} successfully")
        self.pbx.member_event(member, "QueueMemberPause")
        if not paused:
            self.pbx.distribute()

    def _queue_add(self, session: Session, frame: Frame) -> None:
        interface = frame.get("Interface")
        if frame.get("Queue") != self.pbx.queue or not interface.startswith("Local/"):
            raise SimError("Unable to add interface to queue: No such queue")
        if interface in self.pbx.members:
            raise SimError("Unable to add interface: Already there")
        try:
            wrapuptime = max(0, int(frame.get("Wrapuptime") or 0))
        except ValueError:
            wrapuptime = 0
        member = Member(interface, frame.get("MemberName") or interface,
                        login_time=int(time.time()), wrapuptime=wrapuptime)  # fmt: skip
        member.paused = frame.get("Paused").lower() in {"true", "1", "yes"}
        member.reason = frame.get("Reason") if member.paused else ""
        self.pbx.members[interface] = member
        session.respond(frame, Message="Added interface to queue")
        self.pbx.member_event(member, "QueueMemberAdded")
        self.pbx.distribute()

    def _queue_remove(self, session: Session, frame: Frame) -> None:
        member = self.pbx.members.get(frame.get("Interface"))
        if member is None or member.busy:
            raise SimError("Unable to remove interface: Not there")
        del self.pbx.members[member.interface]
        session.respond(frame, Message="Removed interface from queue")
        self.pbx.member_event(member, "QueueMemberRemoved")  # its last state, pause included

    def _queue_status(self, session: Session, frame: Frame) -> None:
        aid = {"ActionID": frame.action_id} if frame.action_id else {}
        session.respond(frame, EventList="start", Message="Queue status will follow")
        items = [("QueueParams", {"Queue": self.pbx.queue, "Max": "0", "Strategy": "rrmemory",
                  "Calls": str(len(self.pbx.waiting())), "Holdtime": "0", "TalkTime": "0",
                  "Completed": str(self.pbx.completed), "Abandoned": str(self.pbx.abandoned),
                  "ServiceLevel": "0", "ServicelevelPerf": "0.0", "ServicelevelPerf2": "0.0",
                  "Weight": "0"})]  # fmt: skip
        items += [("QueueMember", self.pbx.member_block(m, location=True))
                  for m in self.pbx.members.values()]  # fmt: skip
        now = time.monotonic()
        for pos, call in enumerate(self.pbx.waiting(), 1):
            assert call.caller is not None
            items.append(("QueueEntry", {"Queue": self.pbx.queue, "Position": str(pos),
                          "Channel": call.caller.name, "Uniqueid": call.caller.uniqueid,
                          "CallerIDNum": call.number, "CallerIDName": call.name,
                          "ConnectedLineNum": "<unknown>", "ConnectedLineName": "<unknown>",
                          "Wait": str(int(now - call.joined)), "Priority": "0"}))  # fmt: skip
        for name, fields in items:
            session.write(encode_frame(("Event", name), {**fields, **aid}))
        done = {**aid, "EventList": "Complete", "ListItems": str(len(items))}
        session.write(encode_frame(("Event", "QueueStatusComplete"), done))

    def _queue_summary(self, session: Session, frame: Frame) -> None:
        aid = {"ActionID": frame.action_id} if frame.action_id else {}
        session.respond(frame, EventList="start", Message="Queue summary will follow")
        members = self.pbx.members.values()
        free = self.pbx.available()
        waiting = self.pbx.waiting()
        now = time.monotonic()
        longest = max((int(now - c.joined) for c in waiting), default=0)
        summary = {"Queue": self.pbx.queue, "LoggedIn": str(len(members)),
                   "Available": str(len(free)), "Callers": str(len(waiting)), "HoldTime": "0",
                   "TalkTime": "0", "LongestHoldTime": str(longest), **aid}  # fmt: skip
        session.write(encode_frame(("Event", "QueueSummary"), summary))
        done = {**aid, "EventList": "Complete", "ListItems": "1"}
        session.write(encode_frame(("Event", "QueueSummaryComplete"), done))

    def _originate(self, session: Session, frame: Frame) -> None:
        channel = frame.get("Channel")
        match = _CALLERID.match(frame.get("CallerID"))
        cid_name = match.group(1).strip() if match else ""
        citizen = _CITIZEN.match(channel)
        exten = frame.get("Exten")
        dialled = exten == "115" or MUNICIPALITY_NUMBER.match(exten)
        if citizen and frame.get("Context") == "inbound" and dialled:
            session.respond(frame, Message="Originate successfully queued")
            self.pbx.offer_call(citizen.group(1), cid_name, frame.action_id, exten)
        elif channel in self.pbx.members and frame.get("Context") == "citizen-phone":
            session.respond(frame, Message="Originate successfully queued")
            timeout = int(frame.get("Timeout") or 30000) / 1000
            call = self.pbx.originate_agent_first(
                channel, frame.get("Exten"), cid_name, frame.action_id, timeout
            )
            if self.rate_per_minute > 0:  # demo: the citizen ends the call-back after a while
                talk = 20 + self.callers.gap(60 / 90)
                asyncio.get_running_loop().call_later(talk, self._callback_over, call)
        else:
            raise SimError("Originate failed")


_ACTIONS: dict[str, Callable[[PbxSimulator, Session, Frame], None]] = {
    "events": PbxSimulator._events,
    "ping": PbxSimulator._ping,
    "blindtransfer": PbxSimulator._blind,
    "atxfer": PbxSimulator._atxfer,
    "redirect": PbxSimulator._redirect,
    "hangup": PbxSimulator._hangup,
    "queuepause": PbxSimulator._queue_pause,
    "queueadd": PbxSimulator._queue_add,
    "queueremove": PbxSimulator._queue_remove,
    "queuestatus": PbxSimulator._queue_status,
    "queuesummary": PbxSimulator._queue_summary,
    "originate": PbxSimulator._originate,
    "playdtmf": PbxSimulator._play_dtmf,
}
