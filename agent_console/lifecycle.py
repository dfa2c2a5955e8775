"""The agent's desk: one explicit, pure state machine that every key and screen follows.

`Lifecycle.step(desk, event)` returns the next `Desk` and the effects the console
carries out, in order: PBX actions (`Pause` before `Hangup`, so no call is offered
while the agent wraps up), dialogs to open or close, refusals to show. Nothing
here does I/O or knows Textual. The telephony state (calls, queue members) stays
in telephony/; the desk is the agent's side of it.

    READY ── call rings ──> RINGING ── answered ──> ON_CALL <──> CONSULTING
      ^  \\                    │ (gone)                 │ call ends
      │   F8 ─> PAUSED        v                        v  (F4, or F12 then F4: "mit Umfrage")
      │        (reason)    READY/PAUSED            WRAP_UP ── saved ──> READY, or
      │                                                                PAUSED(pause_after)
      └─ call-back: READY/PAUSED ─> CALLBACK_DIALLING ─> CALLBACK_ON_CALL ─> WRAP_UP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from agent_console.desk import (
    TALKING,
    CallbackChosen,
    CallbackConnected,
    CallbackFailed,
    CallEnded,
    CallOffered,
    CloseDialogs,
    ConsultChanged,
    ConsultFinished,
    Desk,
    Effect,
    EndConsult,
    Event,
    Hangup,
    HangupPressed,
    OpenWrapUp,
    Originate,
    Pause,
    PauseChosen,
    PbxEffect,
    PbxPauseChanged,
    Phase,
    PopCall,
    ReadyChosen,
    Refusal,
    Refused,
    Step,
    SurveyDue,
    SurveyToggled,
    ToSurvey,
    Transfer,
    TransferChosen,
    Unpause,
    WrapUpRestored,
    WrapUpSaved,
)

#: Keys and what phases allow them (the console greys out the others).
ALLOWED: dict[str, frozenset[Phase]] = {
    "hangup": frozenset({Phase.ON_CALL, Phase.CALLBACK_ON_CALL}),
    "transfer": frozenset({Phase.ON_CALL}),
    "complete_transfer": frozenset({Phase.CONSULTING}),
    "cancel_transfer": frozenset({Phase.CONSULTING}),
    "call_back": frozenset({Phase.READY, Phase.PAUSED}),
    "survey": frozenset({Phase.ON_CALL}),
}


def allows(desk: Desk, action: str) -> bool:
    """Whether a key's action can do something now (unknown actions are always allowed)."""
    phases = ALLOWED.get(action)
    return phases is None or desk.phase in phases


@dataclass(frozen=True)
class Lifecycle:
    """The transitions; configured with the pause reasons the console uses itself."""

    wrapup_reason: str = "Nachbearbeitung"
    callback_reason: str = "Rückruf"

    def step(self, desk: Desk, event: Event) -> Step:
        """The next desk and the effects to carry out, in order (pure)."""
        handler: Any = _HANDLERS[type(event)]
        result: Step = handler(self, desk, event)
        return result

    # -- calls -------------------------------------------------------------------------
    def _call_offered(self, desk: Desk, e: CallOffered) -> Step:
        phase = Phase.ON_CALL if e.answered else Phase.RINGING
        if desk.phase in {Phase.READY, Phase.PAUSED}:
            after = desk.pause_reason if desk.phase == Phase.PAUSED else ""  # F8 is kept
            new = Desk(phase, e.call_id, pause_after=after)
            return new, [PopCall(e.call_id)]
        if e.call_id == desk.call_id:
            if desk.phase == Phase.RINGING and e.answered:
                return replace(desk, phase=Phase.ON_CALL), []
            return desk, []
        if e.call_id in desk.others:
            return desk, []
        return replace(desk, others=(*desk.others, e.call_id)), []

    def _consult_changed(self, desk: Desk, e: ConsultChanged) -> Step:
        if e.call_id != desk.call_id or desk.phase not in {Phase.ON_CALL, Phase.CONSULTING}:
            return desk, []
        return replace(desk, phase=Phase.CONSULTING if e.consulting else Phase.ON_CALL), []

    def _call_ended(self, desk: Desk, e: CallEnded) -> Step:
        if e.call_id != desk.call_id:
            others = tuple(c for c in desk.others if c != e.call_id)
            return replace(desk, others=others), []
        if desk.phase == Phase.WRAP_UP:
            return desk, []
        if desk.phase in TALKING or (e.answered and desk.phase == Phase.RINGING):
            new = replace(desk, phase=Phase.WRAP_UP)
            effects: list[Effect] = [CloseDialogs(e.call_id), Pause(self.wrapup_reason),
                                     OpenWrapUp(e.call_id, desk.ticket_id)]  # fmt: skip
            return new, effects
        idle, effects = self._idle(desk, unpause=False)
        return idle, [CloseDialogs(e.call_id), *effects]

    def _wrap_up_saved(self, desk: Desk, e: WrapUpSaved) -> Step:
        if desk.phase != Phase.WRAP_UP or e.call_id != desk.call_id:
            return desk, []
        return self._idle(desk, unpause=True)

    def _wrap_up_restored(self, desk: Desk, e: WrapUpRestored) -> Step:
        if desk.busy:
            return desk, []
        after = desk.pause_reason if desk.phase == Phase.PAUSED else ""
        if after == self.wrapup_reason:
            after = ""
        new = Desk(Phase.WRAP_UP, e.call_id, e.ticket_id, pause_after=after)
        return new, [Pause(self.wrapup_reason), OpenWrapUp(e.call_id, e.ticket_id)]

    def _idle(self, desk: Desk, *, unpause: bool) -> Step:
        """Back from a call: paused when the agent asked for it, else ready."""
        if desk.pause_after:
            reason = desk.pause_after
            return Desk(Phase.PAUSED, pause_reason=reason, others=desk.others), [Pause(reason)]
        return Desk(Phase.READY, others=desk.others), [Unpause()] if unpause else []

    # -- pause -------------------------------------------------------------------------
    def _pause_chosen(self, desk: Desk, e: PauseChosen) -> Step:
        if desk.busy:
            return replace(desk, pause_after=e.reason), []
        return Desk(Phase.PAUSED, pause_reason=e.reason, others=desk.others), [Pause(e.reason)]

    def _ready_chosen(self, desk: Desk, e: ReadyChosen) -> Step:
        if desk.busy:
            return replace(desk, pause_after=""), []
        if desk.phase == Phase.PAUSED:
            return Desk(Phase.READY, others=desk.others), [Unpause()]
        return desk, []

    def _pbx_pause_changed(self, desk: Desk, e: PbxPauseChanged) -> Step:
        if desk.busy:  # the console's own pauses during calls; a call ends in wrap-up anyway
            return desk, []
        if e.paused and (desk.phase != Phase.PAUSED or desk.pause_reason != e.reason):
            return Desk(Phase.PAUSED, pause_reason=e.reason, others=desk.others), []
        if not e.paused and desk.phase == Phase.PAUSED:
            return Desk(Phase.READY, others=desk.others), []
        return desk, []

    # -- keys on a call ------------------------------------------------------------------
    def _hangup_pressed(self, desk: Desk, e: HangupPressed) -> Step:
        if desk.phase == Phase.CONSULTING:
            return desk, [Refused(Refusal.CONSULTING)]
        if desk.phase not in ALLOWED["hangup"]:
            return desk, [Refused(Refusal.NO_CALL)]
        end = ToSurvey(desk.call_id) if desk.survey else Hangup(desk.call_id)
        return desk, [Pause(self.wrapup_reason), end]

    def _survey_toggled(self, desk: Desk, e: SurveyToggled) -> Step:
        if desk.phase not in ALLOWED["survey"]:
            return desk, [Refused(Refusal.NO_CALL)]
        return replace(desk, survey=not desk.survey), []

    def _survey_due(self, desk: Desk, e: SurveyDue) -> Step:
        return (replace(desk, survey=True), []) if desk.phase in ALLOWED["survey"] else (desk, [])

    def _transfer_chosen(self, desk: Desk, e: TransferChosen) -> Step:
        if desk.phase != Phase.ON_CALL or e.call_id != desk.call_id:
            return desk, [Refused(Refusal.NO_CALL)]
        move = Transfer(e.call_id, e.target, e.attended)
        return desk, [move] if e.attended else [Pause(self.wrapup_reason), move]

    def _consult_finished(self, desk: Desk, e: ConsultFinished) -> Step:
        if desk.phase != Phase.CONSULTING:
            return desk, [Refused(Refusal.NO_CALL)]
        end = EndConsult(desk.call_id, e.hand_over)
        return desk, [Pause(self.wrapup_reason), end] if e.hand_over else [end]

    # -- call-backs --------------------------------------------------------------------
    def _callback_chosen(self, desk: Desk, e: CallbackChosen) -> Step:
        if desk.phase == Phase.WRAP_UP:
            return desk, [Refused(Refusal.WRAP_UP)]
        if desk.busy:
            return desk, [Refused(Refusal.BUSY)]
        after = desk.pause_reason if desk.phase == Phase.PAUSED else ""
        new = Desk(Phase.CALLBACK_DIALLING, ticket_id=e.ticket_id, pause_after=after,
                   others=desk.others)  # fmt: skip
        return new, [Pause(self.callback_reason), Originate(e.ticket_id, e.number, e.name)]

    def _callback_connected(self, desk: Desk, e: CallbackConnected) -> Step:
        if desk.phase != Phase.CALLBACK_DIALLING:
            return desk, []
        new = replace(desk, phase=Phase.CALLBACK_ON_CALL, call_id=e.call_id)
        return new, [PopCall(e.call_id, desk.ticket_id)]

    def _callback_failed(self, desk: Desk, e: CallbackFailed) -> Step:
        if desk.phase != Phase.CALLBACK_DIALLING:
            return desk, []
        return self._idle(desk, unpause=True)


_HANDLERS: dict[type, Callable[..., Step]] = {
    CallOffered: Lifecycle._call_offered,
    ConsultChanged: Lifecycle._consult_changed,
    CallEnded: Lifecycle._call_ended,
    WrapUpSaved: Lifecycle._wrap_up_saved,
    WrapUpRestored: Lifecycle._wrap_up_restored,
    PauseChosen: Lifecycle._pause_chosen,
    ReadyChosen: Lifecycle._ready_chosen,
    PbxPauseChanged: Lifecycle._pbx_pause_changed,
    HangupPressed: Lifecycle._hangup_pressed,
    TransferChosen: Lifecycle._transfer_chosen,
    ConsultFinished: Lifecycle._consult_finished,
    CallbackChosen: Lifecycle._callback_chosen,
    CallbackConnected: Lifecycle._callback_connected,
    CallbackFailed: Lifecycle._callback_failed,
    SurveyToggled: Lifecycle._survey_toggled,
    SurveyDue: Lifecycle._survey_due,
}


def pbx_effects(effects: Sequence[Effect]) -> list[PbxEffect]:
    """The PBX actions among the effects, in order."""
    kinds = (Pause, Unpause, Hangup, ToSurvey, Transfer, EndConsult, Originate)
    return [e for e in effects if isinstance(e, kinds)]
