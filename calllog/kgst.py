"""`lotse report --format kgst`: one CSV row per month with the comparison ring's indicators.

The KGSt comparison ring of mid-sized cities compares citizen services by cases per
full-time post and by caller feedback per weekday and time window. Each row is one calendar
month (cut to the report's period: `from` and `to` say which days it covers), built from
that month's report. Columns are documented in the README; German-neutral numbers (`.`
decimals), empty where there is nothing to divide by.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from calllog.comparison import GridRow, SurveyGrid, cases_per_post, cases_per_staffed_hour
from calllog.reports import Period, Report, abandonment_rate, fcr_rate, service_level

#: Weekday column names (ISO weekday 1 = Monday).
DAY_KEYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
COLUMNS = [
    "month", "from", "to", "offered", "answered", "abandoned", "abandonment_rate",
    "service_level", "fcr_rate", "answered_or_qualified", "transferred", "qualified_transfers",
    "plain_transfers", "staffed_hours", "occupancy", "cases_per_staffed_hour", "cases_per_post",
    "survey_offered", "survey_responses", "survey_response_rate", "satisfaction_mean",
    "rating_1", "rating_2", "rating_3", "rating_4", "rating_5",
]  # fmt: skip


def months(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period."""
    out = []
    start = period.start
    while start <= period.end:
        following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(period.end, following - timedelta(days=1))
        out.append(Period(start, end))
        start = following
    return out


def grid_columns(grid: SurveyGrid) -> list[str]:
    """One column per weekday and per window of the grid: the mean rating within the grid."""
    days = [f"satisfaction_{DAY_KEYS[d - 1]}" for d in grid.weekdays]
    windows = [f"satisfaction_{w.label.replace('-', '_')}" for w in grid.windows]
    return days + windows


def _f(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _mean(cells: Sequence[GridRow]) -> str:
    responses = sum(c.responses for c in cells)
    return _f(sum(c.total for c in cells) / responses, 2) if responses else ""


def row(period: Period, report: Report) -> list[str]:
    """One month's row (`period` is the month as cut to the report)."""
    t, c = report.totals, report.comparison
    s = c.satisfaction
    cells: list[object] = [
        f"{period.start:%Y-%m}", period.start.isoformat(), period.end.isoformat(), t.offered,
        t.answered, t.abandoned, _f(abandonment_rate(t), 4), _f(service_level(t), 4),
        _f(fcr_rate(t), 4), t.settled, t.transferred, t.qualified, t.transferred - t.qualified,
        f"{c.staffed.hours:.2f}", _f(c.staffed.occupancy, 4),
        _f(cases_per_staffed_hour(t.answered, c.staffed), 2),
        _f(cases_per_post(t.answered, c.staffed, c.hours_per_post), 1),
    ]  # fmt: skip
    if s is None:  # a report on one agent: no ratings
        cells += [""] * (9 + len(grid_columns(c.grid)))
        return [str(v) for v in cells]
    cells += [s.offered, s.responses, _f(s.response_rate, 4), _f(s.mean, 2), *s.ratings]
    grid = c.grid_rows()
    cells += [_mean([g for g in grid if g.weekday == d]) for d in c.grid.weekdays]
    cells += [_mean([g for g in grid if g.window == w]) for w in c.grid.windows]
    return [str(v) for v in cells]


def to_kgst(reports: Sequence[tuple[Period, Report]], grid: SurveyGrid) -> str:
    """The CSV: a header, then one row per month, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *grid_columns(grid)])
    for period, report in reports:
        writer.writerow(row(period, report))
    return out.getvalue()
