"""The comparison ring's figures in the report formats: lines, tables and CSV cells (pure).

German labels for text and HTML; the CSV cells are German-neutral (`.` decimals), like the
rest of the report's CSV.
"""

from __future__ import annotations

from calllog.comparison import (
    Comparison,
    StaffedTime,
    cases_per_post,
    cases_per_staffed_hour,
)
from calllog.reports import Counts, Report
from calllog.staffed import StaffedState

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def num(value: float | None, digits: int) -> str:
    """A German number, `–` when undefined."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{num(value * 100, 1)} %"


def mean_text(mean: float | None, responses: int) -> str:
    """`4,2 (37)`: the mean rating and how many answered; `–` without answers."""
    return "–" if mean is None else f"{num(mean, 1)} ({responses})"


def comparison_lines(report: Report) -> list[tuple[str, str]]:
    """(label, value) of the comparison figures, in display order."""
    c, t = report.comparison, report.totals
    s = c.satisfaction
    lines: list[tuple[str, str]] = []
    if s is not None:
        lines += [
            ("Zufriedenheit Ø (1–5)", mean_text(s.mean, s.responses)),
            ("Umfrage: Antwortquote", f"{percent(s.response_rate)} von {s.offered}"),
        ]
    rate = cases_per_staffed_hour(t.answered, c.staffed)
    lines += [
        ("Qualifiziert weitergeleitet", f"{t.qualified} (einfach: {t.transferred - t.qualified})"),
        ("Beantwortet oder qualifiziert", str(t.settled)),
        ("Besetzungsstunden", f"{num(c.staffed.hours, 1)} h"),
        ("Auslastung", percent(c.staffed.occupancy)),
        ("Fälle je Besetzungsstunde", num(rate, 2)),
        (f"Fälle je Vollzeitstelle ({num(c.hours_per_post, 0)} h/Jahr)",
         num(cases_per_post(t.answered, c.staffed, c.hours_per_post), 0)),
    ]  # fmt: skip
    return lines


def grid_table(c: Comparison) -> list[list[str]]:
    """The satisfaction grid: a header row (windows), then one row per weekday."""
    rows = c.grid_rows()
    header = ["", *(w.label for w in c.grid.windows)]
    table = [header]
    for day in c.grid.weekdays:
        cells = [r for r in rows if r.weekday == day]
        table.append([WEEKDAYS[day - 1], *(mean_text(r.mean, r.responses) for r in cells)])
    return table


def _hours(ms: int) -> str:
    return num(ms / 3_600_000, 1)


STAFFED_HEADER = ["Agent", "Angemeldet h", "Bereit h", "Gespräch h", "Nachbearb. h", "Pause h",
                  "Auslastung"]  # fmt: skip


def staffed_row(name: str, s: StaffedTime) -> list[str]:
    """One agent's staffed time: hours per state and the occupancy."""
    ready = s.of(StaffedState.AVAILABLE, StaffedState.RINGING)
    return [name, _hours(s.logged_in_ms), _hours(ready), _hours(s.of(StaffedState.TALKING)),
            _hours(s.of(StaffedState.WRAP_UP)), _hours(s.of(StaffedState.PAUSED)),
            percent(s.occupancy)]  # fmt: skip


def pause_lines(s: StaffedTime) -> list[str]:
    """`Schulung: 3,5 h` per pause reason, longest first."""
    return [f"{reason or 'ohne Grund'}: {_hours(ms)} h" for reason, ms in s.pauses]


# -- CSV cells --------------------------------------------------------------------------------
CSV_KEYS = [
    "qualified_transfers", "answered_or_qualified", "staffed_hours", "occupancy",
    "cases_per_staffed_hour", "cases_per_post", "survey_offered", "satisfaction_responses",
    "satisfaction_response_rate", "satisfaction_mean",
]  # fmt: skip


def _f(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def csv_cells(
    c: Counts, staffed: StaffedTime | None, comparison: Comparison, ratings: bool
) -> list[str]:
    """The comparison columns of one CSV row (`staffed` None: not per that group)."""
    cells = [str(c.qualified), str(c.settled)]
    if staffed is None:
        cells += ["", "", "", ""]
    else:
        cells += [
            f"{staffed.hours:.2f}", _f(staffed.occupancy, 4),
            _f(cases_per_staffed_hour(c.answered, staffed), 2),
            _f(cases_per_post(c.answered, staffed, comparison.hours_per_post), 1),
        ]  # fmt: skip
    s = comparison.satisfaction if ratings else None
    if s is None:
        return [*cells, "", "", "", ""]
    return [*cells, str(s.offered), str(s.responses), _f(s.response_rate, 4), _f(s.mean, 2)]


def comparison_tiles(report: Report) -> dict[str, tuple[str, str, str]]:
    """Tiles of the comparison ring (id -> German label, value, state): satisfaction,
    qualified transfers, answered or qualified, staffed time, occupancy, cases."""
    t, c = report.totals, report.comparison
    s = c.satisfaction
    return {
        "satisfaction": ("Zufrieden Ø", "–" if s is None else mean_text(s.mean, s.responses),
                         "none"),
        "qualified": ("qual. weiter", f"{t.qualified} / {t.transferred}", "none"),
        "settled": ("beantw./qual.", str(t.settled), "none"),
        "staffed": ("Besetzt", f"{num(c.staffed.hours, 1)} h", "none"),
        "occupancy": ("Auslastung", percent(c.staffed.occupancy), "none"),
        "cases-per-hour": ("Fälle/Std.", num(cases_per_staffed_hour(t.answered, c.staffed), 2),
                           "none"),
        "cases-per-post": ("Fälle/Stelle",
                           num(cases_per_post(t.answered, c.staffed, c.hours_per_post), 0),
                           "none"),
    }  # fmt: skip
