"""What the municipalities compare (KGSt comparison ring): caller satisfaction by weekday and
time window, staffed time, occupancy, cases per staffed hour and per full-time post (pure).

The figures come from aggregates (`calllog.kpi_comparison`); here they become ratios and the
report's JSON keys. Ratings are only ever counted: no figure links a rating to a caller, and
a report on one agent leaves them out (`satisfaction` None).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from calllog.staffed import HANDLING, READY, StaffedState

#: The ring's grid: Monday to Friday (ISO weekdays) ...
DEFAULT_WEEKDAYS = (1, 2, 3, 4, 5)
#: ... and two-hour windows of the service day (local time).
DEFAULT_WINDOWS = ("08-10", "10-12", "12-14", "14-16", "16-18")
#: Net hours a full-time post works in a year (a setting: `supervisor.hours_per_post`).
DEFAULT_HOURS_PER_POST = 1600.0
_WINDOW = re.compile(r"(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Window:
    """A time window of the day, whole local hours `start` to `end` (exclusive)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24:
            raise ValueError(f"not a time window: {self.start}-{self.end} (hours 0 to 24)")

    @classmethod
    def parse(cls, text: str) -> Window:
        """`08-10` (whole hours); ValueError for anything else."""
        match = _WINDOW.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"not a time window: {text!r} (e.g. 08-10)")
        return cls(int(match[1]), int(match[2]))

    @property
    def label(self) -> str:
        """`08-10`."""
        return f"{self.start:02d}-{self.end:02d}"

    def __contains__(self, hour: int) -> bool:
        return self.start <= hour < self.end


@dataclass(frozen=True, slots=True)
class SurveyGrid:
    """The cells satisfaction is shown in: weekdays (1 = Monday) times windows."""

    weekdays: tuple[int, ...] = DEFAULT_WEEKDAYS
    windows: tuple[Window, ...] = tuple(Window.parse(w) for w in DEFAULT_WINDOWS)

    def __post_init__(self) -> None:
        if not self.weekdays or any(not 1 <= d <= 7 for d in self.weekdays):
            raise ValueError("survey weekdays are 1 (Monday) to 7 (Sunday)")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("a survey weekday is listed twice")
        ordered = sorted(self.windows, key=lambda w: w.start)
        if not ordered or any(a.end > b.start for a, b in itertools.pairwise(ordered)):
            raise ValueError("survey windows must not overlap (and at least one is needed)")

    @classmethod
    def of(cls, weekdays: Sequence[int], windows: Sequence[str]) -> SurveyGrid:
        """From settings; ValueError (one line) when they make no grid."""
        return cls(tuple(weekdays), tuple(Window.parse(w) for w in windows))


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Survey figures of a set of calls."""

    offered: int = 0
    """Calls handed to the survey."""
    ratings: tuple[int, ...] = (0, 0, 0, 0, 0)
    """Calls rated 1, 2, 3, 4 and 5."""

    @property
    def responses(self) -> int:
        """Calls with a rating."""
        return sum(self.ratings)

    @property
    def mean(self) -> float | None:
        """The mean rating (1 to 5), None without a response."""
        total = sum(n * (i + 1) for i, n in enumerate(self.ratings))
        return total / self.responses if self.responses else None

    @property
    def response_rate(self) -> float | None:
        """Responses of the calls handed to the survey."""
        return self.responses / self.offered if self.offered else None


@dataclass(frozen=True, slots=True)
class RatingCell:
    """Ratings of calls offered in one local weekday (1 = Monday) and hour."""

    weekday: int
    hour: int
    responses: int
    total: int
    """The ratings added up."""


@dataclass(frozen=True, slots=True)
class GridRow:
    """One cell of the survey grid."""

    weekday: int
    window: Window
    responses: int
    total: int

    @property
    def mean(self) -> float | None:
        """The mean rating in the cell."""
        return self.total / self.responses if self.responses else None


@dataclass(frozen=True, slots=True)
class StaffedTime:
    """Milliseconds of staffed time per state; pauses by reason."""

    ms: dict[StaffedState, int] = field(default_factory=dict)
    pauses: tuple[tuple[str, int], ...] = ()
    """(reason, ms) of the pauses other than wrap-up, longest first ("" without a reason)."""

    def of(self, *states: StaffedState) -> int:
        """Milliseconds in these states."""
        return sum(self.ms.get(s, 0) for s in states)

    @property
    def logged_in_ms(self) -> int:
        """Every staffed state, pauses included: the agent was logged in."""
        return sum(self.ms.values())

    @property
    def hours(self) -> float:
        """Logged-in hours."""
        return self.logged_in_ms / 3_600_000

    @property
    def occupancy(self) -> float | None:
        """Talking and wrap-up, of the time the agent was there for calls (not paused)."""
        ready = self.of(*READY)
        return self.of(*HANDLING) / ready if ready else None


def staffed_time(rows: Sequence[tuple[str, str, int]]) -> StaffedTime:
    """Folds (state, reason, ms) rows into one agent's (or everyone's) staffed time."""
    ms: dict[StaffedState, int] = {}
    pauses: dict[str, int] = {}
    for state, reason, millis in rows:
        kind = StaffedState(state)
        ms[kind] = ms.get(kind, 0) + int(millis)
        if kind is StaffedState.PAUSED:
            pauses[reason or ""] = pauses.get(reason or "", 0) + int(millis)
    ordered = tuple(sorted(pauses.items(), key=lambda kv: (-kv[1], kv[0])))
    return StaffedTime(ms, ordered)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The comparison ring's figures of one report (besides the headline counts)."""

    satisfaction: Satisfaction | None = None
    """None when not reported: a report on one agent (ratings are never shown per agent)."""
    ratings: tuple[RatingCell, ...] = ()
    grid: SurveyGrid = field(default_factory=SurveyGrid)
    staffed: StaffedTime = field(default_factory=StaffedTime)
    per_agent: tuple[tuple[str, StaffedTime], ...] = ()
    """Staffed time of each agent (by agent id)."""
    hours_per_post: float = DEFAULT_HOURS_PER_POST

    def grid_rows(self) -> list[GridRow]:
        """Every cell of the grid, weekday by weekday, window by window (empty ones too)."""
        rows = []
        for day in self.grid.weekdays:
            for window in self.grid.windows:
                cells = [c for c in self.ratings if c.weekday == day and c.hour in window]
                rows.append(GridRow(day, window, sum(c.responses for c in cells),
                                    sum(c.total for c in cells)))  # fmt: skip
        return rows


def cases_per_staffed_hour(cases: int, staffed: StaffedTime) -> float | None:
    """Answered calls per logged-in hour."""
    return cases / staffed.hours if staffed.logged_in_ms else None


def cases_per_post(cases: int, staffed: StaffedTime, hours_per_post: float) -> float | None:
    """Answered calls a full-time post handles in a year at this rate (cases per staffed
    hour times the hours a post works in a year)."""
    rate = cases_per_staffed_hour(cases, staffed)
    return None if rate is None else rate * hours_per_post


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def satisfaction_json(s: Satisfaction | None) -> dict[str, Any] | None:
    """`satisfaction`: responses, response rate, mean and the calls per rating."""
    if s is None:
        return None
    return {
        "responses": s.responses,
        "response_rate": _r(s.response_rate, 4),
        "mean": _r(s.mean, 2),
        "distribution": {str(i + 1): n for i, n in enumerate(s.ratings)},
    }


def comparison_json(c: Comparison, cases: int, qualified: int) -> dict[str, Any]:
    """The report's comparison keys (documented in the README; never renamed)."""
    grid = [] if c.satisfaction is None else c.grid_rows()
    return {
        "satisfaction": satisfaction_json(c.satisfaction),
        "satisfaction_grid": [
            {
                "weekday": g.weekday,
                "window": g.window.label,
                "responses": g.responses,
                "mean": _r(g.mean, 2),
            }
            for g in grid
        ],
        "staffed_hours": round(c.staffed.hours, 2),
        "occupancy": _r(c.staffed.occupancy, 4),
        "cases_per_staffed_hour": _r(cases_per_staffed_hour(cases, c.staffed), 2),
        "cases_per_post": _r(cases_per_post(cases, c.staffed, c.hours_per_post), 1),
        "qualified_transfers": qualified,
    }
