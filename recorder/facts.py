"""A queue call's PBX facts as a call record (pure): from the call tracker's state and extras.

The call tracker (telephony.calls) keeps what the console needs; the recorder needs a little
more, kept per Linkedid in `Extras`: the caller's Uniqueid and queue positions, whether the
caller abandoned or left the queue otherwise, the queue's own word on who hung up
(AgentComplete's Reason: the order of Hangup events varies and is never used), when the
agent handed the call on, and whether the call was lost while the PBX connection was down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from calllog.models import CallRecord, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from telephony import events as ev
from telephony.calls import Call, CallState, TransferKind
from telephony.calls import EndedBy as TrackerEndedBy
from telephony.origin import Routing

_TERMINAL = {CallState.ENDED, CallState.ABANDONED}
_REASONS = {"caller": EndedBy.CALLER, "agent": EndedBy.AGENT}


@dataclass
class Extras:
    """What the recorder learns about one call beyond the tracker's state."""

    caller_uniqueid: str = ""
    entry_position: int | None = None
    abandoned: bool = False
    exit_position: int | None = None
    left_queue: bool = False
    """QueueCallerLeave came (also before an answer: only meaningful if never answered)."""
    ended_by: EndedBy | None = None
    """From AgentComplete's Reason (caller or agent)."""
    completed_at: float | None = None
    """When AgentComplete came: the agent's part is over."""
    transfer: tuple[TransferKind, str] | None = None
    transferred_at: float | None = None
    department: str = ""
    """The extension the reference dialplan's DepartmentReached named last: the target when
    Asterisk sends AttendedTransfer without the target's fields (its channel gone already)."""
    lost: bool = False
    """The tracker ended the call at a resync: it ended while the connection was down."""
    survey_at: float | None = None
    """When the caller was handed to the survey (the tracker's end, or SurveyStarted)."""
    rating: int | None = None
    """The caller's rating in the survey (SurveyRated, 1-5)."""

    def note(self, event: ev.AmiEvent, at: float, survey_context: str = "") -> None:
        """Take what one event says about this call (a blind transfer into `survey_context`
        hands the caller to the survey: no transfer)."""
        if isinstance(event, ev.QueueCallerJoin):
            self.caller_uniqueid = self.caller_uniqueid or event.uniqueid
            self.entry_position = self.entry_position or event.position or None
        elif isinstance(event, ev.QueueCallerAbandon):
            self.abandoned = True
            self.exit_position = event.position or None
            self.caller_uniqueid = self.caller_uniqueid or event.uniqueid
            self.entry_position = self.entry_position or event.original_position or None
        elif isinstance(event, ev.QueueCallerLeave):
            self.left_queue = True
        elif isinstance(event, ev.AgentComplete):
            self.ended_by = _REASONS.get(event.reason)
            self.completed_at = self.completed_at or at
        elif isinstance(event, ev.BlindTransfer) and event.success:
            if survey_context and event.context == survey_context:
                self.survey_at = self.survey_at or at
            else:
                self._transferred(TransferKind.BLIND, event.extension, at)
        elif isinstance(event, ev.AttendedTransfer) and event.success:
            self._transferred(TransferKind.ATTENDED, event.target_extension, at)
        elif isinstance(event, ev.DepartmentReached):
            self.department = event.exten
        elif isinstance(event, ev.SurveyStarted):
            self.survey_at = self.survey_at or at
        elif isinstance(event, ev.SurveyRated) and event.rating:
            self.survey_at = self.survey_at or at
            self.rating = self.rating or event.rating

    def _transferred(self, kind: TransferKind, target: str, at: float) -> None:
        if self.transfer is None:
            self.transfer, self.transferred_at = (kind, target), at

    def follow(self, call: Call, at: float) -> None:
        """Take what a new state of the call says (the moment of a transfer, a loss)."""
        if call.transfer_kind is not None and self.transferred_at is None:
            self.transferred_at = at
        if call.state in _TERMINAL and call.ended_by == TrackerEndedBy.UNKNOWN:
            self.lost = True
        if call.survey and call.ended_at is not None:  # the call ended into the survey there
            self.survey_at = call.ended_at


def utc(epoch: float | None) -> datetime | None:
    """Epoch seconds as an aware UTC time."""
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _mode(kind: TransferKind | None) -> TransferMode | None:
    if kind is None:
        return None
    return TransferMode.ATTENDED if kind == TransferKind.ATTENDED else TransferMode.BLIND


def _target(kind: TransferKind | None, named: str, x: Extras) -> str | None:
    if kind is None:
        return None
    return named or x.department or None


def _end(call: Call, x: Extras) -> float | None:
    """When the agent's part (or the caller's wait) ended; None while unknown."""
    if call.survey:  # handed to the survey: the tracker ended it there
        return call.ended_at
    if call.transfer_kind is not None:
        return x.transferred_at
    if x.lost:
        return x.completed_at
    return call.ended_at if call.state in _TERMINAL else None


def _exit(call: Call, x: Extras, answered: bool) -> QueueExit | None:
    if answered:
        return None
    if x.abandoned:
        return QueueExit.ABANDONED
    if call.state in _TERMINAL and x.left_queue and not x.lost:
        return QueueExit.EXITED
    return None


def origin(call: Call, routing: Routing) -> tuple[str | None, str | None]:
    """The municipality and the caller's language the PBX's facts map to.

    Without the caller's QueueCallerJoin (a call first seen in a QueueStatus after a
    reconnect) the number dialled and the channel language are unknown: only the queue
    speaks then, and an unmapped queue leaves the language unknown.
    """
    municipality = routing.municipality(call.dialled, call.queue)
    if call.dialled or call.language:
        return municipality, routing.language(call.language, call.queue)
    return municipality, routing.languages_by_queue.get(call.queue) or None


def call_facts(
    call: Call, x: Extras, agent_id: Callable[[str], str], routing: Routing | None = None
) -> CallRecord | None:
    """The record of what the PBX said about a queue call so far (None before it is offered)."""
    if not call.queue or call.joined_at is None:
        return None
    municipality, language = origin(call, routing or Routing())
    answered = call.answered_at is not None
    ended_by = EndedBy.CALLER if x.abandoned else x.ended_by
    kind = None if call.survey else call.transfer_kind  # the survey is no transfer
    if call.survey:
        ended_by = EndedBy.AGENT  # the agent chose to end the call "mit Umfrage"
    survey = survey_facts(x, answered)
    return CallRecord(
        call_id=call.call_id, queue=call.queue, offered_at=_time(call.joined_at),
        agent_id=agent_id(call.agent_interface) if answered else None,
        caller_number=call.caller_number or None, caller_name=call.caller_name or None,
        answered_at=utc(call.answered_at), ended_at=utc(_end(call, x)),
        queue_exit=_exit(call, x, answered),
        ended_by=None if kind is not None else ended_by,
        entry_position=x.entry_position, exit_position=x.exit_position if x.abandoned else None,
        pbx_transfer=_mode(kind), pbx_transfer_target=_target(kind, call.transfer_target, x),
        caller_uniqueid=x.caller_uniqueid or None, source=Source.RECORDER,
        survey_at=survey[0], survey_rating=survey[1], pbx_municipality=municipality,
        pbx_language=language,
    )  # fmt: skip


def completed_facts(
    e: ev.AgentComplete, call_id: str, at: float, x: Extras, agent_id: Callable[[str], str]
) -> CallRecord | None:
    """A call the tracker never saw (answered while the recorder was away), from AgentComplete.

    Its offer and answer times come from the queue's HoldTime and TalkTime (whole seconds),
    so they are marked coarse: where the call log knows them better, its values stand.
    """
    if not e.queue or not call_id:
        return None
    answered = at - e.talk_time
    kind, target = x.transfer or (None, "")
    survey = survey_facts(x, True)
    ended_by = EndedBy.AGENT if survey[0] is not None else x.ended_by
    return CallRecord(
        call_id=call_id, queue=e.queue, offered_at=_time(answered - e.hold_time),
        agent_id=agent_id(e.interface), caller_number=e.caller_number or None,
        caller_name=e.caller_name or None, answered_at=utc(answered), ended_at=utc(at),
        ended_by=ended_by if kind is None else None, pbx_transfer=_mode(kind),
        survey_at=survey[0], survey_rating=survey[1],
        pbx_transfer_target=_target(kind, target, x), caller_uniqueid=x.caller_uniqueid or None,
        source=Source.RECORDER, coarse_facts=frozenset({"offered_at", "answered_at"}),
    )  # fmt: skip


def survey_facts(x: Extras, answered: bool) -> tuple[datetime | None, int | None]:
    """`survey_at` and `survey_rating` (only an answered call can have gone to the survey)."""
    if not answered or x.survey_at is None:
        return None, None
    return utc(x.survey_at), x.rating


def with_survey(record: CallRecord, x: Extras) -> CallRecord:
    """A written record with what the survey said since (its start, the rating)."""
    survey_at, rating = survey_facts(x, record.answered_at is not None)
    return replace(record, survey_at=survey_at, survey_rating=rating)


def with_completion(record: CallRecord, x: Extras) -> CallRecord:
    """A written record with what a late AgentComplete said (who hung up)."""
    if record.pbx_transfer is not None or x.ended_by is None:
        return record
    return replace(record, ended_by=x.ended_by)


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
