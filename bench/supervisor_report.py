"""Supervisor figures over a large call log: `lotse report`'s month and the live screen's refresh.

Seeds N synthetic calls over a year (or reuses `--db URL`), then times `calllog.kpi.build_report`
(the exact code behind `lotse report` and `lotse supervisor`) for the busiest month (March
2026), for one week and for one day (the live screen's default period, re-queried every few
seconds), each best of 3, plus each part of the month report. Baseline in the same run: the
day report.

    .venv/bin/python bench/supervisor_report.py --calls 1000000 [--backends sqlite,postgresql]
    .venv/bin/python bench/supervisor_report.py --calls 3000000 --backends postgresql --keep
    .venv/bin/python bench/supervisor_report.py --db postgresql://postgres@127.0.0.1/NAME
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from calllog_common import create_pg_database, scratch_url

from calllog import kpi_comparison
from calllog.kpi import ReportQuery, build_report
from calllog.models import CallRecord
from calllog.reports import Period, Targets
from calllog.seed import generate_calls, generate_tickets
from calllog.seed_staffed import answered_into, generate_staffed
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqlStore, open_store

END = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PERIODS = {
    "month": Period(date(2026, 3, 1), date(2026, 3, 31)),
    "week": Period(date(2026, 3, 2), date(2026, 3, 8)),
    "day (live)": Period(date(2026, 3, 2), date(2026, 3, 2)),
}


def _best(action: Callable[[], Any], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _seed(store: SqlStore, count: int) -> None:
    calendar = ServiceCalendar(holidays=state_holidays("NW"))
    promised: list[CallRecord] = []
    taken: list[CallRecord] = []  # answered: the agents' staffed time around them
    start = time.perf_counter()
    calls = generate_calls(count, end=END, days=365, calendar=calendar, promised=promised)
    written = store.bulk_insert(answered_into(calls, taken))
    store.bulk_insert_callbacks(generate_tickets(promised, calendar=calendar, now=NOW))
    seconds = time.perf_counter() - start
    print(f"  seeded {written} calls in {seconds:.0f} s ({written / seconds:.0f}/s)")
    start = time.perf_counter()
    rows = store.bulk_insert_staffed(generate_staffed(taken, zone=ZoneInfo("Europe/Berlin")))
    print(f"  seeded {rows} rows of staffed time in {time.perf_counter() - start:.0f} s")
    store.analyze()


def _parts(store: SqlStore) -> None:
    parts: dict[str, Callable[[ReportQuery], Any]] = {
        "totals + p90": lambda q: q.groups(False),
        "+ queues, agents": lambda q: q.groups(True),
        "transfer targets": lambda q: q.ranked("transferred"),
        "callbacks": ReportQuery.callbacks,
        "topics": ReportQuery.topics,
        "kb gaps": ReportQuery.searches,
        "heat map": ReportQuery.heatmap,
        "trend": ReportQuery.trend,
        "satisfaction": kpi_comparison.satisfaction,
        "rating grid": kpi_comparison.rating_cells,
        "staffed time": kpi_comparison.staffed,
    }
    for name, part in parts.items():

        def run(part: Callable[[ReportQuery], Any] = part) -> None:
            with store.read() as read:
                part(ReportQuery(read, PERIODS["month"], Targets(), None, NOW))

        print(f"    month part {name:<17} {_best(run) * 1000:>8.1f} ms")


def bench(store: SqlStore, label: str) -> None:
    """Time the reports on one seeded store."""
    print(f"{label}: {store.count_calls()} calls")
    month = build_report(store, PERIODS["month"], now=NOW)
    print(f"  month holds {month.totals.offered} calls")
    times = {
        name: _best(lambda period=period: build_report(store, period, now=NOW))
        for name, period in PERIODS.items()
    }
    agent = _best(
        lambda: build_report(
            store, PERIODS["day (live)"], now=NOW, agent_id="agent7", breakdowns=False
        )
    )
    base = times["day (live)"]
    for name, seconds in times.items():
        print(f"  {name:<12} {seconds * 1000:>9.1f} ms  ({seconds / base:.1f}x the day)")
    print(f"  {'day, agent':<12} {agent * 1000:>9.1f} ms  ({agent / base:.1f}x the day)")
    _parts(store)


@contextlib.contextmanager
def _target(backend: str, keep: bool) -> Iterator[str]:
    """A scratch database, or with `keep` a new one that stays for later `--db` runs."""
    if not keep:
        with scratch_url(backend) as url:
            yield url
        return
    name = f"lotse_bench_supervisor_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        yield f"sqlite:///{Path(tempfile.gettempdir()) / name}.db"
        return
    yield create_pg_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--db", help="time an already seeded store instead of seeding")
    parser.add_argument("--keep", action="store_true", help="seed into a kept database (printed)")
    args = parser.parse_args()
    if args.db:
        store = open_store(args.db)
        bench(store, args.db)
        store.close()
        return
    for backend in args.backends.split(","):
        with _target(backend, args.keep) as url:
            store = open_store(url, migrate=True)
            print(f"{backend}:" + (f" {url} (kept)" if args.keep else ""))
            _seed(store, args.calls)
            bench(store, backend)
            store.close()


if __name__ == "__main__":
    main()
