"""`lotse recorder`: the import of a recorded queue_log, bad input, and a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.store import open_store
from telephony.sim import PbxSimulator
from tests.integration.recorder.conftest import eventually, stored
from tests.integration.telephony.conftest import FAST

LAB = Path(__file__).resolve().parents[2] / "fixtures" / "queue_log" / "asterisk22_lab.queue_log"
CONFIG = """agent_id = "lead"
[agents.lead]
role = "supervisor"
[agents.agent1]
interfaces = ["Local/agent1@agents/n"]
name = "Agent 1"
[agents.agent2]
interfaces = ["Local/agent2@agents/n"]
name = "Agent 2"
"""


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "lotse.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return str(path)


def test_importing_a_recorded_queue_log_twice_adds_its_calls_once(
    config: str, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(store_url, migrate=True).close()  # `lotse db upgrade`
    args = ["--config", config, "recorder", "--import-queue-log", str(LAB), "--db", store_url]
    assert main(args) == 0
    assert capsys.readouterr().out == (
        "11 Anrufe hinzugefügt, 0 bereits vorhanden (davon 0 ergänzt),"
        " 0 fehlerhafte Zeilen übersprungen\n"
    )
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("0 Anrufe hinzugefügt, 11 bereits vorhanden")
    report = ["--config", config, "report", "--from", "2026-11-28", "--to", "2026-11-28",
              "--format", "json", "--db", store_url]  # fmt: skip
    assert main(report) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["offered"], figures["answered"], figures["abandoned"]) == (11, 8, 3)
    assert figures["answered_no_outcome"] == 8  # no console wrote a wrap-up
    per_agent = {row["agent"]: row["answered"] for row in figures["per_agent"]}
    assert per_agent == {"agent1": 5, "agent2": 3, None: 0}


def test_broken_lines_are_named_and_skipped(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "queue_log"
    lines = LAB.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join([*lines[:5], "1795884806|oops\n", *lines[5:]]), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'calls.db'}"
    assert (
        main(["--config", config, "recorder", "--import-queue-log", str(broken), "--db", db]) == 1
    )
    out, err = capsys.readouterr()
    assert (
        err
        == f"{broken}:6: skipped: expected time|callid|queue|agent|event, got '1795884806|oops'\n"
    )
    assert out.startswith("11 Anrufe hinzugefügt") and "1 fehlerhafte Zeilen" in out


def test_a_missing_file_is_one_line(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    db = f"sqlite:///{tmp_path / 'calls.db'}"
    assert (
        main(["--config", config, "recorder", "--import-queue-log", str(missing), "--db", db]) == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"lotse: {missing}: cannot read")


async def test_the_service_records_and_stops_cleanly_on_sigterm(
    config: str, tmp_path: Path
) -> None:
    db = tmp_path / "calls.db"
    async with PbxSimulator(port=0, timing=FAST) as sim:
        env = {**os.environ, "LOTSE_PBX__PORT": str(sim.port),
               "LOTSE_RECORDER__OUTBOX": str(tmp_path / "outbox.db"),
               "LOTSE_RECORDER__STATE": str(tmp_path / "state.json")}  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "agent_console.cli", "--config", config, "recorder",
            "--db", f"sqlite:///{db}", env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await eventually(lambda: len(sim.sessions) > 0)
            call = sim.offer_call("02349990001", "Dienst")
            store = open_store(f"sqlite:///{db}")
            record = await eventually(stored(store, call.linkedid, lambda r: True))
            store.close()
            assert record.caller_number == "02349990001"
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0
    log = err.decode()
    assert "INFO recorder.service: recorder started" in log
    assert "recorder stopped: " in log and "Traceback" not in log
