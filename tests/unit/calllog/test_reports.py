"""Pure report functions: ratios, targets, DST period bounds, formats of an empty report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from calllog.report_formats import heatmap_svg, pct, to_csv, to_html, to_text, trend_svg
from calllog.report_json import to_json
from calllog.reports import (
    Counts,
    Day,
    HeatCell,
    Period,
    Report,
    Targets,
    aht_s,
    fcr_rate,
    hours_span,
    ratio,
    service_level,
    target_state,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_ratio_of_nothing_is_none() -> None:
    assert ratio(0, 0) is None and ratio(1, 4) == 0.25


def test_service_level_leaves_short_abandons_out_of_the_base() -> None:
    c = Counts(offered=10, answered=7, abandoned=3, abandoned_short=2, within_threshold=6)
    assert service_level(c) == 6 / 8


def test_everything_abandoned_short_has_no_service_level() -> None:
    assert service_level(Counts(offered=2, abandoned=2, abandoned_short=2)) is None


def test_fcr_counts_resolved_of_answered() -> None:
    assert fcr_rate(Counts(offered=5, answered=4, resolved=3, transferred=1)) == 0.75


def test_aht_is_talk_plus_wrapup_and_needs_talk() -> None:
    assert aht_s(Counts(talk_ms=200_000, talked=2, wrapup_ms=30_000, wrapped=1)) == 130.0
    assert aht_s(Counts(talk_ms=100_000, talked=1)) == 100.0
    assert aht_s(Counts()) is None


@pytest.mark.parametrize(
    ("value", "state"), [(0.80, "ok"), (0.75, "ok"), (0.72, "warn"), (0.69, "bad"), (None, "none")]
)
def test_target_state(value: float | None, state: str) -> None:
    assert target_state(value, 0.75, 0.05) == state


def test_period_bounds_on_dst_days() -> None:
    since, until = Period(date(2026, 3, 29), date(2026, 3, 29)).utc_bounds(BERLIN)
    assert (since, until) == (datetime(2026, 3, 28, 23, tzinfo=UTC),
                              datetime(2026, 3, 29, 22, tzinfo=UTC))  # fmt: skip
    since, until = Period(date(2026, 10, 25), date(2026, 10, 25)).utc_bounds(BERLIN)
    assert until - since == (datetime(2026, 10, 25, 23) - datetime(2026, 10, 24, 22))


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 11, 2), date(2026, 11, 1))


def test_heat_map_hours_widen_to_calls_outside_service_hours() -> None:
    assert hours_span(()) == range(8, 18)
    assert hours_span((HeatCell(1, 23, 1, 0, 0), HeatCell(2, 6, 2, 1, 1))) == range(6, 24)


def empty_report() -> Report:
    return Report(Period(date(2026, 11, 23), date(2026, 11, 24)),
                  datetime(2026, 11, 25, tzinfo=UTC), Targets(), Counts())  # fmt: skip


def test_empty_report_renders_in_every_format() -> None:
    report = empty_report()
    data = to_json(report)
    assert data["offered"] == 0 and data["service_level"] is None and data["trend"] == []
    assert "Servicelevel 30 s:" in to_text(report) and "–" in to_text(report)
    assert to_csv(report).splitlines()[1].startswith("total,,0,0,0,0,")
    assert "<svg" in to_html(report) and "<svg" in trend_svg(report)


def test_heat_map_svg_has_a_cell_per_weekday_and_hour() -> None:
    report = Report(empty_report().period, empty_report().generated_at, Targets(), Counts(),
                    heatmap=(HeatCell(1, 9, 4, 4, 3),),
                    trend=(Day(date(2026, 11, 23), 4, 4, 0, 0, 3, 2),))  # fmt: skip
    svg = heatmap_svg(report)
    assert svg.count("<rect") == 7 * 10 and "Mo 9:00 – 4 Anrufe" in svg
    assert pct(0.6667) == "66,7 %"
