"""`lotse wallboard`: refuses to listen beyond localhost without a token, says when the port
is taken, serves the PBX's state and stops cleanly on SIGTERM; `lotse demo` opens it too."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from agent_console.cli import main
from agent_console.commands import console
from agent_console.services import Services
from telephony.sim import PbxSimulator
from tests.integration.recorder.test_cli import CONFIG
from tests.integration.telephony.conftest import FAST
from tests.integration.wallboard.conftest import get_json
from wallboard.web import WallboardServer


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "lotse.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("host", "token", "message"),
    [("0.0.0.0", None, "lotse: 0.0.0.0 is reachable from other computers: set a token"),
     ("10.20.0.7", "kurz", "lotse: the wallboard token must have at least 16 characters"),
     ("0.0.0.0", "x" * 15 + "!", "lotse: the wallboard token may contain only")],
)  # fmt: skip
def test_beyond_localhost_only_with_a_usable_token(
    config: str, host: str, token: str | None, message: str,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    if token is not None:
        monkeypatch.setenv("LOTSE_WALLBOARD__TOKEN", token)
    assert main(["--config", config, "wallboard", "--host", host]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert token is None or token not in err


def test_a_taken_port_is_one_line(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["--config", config, "wallboard", "--port", str(port),
                "--db", f"sqlite:///{tmp_path / 'calls.db'}"]  # fmt: skip
        assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lotse: cannot listen on 127.0.0.1:{port}:") and "Traceback" not in err


def test_a_bad_port_is_refused_by_the_parser(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--config", config, "wallboard", "--port", "70000"])
    assert stopped.value.code == 2 and "not a port number" in capsys.readouterr().err


async def test_the_service_serves_the_pbx_and_stops_cleanly_on_sigterm(
    config: str, tmp_path: Path
) -> None:
    async with PbxSimulator(port=0, timing=FAST) as sim:
        env = {**os.environ, "LOTSE_PBX__PORT": str(sim.port)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "agent_console.cli", "--config", config, "wallboard",
            "--port", "0", "--db", f"sqlite:///{tmp_path / 'calls.db'}", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line.startswith("Wallboard: http://127.0.0.1:")
            url = line.split(": ", 1)[1].strip()
            sim.offer_call("02349990001", "Dienst")
            seen: list[dict[str, Any]] = []

            async def probe() -> bool:
                seen[:] = [await get_json(url + "api/wallboard")]
                return bool(seen[0]["pbx"]["ok"] and seen[0]["agents"])

            deadline = asyncio.get_running_loop().time() + 20
            while not await probe():
                assert asyncio.get_running_loop().time() < deadline, seen
                await asyncio.sleep(0.05)
            assert {a["agent"] for a in seen[0]["agents"]} == {"agent1", "agent2"}
            assert seen[0]["today"] is not None
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0
    log = err.decode()
    assert "wallboard listening on" in log and "wallboard stopped" in log
    assert "Traceback" not in log


def test_the_demo_opens_the_wallboard_and_prints_its_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[dict[str, Any]] = []

    async def shift(services: Services) -> None:
        for service in services.background:
            await service.start()
        try:
            (wall,) = [s for s in services.background if isinstance(s, WallboardServer)]
            assert capsys.readouterr().out == f"Wallboard der Demo im Browser: {wall.url}\n"
            number, name = console.DEMO_CALLER

            async def shown() -> bool:
                data = await get_json(wall.url + "api/wallboard")
                seen[:] = [data]
                return bool(data["pbx"]["ok"] and data["today"]["offered"] >= 1)

            deadline = asyncio.get_running_loop().time() + 30
            while not await shown():
                assert asyncio.get_running_loop().time() < deadline, seen
                await asyncio.sleep(0.1)
            assert number not in str(seen) and name not in str(seen)
        finally:
            for service in reversed(services.background):
                await service.stop()

    def run(services: Services, settings: object) -> int:
        try:
            asyncio.run(shift(services))
        finally:
            services.close()
        return 0

    monkeypatch.setattr(console, "_run", run)
    assert main(["demo", "--rate", "0"]) == 0
    assert seen and seen[0]["today"]["stale"] is False
