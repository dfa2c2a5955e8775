"""`lotse wallboard`: the centre's live figures as a web page for the wall screen, and as JSON."""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from agent_console.commands.recorder import _log_to_stderr, agent_ids
from agent_console.commands.supervisor import targets_for
from agent_console.commands.telephony import bridge_config
from agent_console.config import Settings
from calllog.exceptions import CallLogError, StoreError
from calllog.store import SqlStore, open_store
from wallboard.access import Access, AccessError
from wallboard.follower import LiveFollower
from wallboard.hub import HubTiming, LiveSource, WallboardHub
from wallboard.today import TodayReader
from wallboard.web import WallboardServer


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {port}")
    return port


def register(subparsers: Any) -> None:
    """Add `wallboard`."""
    parser = subparsers.add_parser(
        "wallboard",
        help="Wallboard für den Bildschirm an der Wand (Webseite und JSON)",
        description="Serve one web page for the wall screen (callers waiting and agents live "
        "from the PBX, today's figures from the call log) and the same figures as JSON, "
        "until SIGTERM or Ctrl-C.",
    )
    parser.add_argument("--host", help="address to listen on (default: wallboard.host, 127.0.0.1)")
    parser.add_argument(
        "--port", type=_port, help="TCP port (default: wallboard.port, 8115; 0: any free port)"
    )
    parser.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    parser.set_defaults(handler=run_wallboard)


def access_for(settings: Settings, host: str) -> Access:
    """Who may look, from the settings' token; CommandError when it would be unsafe."""
    secret = settings.wallboard.token
    try:
        return Access.for_server(host, secret.get_secret_value() if secret else None)
    except AccessError as exc:
        raise CommandError(str(exc)) from exc


def wallboard_server(
    live: LiveSource, store: SqlStore, settings: Settings, host: str, port: int, access: Access
) -> WallboardServer:
    """The hub over `live` and today's figures of `store`, and its web server."""
    hub = WallboardHub(
        live,
        TodayReader(store, targets_for(settings)),
        ZoneInfo(settings.calllog.timezone),
        timing=HubTiming(refresh_seconds=settings.supervisor.refresh_seconds),
    )
    return WallboardServer(hub, host, port, access)


def _check_login(store: SqlStore) -> None:
    """A wall shows the whole centre: an agent's login would see only its own calls."""
    try:
        role = store.access().role
    except StoreError:
        return  # the database is down: the wall says so and reads once it is back
    if role not in (None, "supervisor", "admin"):
        raise CommandError(
            f"the wallboard shows every agent's figures: connect with a supervisor's login,"
            f" not one with the role {role!r} (lotse db user add wallboard --role supervisor)"
        )


def run_wallboard(args: argparse.Namespace) -> int:
    """Serve the wallboard until SIGTERM or Ctrl-C."""
    settings = settings_for(args)
    host = args.host or settings.wallboard.host
    port = settings.wallboard.port if args.port is None else args.port
    access = access_for(settings, host)
    _log_to_stderr(args.verbose)
    try:
        store = open_store(args.db or settings.calllog.url, zone=settings.calllog.timezone)
    except CallLogError as exc:
        raise CommandError(str(exc)) from exc
    try:
        _check_login(store)
        follower = LiveFollower(
            bridge_config(settings),
            agent_ids(settings),
            settings.recorder.queues or [settings.pbx.queue],
        )
        server = wallboard_server(follower, store, settings, host, port, access)
        asyncio.run(serve(follower, server))
    finally:
        store.close()
    return 0


async def serve(follower: LiveFollower, server: WallboardServer) -> None:
    """Follow the PBX and serve until SIGTERM or SIGINT, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await follower.start()
    try:
        try:
            await server.start()
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {server.host}:{server.port}: {exc.strerror or exc}"
            ) from None
        print(f"Wallboard: {server.url}", flush=True)
        try:
            await stop.wait()
        finally:
            await server.stop()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await follower.stop()
