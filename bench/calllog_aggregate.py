"""Supervisor aggregates over a large call log: a month's and a day's KPIs, both backends.

Seeds N synthetic calls over a year (bulk path: COPY on PostgreSQL, executemany on SQLite),
then times the queries a supervisor report runs for the busiest month and for one day:
totals per queue, per agent, weekday x hour, top topics, 90th-percentile wait. The queries
are issue 7's (`calllog.kpi`); each is run three times and the best time is kept.

    .venv/bin/python bench/calllog_aggregate.py --calls 1000000 [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from calllog_common import scratch_url

from calllog.kpi import ReportQuery, build_report
from calllog.models import CallRecord
from calllog.reports import Period, Targets
from calllog.seed import generate_calls, generate_tickets
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqlStore, open_store

END = date(2026, 11, 1)


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _query(store: SqlStore, sql: str, since: datetime, until: datetime) -> list[Any]:
    with store.read() as read:
        return read.rows(sql, {"since": read.time_param(since), "until": read.time_param(until)})


def _analyze(store: SqlStore) -> None:
    store.analyze()


def _report(store: SqlStore, label: str, period: Period) -> float:
    """Time issue 7's report (`calllog.kpi.build_report`) and each of its parts, best of 3."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    parts: dict[str, Callable[[ReportQuery], Any]] = {
        "totals + p90": lambda q: q.counts(None),
        "per queue": lambda q: q.counts("queue"),
        "per agent": lambda q: q.counts("agent_id"),
        "weekday x hour": ReportQuery.heatmap,
        "per day": ReportQuery.trend,
        "top topics": ReportQuery.topics,
        "kb gaps": ReportQuery.searches,
        "callbacks": ReportQuery.callbacks,
    }
    for name, part in parts.items():

        def run(part: Callable[[ReportQuery], Any] = part) -> None:
            with store.read() as read:
                part(ReportQuery(read, period, Targets(), None, now))

        best = min(_timed(run)[0] for _ in range(3))
        print(f"  {label:<6} {name:<18} {best * 1000:>9.1f} ms")
    total = min(_timed(lambda: build_report(store, period, now=now))[0] for _ in range(3))
    print(f"  {label:<6} {'whole report':<18} {total * 1000:>9.1f} ms")
    return total


def _bench(backend: str, count: int, month: Period, day: Period) -> None:
    calendar = ServiceCalendar(holidays=state_holidays("NW"))
    with scratch_url(backend) as url:
        store = open_store(url, migrate=True)
        promised: list[CallRecord] = []
        calls = generate_calls(count, end=END, days=365, calendar=calendar, promised=promised)
        seconds, written = _timed(lambda: store.bulk_insert(calls))
        print(f"{backend}: seeded {written} calls in {seconds:.0f} s ({written / seconds:.0f}/s)")
        tickets = generate_tickets(
            promised, calendar=calendar, now=datetime(2026, 11, 1, tzinfo=UTC)
        )
        seconds, _ = _timed(lambda: store.bulk_insert_callbacks(tickets))
        print(f"{backend}: seeded {len(tickets)} call-back tickets in {seconds:.0f} s")
        seconds, _ = _timed(lambda: _analyze(store))
        print(f"{backend}: analyze {seconds:.1f} s")
        count_sql = "SELECT count(*) FROM calls WHERE offered_at >= :since AND offered_at < :until"
        bounds = month.utc_bounds(store.zone)
        print(f"{backend}: March 2026 holds {_query(store, count_sql, *bounds)[0][0]} calls")
        _report(store, "month", month)
        _report(store, "day", day)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    month = Period(date(2026, 3, 1), date(2026, 3, 31))
    day = Period(date(2026, 3, 2), date(2026, 3, 2))
    for backend in args.backends.split(","):
        _bench(backend, args.calls, month, day)


if __name__ == "__main__":
    main()
