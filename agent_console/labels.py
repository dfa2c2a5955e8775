"""Every German label for outcomes, agent states, call-back tickets and the PBX, in one place."""

from __future__ import annotations

from agent_console.desk import Desk, Phase, Refusal
from calllog.models import CallbackStatus, Outcome
from recorder.live import STATE_LABELS
from telephony.agents import AgentState
from telephony.protocol import ConnectionState

#: Outcomes as the wrap-up form lists them (in this order) and the caller history shows them.
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.RESOLVED: "Erledigt (Auskunft erteilt)",
    Outcome.TRANSFERRED: "Weitergeleitet",
    Outcome.CALLBACK: "Rückruf zugesagt",
    Outcome.WRITTEN: "Schriftliche Antwort zugesagt",
    Outcome.NOT_RESPONSIBLE: "Nicht zuständig (verwiesen)",
    Outcome.DROPPED: "Verbindung abgebrochen",
    Outcome.ABANDONED: "Aufgelegt vor Annahme",
}

#: Outcomes in one word, for tables (supervisor's call-log browser).
OUTCOME_SHORT: dict[Outcome, str] = {
    Outcome.RESOLVED: "gelöst",
    Outcome.TRANSFERRED: "weitergeleitet",
    Outcome.CALLBACK: "Rückruf",
    Outcome.WRITTEN: "schriftlich",
    Outcome.NOT_RESPONSIBLE: "Verweis",
    Outcome.ABANDONED: "aufgelegt",
    Outcome.DROPPED: "abgebrochen",
}

#: A call whose outcome is not chosen yet.
NO_OUTCOME = "offen"

#: Queue members as the PBX reports them (supervisor views; the same words as every live
#: view, the wallboard included: `recorder.live.STATE_LABELS`).
PBX_AGENT_LABELS: dict[AgentState, str] = dict(STATE_LABELS)

#: The PBX connection in the call bar.
CONNECTION_LABELS: dict[ConnectionState, str] = {
    ConnectionState.CONNECTED: "Telefonanlage verbunden",
    ConnectionState.CONNECTING: "Telefonanlage: verbinde …",
    ConnectionState.RECONNECTING: "Telefonanlage nicht erreichbar",
    ConnectionState.DISCONNECTED: "Telefonanlage getrennt",
}

#: The notice and banner while the PBX is away.
PBX_DOWN = "Telefonanlage nicht erreichbar – Wissensdatenbank und Nachbearbeitung bleiben nutzbar"

#: Call-back tickets' states.
CALLBACK_STATUS_LABELS: dict[CallbackStatus, str] = {
    CallbackStatus.OPEN: "offen",
    CallbackStatus.IN_PROGRESS: "in Arbeit",
    CallbackStatus.DONE: "erledigt",
    CallbackStatus.UNREACHABLE: "nicht erreicht (aufgegeben)",
}

#: What a call-back attempt came to, as the wrap-up of a call-back offers it.
CALLBACK_RESULT_LABELS: dict[str, str] = {
    "reached": "Erreicht",
    "not_reached": "Nicht erreicht – später erneut versuchen",
    "given_up": "Nicht erreicht – aufgeben",
}


def pbx_agent_label(state: AgentState | None, reason: str = "") -> str:
    """German label of a queue member's state, with the pause reason ("Pause (Mittag)")."""
    if state is None:
        return "Unbekannt"
    label = PBX_AGENT_LABELS[state]
    return (
        f"{label} ({reason})"
        if state == AgentState.PAUSED and reason != label and reason
        else label
    )


def outcome_label(outcome: Outcome | None) -> str:
    """The wrap-up label of an outcome; "offen" while none was chosen."""
    return OUTCOME_LABELS[outcome] if outcome is not None else NO_OUTCOME


#: The agent's desk in the call bar.
PHASE_LABELS: dict[Phase, str] = {
    Phase.READY: "Bereit",
    Phase.RINGING: "Klingelt",
    Phase.ON_CALL: "Im Gespräch",
    Phase.CONSULTING: "Rückfrage",
    Phase.WRAP_UP: "Nachbearbeitung",
    Phase.PAUSED: "Pause",
    Phase.CALLBACK_DIALLING: "Rückruf: Ihr Telefon klingelt",
    Phase.CALLBACK_ON_CALL: "Rückruf",
}

#: Why a key did nothing.
REFUSAL_LABELS: dict[Refusal, str] = {
    Refusal.NO_CALL: "Kein Gespräch, auf das sich das bezieht.",
    Refusal.BUSY: "Erst das laufende Gespräch beenden – ein Rückruf ist jetzt nicht möglich.",
    Refusal.CONSULTING: "Rückfrage läuft: erst übergeben (F5) oder zurückholen (F6).",
    Refusal.WRAP_UP: "Erst die Nachbearbeitung abschließen (F10) – dann zurückrufen.",
}


def desk_label(desk: Desk) -> str:
    """The call bar's state text: "Pause (Schulung)", "Im Gespräch · danach Pause (Mittag)"."""
    label = PHASE_LABELS[desk.phase]
    if desk.phase == Phase.PAUSED and desk.pause_reason not in {"", label}:
        label = f"{label} ({desk.pause_reason})"  # "Pause", not "Pause (Pause)"
    if desk.busy and desk.pause_after:
        label = f"{label} · danach Pause ({desk.pause_after})"
    return label
