"""Helpers for the telephony unit tests: the recorded traces under tests/fixtures/ami/."""

from __future__ import annotations

from pathlib import Path

import pytest

from telephony.events import AmiEvent
from telephony.parse import Frame, read_trace, to_event

TRACES = Path(__file__).resolve().parents[2] / "fixtures" / "ami"


def trace_frames(name: str) -> list[Frame]:
    """Every frame of a recorded trace, in wire order."""
    _, frames = read_trace((TRACES / f"{name}.ami").read_bytes())
    return frames


def trace_events(name: str) -> list[AmiEvent]:
    """Every event of a recorded trace as typed events, in wire order."""
    return [to_event(f) for f in trace_frames(name) if f.kind == "event"]


@pytest.fixture
def events_of() -> object:
    """Return the typed-event loader."""
    return trace_events
