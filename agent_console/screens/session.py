"""The call being handled, as plain data, and the pure rules of the console (no Textual here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agent_console.origin import CallPlace, Colleague
from calllog.models import CallbackTicket, CallRecord, Outcome, SearchQuery, Topic, TransferMode
from kb.models import Office
from search.analysis import fold
from telephony.calls import Call, CallState, EndedBy, TransferKind

#: How far back the caller's earlier calls are shown.
HISTORY_DAYS = 30


def clock_text(seconds: float | None) -> str:
    """Seconds as `m:ss` (or `h:mm:ss`); `–` for unknown."""
    if seconds is None:
        return "–"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@dataclass
class CallSession:
    """One call at this agent's phone, from ringing to the end of wrap-up."""

    call_id: str
    queue: str
    caller_number: str
    caller_name: str
    offered_at: datetime
    queue_wait: int | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: EndedBy | None = None
    topics: list[str] = field(default_factory=list)
    """Article ids opened during the call, in order."""
    leika: dict[str, str] = field(default_factory=dict)
    searches: list[SearchQuery] = field(default_factory=list)
    """Searches recorded for the call log, in order (see `show_results`)."""
    pending_search: SearchQuery | None = None
    """The search on screen while the agent still types or reads it; recorded once settled."""
    transfer_kind: TransferKind | None = None
    transfer_target: str = ""
    transfer_office: str = ""
    consulting: str = ""
    """Extension consulted during an attended transfer that is not yet completed."""
    ticket: CallbackTicket | None = None
    """For a call-back: the ticket being answered (who, why, due, attempts)."""
    survey: bool = False
    """The call ended "mit Umfrage": the caller went on to the survey (no transfer)."""
    place: CallPlace = field(default_factory=CallPlace)
    """Whose call it is and the caller's language (the PBX's, or the agent's choice)."""

    @property
    def over(self) -> bool:
        """True once the caller is gone (ended, abandoned or transferred away)."""
        return self.ended_at is not None

    def add_topic(
        self,
        article_id: str,
        leika: str | None,
        query: str,
        hits: int,
        at: datetime,
        high: int | None = None,
    ) -> None:
        """An article was opened: remember it as a topic and the search that led to it."""
        if article_id not in self.topics:
            self.topics.append(article_id)
            if leika:
                self.leika[article_id] = leika
        text = query.strip()
        if self.pending_search is not None and _same_search(self.pending_search.text, text):
            self.pending_search = None  # the search that led to the article replaces it
        if text:
            self._record(SearchQuery(text, hits, at, high))

    def show_results(self, query: str, hits: int, high: int, at: datetime) -> None:
        """Results are on screen: `hits` of them, `high` sure ones ("vielleicht" the others).

        While the agent goes on typing (or deletes back) the same search, only its longest
        form is kept; it is recorded once a different search starts, the box is emptied or
        the call is recorded. So a search without a sure hit is logged although no article
        was opened, and each keystroke is not.
        """
        text = query.strip()
        pending = self.pending_search
        if pending is not None and text and _same_search(pending.text, text):
            if not pending.text.startswith(text):  # typed on; deleting back keeps the longer
                self.pending_search = SearchQuery(text, hits, at, high)
            return
        if pending is not None:
            self._record(pending)
        self.pending_search = SearchQuery(text, hits, at, high) if text else None

    def recorded_searches(self) -> tuple[SearchQuery, ...]:
        """The searches for the call record: those recorded, then the one still on screen."""
        pending = self.pending_search
        if pending is None or any(s.text == pending.text for s in self.searches):
            return tuple(self.searches)
        return (*self.searches, pending)

    def _record(self, search: SearchQuery) -> None:
        if all(s.text != search.text for s in self.searches):
            self.searches.append(search)


def _same_search(earlier: str, later: str) -> bool:
    """True when one text continues the other (typing on, or deleting back)."""
    return earlier.startswith(later) or later.startswith(earlier)


def session_for(
    call: Call,
    now: datetime,
    ticket: CallbackTicket | None = None,
    place: CallPlace | None = None,
) -> CallSession:
    """A new session for a call that rings or is answered at this agent (or a call-back)."""
    return CallSession(
        call_id=call.call_id,
        queue=call.queue or "service115",
        caller_number=call.caller_number or (ticket.number or "" if ticket else ""),
        caller_name=(ticket.caller_name or "") if ticket else call.caller_name,
        offered_at=now - timedelta(seconds=call.queue_wait or 0),
        queue_wait=call.queue_wait,
        answered_at=now if call.state == CallState.CONNECTED else None,
        ticket=ticket,
        place=place or CallPlace(),
    )


def apply_call(session: CallSession, call: Call, now: datetime) -> bool:
    """Fold a call update into the session; True when the caller has just gone."""
    if call.queue_wait is not None:
        session.queue_wait = call.queue_wait
    if call.state == CallState.CONNECTED and session.answered_at is None:
        session.answered_at = now
    if call.transfer_kind is not None and not call.survey:
        session.transfer_kind = call.transfer_kind
        session.transfer_target = call.transfer_target or session.transfer_target
    if call.survey:  # the hand-over to the survey is no transfer to an office
        session.survey, session.transfer_kind, session.transfer_target = True, None, ""
    gone = call.state in {CallState.TRANSFERRED, CallState.ENDED, CallState.ABANDONED}
    if gone and session.ended_at is None:
        session.consulting = ""
        session.ended_at = now
        session.ended_by = call.ended_by
        return True
    return False


def preselect_outcome(session: CallSession) -> Outcome | None:
    """What happened, as the wrap-up's preselected outcome (None: the agent must choose)."""
    if session.answered_at is None:
        return Outcome.ABANDONED
    if session.transfer_kind is not None:
        return Outcome.TRANSFERRED
    if session.ended_by == EndedBy.UNKNOWN:
        return Outcome.DROPPED
    if session.topics:
        return Outcome.RESOLVED
    return None


def transfer_mode(kind: TransferKind | None) -> TransferMode | None:
    """The call log's transfer mode for the PBX's transfer kind."""
    if kind is None:
        return None
    return TransferMode.ATTENDED if kind == TransferKind.ATTENDED else TransferMode.BLIND


def build_record(
    session: CallSession,
    *,
    outcome: Outcome | None,
    agent_id: str,
    notes: str,
    target: str | None,
    topics: Iterable[str],
    now: datetime,
    handover_note: str = "",
) -> CallRecord:
    """The call record written at the end of wrap-up (times kept in order).

    With `outcome` None it is the record of a call that has just ended: the wrap-up
    is still open (`wrapup_end_at` stays empty). A handover note counts only for a
    transfer. The console's view of the survey (handed over at the call's end) is
    provisional like its other PBX facts; the rating only ever comes from the PBX. So are its
    municipality and language from the PBX; the municipality the agent chose is the agent's.
    """
    offered = session.offered_at
    place = session.place
    answered = max(session.answered_at, offered) if session.answered_at else None
    ended = max(session.ended_at or now, answered or offered)
    wrapped = max(now, ended) if outcome is not None else None
    if outcome == Outcome.ABANDONED:  # never answered: no talk, no wrap-up
        answered = wrapped = None
    return CallRecord(
        call_id=session.call_id,
        queue=session.queue,
        offered_at=offered,
        agent_id=agent_id,
        caller_number=session.caller_number or None,
        caller_name=session.caller_name or None,
        answered_at=answered,
        ended_at=ended,
        wrapup_end_at=wrapped,
        outcome=outcome,
        outcome_target=target or None,
        transfer_mode=transfer_mode(session.transfer_kind)
        if outcome == Outcome.TRANSFERRED
        else None,
        notes=notes.strip() or None,
        topics=tuple(Topic(t, session.leika.get(t)) for t in dict.fromkeys(topics)),
        searches=session.recorded_searches(),
        updated_at=max(now, ended),
        updated_by=agent_id,
        survey_at=ended if session.survey and answered is not None else None,
        handover_note=(handover_note.strip() or None) if outcome == Outcome.TRANSFERRED else None,
        language=place.language,
        municipality=place.municipality if place.chosen else None,
        pbx_municipality=place.pbx,
        pbx_language=place.language,
    )


def earlier_calls(
    records: Iterable[CallRecord], number: str, call_id: str, now: datetime
) -> list[CallRecord]:
    """The caller's other calls in the last HISTORY_DAYS days, newest first."""
    if not number:
        return []
    since = now - timedelta(days=HISTORY_DAYS)
    found = [
        r
        for r in records
        if r.caller_number == number and r.call_id != call_id and r.offered_at >= since
    ]
    return sorted(found, key=lambda r: r.offered_at, reverse=True)


def queue_summary(calls: Iterable[Call], now: float) -> tuple[int, float | None]:
    """(callers waiting, longest wait in seconds) from the PBX's active calls."""
    joined = [c.joined_at or now for c in calls if c.state == CallState.QUEUED]
    return len(joined), (now - min(joined) if joined else None)


def office_order(
    offices: Iterable[Office], responsible: str | None, text: str = ""
) -> list[Office]:
    """The transfer directory: the responsible office first, then in the order given (the
    KB's `offices_for`: the municipality's own by name, then the shared ones by name);
    filtered by `text`."""
    words = fold(text).split()

    def matches(office: Office) -> bool:
        hay = fold(f"{office.name} {office.id} {office.extension or ''} {office.phone or ''}")
        return all(w in hay for w in words)

    chosen = [o for o in offices if matches(o)]
    return sorted(chosen, key=lambda o: o.id != responsible)


def colleague_order(colleagues: Iterable[Colleague], text: str = "") -> list[Colleague]:
    """The colleagues in the transfer directory, filtered by `text` (name, id, extension)."""
    words = fold(text).split()

    def matches(colleague: Colleague) -> bool:
        hay = fold(f"{colleague.name} {colleague.agent_id} {colleague.extension}")
        return all(w in hay for w in words)

    return [c for c in colleagues if matches(c)]


def utc(epoch: float) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(epoch, UTC)
