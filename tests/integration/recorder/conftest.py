"""Fixtures: a recorder on the PBX under test (simulator or real Asterisk) and a fresh call log.

The PBX fixtures come from the telephony tests (`pbx`, `driver` for the citizens, `bridge`
for the agents' side), the stores from the call-log tests (SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from calllog.exceptions import NotFound
from calllog.models import CallRecord
from calllog.store import SqlStore, open_store
from recorder.service import CallSink, Recorder, RecorderConfig
from telephony.sim import PbxSimulator
from tests.integration.calllog.conftest import pg_url, store_url  # noqa: F401 (fixtures)
from tests.integration.telephony.conftest import (  # noqa: F401 (fixtures)
    FAST,
    Target,
    bridge,
    driver,
)

AGENT_IDS = {"Local/agent1@agents/n": "agent1", "Local/agent2@agents/n": "agent2"}
T = TypeVar("T")


@pytest.fixture
async def pbx(tmp_path: Path) -> AsyncIterator[Target]:
    """The PBX under test; the simulator writes its queue_log to `tmp_path/queue_log`."""
    names = ("LOTSE_TEST_AMI_HOST", "LOTSE_TEST_AMI_PORT", "LOTSE_TEST_AMI_USER")
    if all(os.environ.get(n) for n in (*names, "LOTSE_TEST_AMI_SECRET")):
        host, port, user = (os.environ[n] for n in names)
        yield Target(host, int(port), user, os.environ["LOTSE_TEST_AMI_SECRET"], None)
        return
    sim = PbxSimulator(port=0, seed=115, timing=FAST, queue_log=tmp_path / "queue_log")
    async with sim:
        yield Target("127.0.0.1", sim.port, "agentconsole", "s3cret", sim)


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:  # noqa: F811
    """A fresh, migrated call log (SQLite and PostgreSQL)."""
    opened = open_store(store_url, migrate=True)
    yield opened
    opened.close()


def make_recorder(pbx: Target, calllog: CallSink, **overrides: object) -> Recorder:
    """A recorder on the PBX under test (fast reconnects)."""
    config = RecorderConfig(pbx.config(ping_interval=1.0), AGENT_IDS, **overrides)  # type: ignore[arg-type]
    return Recorder(config, calllog)


@pytest.fixture
async def recorder(pbx: Target, store: SqlStore) -> AsyncIterator[Recorder]:
    """A connected recorder writing to `store`; stopped after the test."""
    rec = make_recorder(pbx, store)
    await rec.start()
    await rec.bridge.wait_connected(10)
    yield rec
    await rec.stop()


async def eventually(probe: Callable[[], T | None], timeout: float = 15.0) -> T:
    """Poll `probe` until it returns something truthy (conditions, never fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


def stored(
    store: SqlStore, call_id: str, check: Callable[[CallRecord], bool]
) -> Callable[[], CallRecord | None]:
    """A probe: the stored call once `check` holds for it."""

    def probe() -> CallRecord | None:
        try:
            record = store.get_call(call_id)
        except NotFound:
            return None
        return record if check(record) else None

    return probe


async def settled(recorder: Recorder, awaitable: Awaitable[object] | None = None) -> None:
    """Let the recorder write everything it has produced."""
    if awaitable is not None:
        await awaitable
    await recorder.wait_idle()
