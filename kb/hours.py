"""Open now? Pure opening-hours maths over an office, in Europe/Berlin with DST and holidays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from kb.models import Office, parse_range

#: The time zone of every office.
BERLIN = ZoneInfo("Europe/Berlin")
#: How far ahead to look for the next opening (a long closure plus holidays).
HORIZON_DAYS = 60
_WEEKDAY_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


@dataclass(frozen=True)
class DayHours:
    """The opening intervals of one calendar day and why they differ from the week, if they do."""

    day: date
    intervals: tuple[tuple[datetime, datetime], ...]
    note: str | None = None


@dataclass(frozen=True)
class OpenState:
    """Whether an office is open at a moment, until when, and when it opens next."""

    is_open: bool
    until: datetime | None
    """Closing time of the current opening (when open)."""
    next_open: datetime | None
    """Start of the next opening after now (after `until` when open); None beyond the horizon."""
    note: str | None = None
    """Why today is special: a holiday's name or an exception's note."""


@lru_cache(maxsize=64)
def _holidays(state: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv=state, years=year, language="de"))


def holiday_name(state: str, day: date) -> str | None:
    """The public holiday of a federal state on a day, or None."""
    return _holidays(state, day.year).get(day)


def day_hours(office: Office, day: date) -> DayHours:
    """The intervals an office is open on a calendar day (aware datetimes in UTC)."""
    for exception in office.exceptions:
        if exception.date <= day <= (exception.until or exception.date):
            return DayHours(day, _intervals(day, exception.hours), exception.note or "geändert")
    if office.closed_on_holidays:
        name = holiday_name(office.state, day)
        if name is not None:
            return DayHours(day, (), name)
    return DayHours(day, _intervals(day, office.opening_hours.for_weekday(day.weekday())))


def _intervals(day: date, ranges: list[str]) -> tuple[tuple[datetime, datetime], ...]:
    out = []
    for text in ranges:
        start, end = parse_range(text)
        out.append((_at(day, start), _at(day, end)))
    return tuple(out)


def _at(day: date, minutes: int) -> datetime:
    # Wall-clock time in Berlin (24:00 = next midnight), returned in UTC: aware datetimes that
    # share a tzinfo compare by wall time, which is wrong in the repeated hour of October.
    day += timedelta(days=minutes // 1440)
    minutes %= 1440
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=BERLIN)
    return local.astimezone(UTC)


def _openings(office: Office, first_day: date) -> Iterator[tuple[datetime, datetime]]:
    """Openings from `first_day` on, back-to-back intervals merged into one."""
    pending: tuple[datetime, datetime] | None = None
    for offset in range(HORIZON_DAYS + 1):
        for start, end in day_hours(office, first_day + timedelta(days=offset)).intervals:
            if pending is not None and start <= pending[1]:
                pending = (pending[0], max(end, pending[1]))
                continue
            if pending is not None:
                yield pending
            pending = (start, end)
    if pending is not None:
        yield pending


def open_state(office: Office, at: datetime) -> OpenState:
    """Is the office open at `at` (an aware datetime)? Until when, and when does it open next?

    Raises:
        ValueError: `at` is naive (the answer depends on the time zone).
    """
    if at.tzinfo is None:
        raise ValueError("open_state needs an aware datetime")
    now = at.astimezone(UTC)
    local_day = at.astimezone(BERLIN).date()
    note = day_hours(office, local_day).note
    until: datetime | None = None
    for start, end in _openings(office, local_day):
        if end <= now:
            continue
        if start <= now:
            until = end
            continue
        return OpenState(until is not None, until, start, note)
    return OpenState(until is not None, until, None, note)


def describe(state: OpenState, now: datetime) -> str:
    """German one-liner for agents, e.g. "geöffnet bis 12:00" or "geschlossen · öffnet Do 08:00"."""
    note = f" ({state.note})" if state.note else ""
    if state.is_open and state.until is not None:
        return f"geöffnet bis {_when(state.until, now)}{note}"
    if state.next_open is None:
        return f"geschlossen{note}"
    return f"geschlossen{note} · öffnet {_when(state.next_open, now)}"


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(BERLIN)
    today = now.astimezone(BERLIN).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return clock
    if local.date() == today + timedelta(days=1):
        return f"morgen {clock}"
    if local.date() - today < timedelta(days=7):
        return f"{_WEEKDAY_SHORT[local.weekday()]} {clock}"
    return f"{_WEEKDAY_SHORT[local.weekday()]} {local:%d.%m.} {clock}"
