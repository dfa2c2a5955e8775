"""Realistic synthetic calls for demos and benchmarks: daily and weekly patterns, 115 mix (pure)."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar

from calllog.callbacks import PROMISED_SERVICE_HOURS, close, new_ticket
from calllog.models import (
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Outcome,
    SearchQuery,
    Topic,
    TransferMode,
)
from calllog.service_hours import ServiceCalendar

#: Used when no knowledge base is at hand: frequent services and their LeiKa keys.
DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic("personalausweis-beantragen", "99008001000000"),
    Topic("wohnsitz-anmelden", "99115005000000"),
    Topic("reisepass-beantragen", "99085001000000"),
    Topic("meldebescheinigung", "99115003000000"),
    Topic("fuehrungszeugnis", "99049001000000"),
    Topic("bewohnerparkausweis", "99108001000000"),
    Topic("fahrzeug-abmelden", "99036008003000"),
    Topic("geburtsurkunde"),
    Topic("hund-anmelden"),
    Topic("fundsache"),
)

#: Relative call volume per weekday (Monday = 0): Mondays and Thursdays are busiest.
WEEKDAY_WEIGHTS = (1.30, 1.00, 0.95, 1.20, 0.80, 0.0, 0.0)
#: Relative call volume per hour of the service day, 08:00 to 17:00.
HOUR_WEIGHTS = {
    8: 0.8,
    9: 1.3,
    10: 1.4,
    11: 1.3,
    12: 0.9,
    13: 0.9,
    14: 1.1,
    15: 1.0,
    16: 0.8,
    17: 0.5,
}
#: Outcomes of answered calls (the 115 figures: most questions answered at first contact).
ANSWERED_MIX = (
    (Outcome.RESOLVED, 0.74),
    (Outcome.TRANSFERRED, 0.11),
    (Outcome.CALLBACK, 0.05),
    (Outcome.WRITTEN, 0.03),
    (Outcome.NOT_RESPONSIBLE, 0.06),
    (Outcome.DROPPED, 0.01),
)
ABANDON_RATE = 0.07
#: Share of answered calls (not transferred, not dropped) ended "mit Umfrage", and of those
#: the callers who press a key; how they rate (1 = sehr unzufrieden ... 5 = sehr zufrieden),
#: after a short wait and after a long one (over a minute).
SURVEY_SHARE = 0.2
SURVEY_RESPONSE = 0.65
RATINGS_SHORT_WAIT = (0.03, 0.05, 0.12, 0.35, 0.45)
RATINGS_LONG_WAIT = (0.10, 0.15, 0.25, 0.30, 0.20)
#: Share of blind transfers passed on with a handover note for the back office.
HANDOVER_SHARE = 0.5
HANDOVER_NOTES = ("Unterlagen liegen vor", "Termin gewünscht", "Rückfrage zum Bescheid")
T = TypeVar("T")
OFFICES = ("Bürgerbüro Mitte", "Standesamt", "Straßenverkehrsamt", "Ordnungsamt", "Sozialamt")
AUTHORITIES = ("Finanzamt", "Familienkasse", "Deutsche Rentenversicherung", "Jobcenter")
LANGUAGES = (("de", 0.93), ("en", 0.02), ("tr", 0.02), ("ar", 0.01), ("uk", 0.01), ("ru", 0.01))
NOTES = ("Rückruf nach 14 Uhr erbeten", "Unterlagen per E-Mail", "Termin gewünscht")
QUEUES = (("service115", 0.8), ("buergertelefon", 0.2))
#: Whose calls (the sample KB's Kreis Musterland): the PBX's municipality of a call.
MUNICIPALITIES = (("musterstadt", 0.6), ("beispielheim", 0.25), ("ortsdorf", 0.15))
#: Share of answered calls whose municipality the agent set in the console.
AGENT_MUNICIPALITY_SHARE = 0.05


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder, deterministic)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def service_days(end: date, days: int, calendar: ServiceCalendar) -> list[date]:
    """Working days in the `days` calendar days before `end` (exclusive)."""
    candidates = (end - timedelta(days=n) for n in range(days, 0, -1))
    return [d for d in candidates if calendar.is_working_day(d)]


class _Weighted(Generic[T]):
    """Weighted choice by bisection (random.choices without its per-call set-up)."""

    def __init__(self, rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> None:
        self.random = rng.random
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self) -> T:
        return self.items[bisect.bisect_right(self.cum, self.random() * self.total)]


class _CallFactory:
    """Draws one call at a time from the distributions above."""

    def __init__(
        self,
        rng: random.Random,
        topics: Sequence[Topic],
        agents: int,
        extra: random.Random,
        where: random.Random | None = None,
    ) -> None:
        self.rng = rng
        self.where = where or random.Random(0)
        """Draws the municipality (its own stream: the calls stay as before)."""
        self.extra = extra
        """Draws the survey and the handover note (its own stream: the calls stay as before)."""
        self.topic = _Weighted(rng, topics, [1 / (r + 1) ** 0.9 for r in range(len(topics))])
        self.agents = [f"agent{n}" for n in range(1, agents + 1)]
        self.outcome = _Weighted(rng, [o for o, _ in ANSWERED_MIX], [w for _, w in ANSWERED_MIX])
        self.language = _Weighted(rng, [c for c, _ in LANGUAGES], [w for _, w in LANGUAGES])

    def call(self, call_id: str, offered: datetime) -> CallRecord:
        """One call, with the municipality it is for."""
        call = self._call(call_id, offered)
        names = [m for m, _ in MUNICIPALITIES]
        municipality = self.where.choices(names, [w for _, w in MUNICIPALITIES])[0]
        chosen = None
        if call.answered_at is not None and self.where.random() < AGENT_MUNICIPALITY_SHARE:
            chosen = self.where.choice(names)  # the agent corrected (or confirmed) it
        return replace(
            call, pbx_municipality=municipality, pbx_language=call.language, municipality=chosen
        )

    def _call(self, call_id: str, offered: datetime) -> CallRecord:
        rng = self.rng
        r = rng.random
        queue = "service115" if r() < QUEUES[0][1] else QUEUES[1][0]
        number = f"+49 {201 + int(r() * 9798)} {100000 + int(r() * 9899999)}"
        language = self.language()
        wait = timedelta(milliseconds=int(rng.expovariate(1 / 16_000)))
        if r() < ABANDON_RATE:
            ended = offered + wait + timedelta(milliseconds=int(r() * 60_000))
            return CallRecord(
                call_id, queue, offered, caller_number=number, language=language,
                ended_at=ended, outcome=Outcome.ABANDONED, updated_at=ended,
            )  # fmt: skip
        answered = offered + wait
        outcome = self.outcome()
        talk = timedelta(milliseconds=int(rng.lognormvariate(11.9, 0.55)))
        ended = answered + talk
        wrapup = ended + timedelta(milliseconds=5_000 + int(r() * 85_000))
        target = mode = None
        if outcome is Outcome.TRANSFERRED:
            target = OFFICES[int(r() * len(OFFICES))]
            mode = TransferMode.ATTENDED if r() < 0.6 else TransferMode.BLIND
        elif outcome is Outcome.NOT_RESPONSIBLE:
            target = AUTHORITIES[int(r() * len(AUTHORITIES))]
        first = self.topic()
        topics = (first,) if r() >= 0.2 else tuple(dict.fromkeys((first, self.topic())))
        return self._survey_and_handover(CallRecord(
            call_id, queue, offered, agent_id=self.agents[int(r() * len(self.agents))],
            caller_number=number,
            language=language, answered_at=answered, ended_at=ended, wrapup_end_at=wrapup,
            outcome=outcome, outcome_target=target, transfer_mode=mode,
            notes=NOTES[int(r() * len(NOTES))] if r() < 0.05 else None,
            topics=topics, searches=self._searches(topics, answered), updated_at=wrapup,
        ))  # fmt: skip

    def _survey_and_handover(self, call: CallRecord) -> CallRecord:
        """Now and then the caller rates the call, or a transfer goes with a handover note."""
        x = self.extra.random
        if call.outcome is Outcome.TRANSFERRED and call.transfer_mode is TransferMode.BLIND:
            if x() < HANDOVER_SHARE:
                note = HANDOVER_NOTES[int(x() * len(HANDOVER_NOTES))]
                return replace(call, handover_note=note)
            return call
        if call.outcome in {Outcome.DROPPED, Outcome.TRANSFERRED} or x() >= SURVEY_SHARE:
            return call
        rating = None
        if x() < SURVEY_RESPONSE:
            long_wait = (call.wait_ms or 0) > 60_000
            weights = RATINGS_LONG_WAIT if long_wait else RATINGS_SHORT_WAIT
            rating = 1 + bisect.bisect_right(list(itertools.accumulate(weights)), x())
        return replace(
            call, survey_at=call.ended_at, survey_rating=min(rating, 5) if rating else None
        )

    def _searches(self, topics: tuple[Topic, ...], answered: datetime) -> tuple[SearchQuery, ...]:
        if not topics or self.rng.random() >= 0.4:
            return ()
        words = topics[0].article_id.split("-")
        at = answered + timedelta(seconds=self.rng.randrange(5, 60))
        if self.rng.random() < 0.1:
            return (SearchQuery(words[0][:5] + "x", 0, at, 0),)
        hits = self.rng.randrange(1, 12)
        high = 0 if hits == 11 else max(1, hits // 3)  # now and then only "vielleicht" hits
        return (SearchQuery(" ".join(words[:2]), hits, at, high),)


def generate_calls(
    count: int,
    *,
    end: date,
    calendar: ServiceCalendar,
    days: int = 365,
    topics: Sequence[Topic] = DEFAULT_TOPICS,
    agents: int = 40,
    seed: int = 115,
    promised: list[CallRecord] | None = None,
) -> Iterator[CallRecord]:
    """`count` calls over the service days before `end`, oldest first; the same seed, same calls.

    Volume follows WEEKDAY_WEIGHTS and HOUR_WEIGHTS; calls arrive within service hours.
    Calls that promised a call-back are also appended to `promised`, when given.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if not topics:
        raise ValueError("at least one topic is needed")
    rng = random.Random(seed)
    factory = _CallFactory(
        rng, topics, agents, random.Random(f"{seed}:survey"), random.Random(f"{seed}:where")
    )
    workdays = service_days(end, days, calendar)
    if not workdays and count:
        raise ValueError("no service day in the period")
    hours = [h for h in HOUR_WEIGHTS if calendar.opens.hour <= h < calendar.closes.hour] or [
        calendar.opens.hour
    ]
    hour = _Weighted(rng, hours, [HOUR_WEIGHTS.get(h, 1.0) for h in hours])
    per_day = _allocate(count, [WEEKDAY_WEIGHTS[d.weekday()] or 1.0 for d in workdays])
    zone = calendar.zone
    serial = 0
    for day, n in zip(workdays, per_day, strict=True):
        midnight = datetime.combine(day, time(0), zone)
        seconds = sorted(hour() * 3600 + int(rng.random() * 3600) for _ in range(n))
        for offset in seconds:
            offered = (midnight + timedelta(seconds=offset)).astimezone(UTC)
            record = factory.call(f"s{seed}.{serial:08d}", offered)
            if promised is not None and record.outcome is Outcome.CALLBACK:
                promised.append(record)
            yield record
            serial += 1


def generate_tickets(
    calls: Sequence[CallRecord],
    *,
    calendar: ServiceCalendar,
    now: datetime,
    seed: int = 115,
    hours: float = PROMISED_SERVICE_HOURS,
) -> list[CallbackTicket]:
    """A call-back ticket for each call: past ones mostly done in time, recent ones open."""
    rng = random.Random(seed)
    tickets = []
    for call in calls:
        created = call.wrapup_end_at or call.ended_at or call.offered_at
        ticket = new_ticket(
            ticket_id=f"cb-{call.call_id}", created_at=created, created_by=call.agent_id or "-",
            clarify="Rückfrage beim Fachamt", calendar=calendar, hours=hours,
            number=call.caller_number, topic=call.topics[0].article_id if call.topics else None,
            office=OFFICES[int(rng.random() * len(OFFICES))], call_id=call.call_id,
        )  # fmt: skip
        chance = rng.random()
        if ticket.due_at < now and chance < 0.02:
            pass  # forgotten: overdue and still open
        elif ticket.due_at < now or chance < 0.5:
            answered = created + (ticket.due_at - created) * rng.uniform(0.1, 1.15)
            if answered < now:
                status = CallbackStatus.DONE if rng.random() < 0.95 else CallbackStatus.UNREACHABLE
                ticket = replace(
                    close(ticket, answered, status), attempts=1 + int(rng.random() * 3)
                )
        tickets.append(ticket)
    return tickets
