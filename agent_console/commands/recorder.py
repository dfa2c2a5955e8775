"""`lotse recorder`: every queue call to the call log, headless; `--import-queue-log` fills gaps."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.commands.calllog import store_from_args
from agent_console.commands.telephony import bridge_config
from agent_console.config import Settings
from calllog.exceptions import CallLogError
from calllog.outbox import open_call_log
from recorder.importer import import_queue_log
from recorder.service import Recorder, RecorderConfig


def register(subparsers: Any) -> None:
    """Add `recorder`."""
    parser = subparsers.add_parser(
        "recorder",
        help="Anrufe der Telefonanlage ins Protokoll schreiben (Dienst, ohne Oberfläche)",
        description="Follow the configured PBX over AMI (read-only) and write every queue "
        "call to the call log until SIGTERM or Ctrl-C; or import Asterisk's queue_log.",
    )
    parser.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    parser.add_argument(
        "--import-queue-log",
        metavar="PATH",
        help="add the calls of an Asterisk queue_log file the call log is missing, then exit",
    )
    parser.set_defaults(handler=run_recorder)


def agent_ids(settings: Settings) -> dict[str, str]:
    """Queue member interface -> agent id, from `[agents]`."""
    return {iface: agent_id for agent_id, a in settings.agents.items() for iface in a.interfaces}


def agent_names(settings: Settings) -> dict[str, str]:
    """What queue_log may put in its agent field (member name or interface) -> agent id."""
    names = {a.name: agent_id for agent_id, a in settings.agents.items() if a.name}
    return {**names, **agent_ids(settings), **{i: i for i in settings.agents}}


def recorder_config(settings: Settings) -> RecorderConfig:
    """The recorder's plain configuration from the settings."""
    return RecorderConfig(
        bridge=bridge_config(settings),
        agent_ids=agent_ids(settings),
        queues=tuple(settings.recorder.queues),
        state_path=settings.recorder.state,
        routing=settings.municipalities.routing(settings.languages),
    )


def _log_to_stderr(verbose: bool) -> None:
    """Info to stderr; without timestamps under systemd, whose journal adds its own."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stamp = "" if os.environ.get("JOURNAL_STREAM") else "%(asctime)s "
    for handler in root.handlers:
        handler.setFormatter(logging.Formatter(stamp + "%(levelname)s %(name)s: %(message)s"))


def run_recorder(args: argparse.Namespace) -> int:
    """Import a queue_log (exit 1 when lines were skipped), or record until SIGTERM / Ctrl-C."""
    settings = settings_for(args)
    if args.import_queue_log:
        return _import(args, settings)
    _log_to_stderr(args.verbose)
    url = args.db or settings.calllog.url
    try:
        calllog = open_call_log(
            url, settings.recorder.outbox, settings.calllog.timezone,
            retention_days=settings.calllog.retention_days,
        )  # fmt: skip
    except CallLogError as exc:
        raise CommandError(str(exc)) from exc
    try:
        asyncio.run(serve(Recorder(recorder_config(settings), calllog)))
    finally:
        calllog.close()
    return 0


async def serve(recorder: Recorder) -> None:
    """Run a recorder until SIGTERM or SIGINT, then stop it cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await recorder.start()
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await recorder.stop()


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.import_queue_log)
    names = agent_names(settings)
    with store_from_args(args, settings) as store:
        try:
            result = import_queue_log(
                path, store, lambda agent: names.get(agent, agent or None), settings.survey.context
            )
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    for bad in result.bad:
        print(f"{path}:{bad.number}: skipped: {bad.reason}", file=sys.stderr)
    print(
        f"{result.added} Anrufe hinzugefügt, {result.present} bereits vorhanden"
        f" (davon {result.completed} ergänzt), {len(result.bad)} fehlerhafte Zeilen übersprungen"
    )
    if result.reentries:
        print(
            f"{result.reentries} erneute Eintritte in eine Warteschlange nicht gezählt"
            " (je Anruf zählt der erste)"
        )
    return 1 if result.bad else 0
