"""Subcommands of `lotse`, one module per capability; each exposes `register(subparsers)`."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from agent_console.config import Settings, load_settings
from calllog.reports import check_day


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings of `--config FILE` (or the defaults) with LOTSE_ variables applied.

    A bad file or value raises config.SettingsError, which `lotse` prints as one line.
    """
    return load_settings(Path(args.config) if args.config else None)


def day_arg(text: str) -> date:
    """argparse type: a date `YYYY-MM-DD` between calllog.reports.FIRST_DAY and LAST_DAY."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    _supported(day)
    return day


def moment_arg(text: str) -> datetime:
    """argparse type: an ISO moment within the same days; local time when no offset is given."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date and time: {text!r}") from None
    _supported(moment.date())
    return moment if moment.tzinfo is not None else moment.astimezone()


def _supported(day: date) -> None:
    try:
        check_day(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
