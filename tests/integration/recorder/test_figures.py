"""The recorder's figures equal what the PBX's queue_log says; writes survive a database outage.

The figures test runs a small shift (answered, abandoned, transferred calls) on the
simulator, or on a real Asterisk when LOTSE_TEST_QUEUE_LOG names its queue_log file.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from calllog.kpi import build_report
from calllog.outbox import BufferedStore
from calllog.reports import Counts, Period
from calllog.store import PostgresStore, SqliteOutbox, SqlStore, open_store
from recorder.importer import import_queue_log
from recorder.queue_log import LogLine, parse_line
from recorder.service import Recorder
from telephony.bridge import AmiBridge
from telephony.calls import CallState
from tests.integration.calllog.conftest import PG_ADMIN_URL
from tests.integration.recorder.conftest import Target, eventually, make_recorder, stored
from tests.integration.telephony.conftest import Driver, call_from, until

AGENT_NAMES = {"Agent 1": "agent1", "Agent 2": "agent2"}


def queue_log_path(pbx: Target, tmp_path: Path) -> Path:
    if pbx.sim is not None:
        return tmp_path / "queue_log"
    found = os.environ.get("LOTSE_TEST_QUEUE_LOG")
    if not found:
        pytest.skip("set LOTSE_TEST_QUEUE_LOG to the real Asterisk's queue_log file")
    return Path(found)


def queue_log_counts(path: Path, call_ids: set[str]) -> Counter[str]:
    """How often each event occurs for these calls, straight from the file."""
    events: Counter[str] = Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, text in enumerate(lines, 1):
        line = parse_line(number, text)
        if isinstance(line, LogLine) and line.callid in call_ids:
            events[line.event] += 1
    return events


def totals(store: SqlStore) -> Counts:
    today = datetime.now(UTC).astimezone(store.zone).date()
    period = Period(today - timedelta(days=1), today)
    return build_report(store, period, now=datetime.now(UTC)).totals


async def answered_call(bridge: AmiBridge, driver: Driver, number: str) -> str:
    await driver.place_call(number, f"Anrufer {number[-2:]}")
    call = await until(bridge, call_from(bridge, number, CallState.CONNECTED))
    await until(bridge, lambda: bridge.tracker.calls[call.call_id].bridged)
    return call.call_id


async def test_the_figures_equal_what_queue_log_says(
    pbx: Target, recorder: Recorder, bridge: AmiBridge, driver: Driver, store: SqlStore,
    tmp_path: Path,
) -> None:  # fmt: skip
    log_path = queue_log_path(pbx, tmp_path)
    ids: list[str] = []
    for n in range(3):  # answered, the caller hangs up
        ids.append(await answered_call(bridge, driver, f"0234200000{n}"))
        await driver.hangup(bridge.tracker.calls[ids[-1]].caller_channel)
    ids.append(await answered_call(bridge, driver, "02342000010"))  # blind transfer
    await bridge.blind_transfer(ids[-1], "2003")
    for agent in ("agent1", "agent2"):
        await bridge.pause(agent, "Besprechung")
    try:
        for n in range(2):  # abandoned in the queue
            await driver.place_call(f"0234200002{n}", "Wartet")
            call = await until(bridge, call_from(bridge, f"0234200002{n}", CallState.QUEUED))
            ids.append(call.call_id)
            await driver.hangup(call.caller_channel)
            await until(bridge, call_from(bridge, f"0234200002{n}", CallState.ABANDONED))
    finally:
        for agent in ("agent1", "agent2"):
            await bridge.unpause(agent)
    transferred = bridge.tracker.calls[ids[3]]
    await driver.hangup(transferred.caller_channel)
    for call_id in ids:
        await eventually(stored(store, call_id, lambda r: r.ended_at is not None))
    await recorder.wait_idle()
    await eventually(lambda: queue_log_counts(log_path, set(ids))["ENTERQUEUE"] == len(ids))

    events = queue_log_counts(log_path, set(ids))
    assert {c.call_id for c in store.list_calls(limit=100)} == set(ids)
    mine = totals(store)
    assert (mine.offered, mine.answered, mine.abandoned) == (
        events["ENTERQUEUE"], events["CONNECT"], events["ABANDON"],
    ) == (6, 4, 2)  # fmt: skip
    assert mine.no_outcome == 4  # nobody wrote a wrap-up

    imported_store = open_store(f"sqlite:///{tmp_path / 'imported.db'}")
    lines = [t for t in log_path.read_text(encoding="utf-8").splitlines(keepends=True)
             if any(f"|{i}|" in t for i in ids)]  # fmt: skip
    (tmp_path / "mine.log").write_text("".join(lines), encoding="utf-8")
    result = import_queue_log(tmp_path / "mine.log", imported_store, AGENT_NAMES.get)
    assert (result.added, result.bad) == (6, ())
    imported = totals(imported_store)
    assert (imported.offered, imported.answered, imported.abandoned) == (6, 4, 2)
    again = import_queue_log(tmp_path / "mine.log", store, AGENT_NAMES.get)
    assert (again.added, again.present) == (0, 6)  # the recorder had them all
    assert totals(store) == mine
    imported_store.close()


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


async def test_records_wait_in_the_outbox_while_postgresql_is_down(
    pbx: Target, bridge: AmiBridge, driver: Driver, pg_url: str, tmp_path: Path
) -> None:
    store = PostgresStore(pg_url, migrate=True, connect_timeout=2)
    store.migrate()
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    rec = make_recorder(pbx, buffered, flush_seconds=0.2)
    await rec.start()
    await rec.bridge.wait_connected(10)
    name = pg_url.rsplit("/", 1)[1]
    _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
    _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        call_id = await answered_call(bridge, driver, "02343000001")
        await driver.hangup(bridge.tracker.calls[call_id].caller_channel)

        def queued_end() -> bool:
            return any(e.payload.get("ended_by") for e in buffered.outbox.entries())

        await eventually(queued_end)
        assert buffered.pending > 0
    finally:
        _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    check = PostgresStore(pg_url)
    record = await eventually(stored(check, call_id, lambda r: r.ended_by is not None))
    assert record.answered_at is not None and check.count_calls() == 1
    await eventually(lambda: buffered.pending == 0)
    await rec.stop()
    check.close()
    buffered.close()
