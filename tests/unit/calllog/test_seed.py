"""The synthetic call generator: deterministic, within service hours, with the 115 shape."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from calllog import seed
from calllog.models import CallRecord, Outcome, Topic
from calllog.seed import generate_calls, service_days
from calllog.seed_staffed import generate_staffed
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.staffed import StaffedState

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


def test_some_callers_rate_and_some_transfers_carry_a_note(calls: list[CallRecord]) -> None:
    surveyed = [c for c in calls if c.survey_at is not None]
    rated = [c.survey_rating for c in surveyed if c.survey_rating is not None]
    answered = [c for c in calls if c.answered_at is not None]
    assert 0.12 < len(surveyed) / len(answered) < 0.2  # 20 % of the non-transferred calls
    assert 0.55 < len(rated) / len(surveyed) < 0.75 and set(rated) == {1, 2, 3, 4, 5}
    assert all(c.survey_at == c.ended_at and c.outcome is not Outcome.TRANSFERRED
               for c in surveyed)  # fmt: skip
    noted = [c for c in calls if c.handover]
    assert noted and all(c.outcome is Outcome.TRANSFERRED and c.handover_note for c in noted)


def test_the_survey_does_not_change_the_calls_of_a_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    # The survey and the notes have their own random stream: the calls stay those of before.
    surveyed = list(generate_calls(2000, end=END, calendar=NRW, seed=5))
    monkeypatch.setattr(seed, "SURVEY_SHARE", 0.0)
    monkeypatch.setattr(seed, "HANDOVER_SHARE", 0.0)
    plain = list(generate_calls(2000, end=END, calendar=NRW, seed=5))
    assert not any(c.survey_at or c.handover for c in plain)
    assert any(c.survey_at for c in surveyed) and any(c.handover for c in surveyed)
    bare = [replace(c, survey_at=None, survey_rating=None, handover_note=None, handover=False)
            for c in surveyed]  # fmt: skip
    assert bare == plain


def test_staffed_time_lies_around_the_calls_one_state_at_a_time(
    calls: list[CallRecord],
) -> None:
    spans = list(generate_staffed(calls[:3000], zone=BERLIN, seed=7))
    assert spans == list(generate_staffed(calls[:3000], zone=BERLIN, seed=7))
    by_agent: dict[str, list] = {}  # type: ignore[type-arg]
    for s in spans:
        by_agent.setdefault(s.agent_id, []).append(s)
    for own in by_agent.values():
        own.sort(key=lambda s: s.started_at)
        assert all(a.ended_at <= b.started_at for a, b in itertools.pairwise(own))
    states = Counter(s.state for s in spans)
    assert states[StaffedState.TALKING] > 1000 and states[StaffedState.PAUSED] > 0
    assert {s.reason for s in spans if s.state is StaffedState.PAUSED} == {
        "Mittagspause", "Pause",
    }  # fmt: skip
    talking = sum(s.ms for s in spans if s.state is StaffedState.TALKING)
    answered = [c for c in calls[:3000] if c.talk_ms]
    assert talking <= sum(c.talk_ms or 0 for c in answered)  # clipped where calls overlap
