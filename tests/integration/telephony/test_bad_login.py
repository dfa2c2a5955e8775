"""A login that can never succeed ends "connecting": the state says why, retries go on."""

from __future__ import annotations

import asyncio

import pytest

from telephony.ami import AmiSession
from telephony.bridge import AmiBridge
from telephony.protocol import ConnectionChanged, ConnectionState
from tests.integration.telephony.conftest import Target


@pytest.mark.parametrize("secret", ["s3cret\r\nAction: Originate", "s3cret\udcff"])
async def test_a_secret_that_cannot_be_sent(pbx: Target, secret: str) -> None:
    sim = pbx.require_sim()
    bridge = AmiBridge(pbx.config(secret=secret))
    stream = bridge.updates()
    await bridge.start()
    try:
        await bridge.wait_for(lambda: bridge.state == ConnectionState.DISCONNECTED, 10)
        first = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(first, ConnectionChanged) and first.state == ConnectionState.CONNECTING
        second = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(second, ConnectionChanged)
        assert second.state == ConnectionState.DISCONNECTED
        assert second.detail == "control character in AMI header 'Secret' refused"
        assert "Login" not in sim.actions_seen  # nothing was sent
    finally:
        await bridge.stop()


async def test_an_unexpected_failure_is_reported_and_retried(
    pbx: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    pbx.require_sim()
    original = AmiSession.login
    failures = [RuntimeError("unforeseen")]

    async def login(self: AmiSession, *args: object) -> None:
        if failures:
            raise failures.pop()
        await original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(AmiSession, "login", login)
    bridge = AmiBridge(pbx.config())
    states: list[tuple[str, str]] = []
    stream = bridge.updates()
    await bridge.start()
    try:
        await bridge.wait_connected(10)  # the runner survived and retried
        async with asyncio.timeout(10):
            while len(states) < 3:
                update = await anext(stream)
                if isinstance(update, ConnectionChanged):
                    states.append((update.state, update.detail))
        assert states == [("connecting", ""), ("disconnected", "unforeseen"), ("connected", "")]
    finally:
        await bridge.stop()
