"""A PBX login that can never succeed: the console says "getrennt", not "verbinde …" for ever."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from agent_console.app import AgentConsoleApp
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.call_bar import CallBar
from calllog.store import SqliteStore
from kb.loader import KnowledgeBase
from search.fake import FakeSearcher
from telephony.bridge import AmiBridge
from telephony.sim import PbxSimulator

from .conftest import AGENT, bridge_for, buffered, calendar, frozen, wait_until


async def test_unsendable_secret_shows_disconnected(
    simulator: PbxSimulator, fixture_kb: KnowledgeBase, store: SqliteStore, tmp_path: Path
) -> None:
    config = replace(bridge_for(simulator).config, secret="s3cret\nAction: Originate")
    services = Services(knowledge=KnowledgeSource(fixture_kb), searcher=FakeSearcher([]),
                        telephony=AmiBridge(config), calllog=buffered(store, tmp_path),
                        calendar=calendar(),
                        clock=frozen)  # fmt: skip
    app = AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.query_one(CallBar)
        await wait_until(pilot, lambda: bar.view.pbx_text == "Telefonanlage getrennt")
        assert app.console_screen.pbx_detail == "control character in AMI header 'Secret' refused"
        assert "Originate" not in simulator.actions_seen
