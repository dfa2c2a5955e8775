"""Service-time maths: weekends, state holidays, DST, windows, and add/between agreeing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calllog.callbacks import due_time
from calllog.exceptions import CalendarError
from calllog.service_hours import (
    ServiceCalendar,
    add_service_time,
    service_time_between,
    state_holidays,
)

BERLIN = ZoneInfo("Europe/Berlin")
NRW = ServiceCalendar(holidays=state_holidays("NW"))


def local(*args: int) -> datetime:
    """A Berlin wall-clock time."""
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("created", "due"),
    [
        pytest.param(local(2026, 3, 2, 10), local(2026, 3, 4, 14), id="monday-morning"),
        pytest.param(local(2026, 3, 6, 17), local(2026, 3, 11, 11), id="over-the-weekend"),
        pytest.param(local(2026, 3, 7, 11), local(2026, 3, 11, 12), id="created-on-saturday"),
        pytest.param(local(2026, 3, 2, 6), local(2026, 3, 4, 12), id="before-opening"),
        pytest.param(local(2026, 3, 2, 19), local(2026, 3, 5, 12), id="after-closing"),
        pytest.param(local(2026, 4, 2, 12), local(2026, 4, 8, 16), id="easter"),
        pytest.param(local(2026, 6, 3, 12), local(2026, 6, 8, 16), id="corpus-christi-nrw"),
        pytest.param(local(2026, 12, 23, 15), local(2026, 12, 29, 9), id="christmas"),
        pytest.param(local(2026, 3, 27, 16), local(2026, 4, 1, 10), id="spring-dst"),
        pytest.param(local(2026, 10, 23, 16), local(2026, 10, 28, 10), id="autumn-dst"),
    ],
)
def test_callback_due_in_24_service_hours(created: datetime, due: datetime) -> None:
    result = due_time(created, NRW)
    assert result == due
    assert result.utcoffset() == due.utcoffset()  # wall clock in Berlin, DST applied


def test_holidays_follow_the_state() -> None:
    berlin_state = ServiceCalendar(holidays=state_holidays("BE"))
    assert due_time(local(2026, 6, 3, 12), berlin_state) == local(2026, 6, 5, 16)


def test_a_utc_start_gives_a_berlin_due_time() -> None:
    created = datetime(2026, 7, 6, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert due_time(created, NRW) == local(2026, 7, 8, 14)


def test_ending_exactly_at_closing_stays_on_that_day() -> None:
    assert add_service_time(local(2026, 3, 2, 8), timedelta(hours=10), NRW) == local(2026, 3, 2, 18)


def test_zero_time_is_the_next_opening() -> None:
    assert add_service_time(local(2026, 3, 6, 19), timedelta(0), NRW) == local(2026, 3, 9, 8)


def test_windows_over_a_dst_change_count_real_hours() -> None:
    night = ServiceCalendar(opens=time(1), closes=time(4), weekdays=frozenset(range(7)))
    assert service_time_between(local(2026, 10, 25), local(2026, 10, 26), night) == timedelta(
        hours=4
    )
    assert service_time_between(local(2026, 3, 29), local(2026, 3, 30), night) == timedelta(hours=2)
    assert add_service_time(local(2026, 3, 29, 0), timedelta(hours=3), night) == local(
        2026, 3, 30, 2
    )


def test_configurable_hours_and_days() -> None:
    short = ServiceCalendar(opens=time(9), closes=time(13), weekdays=frozenset({0, 2}))
    # Monday 4 h, Wednesday 4 h, next Monday 4 h ...
    assert add_service_time(local(2026, 3, 2, 9), timedelta(hours=10), short) == local(
        2026, 3, 9, 11
    )


def test_bad_calendars_and_inputs_are_rejected() -> None:
    with pytest.raises(CalendarError):
        ServiceCalendar(opens=time(18), closes=time(8))
    with pytest.raises(CalendarError):
        ServiceCalendar(weekdays=frozenset())
    with pytest.raises(CalendarError):
        add_service_time(datetime(2026, 3, 2, 10), timedelta(hours=1), NRW)
    with pytest.raises(CalendarError):
        add_service_time(local(2026, 3, 2, 10), timedelta(hours=-1), NRW)
    always_closed = ServiceCalendar(weekdays=frozenset({0}), holidays=_EveryDay())
    with pytest.raises(CalendarError):
        add_service_time(local(2026, 3, 2, 10), timedelta(hours=1), always_closed)


class _EveryDay:
    def __contains__(self, item: object) -> bool:
        return isinstance(item, date)


def test_service_time_between_counts_only_open_hours() -> None:
    assert service_time_between(local(2026, 3, 6, 17), local(2026, 3, 9, 9), NRW) == timedelta(
        hours=2
    )
    assert service_time_between(local(2026, 3, 9, 9), local(2026, 3, 6, 17), NRW) == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=0, max_value=60 * 80),
)
def test_adding_then_measuring_gives_back_the_amount(start: datetime, minutes: int) -> None:
    amount = timedelta(minutes=minutes)
    end = add_service_time(start, amount, NRW)
    assert end >= start
    assert service_time_between(start, end, NRW) == amount
