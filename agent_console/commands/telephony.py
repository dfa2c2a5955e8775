"""`lotse pbx-sim` (the built-in PBX simulator) and `lotse pbx-monitor` (watch the live PBX)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from pathlib import Path
from typing import Any

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.config import Settings
from kb.safe_text import terminal_safe
from telephony.bridge import AgentIdentity, AmiBridge, BridgeConfig
from telephony.protocol import AgentChanged, CallChanged, ConnectionChanged
from telephony.sim import DEPARTMENTS, PbxSimulator

#: The queue's wrapuptime the simulator uses by default (seconds), as in the deployment guide.
DEMO_WRAPUP_TIME = 5.0


def register(subparsers: Any) -> None:
    """Add `pbx-sim` and `pbx-monitor`."""
    sim = subparsers.add_parser(
        "pbx-sim",
        help="eingebaute Telefonanlage (Simulator) starten – für Demo und Schulung",
        description="Run the built-in PBX simulator: an AMI server speaking Asterisk 22's "
        "protocol for the reference dialplan, generating citizen calls.",
    )
    sim.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    sim.add_argument("--port", type=int, default=5038, help="AMI port (default 5038)")
    sim.add_argument("--rate", type=float, default=2.0, help="citizen calls per minute (0: none)")
    sim.add_argument("--seed", type=int, help="seed for names, numbers and arrival times")
    sim.add_argument("--agents", type=int, default=2, help="queue members agent1..agentN")
    sim.add_argument(
        "--silent-department",
        action="append",
        default=[],
        metavar="EXTEN",
        help="training: this department (2001-2003) rings but never answers (repeatable)",
    )
    sim.add_argument(
        "--max-wait",
        type=float,
        default=0.0,
        metavar="S",
        help="training: generated callers hang up after at most S seconds in the queue",
    )
    sim.add_argument(
        "--queue-log",
        metavar="PATH",
        help="append Asterisk's queue accounting (queue_log format) to this file",
    )
    sim.add_argument(
        "--wrapup-time",
        type=float,
        default=DEMO_WRAPUP_TIME,
        metavar="S",
        help="the queue's wrapuptime: no queue call for S seconds after one "
        f"(default {DEMO_WRAPUP_TIME:g}, as docs/deployment-asterisk.md recommends)",
    )
    sim.set_defaults(handler=run_simulator)
    mon = subparsers.add_parser(
        "pbx-monitor",
        help="Verbindung zur Telefonanlage prüfen und Anrufe/Agenten live anzeigen",
        description="Connect to the configured PBX as the console does and print every update.",
    )
    mon.add_argument("--seconds", type=float, default=0.0, help="stop after N s (0: Ctrl-C)")
    mon.set_defaults(handler=run_monitor)


def bridge_config(settings: Settings) -> BridgeConfig:
    """Map the settings onto the bridge's plain configuration."""
    pbx = settings.pbx
    agents = {
        agent_id: AgentIdentity(tuple(a.interfaces), tuple(a.queues))
        for agent_id, a in settings.agents.items()
    }
    return BridgeConfig(
        host=pbx.host,
        port=pbx.port,
        username=pbx.username,
        secret=pbx.secret.get_secret_value(),
        queue=pbx.queue,
        agents=agents,
        transfer_context=pbx.transfer_context,
        callback_context=pbx.callback_context,
        event_mask=pbx.event_mask,
        action_timeout=pbx.action_timeout,
        ping_interval=pbx.ping_interval,
        wrapup_reason=pbx.wrapup_reason,
        survey_context=settings.survey.context,
        survey_exten=settings.survey.extension,
    )


def run_simulator(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    if not 0 <= args.port <= 65535:
        raise CommandError(f"ungültiger Port {args.port}")
    if args.rate < 0 or not 1 <= args.agents <= 99:
        raise CommandError("--rate muss ≥ 0 sein, --agents zwischen 1 und 99")
    if args.wrapup_time < 0:
        raise CommandError("--wrapup-time muss ≥ 0 sein")
    unknown = sorted(set(args.silent_department) - set(DEPARTMENTS))
    if unknown:
        raise CommandError(f"unbekannte Abteilung {', '.join(unknown)} (2001, 2002 oder 2003)")
    settings = settings_for(args)
    simulator = PbxSimulator(
        args.host,
        args.port,
        settings.pbx.username,
        settings.pbx.secret.get_secret_value(),
        agents=args.agents,
        rate_per_minute=args.rate,
        seed=args.seed,
        max_wait=args.max_wait or None,
        queue_log=Path(args.queue_log) if args.queue_log else None,
        wrapup_time=args.wrapup_time,
    )
    for exten in args.silent_department:
        simulator.department_does_not_answer(exten)

    async def serve() -> None:
        try:
            await simulator.start()
        except OSError as exc:
            raise CommandError(f"{args.host}:{args.port} nicht verfügbar: {exc.strerror}") from None
        print(
            f"PBX-Simulator auf {args.host}:{simulator.port}, {args.agents} Agenten, "
            f"{args.rate:g} Anrufe/Minute (Strg-C beendet)",
            flush=True,
        )
        try:
            await asyncio.Event().wait()
        finally:
            await simulator.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


def run_monitor(args: argparse.Namespace) -> int:
    """Print connection, call and agent updates until Ctrl-C or --seconds."""
    bridge = AmiBridge(bridge_config(settings_for(args)))

    async def watch() -> None:
        stream = bridge.updates()
        await bridge.start()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(args.seconds or None):
                async for update in stream:
                    print(_describe(update), flush=True)
        await bridge.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(watch())
    return 0


def _describe(update: object) -> str:
    """One line per update; the PBX's text (caller names are chosen by callers) terminal-safe."""
    return terminal_safe(_line(update))


def _line(update: object) -> str:
    if isinstance(update, ConnectionChanged):
        return f"Verbindung: {update.state} {update.detail}".rstrip()
    if isinstance(update, CallChanged):
        c = update.call
        extra = f" -> {c.transfer_target}" if c.transfer_target else ""
        dialled = f" an {c.dialled}" if c.dialled else ""
        language = f" [{c.language}]" if c.language else ""
        who = f"{c.caller_name} <{c.caller_number}>{dialled}{language}"
        return f"Anruf {c.call_id}: {c.state} {who}{extra}"
    if isinstance(update, AgentChanged):
        a = update.agent
        reason = f" ({a.pause_reason})" if a.pause_reason else ""
        return f"Agent {a.name or a.interface}: {a.state}{reason}"
    return repr(update)
