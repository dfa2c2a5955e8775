"""Call records, call-back tickets, article feedback and audit entries: frozen dataclasses."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from calllog.exceptions import InvalidRecord
from calllog.pbx import EndedBy, QueueExit, Source

#: A LeiKa key: 14 digits, always starting with 99.
LEIKA_KEY = re.compile(r"99\d{12}")
#: The ratings of the caller survey: 1 (sehr unzufrieden) to 5 (sehr zufrieden).
SURVEY_SCALE = range(1, 6)


class Outcome(StrEnum):
    """How a call ended for the caller."""

    RESOLVED = "resolved"
    """Answered at first contact."""
    TRANSFERRED = "transferred"
    """Passed on to an office or extension (blind or attended)."""
    CALLBACK = "callback"
    """A call-back ticket was promised."""
    WRITTEN = "written"
    """An answer by e-mail or letter was promised."""
    NOT_RESPONSIBLE = "not_responsible"
    """Referred to another authority."""
    ABANDONED = "abandoned"
    """The caller hung up while waiting in the queue."""
    DROPPED = "dropped"
    """The line was lost."""


class TransferMode(StrEnum):
    """How a transfer was made."""

    BLIND = "blind"
    ATTENDED = "attended"


class CallbackStatus(StrEnum):
    """Where a call-back ticket stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    UNREACHABLE = "failed_to_reach"


class AttemptResult(StrEnum):
    """What one call-back attempt came to."""

    REACHED = "reached"
    """The citizen answered: the ticket is done."""
    NOT_REACHED = "not_reached"
    """Nobody answered; another attempt follows."""
    GIVEN_UP = "given_up"
    """Nobody answered and no further attempt is made."""


#: Ticket states that still owe the caller an answer.
PENDING_STATUSES: frozenset[CallbackStatus] = frozenset(
    {CallbackStatus.OPEN, CallbackStatus.IN_PROGRESS}
)


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidRecord(f"{name} must be timezone-aware")


def _millis(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() * 1000)


@dataclass(frozen=True, slots=True)
class Topic:
    """A knowledge-base article a call was about."""

    article_id: str
    """The article id (its file stem), e.g. `personalausweis-beantragen`."""
    leika_key: str | None = None
    """The service's 14-digit LeiKa key, when known."""

    def __post_init__(self) -> None:
        if not self.article_id:
            raise InvalidRecord("topic needs an article id")
        if self.leika_key is not None and not LEIKA_KEY.fullmatch(self.leika_key):
            raise InvalidRecord(f"not a LeiKa key: {self.leika_key!r}")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search typed during a call, how many hits it found and how many of them were sure."""

    text: str
    hit_count: int
    searched_at: datetime | None = None
    high_hit_count: int | None = None
    """Hits the search was confident of (`confidence: high`); None in records written before
    the search knew (they count by `hit_count` alone)."""

    def __post_init__(self) -> None:
        if self.hit_count < 0:
            raise InvalidRecord("hit_count must not be negative")
        if self.high_hit_count is not None and not 0 <= self.high_hit_count <= self.hit_count:
            raise InvalidRecord("high_hit_count must be between 0 and hit_count")
        _require_aware("searched_at", self.searched_at)

    @property
    def answered(self) -> bool:
        """False for a search without a hit: none at all, or none the search was sure of."""
        return self.hit_count > 0 and self.high_hit_count != 0


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as the call log keeps it; `call_id` is the key of every upsert."""

    call_id: str
    """Asterisk's Linkedid (or the simulator's id)."""
    queue: str
    offered_at: datetime
    """When the call entered the queue."""
    agent_id: str | None = None
    caller_number: str | None = None
    """Personal data: purged after the retention period."""
    caller_name: str | None = None
    """Personal data: purged after the retention period."""
    language: str | None = None
    """Agent: the language the call was served in (ISO 639-1, e.g. "tr")."""
    municipality: str | None = None
    """Agent: the municipality the agent chose for the call (wins over `pbx_municipality`)."""
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    wrapup_end_at: datetime | None = None
    outcome: Outcome | None = None
    """None while the call is still going on."""
    outcome_target: str | None = None
    """Office or extension transferred to, or the authority referred to."""
    transfer_mode: TransferMode | None = None
    notes: str | None = None
    """Personal data: purged after the retention period."""
    topics: tuple[Topic, ...] = ()
    searches: tuple[SearchQuery, ...] = ()
    updated_at: datetime | None = None
    """Version of the agent's part; an upsert never replaces it with an older one."""
    updated_by: str | None = None
    queue_exit: QueueExit | None = None
    """PBX: how a call never answered left the queue (an abandoned outcome implies it)."""
    ended_by: EndedBy | None = None
    """PBX: who hung up, as the queue reports it; None when unknown or transferred."""
    entry_position: int | None = None
    """PBX: the caller's position on entering the queue (1 = first)."""
    exit_position: int | None = None
    """PBX: the caller's position when leaving the queue unanswered."""
    pbx_transfer: TransferMode | None = None
    """PBX: how the agent handed the call on (a Redirect counts as blind)."""
    pbx_transfer_target: str | None = None
    """PBX: the extension the call was transferred to, when the PBX names it."""
    caller_uniqueid: str | None = None
    """PBX: the Uniqueid of the caller's channel (the call id of Asterisk's queue_log)."""
    source: Source = Source.AGENT
    """Who wrote the PBX facts: written by the console (default) they are provisional."""
    coarse_facts: frozenset[str] = frozenset()
    """PBX facts (field names) known only to the second (queue_log, or the queue's HoldTime
    and TalkTime) in a record whose `source` is the recorder: a precise value replaces them."""
    survey_at: datetime | None = None
    """PBX: when the caller was handed to the satisfaction survey after the agent's part (the
    call's own end: what follows belongs to no agent)."""
    pbx_municipality: str | None = None
    """PBX: the municipality the number dialled or the queue names ([municipalities])."""
    pbx_language: str | None = None
    """PBX: the caller's language from the IVR's choice or the queue ([languages])."""
    survey_rating: int | None = None
    """PBX: the caller's rating in the survey, 1 (sehr unzufrieden) to 5 (sehr zufrieden);
    None without an answer. Never reported per caller (see `calllog.comparison`)."""
    handover: bool = False
    """Agent: the transfer went with a handover note for the back office ("qualifiziert")."""
    handover_note: str | None = None
    """Agent: the handover note itself. Personal data: purged after the retention period."""
    pbx_updated_at: datetime | None = field(default=None, compare=False)
    """When the PBX facts were last changed (set by the store)."""
    purged_at: datetime | None = field(default=None, compare=False)
    """Set by the store when personal data was removed."""

    def __post_init__(self) -> None:
        if not self.call_id:
            raise InvalidRecord("call record needs a call id")
        if not self.queue:
            raise InvalidRecord(f"{self.call_id}: call record needs a queue")
        for name in ("offered_at", "answered_at", "ended_at", "wrapup_end_at", "updated_at",
                     "survey_at"):  # fmt: skip
            _require_aware(name, getattr(self, name))
        self._check_order()
        self._check_survey()
        if self.handover_note and not self.handover:
            object.__setattr__(self, "handover", True)
        if self.transfer_mode is not None and self.outcome is not Outcome.TRANSFERRED:
            raise InvalidRecord(f"{self.call_id}: transfer mode without a transfer")
        if self.queue_exit is not None and self.answered_at is not None:
            raise InvalidRecord(f"{self.call_id}: an answered call did not leave the queue")
        ids = [t.article_id for t in self.topics]
        if len(ids) != len(set(ids)):
            raise InvalidRecord(f"{self.call_id}: duplicate topic")
        if self.source is Source.AGENT:  # one view of the call: its parts must agree
            if self.outcome is Outcome.ABANDONED and self.answered_at is not None:
                raise InvalidRecord(f"{self.call_id}: an abandoned call was never answered")
            if self.outcome is Outcome.ABANDONED and self.queue_exit is None:
                object.__setattr__(self, "queue_exit", QueueExit.ABANDONED)

    def _check_order(self) -> None:
        times = [self.offered_at, self.answered_at, self.ended_at]
        if self.source is Source.AGENT:  # PBX facts from another clock may end after wrap-up
            times.append(self.wrapup_end_at)
        known = [t for t in times if t is not None]
        if any(b < a for a, b in itertools.pairwise(known)):
            raise InvalidRecord(
                f"{self.call_id}: times must run offered <= answered <= ended <= wrap-up end"
            )

    def _check_survey(self) -> None:
        if self.survey_rating is None:
            return
        if isinstance(self.survey_rating, bool) or self.survey_rating not in SURVEY_SCALE:
            raise InvalidRecord(f"{self.call_id}: a survey rating is 1 to 5")
        if self.survey_at is None:
            raise InvalidRecord(f"{self.call_id}: a survey rating without the survey")

    @property
    def wait_ms(self) -> int | None:
        """Queue wait: until answered, or until the caller hung up if never answered."""
        return _millis(self.offered_at, self.answered_at or self.ended_at)

    @property
    def talk_ms(self) -> int | None:
        """Talk time from answer to hang-up."""
        return _millis(self.answered_at, self.ended_at)

    @property
    def wrapup_ms(self) -> int | None:
        """Wrap-up time after hang-up (0 when the PBX's clock put the hang-up later)."""
        millis = _millis(self.ended_at, self.wrapup_end_at)
        return None if millis is None else max(0, millis)

    @property
    def has_agent_part(self) -> bool:
        """True when an agent's console wrote its part (outcome, topics, notes, ...)."""
        return self.updated_at is not None or self.source is Source.AGENT


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """One entry of the append-only history of outcome edits."""

    call_id: str
    changed_at: datetime
    changed_by: str
    old_outcome: Outcome | None
    new_outcome: Outcome | None
    old_target: str | None = None
    new_target: str | None = None


@dataclass(frozen=True, slots=True)
class CallbackAttempt:
    """One try to call a citizen back, as the agent's wrap-up recorded it."""

    at: datetime
    """When the call-back call ended (the wrap-up's time for it)."""
    agent_id: str
    result: AttemptResult
    call_id: str | None = None
    """The call-back call (its Linkedid), when the PBX connected one."""
    outcome: Outcome | None = None
    """What the citizen was told, when reached."""
    notes: str | None = None
    """The agent's notes on this attempt. Personal data: purged with the ticket."""

    def __post_init__(self) -> None:
        _require_aware("at", self.at)
        if not self.agent_id:
            raise InvalidRecord("a call-back attempt needs an agent")
        if self.outcome is not None and self.result is not AttemptResult.REACHED:
            raise InvalidRecord("only a reached call-back has an outcome")


@dataclass(frozen=True, slots=True)
class CallbackTicket:
    """A promised call-back: the caller gets an answer within 24 service hours."""

    ticket_id: str
    created_at: datetime
    due_at: datetime
    created_by: str
    clarify: str
    """What the back office has to clarify."""
    caller_name: str | None = None
    number: str | None = None
    """Personal data: purged after the retention period."""
    topic: str | None = None
    """Article id the question is about."""
    office: str | None = None
    """The responsible office."""
    call_id: str | None = None
    status: CallbackStatus = CallbackStatus.OPEN
    attempts: int = 0
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    history: tuple[CallbackAttempt, ...] = ()
    """Every attempt, oldest first (`attempts` also counts those made before it was kept)."""

    def __post_init__(self) -> None:
        if not self.ticket_id:
            raise InvalidRecord("ticket needs an id")
        for name in ("created_at", "due_at", "updated_at", "closed_at"):
            _require_aware(name, getattr(self, name))
        if self.due_at < self.created_at:
            raise InvalidRecord(f"{self.ticket_id}: due before it was created")
        if self.attempts < 0:
            raise InvalidRecord(f"{self.ticket_id}: attempts must not be negative")
        if len(self.history) > self.attempts:
            raise InvalidRecord(f"{self.ticket_id}: more attempts in the history than counted")

    @property
    def pending(self) -> bool:
        """True while the caller still waits for the answer."""
        return self.status in PENDING_STATUSES


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What one purge removed personal data from."""

    cutoff: datetime
    purged_at: datetime
    calls: int
    callbacks: int
    outbox: int = 0
    searches: int = 0
    """Search texts removed (of calls offered before the cutoff)."""
    feedback: int = 0
    """Article flags whose comment was removed (done) or had numbers masked (open)."""
    wiped: bool = True
    """False when the old bytes could not be wiped from the files yet (SQLite: a reader
    of another program held the WAL; run the purge again)."""


class FeedbackKind(StrEnum):
    """What an agent found wrong with an article (the UI shows German labels)."""

    OUTDATED = "outdated"
    """The article was right once: fees, rules or addresses changed since."""
    WRONG = "wrong"
    """The article says something false."""
    MISSING = "missing"
    """Something callers ask about is not in the article."""


class FeedbackStatus(StrEnum):
    """Where a flag for the editors stands."""

    OPEN = "open"
    DONE = "done"


#: The longest comment a flag may carry (characters).
MAX_FEEDBACK_COMMENT = 2000


def _new_feedback_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class ArticleFeedback:
    """An agent's flag on a knowledge-base article for the editors.

    The first fields are in the order the console creates a flag in; the id is drawn
    on creation, so a replayed write (the outbox) stores the flag once. Times are
    normalised to UTC.
    """

    article_id: str
    kind: FeedbackKind
    """A `FeedbackKind` (plain strings such as `"wrong"` are accepted and converted)."""
    comment: str
    """Free text for the editors; not meant to hold caller data, yet agents type names and
    numbers: after the retention period phone numbers in it are masked, and once the flag
    is done the comment is removed (`SqlStore.purge`)."""
    agent_id: str
    created_at: datetime
    call_id: str | None = None
    """The call during which the article was flagged, if any."""
    feedback_id: str = field(default_factory=_new_feedback_id)
    """A UUID in its canonical text form; the key of every upsert."""
    status: FeedbackStatus = FeedbackStatus.OPEN
    resolved_by: str | None = None
    resolved_at: datetime | None = None

    def __post_init__(self) -> None:
        try:
            canonical = str(uuid.UUID(self.feedback_id))
            kind, status = FeedbackKind(self.kind), FeedbackStatus(self.status)
        except (AttributeError, TypeError, ValueError) as exc:
            raise InvalidRecord(f"feedback {self.feedback_id!r}: {exc}") from None
        for name, value in (("feedback_id", canonical), ("kind", kind), ("status", status)):
            object.__setattr__(self, name, value)
        if not self.article_id:
            raise InvalidRecord(f"feedback {canonical}: needs an article id")
        if not self.agent_id:
            raise InvalidRecord(f"feedback {canonical}: needs an agent id")
        if not self.comment.strip():
            raise InvalidRecord(f"feedback {canonical}: needs a comment")
        if len(self.comment) > MAX_FEEDBACK_COMMENT:
            raise InvalidRecord(
                f"feedback {canonical}: comment longer than {MAX_FEEDBACK_COMMENT} characters"
            )
        for name in ("created_at", "resolved_at"):
            value = getattr(self, name)
            _require_aware(name, value)
            if value is not None:
                object.__setattr__(self, name, value.astimezone(UTC))
        self._check_resolution(canonical)

    def _check_resolution(self, canonical: str) -> None:
        resolved = (self.resolved_by, self.resolved_at)
        if self.status is FeedbackStatus.OPEN and resolved != (None, None):
            raise InvalidRecord(f"feedback {canonical}: an open flag has no resolution")
        if self.status is FeedbackStatus.DONE and (not self.resolved_by or not self.resolved_at):
            raise InvalidRecord(f"feedback {canonical}: a done flag needs resolved_by and _at")
        if self.resolved_at is not None and self.resolved_at < self.created_at:
            raise InvalidRecord(f"feedback {canonical}: resolved before it was created")

    @property
    def is_open(self) -> bool:
        """True while the editors still have to look at the flag."""
        return self.status is FeedbackStatus.OPEN
