"""How calls move the console: PBX updates and saved forms become desk events, effects happen.

Every change of what the agent is doing goes through `feed(event)`: the pure
`Lifecycle` decides, this mixin carries out the effects it returns (pop the caller,
close the call's dialogs, open the wrap-up) and hands the PBX actions, in order, to
the runner in `pbx_runner.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from agent_console.desk import (
    CallbackConnected,
    CallEnded,
    CallOffered,
    CloseDialogs,
    ConsultChanged,
    Desk,
    Event,
    OpenWrapUp,
    PbxPauseChanged,
    Phase,
    PopCall,
    Refused,
    SurveyDue,
    WrapUpRestored,
    WrapUpSaved,
)
from agent_console.drafts import DraftStore, WrapUpDraft
from agent_console.labels import REFUSAL_LABELS
from agent_console.lifecycle import Lifecycle, pbx_effects
from agent_console.messages import CallEnded as CallEndedMessage
from agent_console.messages import CallOffered as CallOfferedMessage
from agent_console.messages import CallUpdated
from agent_console.messages import WrapUpSaved as WrapUpSavedMessage
from agent_console.notices import write_notice
from agent_console.origin import place_of
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.dialogs import CallBound, PauseDialog
from agent_console.screens.session import (
    CallSession,
    apply_call,
    session_for,
)
from agent_console.screens.wrapup import WrapUpResult, WrapUpScreen
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.caller_history import CallerHistory
from agent_console.widgets.search_box import SearchBox
from agent_console.writer import OrderedWriter
from calllog.models import CallbackTicket
from calllog.outbox import Delivery
from telephony.calls import Agent, Call, CallState

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object

_POPPING = {CallState.RINGING, CallState.CONNECTED}


def answered_now(before: Desk, after: Desk) -> bool:
    """The desk has just gone on a queue call (not back from a consultation)."""
    if after.phase != Phase.ON_CALL:
        return False
    return before.call_id != after.call_id or before.phase not in {Phase.ON_CALL, Phase.CONSULTING}


class CallFlow(_Base):
    """Mixed into ConsoleScreen: the desk, the caller's session and the wrap-up."""

    services: Services
    options: ConsoleOptions
    agent_id: str
    interfaces: set[str]
    lifecycle: Lifecycle
    desk: Desk
    session: CallSession | None
    """The call ringing or talked to right now."""
    wrapping: CallSession | None
    """The call whose wrap-up is open."""
    agent: Agent | None
    writer: OrderedWriter
    drafts: DraftStore | None
    callback_ticket: CallbackTicket | None
    """The ticket of the call-back being dialled or talked."""
    _calls: dict[str, Call]
    _pending_drafts: list[WrapUpDraft]
    _restored: dict[str, WrapUpDraft]
    _pbx_pause: tuple[bool, str] | None
    answered: int
    """Queue calls this console answered since it started (for `survey.every_nth_call`)."""

    queued: int
    if TYPE_CHECKING:  # provided by the screen and the other mixins
        set_queued: Callable[[int], None]
        refresh_bar: Callable[[], None]
        refresh_banner: Callable[[], None]
        run_pbx: Callable[..., object]
        load_callbacks: Callable[..., object]
        _titles: Callable[[], dict[str, str]]
        _report_transfer: Callable[[Call], None]
        save_open_record: Callable[[CallSession], None]
        save_abandoned: Callable[[CallSession], None]
        load_history: Callable[..., object]

    # -- the desk ------------------------------------------------------------------------
    def feed(self, event: Event) -> None:
        """Move the desk and carry out what it asks for, in order."""
        before = self.desk
        self.desk, effects = self.lifecycle.step(before, event)
        for effect in effects:
            if isinstance(effect, PopCall):
                self._pop(effect)
            elif isinstance(effect, CloseDialogs):
                self._close_dialogs(effect.call_id)
            elif isinstance(effect, OpenWrapUp):
                self._open_wrapup(effect)
            elif isinstance(effect, Refused):
                self.notify(REFUSAL_LABELS[effect.why], severity="warning")
        actions = pbx_effects(effects)
        if actions:
            self.run_pbx(actions)
        if answered_now(before, self.desk):
            self._count_answered()
        if not self.desk.busy:
            self._after_idle()
        self.refresh_bar()
        self.refresh_bindings()

    def _count_answered(self) -> None:
        """Every Nth answered queue call of this console is one to offer the survey on."""
        self.answered += 1
        every = self.options.survey_every
        if every and self.answered % every == 0:
            self.feed(SurveyDue())
            self.notify("Diesem Anrufer wird die Umfrage angeboten (F4) – F12: ohne Umfrage.")

    def _after_idle(self) -> None:
        """Back from a call: a further call at the phone pops, then any wrap-up left behind."""
        for call_id in self.desk.others:
            call = self._calls.get(call_id)
            if call is not None and not call.over and call.agent_interface in self.interfaces:
                self.feed(CallOffered(call_id, call.state == CallState.CONNECTED))
                return
        if self._pending_drafts:
            draft = self._pending_drafts.pop(0)
            self._restored[draft.session.call_id] = draft
            ticket = draft.session.ticket
            self.feed(WrapUpRestored(draft.session.call_id, ticket.ticket_id if ticket else ""))

    def restore_drafts(self) -> None:
        """On start: every wrap-up left open by a crash, kill or Ctrl+Q comes back."""
        if self.drafts is None:
            return
        drafts, broken = self.drafts.load()
        for line in broken:
            self.notify(f"Entwurf der Nachbearbeitung nicht lesbar: {line}", severity="error")
        if drafts:
            self.notify(f"{len(drafts)} ungespeicherte Nachbearbeitung(en) wieder geöffnet.",
                        severity="warning")  # fmt: skip
        self._pending_drafts.extend(drafts)
        if not self.desk.busy:
            self._after_idle()

    # -- PBX updates -----------------------------------------------------------------------
    def on_agent_updated_mine(self, agent: Agent) -> None:
        """This agent's queue member changed: a pause set elsewhere is followed."""
        self.agent = agent
        seen = (agent.paused, agent.pause_reason if agent.paused else "")
        if seen != self._pbx_pause:
            self._pbx_pause = seen
            self.feed(PbxPauseChanged(*seen))

    def on_call_updated(self, message: CallUpdated) -> None:
        """Follow the call at this phone; pop a new one; note one ringing while busy."""
        call = message.call
        self._report_transfer(call)
        mine = call.agent_interface in self.interfaces
        if mine or call.call_id in self._calls:
            self._remember(call)
        session = self.session
        if session is not None and session.call_id == call.call_id:
            self._follow(session, call, mine)
        elif call.outbound and mine and not call.over:
            if self.desk.phase == Phase.CALLBACK_DIALLING:
                self.feed(CallbackConnected(call.call_id))
        elif mine and call.state in _POPPING:
            self.feed(CallOffered(call.call_id, call.state == CallState.CONNECTED))
        elif call.call_id in self.desk.others and (call.over or not mine):
            self.feed(CallEnded(call.call_id, call.answered_at is not None))
        self.refresh_bar()

    def _remember(self, call: Call) -> None:
        self._calls[call.call_id] = call
        if len(self._calls) > 50:  # only the last few matter
            for key in [k for k, c in self._calls.items() if c.over][:25]:
                del self._calls[key]

    def _follow(self, session: CallSession, call: Call, mine: bool) -> None:
        if session.answered_at is None and not mine and call.state in {
            CallState.QUEUED, CallState.RINGING}:  # fmt: skip
            self.session = None
            self.query_one("#history", CallerHistory).display = False
            self.notify("Anruf klingelt jetzt woanders.")
            self.feed(CallEnded(call.call_id, answered=False))
            return
        answered_before = session.answered_at is not None
        gone = apply_call(session, call, self.services.clock())
        if gone:
            self._call_gone(session)
            return
        if not answered_before and session.answered_at is not None:
            self.feed(CallOffered(call.call_id, answered=True))
        consulting = call.on_hold and call.state == CallState.CONNECTED
        if consulting != (self.desk.phase == Phase.CONSULTING):
            if not consulting:
                session.consulting = ""
            self.feed(ConsultChanged(call.call_id, consulting))

    def _call_gone(self, session: CallSession) -> None:
        self.session = None
        self.post_message(CallEndedMessage(session.call_id))
        answered = session.answered_at is not None
        if answered:
            self.wrapping = session
        else:
            self.query_one("#history", CallerHistory).display = False
            self.notify("Anrufer hat vor der Annahme aufgelegt.", severity="warning")
            self.save_abandoned(session)
        self.feed(CallEnded(session.call_id, answered))

    # -- effects ---------------------------------------------------------------------------
    def _pop(self, effect: PopCall) -> None:
        call = self._calls.get(effect.call_id) or next(
            (c for c in self.services.telephony.calls() if c.call_id == effect.call_id), None
        )  # a call-back's update may still be on its way when Originate returns
        if call is None:
            return
        self._remember(call)
        ticket = self.callback_ticket if effect.ticket_id else None
        kb = self.services.kb
        place = place_of(call.dialled, call.queue, call.language, self.options.routing,
                         kb.home_municipality)  # fmt: skip
        self.session = session = session_for(call, self.services.clock(), ticket, place)
        self._close_agent_dialogs()
        self.query_one("#article", ArticleView).clear()  # the last caller's article goes
        self.query_one("#search", SearchBox).value = ""
        self.query_one("#history", CallerHistory).show_loading()
        self.load_history(session.call_id, session.caller_number)
        self.query_one("#search", SearchBox).focus()
        self.post_message(CallOfferedMessage(call.call_id, session.caller_number))

    def _close_agent_dialogs(self) -> None:
        """A new call pops: the pause chooser and the call-back list (nothing typed) go."""
        while isinstance(self.app.screen, PauseDialog | CallbacksScreen):
            self.app.screen.dismiss(None)

    def _close_dialogs(self, call_id: str) -> None:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, CallBound) and screen.call_id == call_id and not screen.gone:
                screen.call_gone()

    def _open_wrapup(self, effect: OpenWrapUp) -> None:
        draft = self._restored.pop(effect.call_id, None)
        session = draft.session if draft is not None else self.wrapping
        if session is None or session.call_id != effect.call_id:
            return
        self.wrapping = session
        if draft is None and session.ticket is None:
            self.save_open_record(session)
        screen = WrapUpScreen(
            session, self.services, self.agent_id, self._titles(), self.options.callback_hours,
            writer=self.writer, drafts=self.drafts, draft=draft,
        )  # fmt: skip
        self.app.push_screen(screen, self._wrapup_done)

    def _wrapup_done(self, result: WrapUpResult | None) -> None:
        self.wrapping = None
        self.query_one("#history", CallerHistory).display = False
        if result is None:
            return
        self.queued = result.queued
        notice = write_notice("Anruf" if result.record else "Rückruf", result.delivery)
        if result.delivery is Delivery.QUEUED:
            self.notify(
                f"Datenbank nicht erreichbar: {result.queued} Einträge warten im "
                "Zwischenspeicher und werden nachgetragen.",
                severity="warning",
            )
        elif notice is not None:
            self.notify(notice[0], severity=notice[1])
        else:
            self.notify(result.notice)
        self.feed(WrapUpSaved(result.call_id))
        self.refresh_banner()
        if result.record is not None:
            queued = result.delivery is not Delivery.STORED
            self.post_message(WrapUpSavedMessage(result.record, queued))
        if result.tickets:
            self.load_callbacks()
