"""The comparison ring's figures from SQL on a hand-made set, on SQLite and PostgreSQL.

Satisfaction (mean, distribution, response rate, the weekday x window grid), staffed time
(hours, occupancy, cases per staffed hour and per post) and qualified transfers, each
checked against figures computed by hand in the comments.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calllog.comparison import SurveyGrid, Window
from calllog.kgst import months, to_kgst
from calllog.kpi import build_report
from calllog.models import CallRecord, Outcome, TransferMode
from calllog.report_json import to_json
from calllog.reports import Period
from calllog.staffed import StaffedSpan, StaffedState
from calllog.store import SqlStore

BERLIN = ZoneInfo("Europe/Berlin")
MON_TUE = Period(date(2026, 11, 23), date(2026, 11, 24))
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN)
A, R, T, W, P = (StaffedState.AVAILABLE, StaffedState.RINGING, StaffedState.TALKING,
                 StaffedState.WRAP_UP, StaffedState.PAUSED)  # fmt: skip


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall-clock time in November 2026 (23rd: Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def call(
    call_id: str, agent: str, offered: datetime, outcome: Outcome | None,
    rating: int | None = None, survey: bool = False, **more: object,
) -> CallRecord:  # fmt: skip
    """An answered call of 5 minutes; `survey`: handed to the survey at its end."""
    answered = offered + timedelta(seconds=20)
    ended = answered + timedelta(minutes=5)
    offered_survey = survey or rating is not None
    return CallRecord(
        call_id, "service115", offered, agent_id=agent, answered_at=answered, ended_at=ended,
        outcome=outcome, survey_at=ended if offered_survey else None, survey_rating=rating,
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


CALLS = [
    call("k1", "a1", at(23, 9, 10), Outcome.RESOLVED, rating=5),
    call("k2", "a1", at(23, 9, 40), Outcome.RESOLVED, rating=4),
    call("k3", "a2", at(23, 11), Outcome.TRANSFERRED, outcome_target="Standesamt",
         transfer_mode=TransferMode.BLIND),  # plain
    call("k4", "a2", at(23, 14, 30), Outcome.TRANSFERRED, outcome_target="Standesamt",
         transfer_mode=TransferMode.ATTENDED),  # qualified: consultation
    call("k5", "a1", at(24, 10, 15), Outcome.TRANSFERRED, outcome_target="Kfz",
         transfer_mode=TransferMode.BLIND, handover_note="Halterwechsel, Unterlagen da"),
    call("k6", "a2", at(24, 10, 45), Outcome.TRANSFERRED, outcome_target="Kfz",
         transfer_mode=TransferMode.BLIND, pbx_transfer=TransferMode.ATTENDED),  # the PBX saw it
    call("k7", "a1", at(24, 16, 20), Outcome.CALLBACK, rating=2),
    call("k8", "a2", at(24, 17, 30), Outcome.WRITTEN, survey=True),  # no answer in the survey
    call("k9", "a1", at(24, 19), Outcome.RESOLVED, rating=3),  # outside the grid's windows
    CallRecord("k10", "service115", at(23, 9, 5), ended_at=at(23, 9, 6),
               outcome=Outcome.ABANDONED),
    call("k11", "a2", at(23, 12), None),  # no wrap-up: "ohne Ergebnis"
    call("k12", "a1", at(23, 13), Outcome.DROPPED),
    call("k13", "a1", at(25, 9), Outcome.RESOLVED, rating=1),  # Wednesday: outside the period
]  # fmt: skip
SPANS = [
    StaffedSpan("a1", A, at(22, 23), at(23, 1)),  # Sunday 23:00 - Monday 01:00: 1 h counts
    StaffedSpan("a1", A, at(23, 8), at(23, 9)),  # 1 h
    StaffedSpan("a1", T, at(23, 9), at(23, 9, 30)),  # 0.5 h
    StaffedSpan("a1", W, at(23, 9, 30), at(23, 9, 45)),  # 0.25 h
    StaffedSpan("a1", R, at(23, 9, 45), at(23, 9, 46)),  # 1 min
    StaffedSpan("a1", P, at(23, 12), at(23, 12, 30), "Mittagspause"),  # 0.5 h
    StaffedSpan("a1", P, at(23, 23, 30), at(24, 0, 30), "Bereitschaft"),  # 1 h over midnight
    StaffedSpan("a2", A, at(24, 8), at(24, 10)),  # 2 h
    StaffedSpan("a2", T, at(24, 10), at(24, 11)),  # 1 h
    StaffedSpan("a2", P, at(24, 11), at(24, 11, 30), "Schulung"),  # 0.5 h
    StaffedSpan("a2", A, at(25, 8), at(25, 12)),  # Wednesday: outside
]


def load(store: SqlStore) -> None:
    for record in CALLS:
        store.upsert_call(record)
    store.upsert_staffed(SPANS)


def test_satisfaction_counts_ratings_of_the_calls_handed_to_the_survey(store: SqlStore) -> None:
    load(store)
    s = build_report(store, MON_TUE, now=NOW).comparison.satisfaction
    assert s is not None
    assert (s.offered, s.ratings, s.responses) == (5, (0, 1, 1, 1, 1), 4)  # k1 k2 k7 k8 k9
    assert s.mean == pytest.approx(3.5)  # (5 + 4 + 2 + 3) / 4
    assert s.response_rate == pytest.approx(0.8)  # 4 of 5 (k8 gave no rating)


def test_the_grid_has_every_cell_and_only_calls_inside_its_windows(store: SqlStore) -> None:
    load(store)
    rows = build_report(store, MON_TUE, now=NOW).comparison.grid_rows()
    assert len(rows) == 25  # Mo-Fr x 08-10 ... 16-18, empty cells too
    filled = {(r.weekday, r.window.label): (r.responses, r.mean) for r in rows if r.responses}
    assert filled == {(1, "08-10"): (2, 4.5), (2, "16-18"): (1, 2.0)}  # k9 at 19:00 is not in


def test_a_configured_grid(store: SqlStore) -> None:
    load(store)
    grid = SurveyGrid((1, 2), (Window(8, 12), Window(12, 20)))
    rows = build_report(store, MON_TUE, now=NOW, grid=grid).comparison.grid_rows()
    assert [(r.weekday, r.window.label, r.responses, r.mean) for r in rows] == [
        (1, "08-12", 2, 4.5), (1, "12-20", 0, None), (2, "08-12", 0, None), (2, "12-20", 2, 2.5),
    ]  # fmt: skip


def test_staffed_time_hours_occupancy_and_cases(store: SqlStore) -> None:
    load(store)
    report = build_report(store, MON_TUE, now=NOW, hours_per_post=1600)
    staffed = report.comparison.staffed
    # a1: available 2 h, talking 0.5, wrap-up 0.25, ringing 1 min, paused 1.5 h = 15,360,000 ms
    # a2: available 2 h, talking 1 h, paused 0.5 h = 12,600,000 ms
    assert staffed.logged_in_ms == 27_960_000
    assert staffed.pauses == (("Bereitschaft", 3_600_000), ("Mittagspause", 1_800_000),
                              ("Schulung", 1_800_000))  # fmt: skip
    # handling 6,300,000 of ready 20,760,000 (available 14.4M + ringing 60k + handling)
    assert staffed.occupancy == pytest.approx(6.3 / 20.76)
    data = to_json(report)
    assert report.totals.answered == 11  # k1-k9, k11, k12
    assert data["staffed_hours"] == 7.77  # 27,960,000 ms
    assert data["occupancy"] == 0.3035
    assert data["cases_per_staffed_hour"] == 1.42  # 11 / 7.7667
    assert data["cases_per_post"] == 2266.1  # 11 / 7.7667 * 1600
    assert [(a, s.logged_in_ms) for a, s in report.comparison.per_agent] == [
        ("a1", 15_360_000), ("a2", 12_600_000),
    ]  # fmt: skip


def test_qualified_transfers_apart_from_plain_ones(store: SqlStore) -> None:
    load(store)
    t = build_report(store, MON_TUE, now=NOW).totals
    assert (t.transferred, t.qualified) == (4, 3)  # k4 attended, k5 note, k6 PBX attended
    assert t.settled == 8  # resolved k1 k2 k9, call-back k7, written k8, qualified k4 k5 k6


def test_new_json_keys(store: SqlStore) -> None:
    load(store)
    data = to_json(build_report(store, MON_TUE, now=NOW))
    assert data["satisfaction"] == {
        "responses": 4, "response_rate": 0.8, "mean": 3.5,
        "distribution": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1},
    }  # fmt: skip
    assert data["satisfaction_grid"][0] == {
        "weekday": 1, "window": "08-10", "responses": 2, "mean": 4.5
    }  # fmt: skip
    assert data["satisfaction_grid"][1] == {
        "weekday": 1, "window": "10-12", "responses": 0, "mean": None
    }  # fmt: skip
    assert data["qualified_transfers"] == 3
    assert data["offered"] == 12 and data["transfer_rate"] == round(4 / 11, 4)  # unchanged keys


def test_one_agent_gets_no_ratings_but_their_staffed_time(store: SqlStore) -> None:
    load(store)
    report = build_report(store, MON_TUE, now=NOW, agent_id="a1")
    data = to_json(report)
    assert data["satisfaction"] is None and data["satisfaction_grid"] == []
    assert data["staffed_hours"] == 4.27  # 15,360,000 ms
    assert data["occupancy"] == 0.2711  # 2.7M of 9.96M
    assert data["cases_per_staffed_hour"] == 1.41  # 6 answered (k1 k2 k5 k7 k9 k12) / 4.2667
    assert data["qualified_transfers"] == 1  # k5


def test_nothing_staffed_has_no_ratios(store: SqlStore) -> None:
    store.upsert_call(CALLS[0])
    data = to_json(build_report(store, MON_TUE, now=NOW))
    assert data["staffed_hours"] == 0.0
    assert data["occupancy"] is None and data["cases_per_staffed_hour"] is None
    assert data["cases_per_post"] is None


def test_the_kgst_csv_has_one_row_per_month_with_the_hand_computed_figures(
    store: SqlStore,
) -> None:
    load(store)
    period = Period(date(2026, 11, 15), date(2026, 12, 10))
    grid = SurveyGrid()
    rows = [(m, build_report(store, m, now=NOW, grid=grid, breakdowns=False))
            for m in months(period)]  # fmt: skip
    lines = list(csv.DictReader(io.StringIO(to_kgst(rows, grid))))
    assert [(r["month"], r["from"], r["to"]) for r in lines] == [
        ("2026-11", "2026-11-15", "2026-11-30"), ("2026-12", "2026-12-01", "2026-12-10"),
    ]  # fmt: skip
    nov = lines[0]
    assert (nov["offered"], nov["answered"], nov["abandoned"]) == ("13", "12", "1")  # k13 too
    assert (nov["transferred"], nov["qualified_transfers"], nov["plain_transfers"]) == (
        "4", "3", "1",
    )  # fmt: skip
    assert nov["answered_or_qualified"] == "9"  # k1 k2 k9 k13, k7, k8, k4 k5 k6
    assert nov["staffed_hours"] == "12.77"  # 27,960,000 ms, Sunday's hour, Wednesday's 4 h
    assert nov["survey_offered"] == "6" and nov["survey_responses"] == "5"
    assert nov["satisfaction_mean"] == "3.00"  # (5 + 4 + 2 + 3 + 1) / 5
    assert [nov[f"rating_{n}"] for n in range(1, 6)] == ["1", "1", "1", "1", "1"]
    assert (nov["satisfaction_mo"], nov["satisfaction_di"], nov["satisfaction_mi"]) == (
        "4.50",
        "2.00",
        "1.00",
    )  # fmt: skip  (within the grid: k9 at 19:00 is not in a window)
    assert (nov["satisfaction_08_10"], nov["satisfaction_16_18"]) == ("3.33", "2.00")
    dec = lines[1]
    assert dec["offered"] == "0" and dec["satisfaction_mean"] == "" and dec["occupancy"] == ""
