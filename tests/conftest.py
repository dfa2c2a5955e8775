"""Shared test helpers: a private environment per run; resources that must be present under CI."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

#: The repository root.
ROOT = Path(__file__).resolve().parent.parent
#: The read-only material (DLDB export, coverage list): beside the checkout, or where
#: LOTSE_TEST_SHARED points (a clone elsewhere, e.g. a CI workspace).
SHARED = Path(os.environ.get("LOTSE_TEST_SHARED") or ROOT.parent / "shared")
#: The per-user folders the code finds through platformdirs (index, call log, drafts).
XDG_FOLDERS = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
#: LOTSE_ variables that configure the tests themselves (a real PBX, a browser, a queue_log).
TEST_PREFIX = "LOTSE_TEST_"

_private: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Give this run its own data, cache and config folders and drop the user's LOTSE_ settings.

    Two suites on one machine then never share a search index, a call log, drafts or settings,
    and a developer's own environment cannot change what a test sees.
    """
    home = Path(tempfile.mkdtemp(prefix="lotse-tests-"))
    _private.append(home)
    for name in XDG_FOLDERS:
        folder = home / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        folder.mkdir()
        os.environ[name] = str(folder)
    for name in [n for n in os.environ if n.startswith("LOTSE_")]:
        if not name.startswith(TEST_PREFIX):
            del os.environ[name]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's private folders."""
    while _private:
        shutil.rmtree(_private.pop(), ignore_errors=True)


def under_ci() -> bool:
    """True when running in CI, where no resource-dependent test may skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_unless_ci(reason: str) -> None:
    """Skip locally when a resource is missing; fail under CI, where it must be there."""
    if under_ci():
        pytest.fail(f"required under CI but unavailable: {reason}")
    pytest.skip(reason)
