"""The 115 service promise as figures: report model, ratios and targets (pure, over aggregates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from calllog.comparison import Comparison

#: Abandons shorter than this (ms) are counted separately and left out of the service level.
SHORT_ABANDON_MS = 5_000

#: The earliest and the latest day a period (or any date Lotse is given) may name: a year of
#: margin before datetime's limits, so local midnights and look-aheads convert in every zone.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)

State = Literal["ok", "warn", "bad", "none"]


def check_day(day: date) -> date:
    """`day` if it lies between FIRST_DAY and LAST_DAY, else ValueError (one line)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is outside the supported dates {FIRST_DAY} to {LAST_DAY}")
    return day


@dataclass(frozen=True, slots=True)
class Targets:
    """What the service promise asks for; the service level threshold is configurable."""

    service_level_seconds: int = 30
    """A call counts for the service level when answered within this many seconds."""
    service_level: float = 0.75
    """Share of calls answered within the threshold (75/30)."""
    fcr: float = 0.65
    """Share of answered calls resolved at first contact."""
    warn_margin: float = 0.05
    """Below target by at most this much: a warning, not a failure."""


@dataclass(frozen=True, slots=True)
class Period:
    """Local calendar days `start` to `end`, both included, in the service-centre zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        check_day(self.start)
        check_day(self.end)
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def utc_bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[since, until) in UTC: local midnight of `start` to local midnight after `end`."""
        since = datetime.combine(self.start, time(0), zone).astimezone(UTC)
        until = datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
        return since, until


@dataclass(frozen=True, slots=True)
class Counts:
    """Aggregates of a set of calls, straight from SQL (sums and counts, times in ms)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    abandoned_short: int = 0
    within_threshold: int = 0
    """Answered within the service level threshold."""
    resolved: int = 0
    transferred: int = 0
    callbacks: int = 0
    """Answered calls that ended with a promised call-back."""
    referrals: int = 0
    """Referred to another authority (`not_responsible`)."""
    wait_ms: int = 0
    """Sum of the queue waits of answered calls."""
    talk_ms: int = 0
    talked: int = 0
    """Calls with a talk time (answered and ended)."""
    wrapup_ms: int = 0
    wrapped: int = 0
    """Calls with a wrap-up time."""
    no_outcome: int = 0
    """Answered calls without an outcome: no wrap-up saved yet, or it was lost."""
    qualified: int = 0
    """Transferred "qualified": with a consultation (attended) or a handover note."""
    settled: int = 0
    """Answered (resolved, call-back, written answer, referral) or transferred qualified:
    the comparison ring's "beantwortet oder qualifiziert weitergeleitet"."""
    p90_wait_ms: float | None = None
    """90th percentile (continuous) of the queue wait of answered calls."""


@dataclass(frozen=True, slots=True)
class Day:
    """One local day of the trend."""

    day: date
    offered: int
    answered: int
    abandoned: int
    abandoned_short: int
    within_threshold: int
    resolved: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    """Calls offered in one local weekday (1 = Monday) and hour."""

    weekday: int
    hour: int
    offered: int
    answered: int
    within_threshold: int


@dataclass(frozen=True, slots=True)
class TopicFigures:
    """A knowledge-base article and how its calls ended."""

    article_id: str
    calls: int
    outcomes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallbackFigures:
    """Call-back tickets created in the period."""

    promised: int = 0
    in_time: int = 0
    """Done by the due time (24 service hours)."""
    late: int = 0
    """Done after the due time."""
    overdue: int = 0
    """Still pending and past the due time at report time."""
    pending: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """Every figure of one period, as the report formats and the supervisor screen show it."""

    period: Period
    generated_at: datetime
    targets: Targets
    totals: Counts
    agent_id: str | None = None
    """Set when the report covers one agent's calls only."""
    per_queue: tuple[tuple[str, Counts], ...] = ()
    per_agent: tuple[tuple[str | None, Counts], ...] = ()
    per_municipality: tuple[tuple[str | None, Counts], ...] = ()
    """Per municipality (the agent's choice, else the PBX's; None: neither), when asked for."""
    per_language: tuple[tuple[str | None, Counts], ...] = ()
    """Per caller language (the agent's, else the PBX's; None: unknown), when asked for."""
    transfer_targets: tuple[tuple[str, int], ...] = ()
    referrals: tuple[tuple[str, int], ...] = ()
    callbacks: CallbackFigures = CallbackFigures()
    topics: tuple[TopicFigures, ...] = ()
    unanswered_searches: tuple[tuple[str, int], ...] = ()
    heatmap: tuple[HeatCell, ...] = ()
    trend: tuple[Day, ...] = ()
    comparison: Comparison = field(default_factory=Comparison)
    """Satisfaction, staffed time and the ratios of the KGSt comparison ring."""


# -- ratios ---------------------------------------------------------------------------------
def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def mean_seconds(total_ms: float, count: int) -> float | None:
    """Average in seconds of `count` durations summing to `total_ms`."""
    return total_ms / count / 1000 if count else None


def service_level(c: Counts | Day) -> float | None:
    """Answered within the threshold, of offered calls less abandons under 5 s."""
    return ratio(c.within_threshold, c.offered - c.abandoned_short)


def abandonment_rate(c: Counts | Day) -> float | None:
    """Abandoned of offered calls (short abandons included)."""
    return ratio(c.abandoned, c.offered)


def fcr_rate(c: Counts | Day) -> float | None:
    """First-contact resolution: resolved (no transfer, no call-back) of answered calls."""
    return ratio(c.resolved, c.answered)


def transfer_rate(c: Counts) -> float | None:
    """Transferred of answered calls."""
    return ratio(c.transferred, c.answered)


def avg_wait_s(c: Counts) -> float | None:
    """Average queue wait of answered calls (ASA), in seconds."""
    return mean_seconds(c.wait_ms, c.answered)


def avg_talk_s(c: Counts) -> float | None:
    """Average talk time, in seconds."""
    return mean_seconds(c.talk_ms, c.talked)


def avg_wrapup_s(c: Counts) -> float | None:
    """Average wrap-up time, in seconds."""
    return mean_seconds(c.wrapup_ms, c.wrapped)


def aht_s(c: Counts) -> float | None:
    """Average handle time: average talk plus average wrap-up, in seconds."""
    talk, wrapup = avg_talk_s(c), avg_wrapup_s(c)
    if talk is None:
        return None
    return talk + (wrapup or 0.0)


def p90_wait_s(c: Counts) -> float | None:
    """90th-percentile queue wait of answered calls, in seconds."""
    return None if c.p90_wait_ms is None else c.p90_wait_ms / 1000


def target_state(value: float | None, target: float, margin: float = 0.05) -> State:
    """`ok` at or above target, `warn` within `margin` below it, `bad` further below."""
    if value is None:
        return "none"
    if value >= target:
        return "ok"
    return "warn" if value >= target - margin else "bad"


def heat_grid(cells: tuple[HeatCell, ...]) -> dict[tuple[int, int], int]:
    """Offered calls by (weekday, hour)."""
    return {(c.weekday, c.hour): c.offered for c in cells}


def hours_span(cells: tuple[HeatCell, ...], default: tuple[int, int] = (8, 17)) -> range:
    """The hours to draw a heat map over: the service day, widened to every hour with calls."""
    hours = [c.hour for c in cells if c.offered]
    low = min([default[0], *hours])
    high = max([default[1], *hours])
    return range(low, high + 1)
