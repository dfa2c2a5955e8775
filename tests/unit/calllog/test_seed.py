"""The synthetic call generator: deterministic, within service hours, with the 115 shape."""

from __future__ import annotations

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from calllog.models import CallRecord, Outcome, Topic
from calllog.seed import generate_calls, service_days
from calllog.service_hours import ServiceCalendar, state_holidays

NRW = ServiceCalendar(holidays=state_holidays("NW"))
BERLIN = ZoneInfo("Europe/Berlin")
END = date(2026, 11, 21)


@pytest.fixture(scope="module")
def calls() -> list[CallRecord]:
    """Twenty thousand calls over a year."""
    return list(generate_calls(20_000, end=END, calendar=NRW, seed=7))


def test_same_seed_same_calls() -> None:
    first = list(generate_calls(50, end=END, calendar=NRW, seed=3))
    assert first == list(generate_calls(50, end=END, calendar=NRW, seed=3))
    assert first != list(generate_calls(50, end=END, calendar=NRW, seed=4))


def test_count_ids_and_order(calls: list[CallRecord]) -> None:
    assert len(calls) == 20_000
    assert len({c.call_id for c in calls}) == 20_000
    offered = [c.offered_at for c in calls]
    assert offered == sorted(offered)


def test_calls_arrive_in_service_hours_on_working_days(calls: list[CallRecord]) -> None:
    for c in calls:
        local = c.offered_at.astimezone(BERLIN)
        assert 8 <= local.hour < 18
        assert NRW.is_working_day(local.date())
        assert local.date() < END


def test_mondays_and_thursdays_are_busiest(calls: list[CallRecord]) -> None:
    per_day = Counter(c.offered_at.astimezone(BERLIN).date() for c in calls)
    by_weekday: dict[int, list[int]] = {}
    for day, n in per_day.items():
        by_weekday.setdefault(day.weekday(), []).append(n)
    mean = {d: sum(v) / len(v) for d, v in by_weekday.items()}
    assert mean[0] > mean[3] > mean[1] > mean[4]


def test_outcome_mix_is_near_the_115_figures(calls: list[CallRecord]) -> None:
    outcomes = Counter(c.outcome for c in calls)
    answered = [c for c in calls if c.answered_at is not None]
    assert 0.05 < outcomes[Outcome.ABANDONED] / len(calls) < 0.09
    assert 0.65 < outcomes[Outcome.RESOLVED] / len(answered) < 0.85
    within_30s = sum(1 for c in answered if c.wait_ms is not None and c.wait_ms <= 30_000)
    assert within_30s / len(answered) > 0.75
    assert all(not c.topics for c in calls if c.outcome is Outcome.ABANDONED)


def test_topics_come_from_the_given_list() -> None:
    topics = [Topic("hund-anmelden"), Topic("kfz-zulassung")]
    seen = {t for c in generate_calls(500, end=END, calendar=NRW, topics=topics) for t in c.topics}
    assert seen == set(topics)


def test_service_days_skip_weekends_and_holidays() -> None:
    days = service_days(date(2026, 4, 8), 7, NRW)  # Easter week
    assert days == [date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 7)]
