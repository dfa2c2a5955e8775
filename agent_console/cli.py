"""The `lotse` command: one entry point for agents, editors and supervisors."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from agent_console.config import SettingsError
from agent_console.safe_output import safe_streams

#: Modules under agent_console.commands that contribute subcommands, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "kb",
    "search",
    "telephony",
    "calllog",
    "callbacks",
    "console",
    "supervisor",
    "recorder",
    "wallboard",
)

Handler = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 2 unless given."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser from every available command module."""
    parser = argparse.ArgumentParser(
        prog="lotse",
        description="Lotse: Wissensdatenbank, Telefonie und Anrufprotokoll für das Servicecenter.",
    )
    parser.add_argument("--config", metavar="FILE", help="settings file (TOML)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"agent_console.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"agent_console.commands.{name}":
                continue  # capability not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `lotse`; returns the process exit status. All output passes the terminal-safe rule."""
    with safe_streams():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except CommandError as exc:
        print(f"lotse: {exc}", file=sys.stderr)
        return exc.status
    except SettingsError as exc:
        print(f"lotse: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
