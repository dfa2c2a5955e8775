"""Retention purge: what wiping the old bytes costs on top of removing the personal data.

Seeds N synthetic calls over a year into two fresh databases per backend, then purges
everything older than 90 days: once as Lotse does (the SQL, then SQLite's incremental
vacuum and WAL truncation, or PostgreSQL's VACUUM FULL of the changed tables) and once
with the wipe skipped (the baseline: only the SQL). Reports both times, their ratio and,
on SQLite, the file size before and after.

    .venv/bin/python bench/calllog_purge.py [--calls 200000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from calllog_common import scratch_url

from calllog.seed import generate_calls
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqlStore, open_store

END = date(2026, 11, 21)


def _seeded(url: str, calls: int) -> SqlStore:
    calendar = ServiceCalendar(holidays=state_holidays("NW"))
    store = open_store(url, migrate=True)
    store.bulk_insert(generate_calls(calls, end=END, days=365, calendar=calendar, seed=115))
    return store


def _size(url: str) -> int:
    if not url.startswith("sqlite"):
        return 0
    path = Path(url[len("sqlite:///") :])
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def _purge(url: str, calls: int, wipe: bool) -> tuple[float, int, int, int]:
    """(seconds, calls purged, bytes before, bytes after) of one purge."""
    store = _seeded(url, calls)
    if not wipe:
        store._wipe = lambda tables: True  # type: ignore[method-assign]
    now = datetime.combine(END, datetime.min.time(), UTC)
    before = _size(url)
    start = time.perf_counter()
    result = store.purge(now - timedelta(days=90), now=now, by="bench")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, result.calls, before, _size(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        with scratch_url(backend) as plain_url:
            plain, purged, _, _ = _purge(plain_url, args.calls, wipe=False)
        with scratch_url(backend) as wiped_url:
            full, _, before, after = _purge(wiped_url, args.calls, wipe=True)
        sizes = f"; file {before / 1e6:.0f} MB -> {after / 1e6:.0f} MB" if before else ""
        print(f"{backend}: {args.calls} calls, {purged} purged; SQL only {plain:.2f} s, "
              f"with wipe {full:.2f} s ({full / plain:.1f}x){sizes}")  # fmt: skip


if __name__ == "__main__":
    main()
