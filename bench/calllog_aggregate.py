"""Supervisor aggregates over a large call log: a month's and a day's KPIs, both backends.

Seeds N synthetic calls over a year (bulk path: COPY on PostgreSQL, executemany on SQLite),
then times the queries a supervisor report runs for the busiest month and for one day:
totals per queue, per agent, weekday x hour, top topics, 90th-percentile wait. The queries
stand in for issue 7's reports; each is run three times and the best time is kept.

    .venv/bin/python bench/calllog_aggregate.py --calls 1000000 [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from calllog_common import scratch_url

from calllog.models import CallRecord
from calllog.seed import generate_calls, generate_tickets
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqlStore, open_store

END = date(2026, 11, 1)
TOTALS = """
SELECT {group},
       count(*) AS offered,
       count(answered_at) AS answered,
       sum(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandoned,
       sum(CASE WHEN outcome = 'abandoned' AND wait_ms < 5000 THEN 1 ELSE 0 END) AS short_abandons,
       sum(CASE WHEN answered_at IS NOT NULL AND wait_ms <= 30000 THEN 1 ELSE 0 END) AS within_30s,
       sum(CASE WHEN outcome = 'resolved' THEN 1 ELSE 0 END) AS resolved,
       sum(CASE WHEN outcome = 'transferred' THEN 1 ELSE 0 END) AS transferred,
       sum(CASE WHEN outcome = 'callback' THEN 1 ELSE 0 END) AS callbacks,
       avg(wait_ms) AS avg_wait, avg(talk_ms) AS avg_talk, avg(wrapup_ms) AS avg_wrapup
FROM calls WHERE offered_at >= :since AND offered_at < :until GROUP BY {group}
"""
QUERIES = {
    "per queue": TOTALS.format(group="queue"),
    "per agent": TOTALS.format(group="agent_id"),
    "weekday x hour": "SELECT offered_dow, offered_hour, count(*) FROM calls"
    " WHERE offered_at >= :since AND offered_at < :until GROUP BY offered_dow, offered_hour",
    "per day": "SELECT offered_day, count(*), count(answered_at) FROM calls"
    " WHERE offered_at >= :since AND offered_at < :until GROUP BY offered_day",
    "top topics": "SELECT article_id, count(*), sum(CASE WHEN outcome = 'resolved'"
    " THEN 1 ELSE 0 END) FROM call_topics"
    " WHERE offered_at >= :since AND offered_at < :until"
    " GROUP BY article_id ORDER BY count(*) DESC LIMIT 20",
    "kb gaps": "SELECT query, count(*) FROM call_searches WHERE offered_at >= :since"
    " AND offered_at < :until AND hit_count = 0 GROUP BY query ORDER BY count(*) DESC LIMIT 20",
    "p90 wait": "SELECT wait_ms FROM calls WHERE offered_at >= :since AND offered_at < :until"
    " AND answered_at IS NOT NULL ORDER BY wait_ms LIMIT 1 OFFSET (SELECT count(*) * 9 / 10"
    " FROM calls WHERE offered_at >= :since AND offered_at < :until"
    " AND answered_at IS NOT NULL)",
    "callbacks overdue": "SELECT count(*) FROM callbacks WHERE status IN ('open', 'in_progress')"
    " AND due_at < :until",
}


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _query(store: SqlStore, sql: str, since: datetime, until: datetime) -> list[Any]:
    with store._transaction() as cur:  # benchmark only: raw SQL through the store's connection
        params = {"since": store._time_out(since), "until": store._time_out(until)}
        return list(store._exec(cur, sql, params).fetchall())


def _analyze(store: SqlStore) -> None:
    if store.dialect.name == "postgresql":
        conn = store._connection()  # type: ignore[attr-defined]
        for table in ("calls", "call_topics", "call_searches", "callbacks"):
            conn.execute(f"VACUUM ANALYZE {table}")
    else:
        with store._transaction() as cur:
            cur.execute("ANALYZE")


def _report(store: SqlStore, label: str, since: datetime, until: datetime) -> float:
    total = 0.0
    for name, sql in QUERIES.items():
        best = min(_timed(lambda sql=sql: _query(store, sql, since, until))[0] for _ in range(3))
        total += best
        print(f"  {label:<6} {name:<18} {best * 1000:>9.1f} ms")
    print(f"  {label:<6} {'all queries':<18} {total * 1000:>9.1f} ms")
    return total


def _bench(
    backend: str, count: int, month: tuple[datetime, datetime], day: tuple[datetime, datetime]
) -> None:
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
        print(f"{backend}: March 2026 holds {_query(store, count_sql, *month)[0][0]} calls")
        _report(store, "month", *month)
        _report(store, "day", *day)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    month = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    day = (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
    for backend in args.backends.split(","):
        _bench(backend, args.calls, month, day)


if __name__ == "__main__":
    main()
