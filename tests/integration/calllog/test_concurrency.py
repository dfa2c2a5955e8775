"""Many workstations at once: 50 concurrent writers lose and duplicate nothing."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

from calllog.models import CallRecord, Outcome, Topic
from calllog.store import open_store
from tests.integration.calllog.conftest import server_alone

WRITERS = 50
PER_WRITER = 12
SHARED = 5
T0 = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


def record(call_id: str, writer: int, n: int) -> CallRecord:
    """A call written by `writer`; shared calls get a version per writer."""
    offered = T0 + timedelta(seconds=n)
    return CallRecord(
        call_id=call_id,
        queue="service115",
        offered_at=offered,
        agent_id=f"agent{writer}",
        answered_at=offered + timedelta(seconds=5),
        ended_at=offered + timedelta(seconds=65),
        outcome=Outcome.RESOLVED,
        topics=(Topic("wohnsitz-anmelden", "99115005000000"), Topic(f"topic-{writer}")),
        updated_at=offered + timedelta(seconds=100 + writer),
    )


def test_fifty_concurrent_writers_lose_and_duplicate_nothing(store_url: str) -> None:
    alone = server_alone() if store_url.startswith("postgresql") else contextlib.nullcontext()
    with alone:  # 50 connections: not at the same moment as another suite's 50
        fifty_writers(store_url)


def fifty_writers(store_url: str) -> None:
    """50 threads write their own and five shared calls; nothing is lost or doubled."""
    setup = open_store(store_url, migrate=True)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            store = open_store(store_url)
            try:
                barrier.wait(timeout=30)
                for n in range(PER_WRITER):
                    store.upsert_call(record(f"w{writer}-{n}", writer, n))
                    store.upsert_call(record(f"shared-{n % SHARED}", writer, n % SHARED))
            finally:
                store.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert setup.count_calls() == WRITERS * PER_WRITER + SHARED
    for writer in range(WRITERS):
        assert setup.get_call(f"w{writer}-3").agent_id == f"agent{writer}"
    last = WRITERS - 1  # newest version of every shared call
    for n in range(SHARED):
        shared = setup.get_call(f"shared-{n}")
        assert shared == record(f"shared-{n}", last, n)
    with setup._transaction() as cur:
        cur.execute("SELECT count(*) FROM call_topics")
        assert cur.fetchone()[0] == 2 * (WRITERS * PER_WRITER + SHARED)
    setup.close()
