"""Open-now maths: split shifts, holidays of the state, dated exceptions, DST in Europe/Berlin."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from kb.hours import BERLIN, describe, open_state
from kb.models import Office


def office(**overrides: Any) -> Office:
    data: dict[str, Any] = {
        "id": "amt",
        "name": "Testamt",
        "extension": "2001",
        "opening_hours": {
            "mo": ["08:00-12:00", "14:00-16:00"],
            "di": ["08:00-12:00"],
            "mi": ["08:00-12:00"],
            "do": ["08:00-18:00"],
            "fr": ["08:00-12:00"],
        },
    }
    data.update(overrides)
    return Office.model_validate(data)


def berlin(text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN, fold=fold)


def test_open_in_the_morning_shift_until_noon_then_next_opening_afternoon() -> None:
    state = open_state(office(), berlin("2026-11-23 09:30"))  # a Monday
    assert state.is_open
    assert state.until == berlin("2026-11-23 12:00")
    assert state.next_open == berlin("2026-11-23 14:00")


def test_closed_in_the_lunch_gap_of_a_split_shift() -> None:
    state = open_state(office(), berlin("2026-11-23 12:00"))
    assert not state.is_open
    assert state.until is None
    assert state.next_open == berlin("2026-11-23 14:00")


def test_closing_minute_is_closed_and_friday_afternoon_waits_for_monday() -> None:
    state = open_state(office(), berlin("2026-11-27 12:00"))  # a Friday
    assert not state.is_open
    assert state.next_open == berlin("2026-11-30 08:00")


def test_long_thursday() -> None:
    state = open_state(office(), berlin("2026-11-26 17:59"))
    assert state.is_open and state.until == berlin("2026-11-26 18:00")


def test_nrw_holiday_closes_the_office_and_names_it() -> None:
    # Fronleichnam 2026 is Thursday 4 June: a holiday in NRW, not in Lower Saxony.
    nrw = open_state(office(state="NW"), berlin("2026-06-04 10:00"))
    assert not nrw.is_open
    assert nrw.note == "Fronleichnam"
    assert nrw.next_open == berlin("2026-06-05 08:00")
    assert open_state(office(state="NI"), berlin("2026-06-04 10:00")).is_open


def test_allerheiligen_in_nrw() -> None:
    state = open_state(office(), berlin("2027-11-01 09:00"))  # a Monday
    assert not state.is_open
    assert state.note == "Allerheiligen"
    assert state.next_open == berlin("2027-11-02 08:00")


def test_holidays_can_be_ignored_for_an_office_that_works_through_them() -> None:
    state = open_state(office(closed_on_holidays=False), berlin("2026-06-04 10:00"))
    assert state.is_open


def test_closure_span_and_extra_day() -> None:
    o = office(
        exceptions=[
            {"date": "2026-12-24", "until": "2026-12-31", "note": "Betriebsferien"},
            {"date": "2027-01-02", "hours": ["10:00-13:00"], "note": "Sondersamstag"},
        ]
    )
    state = open_state(o, berlin("2026-12-28 09:00"))
    assert not state.is_open
    assert state.note == "Betriebsferien"
    assert state.next_open == berlin("2027-01-02 10:00")  # 1 January is a holiday
    assert open_state(o, berlin("2027-01-02 12:00")).until == berlin("2027-01-02 13:00")


def test_spring_forward_next_opening_has_the_summer_offset() -> None:
    state = open_state(office(), berlin("2026-03-28 20:00"))  # Saturday before the switch
    assert state.next_open is not None
    assert state.next_open.astimezone(UTC) == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    before = open_state(office(), berlin("2026-03-26 20:00"))
    assert before.next_open is not None
    assert before.next_open.astimezone(UTC) == datetime(2026, 3, 27, 7, 0, tzinfo=UTC)


def test_overnight_opening_merges_across_midnight_on_the_short_night() -> None:
    o = office(opening_hours={"sa": ["20:00-24:00"], "so": ["00:00-06:00"]})
    state = open_state(o, berlin("2026-03-28 23:00"))
    assert state.is_open
    assert state.until is not None
    assert state.until.astimezone(UTC) == datetime(2026, 3, 29, 4, 0, tzinfo=UTC)
    # The night the clocks go forward lasts one hour less: 7 wall-clock hours, 6 real ones.
    assert state.until - berlin("2026-03-28 23:00").astimezone(UTC) == timedelta(hours=6)


def test_fall_back_repeated_hour_is_told_apart() -> None:
    o = office(opening_hours={"so": ["00:00-03:00"]}, closed_on_holidays=False)
    first = open_state(o, berlin("2026-10-25 02:30", fold=0))  # CEST
    second = open_state(o, berlin("2026-10-25 02:30", fold=1))  # CET, one hour later
    assert first.is_open and second.is_open
    assert first.until == second.until
    assert first.until is not None
    assert first.until.astimezone(UTC) == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    assert open_state(o, berlin("2026-10-25 03:00")).is_open is False


def test_office_without_hours_is_never_open() -> None:
    state = open_state(office(opening_hours={}), berlin("2026-11-23 10:00"))
    assert state == type(state)(False, None, None, None)


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        open_state(office(), datetime(2026, 11, 23, 10, 0))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-23 09:30", "geöffnet bis 12:00"),
        ("2026-11-23 12:30", "geschlossen · öffnet 14:00"),
        ("2026-11-23 16:30", "geschlossen · öffnet morgen 08:00"),
        ("2026-11-27 13:00", "geschlossen · öffnet Mo 08:00"),
        ("2026-06-04 10:00", "geschlossen (Fronleichnam) · öffnet morgen 08:00"),
    ],
)
def test_describe_in_german(moment: str, expected: str) -> None:
    now = berlin(moment)
    assert describe(open_state(office(), now), now) == expected


def test_interval_validation() -> None:
    with pytest.raises(ValueError, match="endet, bevor er beginnt"):
        office(opening_hours={"mo": ["12:00-08:00"]})
    with pytest.raises(ValueError, match="überschneiden sich"):
        office(opening_hours={"mo": ["08:00-12:00", "11:00-13:00"]})
    assert date(2026, 11, 23).weekday() == 0
