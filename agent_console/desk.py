"""The agent's desk as data: phases, the desk, the events that move it and the effects it asks for.

`agent_console.lifecycle` holds the transitions; this module only holds what they
speak about (frozen dataclasses, no logic).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """What the agent is doing."""

    READY = "ready"
    RINGING = "ringing"
    ON_CALL = "on_call"
    CONSULTING = "consulting"
    WRAP_UP = "wrap_up"
    PAUSED = "paused"
    CALLBACK_DIALLING = "callback_dialling"
    """The agent's phone rings for a call-back the console started."""
    CALLBACK_ON_CALL = "callback_on_call"


#: Phases with a call (or its wrap-up) the agent is busy with.
BUSY = frozenset(Phase) - {Phase.READY, Phase.PAUSED}
#: Phases in which the agent talks to a caller.
TALKING = frozenset({Phase.ON_CALL, Phase.CONSULTING, Phase.CALLBACK_ON_CALL})


@dataclass(frozen=True, slots=True)
class Desk:
    """The agent's state: the phase, the call it concerns, and what comes after it."""

    phase: Phase = Phase.READY
    call_id: str = ""
    """The call ringing, talked to, consulted about or wrapped up ("" when idle)."""
    ticket_id: str = ""
    """The call-back ticket while it is dialled, talked or wrapped up."""
    pause_reason: str = ""
    """Why the agent is paused (PAUSED)."""
    pause_after: str = ""
    """Pause with this reason once the current call is wrapped up ("" = ready again)."""
    others: tuple[str, ...] = ()
    """Further calls ringing or connected at the agent's phone while it is busy."""
    survey: bool = False
    """End this call "mit Umfrage": F4 hands the caller to the survey instead of hanging up."""

    @property
    def busy(self) -> bool:
        """True while a call or its wrap-up needs the agent (quitting asks first)."""
        return self.phase in BUSY


# -- events: what happened (keys pressed, PBX updates, saved forms) ------------------------
@dataclass(frozen=True, slots=True)
class CallOffered:
    """A queue call rings at (or was connected to) this agent's phone."""

    call_id: str
    answered: bool = False


@dataclass(frozen=True, slots=True)
class ConsultChanged:
    """An attended transfer's consultation started (True) or was cancelled (False)."""

    call_id: str
    consulting: bool


@dataclass(frozen=True, slots=True)
class CallEnded:
    """The call is over for this agent: hung up, transferred, abandoned or moved elsewhere."""

    call_id: str
    answered: bool


@dataclass(frozen=True, slots=True)
class WrapUpSaved:
    """The wrap-up of the call was saved (or queued in the outbox)."""

    call_id: str


@dataclass(frozen=True, slots=True)
class WrapUpRestored:
    """After a crash or kill, an unsaved wrap-up was found on disk."""

    call_id: str
    ticket_id: str = ""


@dataclass(frozen=True, slots=True)
class PauseChosen:
    """The agent chose a pause (F8 and a reason); during a call: after this call."""

    reason: str


@dataclass(frozen=True, slots=True)
class ReadyChosen:
    """The agent wants calls again (F8 while paused; cancels a pause after this call)."""


@dataclass(frozen=True, slots=True)
class PbxPauseChanged:
    """The PBX reports the member paused or not (set elsewhere, or after a restart)."""

    paused: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class HangupPressed:
    """F4."""


@dataclass(frozen=True, slots=True)
class SurveyToggled:
    """F12: end this call with the survey, or not (again)."""


@dataclass(frozen=True, slots=True)
class SurveyDue:
    """This call is one to offer the survey on (`survey.every_nth_call`); F12 takes it back."""


@dataclass(frozen=True, slots=True)
class TransferChosen:
    """An office was chosen in the transfer dialog."""

    call_id: str
    target: str
    attended: bool


@dataclass(frozen=True, slots=True)
class ConsultFinished:
    """F5 (hand the caller over) or F6 (take the caller back) during a consultation."""

    hand_over: bool


@dataclass(frozen=True, slots=True)
class CallbackChosen:
    """Enter on a call-back ticket: call the citizen back."""

    ticket_id: str
    number: str
    name: str


@dataclass(frozen=True, slots=True)
class CallbackConnected:
    """The agent's phone answered the call-back (the citizen is being dialled)."""

    call_id: str


@dataclass(frozen=True, slots=True)
class CallbackFailed:
    """The call-back did not start (the agent's phone did not answer, the PBX refused)."""


Event = (
    CallOffered | ConsultChanged | CallEnded | WrapUpSaved | WrapUpRestored | PauseChosen
    | ReadyChosen | PbxPauseChanged | HangupPressed | TransferChosen | ConsultFinished
    | CallbackChosen | CallbackConnected | CallbackFailed | SurveyToggled | SurveyDue
)  # fmt: skip


# -- effects: what the console does, in order ------------------------------------------
@dataclass(frozen=True, slots=True)
class Pause:
    """QueuePause with a reason."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unpause:
    """QueuePause Paused=false: calls may come."""


@dataclass(frozen=True, slots=True)
class Hangup:
    """Hang up the agent's leg of the call."""

    call_id: str


@dataclass(frozen=True, slots=True)
class ToSurvey:
    """Hand the caller to the survey (instead of hanging up): the agent's leg ends."""

    call_id: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """Blind transfer, or start a consultation (attended)."""

    call_id: str
    target: str
    attended: bool


@dataclass(frozen=True, slots=True)
class EndConsult:
    """Hand the caller over (complete) or take the caller back (cancel)."""

    call_id: str
    hand_over: bool


@dataclass(frozen=True, slots=True)
class Originate:
    """Ring the agent's phone, then dial the citizen."""

    ticket_id: str
    number: str
    name: str


@dataclass(frozen=True, slots=True)
class PopCall:
    """Show the caller (or the call-back's ticket) and put the cursor in the search box."""

    call_id: str
    ticket_id: str = ""


@dataclass(frozen=True, slots=True)
class CloseDialogs:
    """Every dialog that belongs to this call closes (or says the call is gone)."""

    call_id: str


@dataclass(frozen=True, slots=True)
class OpenWrapUp:
    """Write the open record and the draft, then show the wrap-up form."""

    call_id: str
    ticket_id: str = ""


class Refusal(StrEnum):
    """Why a key did nothing."""

    NO_CALL = "no_call"
    BUSY = "busy"
    CONSULTING = "consulting"
    WRAP_UP = "wrap_up"


@dataclass(frozen=True, slots=True)
class Refused:
    """Tell the agent why nothing happened."""

    why: Refusal


PbxEffect = Pause | Unpause | Hangup | ToSurvey | Transfer | EndConsult | Originate
Effect = PbxEffect | PopCall | CloseDialogs | OpenWrapUp | Refused
Step = tuple[Desk, list[Effect]]
