"""`lotse console` (the agent console on the configured PBX and call log) and `lotse demo`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.commands.calllog import service_calendar
from agent_console.commands.kb import KbReader, preview_index
from agent_console.commands.recorder import recorder_config
from agent_console.commands.telephony import DEMO_WRAPUP_TIME, bridge_config
from agent_console.commands.wallboard import wallboard_server
from agent_console.config import Settings, cache_dir, data_dir
from agent_console.identity import effective_settings
from agent_console.services import KnowledgeSource, Services
from calllog.callbacks import new_ticket
from calllog.exceptions import CallLogError
from calllog.models import CallRecord, Outcome, Topic
from calllog.outbox import open_call_log
from calllog.private_files import private_dir, private_file
from calllog.store import PostgresStore, SqlStore
from kb.lifecycle import agent_view, preview_view
from kb.loader import KnowledgeBase
from recorder.service import Recorder
from search.exceptions import SearchError
from search.searcher import IndexSearcher
from telephony.bridge import AmiBridge
from telephony.fake import FakeTelephony
from telephony.protocol import Telephony
from telephony.sim import PbxSimulator
from wallboard.access import Access
from wallboard.web import WallboardServer

#: The demo's first caller: rings within seconds and has called before.
DEMO_CALLER = ("+4923451234567", "Erika Mustermann")
#: Citizen calls per minute in the demo (two agents share them).
DEMO_RATE = 6.0


def register(subparsers: Any) -> None:
    """Add `console` and `demo`."""
    console = subparsers.add_parser(
        "console", help="Agentenkonsole starten (Telefonanlage und Protokoll laut Einstellungen)"
    )
    console.add_argument("--agent", help="agent id (default: settings agent_id)")
    console.add_argument(
        "--preview",
        action="store_true",
        help="editors: drafts and edits in review, marked; no PBX; broken files named",
    )
    console.set_defaults(handler=_console)
    demo = subparsers.add_parser(
        "demo",
        help="Demo: Agentenkonsole mit eingebauter Telefonanlage, SQLite und Beispiel-KB",
    )
    demo.add_argument("--rate", type=float, default=DEMO_RATE, help="calls per minute")
    demo.set_defaults(handler=_demo)


def build_services(settings: Settings, preview: bool = False) -> Services:
    """Open the KB, the search index, the call log and the PBX bridge the settings name.

    With `preview`, the KB shows drafts and edits in review, marked (an editor's preview),
    with its own search index and no PBX.
    """
    root = settings.kb.root
    if not (root / "articles").is_dir():
        raise CommandError(f"{root}: no knowledge base (articles/ missing)")
    reader = KbReader(preview_view if preview else agent_view)
    knowledge = KnowledgeSource(reader(root), root, reader, editor=preview)
    synonyms = settings.search.synonyms_file or root / "synonyms.yaml"
    index_dir = preview_index(settings.search.index_dir) if preview else settings.search.index_dir
    try:
        searcher = IndexSearcher.open(knowledge.kb, index_dir, synonyms)
    except SearchError as exc:
        raise CommandError(str(exc)) from exc
    for own in (data_dir(), cache_dir()):  # older versions created them 0755
        if own.is_dir():
            private_dir(own, tighten=True)
    cfg = settings.calllog
    try:
        calllog = open_call_log(
            cfg.url, cfg.outbox, cfg.timezone, retention_days=cfg.retention_days
        )
    except CallLogError as exc:
        searcher.close()
        raise CommandError(str(exc)) from exc
    telephony: Telephony = (
        FakeTelephony({"redaktion": "Vorschau/redaktion"}) if preview
        else AmiBridge(bridge_config(settings))
    )  # fmt: skip
    services = Services(
        knowledge=knowledge,
        searcher=searcher,
        telephony=telephony,
        calllog=calllog,
        calendar=service_calendar(settings),
    )
    services.closers += [searcher.close, calllog.close]
    return services


@contextlib.contextmanager
def logs_to_file(path: Path) -> Iterator[None]:
    """While the console owns the terminal, log records go to a file instead of stderr."""
    root = logging.getLogger()
    streams = [h for h in root.handlers if isinstance(h, logging.StreamHandler)
               and not isinstance(h, logging.FileHandler)]  # fmt: skip
    private_file(path)  # messages may quote a caller (0600 in a 0700 folder)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for stream in streams:
        root.removeHandler(stream)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()
        for stream in streams:
            root.addHandler(stream)


def _run(services: Services, settings: Settings) -> int:
    from agent_console.app import AgentConsoleApp

    try:
        with logs_to_file(cache_dir() / "console.log"):
            AgentConsoleApp(services, settings).run()
    finally:
        services.close()
    return 0


def _console(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if args.agent:
        settings = settings.model_copy(update={"agent_id": args.agent})
    services = build_services(settings, preview=args.preview)
    try:
        store = services.calllog.store
        login = store.login if isinstance(store, PostgresStore) else None
        resolved = effective_settings(settings, store, args.agent, offline_login=login)
        if resolved.agent_id not in settings.agents and not args.preview:
            raise CommandError(f"agent {resolved.agent_id!r} is not in the settings' [agents]")
    except BaseException:
        services.close()
        raise
    return _run(services, resolved)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class DemoPbx:
    """The simulator on the console's event loop, with a first caller after a moment."""

    def __init__(self, simulator: PbxSimulator, first_call_after: float = 1.5) -> None:
        self.simulator = simulator
        self.first_call_after = first_call_after
        self._first: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        """Listen and schedule the first call."""
        await self.simulator.start()
        number, name = DEMO_CALLER
        self._first = asyncio.get_running_loop().call_later(
            self.first_call_after, lambda: self.simulator.offer_call(number, name, 120.0)
        )

    async def stop(self) -> None:
        """Stop the simulator and its call generator."""
        if self._first is not None:
            self._first.cancel()
        await self.simulator.stop()


def seed_demo(services: Services, agent_id: str, hours: float) -> None:
    """An earlier call of the first demo caller and one open call-back, so both are visible."""
    now = datetime.now(UTC)
    number, name = DEMO_CALLER
    earlier = now - timedelta(days=3, hours=2)
    services.calllog.upsert_call(
        CallRecord(
            call_id="demo-earlier-1", queue="service115", offered_at=earlier,
            agent_id="agent2", caller_number=number, caller_name=name,
            answered_at=earlier + timedelta(seconds=12),
            ended_at=earlier + timedelta(minutes=4),
            wrapup_end_at=earlier + timedelta(minutes=5), outcome=Outcome.CALLBACK,
            topics=(Topic("personalausweis-beantragen"),), updated_at=earlier,
        )
    )  # fmt: skip
    services.calllog.upsert_callback(
        new_ticket(
            created_at=now - timedelta(hours=20), created_by=agent_id,
            clarify="Ist der alte Ausweis bei Beantragung mitzubringen?",
            calendar=services.calendar, hours=hours, caller_name="Jonas Beispiel",
            number="+4923459876543", topic="personalausweis-beantragen",
        )
    )  # fmt: skip


#: The municipalities' own numbers the simulator's callers dial (telephony.sim.names).
DEMO_NUMBERS = ("1150002", "1150003")
#: Who speaks what in the demo, and where a colleague's transfer reaches each agent.
DEMO_LANGUAGES = {"agent1": ["de", "en"], "agent2": ["de", "tr", "uk"]}
DEMO_EXTENSIONS = {"agent1": "3001", "agent2": "3002"}


def demo_places(settings: Settings, kb: KnowledgeBase) -> Settings:
    """The demo's municipalities and languages, where the settings name none: the
    simulator's numbers are the KB's other towns (by id), the home town is the default,
    agent 2 speaks Turkish and Ukrainian, and both agents can be reached by a colleague."""
    places = settings.municipalities
    if not places.by_number and not places.by_queue:
        towns = sorted(m for m, place in kb.municipalities.items() if not place.home)
        places = places.model_copy(update={
            "by_number": dict(zip(DEMO_NUMBERS, towns, strict=False)),
            "default": places.default or kb.home_municipality,
        })  # fmt: skip
    languages = settings.languages
    if not languages.agents:
        languages = languages.model_copy(update={"agents": DEMO_LANGUAGES})
    agents = {
        agent_id: who if who.extension or agent_id not in DEMO_EXTENSIONS
        else who.model_copy(update={"extension": DEMO_EXTENSIONS[agent_id]})
        for agent_id, who in settings.agents.items()
    }  # fmt: skip
    return settings.model_copy(
        update={"municipalities": places, "languages": languages, "agents": agents}
    )


def demo_wallboard(recorder: Recorder, store: SqlStore, settings: Settings) -> WallboardServer:
    """The demo's wallboard on localhost: the recorder's live board and the demo's call log
    (the configured port when it is free, else any free one)."""
    port = settings.wallboard.port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:  # someone listens there already
            port = free_port()
    access = Access.for_server("127.0.0.1", None)
    return wallboard_server(recorder, store, settings, "127.0.0.1", port, access)


def _demo(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if args.rate < 0:
        raise CommandError("--rate must not be negative")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lotse-demo-") as tmp:
        pbx = settings.pbx.model_copy(update={"port": port, "host": "127.0.0.1"})
        calllog = settings.calllog.model_copy(
            update={"url": f"sqlite:///{Path(tmp) / 'calls.db'}", "outbox": Path(tmp) / "outbox.db"}
        )
        every = settings.survey.every_nth_call or 3  # the demo shows the caller survey
        survey = settings.survey.model_copy(update={"every_nth_call": every})
        settings = settings.model_copy(
            update={"pbx": pbx, "calllog": calllog, "agent_id": "agent1", "survey": survey}
        )
        services = build_services(settings)
        settings = demo_places(settings, services.knowledge.kb)
        # Every office of the KB answers in the demo, not only the reference dialplan's three,
        # and so do the agents' own extensions (a transfer to a colleague).
        offices = services.knowledge.kb.offices.values()
        departments = {office.transfer_target: office.name for office in offices}
        departments |= {a.extension: a.name for a in settings.agents.values() if a.extension}
        simulator = PbxSimulator(
            "127.0.0.1", port, pbx.username, pbx.secret.get_secret_value(), agents=2,
            rate_per_minute=args.rate, wrapup_time=DEMO_WRAPUP_TIME, departments=departments,
        )  # fmt: skip
        # The recorder follows the simulator in-process, so the demo's figures are the PBX's.
        config = replace(recorder_config(settings), drain_seconds=2.0, state_path=None)
        recorder = Recorder(config, services.calllog)
        store = services.calllog.store
        assert isinstance(store, SqlStore)  # open_call_log's store
        wall = demo_wallboard(recorder, store, settings)
        services.background = [DemoPbx(simulator), recorder, wall]
        seed_demo(services, "agent1", settings.calllog.callback_hours)
        print(f"Wallboard der Demo im Browser: {wall.url}", flush=True)
        return _run(services, settings)
