"""KPIs from SQL on hand-made call sets with hand-computed figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calllog.kpi import build_report
from calllog.models import (
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Outcome,
    SearchQuery,
    Topic,
    TransferMode,
)
from calllog.reports import (
    Counts,
    HeatCell,
    Period,
    Report,
    aht_s,
    avg_talk_s,
    avg_wait_s,
    avg_wrapup_s,
    fcr_rate,
    p90_wait_s,
    service_level,
    transfer_rate,
)
from calllog.seed import generate_calls, generate_tickets
from calllog.seed_staffed import generate_staffed
from calllog.service_hours import ServiceCalendar
from calllog.store import SqlStore, open_store

BERLIN = ZoneInfo("Europe/Berlin")
#: Thursday after the hand-made week, when the report is made.
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN)
MON_TUE = Period(date(2026, 11, 23), date(2026, 11, 24))


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 11) -> datetime:
    """A Berlin wall-clock time in 2026."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=BERLIN)


def answered(
    call_id: str, queue: str, agent: str, offered: datetime, wait: int, talk: int,
    wrapup: int | None, outcome: Outcome, **more: object,
) -> CallRecord:  # fmt: skip
    """An answered call; durations in seconds."""
    ans = offered + timedelta(seconds=wait)
    end = ans + timedelta(seconds=talk)
    return CallRecord(
        call_id, queue, offered, agent_id=agent, answered_at=ans, ended_at=end,
        wrapup_end_at=None if wrapup is None else end + timedelta(seconds=wrapup),
        outcome=outcome, **more,  # type: ignore[arg-type]
    )  # fmt: skip


def abandoned(call_id: str, queue: str, offered: datetime, after: int) -> CallRecord:
    """A caller who hung up in the queue after `after` seconds."""
    return CallRecord(
        call_id, queue, offered, ended_at=offered + timedelta(seconds=after),
        outcome=Outcome.ABANDONED,
    )  # fmt: skip


def ticket(tid: str, created: datetime, due: datetime, status: CallbackStatus,
           closed: datetime | None = None) -> CallbackTicket:  # fmt: skip
    """A call-back ticket with explicit times."""
    return CallbackTicket(tid, created, due, "a2", "Rückfrage", status=status, closed_at=closed,
                          updated_at=closed or created)  # fmt: skip


WEEK = [
    answered("c1", "A", "a1", at(23, 9), 10, 300, 60, Outcome.RESOLVED,
             topics=(Topic("personalausweis"),), searches=(SearchQuery("perso", 3),)),
    answered("c2", "A", "a1", at(23, 9, 5), 40, 200, 40, Outcome.TRANSFERRED,
             outcome_target="Standesamt", transfer_mode=TransferMode.BLIND,
             topics=(Topic("geburtsurkunde"),), searches=(SearchQuery("urkunde xyz", 0),)),
    abandoned("c3", "A", at(23, 10), 0),  # abandoned at 0 s
    abandoned("c4", "B", at(23, 10, 30), 20),
    # Spans midnight: offered on Monday 23:59:50, answered on Tuesday.
    answered("c5", "B", "a2", at(23, 23, 59, 50), 25, 300, 30, Outcome.CALLBACK),
    # Transferred at 19:00 to an office that is closed by then: still a transfer, not resolved.
    answered("c6", "A", "a2", at(24, 19), 5, 100, 20, Outcome.TRANSFERRED,
             outcome_target="Standesamt", transfer_mode=TransferMode.ATTENDED,
             topics=(Topic("geburtsurkunde"),), searches=(SearchQuery("urkunde xyz", 0),)),
    # Answered at exactly 30 s (counts), still in wrap-up (no wrap-up time).
    answered("c7", "A", "a2", at(24, 11), 30, 60, None, Outcome.NOT_RESPONSIBLE,
             outcome_target="Finanzamt", searches=(SearchQuery("steuerbescheid", 0),)),
    answered("out-before", "A", "a1", at(22, 23, 59, 59), 1, 1, 1, Outcome.RESOLVED),
    answered("out-after", "A", "a1", at(25, 0), 1, 1, 1, Outcome.RESOLVED),
]  # fmt: skip
TICKETS = [
    ticket("t1", at(23, 10), at(24, 10), CallbackStatus.DONE, at(24, 9)),  # in time
    ticket("t2", at(23, 11), at(24, 11), CallbackStatus.DONE, at(24, 12)),  # late
    ticket("t3", at(24, 9), at(25, 9), CallbackStatus.OPEN),  # overdue on Thursday
    ticket("t4", at(24, 10), at(30, 10), CallbackStatus.IN_PROGRESS),  # pending, not due
    ticket("t5", at(22, 10), at(23, 10), CallbackStatus.OPEN),  # created before the period
]


def load(store: SqlStore, calls: list[CallRecord], tickets: list[CallbackTicket] = []) -> None:  # noqa: B006
    """Write calls one by one through the normal path, tickets likewise."""
    for call in calls:
        store.upsert_call(call)
    for t in tickets:
        store.upsert_callback(t)


def test_week_totals_match_hand_computed_figures(store: SqlStore) -> None:
    load(store, WEEK, TICKETS)
    report = build_report(store, MON_TUE, now=NOW)
    t = report.totals
    assert (t.offered, t.answered, t.abandoned, t.abandoned_short) == (7, 5, 2, 1)
    assert (t.within_threshold, t.resolved, t.transferred, t.callbacks, t.referrals) == (
        4, 1, 2, 1, 1,
    )  # fmt: skip
    assert service_level(t) == pytest.approx(4 / 6)  # 0 s abandon left out of the base
    assert fcr_rate(t) == pytest.approx(0.2)
    assert transfer_rate(t) == pytest.approx(0.4)
    assert avg_wait_s(t) == pytest.approx(22.0)  # (10 + 40 + 25 + 5 + 30) / 5
    assert avg_talk_s(t) == pytest.approx(192.0)  # 960 / 5
    assert avg_wrapup_s(t) == pytest.approx(37.5)  # 150 / 4, c7 still in wrap-up
    assert aht_s(t) == pytest.approx(229.5)
    assert p90_wait_s(t) == pytest.approx(36.0)  # waits 5 10 25 30 40: 30 + 0.6 * 10


def test_week_breakdowns(store: SqlStore) -> None:
    load(store, WEEK, TICKETS)
    report = build_report(store, MON_TUE, now=NOW)
    assert [(q, c.offered, c.answered) for q, c in report.per_queue] == [("A", 5, 4), ("B", 2, 1)]
    assert [(a, c.offered) for a, c in report.per_agent] == [("a1", 2), ("a2", 3), (None, 2)]
    assert dict(report.per_agent)["a2"].p90_wait_ms == pytest.approx(29_000)  # 5 25 30: 25+.8*5
    assert report.transfer_targets == (("Standesamt", 2),)
    assert report.referrals == (("Finanzamt", 1),)
    assert report.unanswered_searches == (("urkunde xyz", 2), ("steuerbescheid", 1))
    assert [(t.article_id, t.calls, t.outcomes) for t in report.topics] == [
        ("geburtsurkunde", 2, {"transferred": 2}),
        ("personalausweis", 1, {"resolved": 1}),
    ]
    assert [(h.weekday, h.hour, h.offered) for h in report.heatmap] == [
        (1, 9, 2), (1, 10, 2), (1, 23, 1), (2, 11, 1), (2, 19, 1),
    ]  # fmt: skip
    assert [(d.day, d.offered, d.answered, d.abandoned) for d in report.trend] == [
        (date(2026, 11, 23), 5, 3, 2),
        (date(2026, 11, 24), 2, 2, 0),
    ]
    cb = report.callbacks
    assert (cb.promised, cb.in_time, cb.late, cb.overdue, cb.pending) == (4, 1, 1, 1, 2)


def test_agent_sees_own_figures_only(store: SqlStore) -> None:
    load(store, WEEK, TICKETS)
    report = build_report(store, MON_TUE, now=NOW, agent_id="a2", breakdowns=False)
    assert (report.totals.offered, report.totals.answered, report.totals.resolved) == (3, 3, 0)
    assert report.per_agent == () and report.per_queue == ()
    assert report.unanswered_searches == (("steuerbescheid", 1), ("urkunde xyz", 1))  # tie: by text
    assert report.callbacks.promised == 4  # every hand-made ticket was created by a2


def test_dst_autumn_day_has_25_hours(store: SqlStore) -> None:
    utc = [datetime(2026, 10, 24, 21, 59, tzinfo=UTC),  # Sat 23:59 CEST: before
           datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 CEST
           datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 CET, the repeated hour
           datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # 23:30 CET
           datetime(2026, 10, 25, 23, 0, tzinfo=UTC)]  # Mon 00:00 CET: after  # fmt: skip
    load(store, [abandoned(f"d{n}", "A", t, 3) for n, t in enumerate(utc)])
    report = build_report(store, Period(date(2026, 10, 25), date(2026, 10, 25)), now=NOW)
    assert report.totals.offered == 3
    assert [(h.weekday, h.hour, h.offered) for h in report.heatmap] == [(7, 2, 2), (7, 23, 1)]
    assert [(d.day, d.offered) for d in report.trend] == [(date(2026, 10, 25), 3)]


def test_dst_spring_day_has_23_hours(store: SqlStore) -> None:
    utc = [datetime(2026, 3, 28, 22, 59, tzinfo=UTC),  # Sat 23:59 CET: before
           datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30 CET
           datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30 CEST (02:xx never happens)
           datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 CEST
           datetime(2026, 3, 29, 22, 0, tzinfo=UTC)]  # Mon 00:00 CEST: after  # fmt: skip
    load(store, [abandoned(f"s{n}", "A", t, 3) for n, t in enumerate(utc)])
    report = build_report(store, Period(date(2026, 3, 29), date(2026, 3, 29)), now=NOW)
    assert [(h.hour, h.offered) for h in report.heatmap] == [(1, 1), (3, 1), (23, 1)]
    assert report.totals.abandoned_short == 3


def test_empty_period_has_zero_counts_and_no_ratios(store: SqlStore) -> None:
    report = build_report(store, MON_TUE, now=NOW)
    assert report.totals == Counts()
    assert service_level(report.totals) is None and p90_wait_s(report.totals) is None
    assert report.heatmap == () and report.trend == () and report.per_queue == ()


def test_single_answered_call_percentile_is_its_wait(store: SqlStore) -> None:
    load(store, [WEEK[0]])
    report = build_report(store, MON_TUE, now=NOW)
    assert report.totals.p90_wait_ms == 10_000.0
    assert report.heatmap == (HeatCell(1, 9, 1, 1, 1),)


def _seeded(url: str) -> Report:
    store = open_store(url, migrate=True)
    try:
        calendar = ServiceCalendar()
        promised: list[CallRecord] = []
        calls = list(generate_calls(4000, end=date(2026, 11, 1), days=60, calendar=calendar,
                                    promised=promised))  # fmt: skip
        store.bulk_insert(calls)
        store.bulk_insert_callbacks(generate_tickets(promised, calendar=calendar, now=NOW))
        store.bulk_insert_staffed(generate_staffed(calls, zone=BERLIN))
        return build_report(store, Period(date(2026, 9, 14), date(2026, 10, 31)), now=NOW)
    finally:
        store.close()


def test_sqlite_and_postgresql_agree_exactly(pg_url: str, tmp_path: Path) -> None:
    lite = _seeded(f"sqlite:///{tmp_path / 'calls.db'}")
    pg = _seeded(pg_url)
    assert lite.totals.offered > 3000 and lite.totals.p90_wait_ms is not None
    assert len(lite.per_agent) > 30 and lite.unanswered_searches and lite.callbacks.promised
    ring = lite.comparison
    assert ring.satisfaction is not None and ring.satisfaction.responses > 100
    assert ring.staffed.logged_in_ms > 0 and len(ring.per_agent) > 30 and lite.totals.qualified
    for name in Report.__dataclass_fields__:
        assert getattr(lite, name) == getattr(pg, name), name  # exact, floats included
