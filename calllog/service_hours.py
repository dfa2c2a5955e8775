"""Service-time arithmetic: working hours per weekday in one time zone, holidays excluded (pure)."""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calllog.exceptions import CalendarError

#: How far ahead to look for working time before giving up (a calendar with none).
_SEARCH_LIMIT_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class ServiceCalendar:
    """When the service centre works: the same window on each working weekday, in one zone."""

    opens: time = time(8, 0)
    closes: time = time(18, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    """Working weekdays, Monday = 0."""
    timezone: str = "Europe/Berlin"
    holidays: Container[date] = field(default_factory=frozenset)
    """Dates (local) on which the centre is closed, e.g. a `holidays.HolidayBase`."""

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise CalendarError("service hours must close after they open")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise CalendarError("service weekdays must be a non-empty subset of 0..6")

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """True when the centre is open on this local date."""
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The working window of a local date, as aware UTC datetimes."""
        zone = self.zone
        start = datetime.combine(day, self.opens, zone).astimezone(UTC)
        end = datetime.combine(day, self.closes, zone).astimezone(UTC)
        return start, end


def state_holidays(state: str, years: range | None = None) -> Container[date]:
    """Public holidays of a German federal state (ISO subdivision code, e.g. "NW")."""
    import holidays  # the `holidays` package builds its tables lazily per year

    return holidays.country_holidays("DE", subdiv=state, years=years)


def _days_from(start: datetime, calendar: ServiceCalendar) -> Callable[[int], date]:
    first = start.astimezone(calendar.zone).date()
    return lambda offset: first + timedelta(days=offset)


def add_service_time(start: datetime, amount: timedelta, calendar: ServiceCalendar) -> datetime:
    """The moment `amount` of service time after `start` has passed.

    Time outside the working windows (nights, weekends, holidays) does not count.
    A start outside the windows counts from the next opening. The result is in the
    calendar's time zone; with `amount` zero it is the next moment the centre is open.
    """
    if start.tzinfo is None:
        raise CalendarError("start must be timezone-aware")
    if amount < timedelta(0):
        raise CalendarError("service time to add must not be negative")
    remaining = amount
    cursor = start.astimezone(UTC)
    day_at = _days_from(start, calendar)
    for offset in range(_SEARCH_LIMIT_DAYS):
        day = day_at(offset)
        if not calendar.is_working_day(day):
            continue
        opens, closes = calendar.window(day)
        begin = max(cursor, opens)
        if begin >= closes:
            continue
        available = closes - begin
        if remaining < available or (remaining == available and remaining > timedelta(0)):
            return (begin + remaining).astimezone(calendar.zone)
        remaining -= available
    raise CalendarError("no service time within three years")


def service_time_between(start: datetime, end: datetime, calendar: ServiceCalendar) -> timedelta:
    """Service time elapsed from `start` to `end` (zero when `end` is not after `start`)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise CalendarError("start and end must be timezone-aware")
    total = timedelta(0)
    if end <= start:
        return total
    day_at = _days_from(start, calendar)
    last = end.astimezone(calendar.zone).date()
    offset = 0
    while (day := day_at(offset)) <= last:
        offset += 1
        if not calendar.is_working_day(day):
            continue
        opens, closes = calendar.window(day)
        begin, finish = max(start, opens), min(end, closes)
        if finish > begin:
            total += finish - begin
    return total
