"""Shared test helpers: resources that may be absent locally but must be present under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The repository root.
ROOT = Path(__file__).resolve().parent.parent
#: The read-only material beside the checkout (traces, DLDB export).
SHARED = ROOT.parent / "shared"


def under_ci() -> bool:
    """True when running in CI, where no resource-dependent test may skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_unless_ci(reason: str) -> None:
    """Skip locally when a resource is missing; fail under CI, where it must be there."""
    if under_ci():
        pytest.fail(f"required under CI but unavailable: {reason}")
    pytest.skip(reason)
