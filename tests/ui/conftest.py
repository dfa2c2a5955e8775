"""UI test fixtures: a frozen clock, the small fixture KB, a call log, fake or simulated PBX."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from agent_console.app import AgentConsoleApp
from agent_console.config import BUNDLED_KB
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from calllog.outbox import BufferedStore
from calllog.service_hours import ServiceCalendar, state_holidays
from calllog.store import SqliteOutbox, SqliteStore
from kb.loader import KnowledgeBase, load
from search.analysis import fold, stem
from search.fake import FakeSearcher
from search.protocol import Hit
from search.searcher import IndexSearcher
from telephony.bridge import AgentIdentity, AmiBridge, BridgeConfig
from telephony.fake import FakeTelephony
from telephony.sim import PbxSimulator, Timing

#: Tuesday 24 November 2026, 10:00 in Berlin: offices are open, call-backs due on Thursday.
FROZEN = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
FIXTURE_KB = Path(__file__).parent / "kb"
AGENT = "Local/agent1@agents/n"
FAST = Timing(agent_answer=0.2, department_answer=0.2, bridge_settle=0.05)


def frozen() -> datetime:
    """The frozen clock."""
    return FROZEN


class HighlightingFakeSearcher(FakeSearcher):
    """FakeSearcher whose hits carry matched terms (stems of the query words) for highlights."""

    def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
        """Substring hits with the query's stems as matched terms."""
        terms = tuple(stem(w) for w in fold(text).split())
        return [
            Hit(h.id, h.title, h.score, h.matched_fields, terms, municipality=municipality)
            for h in super().search(text, limit, municipality)
        ]


def calendar() -> ServiceCalendar:
    """Mon-Fri 8-18 in Berlin with NRW holidays."""
    return ServiceCalendar(holidays=state_holidays("NW"))


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float = 30.0
) -> None:
    """Let the app run until `condition()` is true; fails after `timeout` seconds.

    The limit only ends a test that would hang: a busy CI machine may need many seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    """The three-article fixture KB (stable for snapshots)."""
    return load(FIXTURE_KB)


@pytest.fixture(scope="session")
def bundled_kb() -> KnowledgeBase:
    """The sample KB."""
    return load(BUNDLED_KB)


@pytest.fixture(scope="session")
def real_searcher(
    bundled_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndexSearcher]:
    """The real searcher over the sample KB (index built once per session)."""
    searcher = IndexSearcher.open(
        bundled_kb, tmp_path_factory.mktemp("index"), BUNDLED_KB / "synonyms.yaml"
    )
    yield searcher
    searcher.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A fresh SQLite call log."""
    opened = SqliteStore(tmp_path / "calls.db")
    yield opened
    opened.close()


def buffered(store: SqliteStore, folder: Path) -> BufferedStore:
    """The store behind an outbox in `folder`, as the console gets it."""
    return BufferedStore(store, SqliteOutbox(folder / "outbox.db"))


@pytest.fixture
def fake_services(fixture_kb: KnowledgeBase, store: SqliteStore, tmp_path: Path) -> Services:
    """Fixture KB, fake searcher, fake PBX, SQLite, frozen clock."""
    titles = [(a.id, a.title) for a in fixture_kb.articles.values()]
    return Services(
        knowledge=KnowledgeSource(fixture_kb),
        searcher=HighlightingFakeSearcher(titles, {"persnalausweis": "personalausweis"}),
        telephony=FakeTelephony(),
        calllog=buffered(store, tmp_path),
        calendar=calendar(),
        clock=frozen,
    )


@pytest.fixture
def drafts_dir(tmp_path: Path) -> Path:
    """Where the console keeps unsaved wrap-ups in a test."""
    return tmp_path / "drafts"


@pytest.fixture
def fake_app(fake_services: Services, drafts_dir: Path) -> AgentConsoleApp:
    """The console on fakes."""
    return AgentConsoleApp(
        fake_services, ConsoleOptions(interfaces=(AGENT,), drafts_dir=drafts_dir)
    )


@pytest.fixture
async def simulator() -> AsyncIterator[PbxSimulator]:
    """The built-in PBX with one agent (agent1), fast timings, no generated calls."""
    async with PbxSimulator(port=0, agents=1, timing=FAST) as sim:
        yield sim


def bridge_for(sim: PbxSimulator) -> AmiBridge:
    """A bridge to the simulator that notices a lost PBX quickly."""
    config = BridgeConfig(
        host="127.0.0.1",
        port=sim.port,
        username="agentconsole",
        secret="s3cret",
        agents={"agent1": AgentIdentity((AGENT,))},
        ping_interval=1.0,
        ping_timeout=1.0,
        backoff_initial=0.05,
        backoff_max=0.3,
        survey_context="lotse-survey",
    )
    return AmiBridge(config)


@pytest.fixture
def sim_app(
    simulator: PbxSimulator,
    bundled_kb: KnowledgeBase,
    real_searcher: IndexSearcher,
    store: SqliteStore,
    tmp_path: Path,
    drafts_dir: Path,
) -> AgentConsoleApp:
    """The console on the simulator, the sample KB, the real searcher and SQLite."""
    services = Services(
        knowledge=KnowledgeSource(bundled_kb),
        searcher=real_searcher,
        telephony=bridge_for(simulator),
        calllog=buffered(store, tmp_path),
        calendar=calendar(),
        clock=frozen,
    )
    return AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,), drafts_dir=drafts_dir))


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture KB."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target
