"""Call-log insert throughput: one writer vs. 50 concurrent writers, on SQLite and PostgreSQL.

Every write is the real path (`upsert_call`: one transaction with topics and searches).
The 50-writer figure is reported as a ratio to the single writer measured in the same run.

    .venv/bin/python bench/calllog_insert.py [--calls 2000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import replace
from datetime import date

from calllog_common import scratch_url

from calllog.models import CallRecord
from calllog.seed import generate_calls
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import open_store


def _records(count: int) -> list[CallRecord]:
    calendar = ServiceCalendar(holidays=state_holidays("NW"))
    return list(generate_calls(count, end=date(2026, 11, 21), days=30, calendar=calendar))


def _run(url: str, records: list[CallRecord], writers: int) -> float:
    """Write `records` split over `writers` threads (one connection each); returns calls/s."""
    stores = [open_store(url) for _ in range(writers)]
    barrier = threading.Barrier(writers + 1)

    def write(index: int) -> None:
        store = stores[index]
        barrier.wait()
        for record in records[index::writers]:
            store.upsert_call(record)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    written = stores[0].count_calls()
    for store in stores:
        store.close()
    assert written == len(records), f"expected {len(records)} calls, found {written}"
    return len(records) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    records = _records(args.calls)
    print(f"{'backend':<11} {'writers':>7} {'calls':>6} {'calls/s':>9} {'vs 1 writer':>12}")
    for backend in args.backends.split(","):
        baseline = None
        for writers in (1, 50):
            batch = [replace(r, call_id=f"w{writers}-{r.call_id}") for r in records]
            with scratch_url(backend) as url:
                open_store(url, migrate=True).close()
                rate = _run(url, batch, writers)
            baseline = baseline or rate
            print(
                f"{backend:<11} {writers:>7} {len(batch):>6} {rate:>9.0f} {rate / baseline:>11.2f}x"
            )


if __name__ == "__main__":
    main()
