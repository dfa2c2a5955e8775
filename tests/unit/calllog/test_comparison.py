"""The comparison ring's pure parts: grid, satisfaction, staffed time, ratios, records, codec."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calllog.codec import call_from_dict, call_to_dict, staffed_from_dict, staffed_to_dict
from calllog.comparison import (
    Comparison,
    RatingCell,
    Satisfaction,
    SurveyGrid,
    Window,
    cases_per_post,
    cases_per_staffed_hour,
    comparison_json,
    staffed_time,
)
from calllog.exceptions import InvalidRecord
from calllog.models import CallRecord
from calllog.staffed import StaffedSpan, StaffedState, split_days

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["8-10", "08-10", " 16-18 "])
def test_windows_parse(text: str) -> None:
    assert Window.parse(text) in (Window(8, 10), Window(16, 18))


@pytest.mark.parametrize("text", ["10-08", "8:00-10:00", "08-25", "x", "10-10"])
def test_bad_windows_are_one_line(text: str) -> None:
    with pytest.raises(ValueError, match="time window"):
        Window.parse(text)


def test_a_grid_needs_distinct_weekdays_and_windows_that_do_not_overlap() -> None:
    assert SurveyGrid.of([1, 2], ["08-12", "12-18"]).windows[1] == Window(12, 18)
    for weekdays, windows in (([1, 1], ["08-10"]), ([0], ["08-10"]), ([1], []),
                              ([1], ["08-12", "10-14"])):  # fmt: skip
        with pytest.raises(ValueError):
            SurveyGrid.of(weekdays, windows)


def test_satisfaction_of_nothing() -> None:
    s = Satisfaction()
    assert (s.responses, s.mean, s.response_rate) == (0, None, None)
    assert Satisfaction(3, (0, 0, 0, 0, 0)).response_rate == 0.0


def test_grid_rows_fold_hours_into_windows() -> None:
    cells = (RatingCell(1, 8, 2, 9), RatingCell(1, 9, 1, 1), RatingCell(1, 18, 4, 20),
             RatingCell(6, 9, 1, 5))  # fmt: skip
    grid = SurveyGrid((1,), (Window(8, 10), Window(10, 18)))
    rows = Comparison(Satisfaction(), cells, grid).grid_rows()
    assert [(r.window.label, r.responses, r.mean) for r in rows] == [
        ("08-10", 3, pytest.approx(10 / 3)), ("10-18", 0, None),
    ]  # fmt: skip


def test_staffed_time_ratios() -> None:
    s = staffed_time([("available", "", 3_600_000), ("talking", "", 1_800_000),
                      ("wrap_up", "", 600_000), ("paused", "Pause", 1_200_000),
                      ("paused", "", 600_000)])  # fmt: skip
    assert s.logged_in_ms == 7_800_000 and s.pauses == (("Pause", 1_200_000), ("", 600_000))
    assert s.occupancy == pytest.approx(2_400_000 / 6_000_000)
    assert cases_per_staffed_hour(13, s) == pytest.approx(6.0)  # 13 / 2.1667 h
    assert cases_per_post(13, s, 1500) == pytest.approx(9000.0)
    empty = staffed_time([])
    assert empty.occupancy is None and cases_per_post(5, empty, 1600) is None


def test_json_without_ratings_leaves_the_grid_empty() -> None:
    data = comparison_json(Comparison(None, (RatingCell(1, 9, 1, 5),)), 0, 0)
    assert data["satisfaction"] is None and data["satisfaction_grid"] == []
    assert data["staffed_hours"] == 0.0 and data["qualified_transfers"] == 0


def test_spans_are_cut_at_local_midnight_also_on_a_dst_day() -> None:
    # 2026-10-25 has 25 hours in Berlin: 22:00 on the 24th to 02:00 on the 26th local.
    span = StaffedSpan("a1", StaffedState.PAUSED, datetime(2026, 10, 24, 22, tzinfo=BERLIN),
                       datetime(2026, 10, 26, 2, tzinfo=BERLIN), "Bereitschaft")  # fmt: skip
    pieces = split_days(span, BERLIN)
    assert [p.started_at.astimezone(BERLIN).date() for p in pieces] == [
        date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26),
    ]  # fmt: skip
    assert [p.ms // 3_600_000 for p in pieces] == [2, 25, 2]
    assert sum(p.ms for p in pieces) == span.ms and {p.reason for p in pieces} == {"Bereitschaft"}


def test_bad_spans_are_refused() -> None:
    with pytest.raises(InvalidRecord):
        StaffedSpan("a1", StaffedState.TALKING, T0, T0 - timedelta(seconds=1))
    with pytest.raises(InvalidRecord):
        StaffedSpan("a1", "lunch", T0, T0)  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord):
        StaffedSpan("", StaffedState.TALKING, T0, T0)
    assert StaffedSpan("a1", StaffedState.TALKING, T0, T0, "x").reason is None


def test_survey_rating_is_one_to_five_and_needs_the_survey() -> None:
    base = CallRecord("c", "q", T0, survey_at=T0)
    for bad in (0, 6, True):
        with pytest.raises(InvalidRecord, match="1 to 5"):
            CallRecord("c", "q", T0, survey_at=T0, survey_rating=bad)
    with pytest.raises(InvalidRecord, match="without the survey"):
        CallRecord("c", "q", T0, survey_rating=3)
    assert base.survey_rating is None


def test_a_handover_note_makes_a_handover() -> None:
    assert CallRecord("c", "q", T0, handover_note="Unterlagen da").handover
    assert not CallRecord("c", "q", T0).handover


def test_codec_round_trips_the_new_fields() -> None:
    record = CallRecord("c", "q", T0, survey_at=T0, survey_rating=4, handover_note="Notiz")
    assert call_from_dict(call_to_dict(record)) == record
    old = call_to_dict(CallRecord("c", "q", T0))
    for name in ("survey_at", "survey_rating", "handover", "handover_note"):
        del old[name]  # queued before migration 0011
    assert call_from_dict(old) == CallRecord("c", "q", T0)
    spans = [StaffedSpan("a1", StaffedState.PAUSED, T0, T0 + timedelta(minutes=5), "Pause")]
    assert staffed_from_dict(staffed_to_dict(spans)) == spans
