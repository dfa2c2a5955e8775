"""AmiBridge: the real `Telephony` over AMI, with reconnect, resync and safe actions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telephony.ami import AmiSession, Reply
from telephony.calls import Agent, Call, CallState, CallTracker, TransferKind
from telephony.events import AmiEvent, MemberStatus, OriginateResult, QueueEntry
from telephony.exceptions import (
    ActionError,
    ActionTimeoutError,
    AuthenticationError,
    CallStateError,
    NotConnectedError,
    ReadOnlyError,
    TelephonyError,
    UnknownCallError,
    UnsafeValueError,
)
from telephony.fanout import Fanout
from telephony.parse import Frame, to_event
from telephony.protocol import (
    AgentChanged,
    CallChanged,
    ConnectionChanged,
    ConnectionState,
    QueueSnapshot,
    Telephony,
    Update,
)
from telephony.safety import check_channel, check_extension, check_name, check_number, check_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgentIdentity:
    """How one agent appears on the PBX: queue member interface(s) and queue(s)."""

    interfaces: tuple[str, ...]
    queues: tuple[str, ...] = ("service115",)


@dataclass(frozen=True)
class BridgeConfig:
    """Connection and behaviour of the bridge (plain values; the CLI maps Settings onto it)."""

    host: str = "127.0.0.1"
    port: int = 5038
    username: str = "agentconsole"
    secret: str = field(default="", repr=False)
    queue: str = "service115"
    """The queue resynchronised after a (re)connect; "" for every queue (the recorder)."""
    agents: Mapping[str, AgentIdentity] = field(default_factory=dict)
    transfer_context: str = "departments"
    callback_context: str = "citizen-phone"
    survey_context: str = ""
    """The dialplan context of the caller survey (docs/survey.md); "": no survey."""
    survey_exten: str = "1"
    """The survey's extension in that context."""
    event_mask: str = "call,agent,user,dtmf"
    action_timeout: float = 5.0
    connect_timeout: float = 3.0
    ping_interval: float = 5.0
    """Send a Ping after this many seconds without traffic."""
    ping_timeout: float = 3.0
    backoff_initial: float = 0.2
    backoff_max: float = 10.0
    bridge_wait: float = 3.0
    """How long a transfer waits for caller and agent to be bridged."""
    wrapup_reason: str = "Nachbearbeitung"
    originate_timeout: float = 30.0
    """How long a call-back rings the agent's phone."""
    read_only: bool = False
    """Only follow the PBX (recorder, supervisor): actions that change calls or agents raise
    ReadOnlyError without being sent, so manager.conf needs no write permission."""

    def agent_id_for(self, interface: str) -> str | None:
        """The configured agent id owning a queue member interface, if any."""
        for agent_id, identity in self.agents.items():
            if interface in identity.interfaces:
                return agent_id
        return None


class AmiBridge:
    """Implements telephony.protocol.Telephony over an Asterisk Manager connection."""

    def __init__(
        self,
        config: BridgeConfig,
        on_event: Callable[[AmiEvent, float], None] | None = None,
        on_changes: Callable[[list[Call | Agent], float], None] | None = None,
        on_connection: Callable[[ConnectionState, float], None] | None = None,
    ) -> None:
        """`on_event` sees each event before the tracker applies it, `on_changes` the calls and
        agents it changed (also by a resync), `on_connection` each new connection state (once
        connected, after the resync's changes), all synchronously and in order."""
        self.config = config
        self.tracker = CallTracker(
            wrapup_reason=config.wrapup_reason, survey_context=config.survey_context
        )
        self._on_event = on_event
        self._on_changes = on_changes
        self._on_connection = on_connection
        self._state = ConnectionState.DISCONNECTED
        self._session: AmiSession | None = None
        self._fanout = Fanout()
        self._runner: asyncio.Task[None] | None = None
        self._lost: asyncio.Event = asyncio.Event()
        self._changed: asyncio.Event = asyncio.Event()
        self._rng = random.Random()
        self.events_applied = 0
        self.reconnects = 0
        self._originated: dict[str, OriginateResult] = {}

    # -- lifecycle ------------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        """The current connection state."""
        return self._state

    @property
    def malformed_frames(self) -> int:
        """Malformed frames dropped on the current connection."""
        return self._session.malformed if self._session else 0

    async def start(self) -> None:
        """Begin connecting in the background."""
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="ami-bridge")

    async def stop(self) -> None:
        """Log off, close and stop reconnecting."""
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        session, self._session = self._session, None
        if session is not None and not session.closed:
            with contextlib.suppress(TelephonyError, OSError):
                await session.action("Logoff", {}, 1.0)
            session.close()
        self._set_state(ConnectionState.DISCONNECTED, "stopped")

    async def wait_connected(self, timeout: float) -> None:
        """Wait until connected (tests and CLI)."""
        await self.wait_for(lambda: self._state == ConnectionState.CONNECTED, timeout)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Wait until `predicate()` holds after some update; TimeoutError otherwise."""
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    def updates(self) -> AsyncIterator[Update]:
        """A new stream of updates (each subscriber gets every update)."""
        return self._fanout.subscribe()

    def calls(self) -> list[Call]:
        """Calls not yet over, oldest first."""
        return self.tracker.active_calls()

    def agents(self) -> list[Agent]:
        """Every known queue member."""
        return list(self.tracker.agents.values())

    # -- connection -----------------------------------------------------------------
    def _publish(self, update: Update) -> None:
        self._fanout.publish(update)
        self._changed.set()

    def _set_state(self, state: ConnectionState, detail: str = "") -> None:
        if state != self._state:
            self._state = state
            log.info("PBX connection %s %s", state, detail)
            if self._on_connection is not None:
                self._on_connection(state, time.time())
            self._publish(ConnectionChanged(state, detail))

    async def _run(self) -> None:
        attempt = 0
        while True:
            first = self.reconnects == 0 and attempt == 0
            if first:
                self._set_state(ConnectionState.CONNECTING)
            elif self._state != ConnectionState.DISCONNECTED:  # stays so after a refused login
                self._set_state(ConnectionState.RECONNECTING)
            try:
                await self._connect()
            except Exception as exc:  # whatever it is, the runner must never end silently
                self._drop_session()
                expected = isinstance(exc, TelephonyError | OSError | TimeoutError)
                if isinstance(exc, AuthenticationError | UnsafeValueError) or not expected:
                    # Retrying cannot help (refused login, a secret that cannot be sent, a bug):
                    # say so instead of "connecting" for ever; retries go on for a fixed PBX.
                    self._set_state(ConnectionState.DISCONNECTED, str(exc) or type(exc).__name__)
                delay = min(self.config.backoff_max, self.config.backoff_initial * 2**attempt)
                attempt += 1
                log.warning("PBX connect failed (%s); retry in %.1f s", type(exc).__name__, delay,
                            exc_info=None if expected or attempt > 1 else exc)  # fmt: skip
                await asyncio.sleep(delay * self._rng.uniform(0.8, 1.2))
                continue
            attempt = 0
            self._set_state(ConnectionState.CONNECTED)
            await self._keepalive()
            self._drop_session()
            self.reconnects += 1
            self._set_state(ConnectionState.RECONNECTING, "connection lost")

    async def _connect(self) -> None:
        self._lost = asyncio.Event()
        cfg = self.config
        session = AmiSession(cfg.host, cfg.port, self._frame, self._closed)
        self._session = session
        await session.open(cfg.connect_timeout)
        await session.login(cfg.username, cfg.secret, cfg.event_mask, cfg.action_timeout)
        snapshot = await self._queue_status(session)
        now = time.time()
        changes = self.tracker.resync(list(snapshot.members), list(snapshot.entries), now)
        self._publish_changes(changes, now)

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    async def _keepalive(self) -> None:
        cfg = self.config
        while not self._lost.is_set():
            session = self._session
            if session is None:
                return
            idle = time.monotonic() - session.last_traffic
            if idle >= cfg.ping_interval:
                try:
                    await session.ping(cfg.ping_timeout)
                except TelephonyError as exc:
                    log.warning("PBX keep-alive failed: %s", exc)
                    return
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(cfg.ping_interval - idle):
                    await self._lost.wait()

    def _closed(self, error: BaseException | None) -> None:
        self._lost.set()

    def _frame(self, frame: Frame, arrived: float) -> None:
        event = to_event(frame)
        self.events_applied += 1
        if self._on_event is not None:
            self._on_event(event, arrived)
        if isinstance(event, OriginateResult) and event.action_id:
            self._originated[event.action_id] = event
            while len(self._originated) > 100:  # results nobody waited for
                del self._originated[next(iter(self._originated))]
        now = time.time()
        self._publish_changes(self.tracker.apply(event, now), now)
        self._changed.set()

    def _publish_changes(self, changes: list[Call | Agent], at: float) -> None:
        if self._on_changes is not None and changes:
            self._on_changes(changes, at)
        for change in changes:
            self._publish(CallChanged(change) if isinstance(change, Call) else AgentChanged(change))

    # -- actions --------------------------------------------------------------------
    def _live(self) -> AmiSession:
        session = self._session
        if session is None or session.closed or self._state != ConnectionState.CONNECTED:
            raise NotConnectedError("the PBX is not reachable; the action was not sent")
        return session

    async def _send(self, name: str, headers: Mapping[str, str]) -> Reply:
        if self.config.read_only:
            raise ReadOnlyError(f"{name} not sent: this connection only follows the PBX")
        return await self._live().action(name, headers, self.config.action_timeout, check=True)

    def _call(self, call_id: str) -> Call:
        call = self.tracker.calls.get(call_id)
        if call is None or call.state in {CallState.ENDED, CallState.ABANDONED}:
            raise UnknownCallError(f"no active call {call_id!r}")
        return call

    def _identity(self, agent_id: str) -> AgentIdentity:
        identity = self.config.agents.get(agent_id)
        if identity is None or not identity.interfaces:
            raise UnknownCallError(f"no agent {agent_id!r} in the configuration")
        return identity

    async def _bridged_call(self, call_id: str) -> Call:
        """AgentConnect comes before the bridge exists: wait for BridgeEnter of both legs."""
        self._live()
        self._call(call_id)
        with contextlib.suppress(TimeoutError):
            await self.wait_for(lambda: self._call(call_id).bridged, self.config.bridge_wait)
        call = self._call(call_id)
        if call.state != CallState.CONNECTED or not call.agent_channel:
            raise CallStateError(f"call {call_id!r} is {call.state}, not connected to an agent")
        return call

    async def blind_transfer(self, call_id: str, exten: str) -> TransferKind:
        """BlindTransfer of the agent's leg; Redirect of the caller's channel as fallback."""
        check_extension(exten)
        call = await self._bridged_call(call_id)
        self.tracker.asked_transfer(call_id, exten)
        return await self._blind(call, check_name(self.config.transfer_context), exten)

    async def _blind(self, call: Call, context: str, exten: str) -> TransferKind:
        try:
            await self._send(
                "BlindTransfer",
                {"Channel": check_channel(call.agent_channel), "Exten": exten, "Context": context},
            )
            return TransferKind.BLIND
        except ActionError as exc:
            log.warning("BlindTransfer refused (%s); falling back to Redirect", exc.message)
        await self._send(
            "Redirect",
            {
                "Channel": check_channel(call.caller_channel),
                "Exten": exten,
                "Context": context,
                "Priority": "1",
            },
        )
        return TransferKind.REDIRECT

    async def send_to_survey(self, call_id: str) -> TransferKind:
        """End the call "mit Umfrage": the caller goes on to the survey context (BlindTransfer
        of the agent's leg, Redirect as fallback); the agent's leg ends, as after a hang-up."""
        if not self.config.survey_context:
            raise CallStateError("no survey configured (survey.context)")
        exten = check_extension(self.config.survey_exten)
        call = await self._bridged_call(call_id)
        return await self._blind(call, check_name(self.config.survey_context), exten)

    async def attended_transfer(self, call_id: str, exten: str) -> None:
        """Atxfer on the agent's leg: consult `exten` while the caller waits."""
        check_extension(exten)
        call = await self._bridged_call(call_id)
        context = check_name(self.config.transfer_context)
        headers = {"Channel": check_channel(call.agent_channel), "Exten": exten}
        self.tracker.asked_transfer(call_id, exten)
        await self._send("Atxfer", {**headers, "Context": context})

    async def complete_transfer(self, call_id: str) -> None:
        """The agent leaves the consultation: Asterisk joins caller and target."""
        self._live()
        call = self._call(call_id)
        if not call.on_hold:
            raise CallStateError(f"call {call_id!r} has no attended transfer running")
        with contextlib.suppress(TimeoutError):
            await self.wait_for(
                lambda: self.tracker.in_consultation(call_id), self.config.bridge_wait
            )
        call = self._call(call_id)
        if not self.tracker.in_consultation(call_id):
            raise CallStateError(f"call {call_id!r}: the consultation is not connected yet")
        channel = check_channel(call.agent_channel)
        self.tracker.asked_hangup(call_id, channel)
        await self._send("Hangup", {"Channel": channel})

    async def cancel_transfer(self, call_id: str) -> None:
        """Hang up the consultation leg: the agent is back with the caller."""
        self._live()
        with contextlib.suppress(TimeoutError):
            await self.wait_for(
                lambda: bool(self._call(call_id).consult_channel), self.config.bridge_wait
            )
        call = self._call(call_id)
        if not call.consult_channel:
            raise CallStateError(f"call {call_id!r} has no consultation to cancel")
        await self._send("Hangup", {"Channel": check_channel(call.consult_channel)})

    async def hangup(self, call_id: str) -> None:
        """Hang up the agent's leg, or the caller's channel while the call is still queued.

        The tracker learns which leg Lotse hung up before the action is sent, so the
        call ends `ended_by` that leg whatever order Asterisk's events come in.
        """
        call = self._call(call_id)
        if call.on_hold:  # hanging up the agent's leg now would complete the transfer
            raise CallStateError("attended transfer running: complete or cancel it first")
        if call.state == CallState.CONNECTED and call.agent_channel:
            channel = call.agent_channel
        elif call.state in {CallState.QUEUED, CallState.RINGING}:
            channel = call.caller_channel
        else:
            raise CallStateError(f"call {call_id!r} is {call.state}; the agent has no leg in it")
        self.tracker.asked_hangup(call_id, check_channel(channel))
        await self._send("Hangup", {"Channel": channel})

    async def pause(self, agent_id: str, reason: str) -> None:
        """QueuePause with a reason in every queue of the agent."""
        check_text("reason", reason)
        await self._pause(agent_id, {"Paused": "true", "Reason": reason})

    async def unpause(self, agent_id: str) -> None:
        """QueuePause Paused=false in every queue of the agent."""
        await self._pause(agent_id, {"Paused": "false"})

    async def _pause(self, agent_id: str, fields: Mapping[str, str]) -> None:
        identity = self._identity(agent_id)
        for queue in identity.queues:
            for interface in identity.interfaces:
                headers = {"Queue": check_name(queue), "Interface": check_channel(interface)}
                await self._send("QueuePause", {**headers, **fields})

    async def originate_callback(self, agent_id: str, number: str, label: str = "") -> str:
        """Originate: the agent's phone rings first, then the citizen's number is dialled.

        Returns the call's id (its Linkedid) once the agent's phone answered; the call
        is then tracked like a queue call (`Call.outbound`) until a leg hangs up.
        Raises ActionError when it was not answered, ActionTimeoutError after
        `originate_timeout`.
        """
        check_number(number)
        label = check_text("label", label or "Rückruf")
        interface = self._identity(agent_id).interfaces[0]
        ring_ms = str(int(self.config.originate_timeout * 1000))
        session = self._live()
        action_id = session.next_action_id()
        self.tracker.asked_callback(action_id, interface, number, label)
        await session.action(
            "Originate",
            {
                "Channel": check_channel(interface),
                "Context": check_name(self.config.callback_context),
                "Exten": number,
                "Priority": "1",
                "CallerID": f'"{label}" <{number}>',
                "Timeout": ring_ms,
                "Async": "true",
            },
            self.config.action_timeout,
            check=True,
            action_id=action_id,
        )
        try:
            await self.wait_for(
                lambda: action_id in self._originated, self.config.originate_timeout + 5
            )
        except TimeoutError:
            raise ActionTimeoutError("Originate: no OriginateResponse") from None
        result = self._originated.pop(action_id)
        if not result.success:
            raise ActionError(
                "Originate", f"the agent's phone did not answer (reason {result.reason})"
            )
        return result.uniqueid

    async def queue_status(self) -> QueueSnapshot:
        """QueueStatus of the configured queue (or all), with every list item collected."""
        return await self._queue_status(self._live())

    async def _queue_status(self, session: AmiSession) -> QueueSnapshot:
        queue = check_name(self.config.queue) if self.config.queue else ""
        headers = {"Queue": queue} if queue else {}
        reply = await session.action("QueueStatus", headers, self.config.action_timeout, check=True)
        events = [to_event(f) for f in reply.events]
        return QueueSnapshot(
            queue,
            tuple(e for e in events if isinstance(e, MemberStatus)),
            tuple(e for e in events if isinstance(e, QueueEntry)),
        )


if TYPE_CHECKING:
    _conforms: Telephony = AmiBridge(BridgeConfig())
