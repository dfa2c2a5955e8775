"""`lotse demo` runs the recorder beside the simulator: the demo's calls reach the call log."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agent_console.cli import main
from agent_console.commands import console
from agent_console.services import Services
from calllog.pbx import Source
from recorder.service import Recorder
from tests.integration.recorder.conftest import eventually


def test_the_demo_records_its_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    async def shift(services: Services) -> None:
        for service in services.background:
            await service.start()
        try:
            number = console.DEMO_CALLER[0]

            def recorded() -> bool:
                calls = services.calllog.store.list_calls(caller_number=number, limit=10)
                seen[:] = [c for c in calls if c.source is Source.RECORDER]
                return bool(seen)

            await eventually(recorded, 20)
        finally:
            for service in reversed(services.background):
                await service.stop()

    def run(services: Services, settings: object) -> int:
        assert any(isinstance(s, Recorder) for s in services.background)
        try:
            asyncio.run(shift(services))
        finally:
            services.close()
        return 0

    monkeypatch.setattr(console, "_run", run)
    assert main(["demo", "--rate", "0"]) == 0
    (call,) = seen
    assert call.queue == "service115" and call.caller_name == console.DEMO_CALLER[1]
