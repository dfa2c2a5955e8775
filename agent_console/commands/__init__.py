"""Subcommands of `lotse`, one module per capability; each exposes `register(subparsers)`."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent_console.config import Settings, load_settings


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings of `--config FILE` (or the defaults) with LOTSE_ variables applied.

    A bad file or value raises config.SettingsError, which `lotse` prints as one line.
    """
    return load_settings(Path(args.config) if args.config else None)
