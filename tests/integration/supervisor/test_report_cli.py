"""`lotse report` in each format on a hand-made week; bad input is one line and exit status 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.store import open_store
from telephony.bridge import AmiBridge
from tests.integration.calllog.test_kpi import TICKETS, WEEK, load

#: Every key of the JSON report (documented in the README; renaming one breaks consumers).
JSON_KEYS = {
    "from", "to", "generated_at", "agent", "service_level_seconds", "targets",
    "offered", "answered", "answered_no_outcome", "abandoned", "abandoned_short",
    "abandonment_rate", "service_level",
    "fcr_rate", "transfer_rate", "referrals_count", "callbacks_count", "avg_wait_s",
    "p90_wait_s", "avg_talk_s", "avg_wrapup_s", "aht_s", "top_transfer_targets", "referrals",
    "callbacks_promised", "callbacks_in_time", "callbacks_late", "callbacks_overdue",
    "callbacks_pending", "top_topics", "unanswered_searches", "heatmap", "trend", "per_queue",
    "per_agent", "per_municipality", "per_language", "satisfaction", "satisfaction_grid",
    "staffed_hours", "occupancy",
    "cases_per_staffed_hour", "cases_per_post", "qualified_transfers",
}  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite call log with the hand-made week of the KPI tests."""
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    store = open_store(url)
    load(store, WEEK, TICKETS)
    store.close()
    return url


def config(tmp_path: Path, role: str) -> str:
    path = tmp_path / f"{role}.toml"
    path.write_text(f'agent_id = "a2"\n[agents.a2]\nrole = "{role}"\n', encoding="utf-8")
    return str(path)


def run(tmp_path: Path, db: str, *args: str, role: str = "supervisor") -> int:
    argv = ["--config", config(tmp_path, role), "report", "--from", "2026-11-23",
            "--to", "2026-11-24", "--db", db, *args]  # fmt: skip
    return main(argv)


def test_json_has_the_documented_keys_and_figures(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, db, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == JSON_KEYS
    assert (data["offered"], data["answered"], data["abandoned"], data["abandoned_short"]) == (
        7, 5, 2, 1,
    )  # fmt: skip
    assert data["service_level"] == 0.6667 and data["fcr_rate"] == 0.2
    assert (data["avg_wait_s"], data["p90_wait_s"], data["aht_s"]) == (22.0, 36.0, 229.5)
    assert data["top_transfer_targets"] == [{"target": "Standesamt", "calls": 2}]
    assert data["callbacks_overdue"] in (0, 1)  # overdue is counted against the real clock
    assert [d["day"] for d in data["trend"]] == ["2026-11-23", "2026-11-24"]
    assert {h["hour"] for h in data["heatmap"]} == {9, 10, 11, 19, 23}
    assert [q["queue"] for q in data["per_queue"]] == ["A", "B"]
    assert [a["agent"] for a in data["per_agent"]] == ["a1", "a2", None]


def test_csv_rows_per_group(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, db, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["group"], r["name"]) for r in rows] == [
        ("total", ""), ("queue", "A"), ("queue", "B"), ("agent", "a1"), ("agent", "a2"),
        ("agent", ""),
    ]  # fmt: skip
    assert rows[0]["offered"] == "7" and rows[0]["service_level"] == "0.6667"


def test_text_marks_targets(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, db) == 0
    out = capsys.readouterr().out
    assert "Servicelevel 30 s:" in out and "66,7 %  ✗" in out
    assert "Erstlösungsquote:" in out and "20,0 %  ✗" in out
    assert "urkunde xyz" in out


def test_html_is_one_self_contained_file(tmp_path: Path, db: str) -> None:
    out = tmp_path / "bericht.html"
    assert run(tmp_path, db, "--format", "html", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 2
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert "Anrufe pro Tag" in page and "Standesamt" in page


def test_agents_get_their_own_figures(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, db, "--format", "json", role="agent") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agent"] == "a2" and data["offered"] == 3
    assert run(tmp_path, db, "--agent", "a1", role="agent") == 2
    assert capsys.readouterr().err == "lotse: only supervisors may report on other agents\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-11-24"], "--from: not a date (YYYY-MM-DD)"),
        (["--from", "2026-11-24", "--to", "gestern"], "--to: not a date (YYYY-MM-DD)"),
        (["--from", "2026-11-24", "--to", "2026-11-23"], "--to 2026-11-23 is before --from"),
        (["--from", "2026-11-23", "--to", "2026-11-24", "--db", "mysql://x"], "unsupported"),
    ],
)
def test_bad_input_is_one_line(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    argv = ["--config", config(tmp_path, "supervisor"), "report", "--db", db, *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("lotse: ") and message in err


def test_supervisor_command_maps_the_settings(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_console.screens import supervisor

    started: list[supervisor.SupervisorOptions] = []
    bridges: list[object] = []
    monkeypatch.setattr(supervisor.SupervisorApp, "run",
                        lambda self: (started.append(self.options),
                                      bridges.append(self.telephony)))  # fmt: skip
    path = tmp_path / "lead.toml"
    path.write_text('agent_id = "lead"\n[agents.lead]\nrole = "supervisor"\n[supervisor]\n'
                    'service_level_seconds = 20\nnumber_roles = ["supervisor"]\n')  # fmt: skip
    assert main(["--config", str(path), "supervisor", "--db", db]) == 0
    (options,) = started
    assert options.supervisor and options.show_numbers and options.agent_id == "lead"
    assert options.targets.service_level_seconds == 20 and options.targets.fcr == 0.65
    (bridge,) = bridges  # the "jetzt" panel follows the PBX, read-only, every queue
    assert isinstance(bridge, AmiBridge) and bridge.config.read_only and bridge.config.queue == ""
    assert main(["--config", str(path), "supervisor", "--db", db, "--no-pbx"]) == 0
    assert bridges[-1] is None


def test_kgst_is_one_csv_row_per_month(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--config", config(tmp_path, "supervisor"), "report", "--from", "2026-10-15",
            "--to", "2026-11-30", "--db", db, "--format", "kgst"]  # fmt: skip
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["month"], r["from"], r["to"]) for r in rows] == [
        ("2026-10", "2026-10-15", "2026-10-31"), ("2026-11", "2026-11-01", "2026-11-30"),
    ]  # fmt: skip
    nov = rows[1]
    assert (nov["offered"], nov["answered"], nov["transferred"]) == ("9", "7", "2")  # + out-*
    assert nov["qualified_transfers"] == "1" and nov["plain_transfers"] == "1"  # c6 attended
    assert nov["staffed_hours"] == "0.00" and nov["cases_per_post"] == ""  # no recorder here
    assert "satisfaction_08_10" in nov and "satisfaction_fr" in nov


def test_the_grid_and_the_hours_per_post_come_from_the_settings(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "grid.toml"
    path.write_text('agent_id = "a2"\n[agents.a2]\nrole = "supervisor"\n[supervisor]\n'
                    'survey_weekdays = [1, 6]\nsurvey_windows = ["07-12", "12-20"]\n'
                    "hours_per_post = 1500\n")  # fmt: skip
    argv = ["--config", str(path), "report", "--from", "2026-11-23", "--to", "2026-11-24",
            "--db", db]  # fmt: skip
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(g["weekday"], g["window"]) for g in data["satisfaction_grid"]] == [
        (1, "07-12"), (1, "12-20"), (6, "07-12"), (6, "12-20"),
    ]  # fmt: skip
    assert main([*argv, "--format", "kgst"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.endswith("satisfaction_mo,satisfaction_sa,satisfaction_07_12,satisfaction_12_20")
    path.write_text('[supervisor]\nsurvey_windows = ["08-12", "11-14"]\n')
    assert main([*argv[:1], str(path), *argv[2:]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "overlap" in err


def test_text_and_html_show_the_comparison_ring(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, db) == 0
    out = capsys.readouterr().out
    assert "Vergleichsring (KGSt):" in out and "Qualifiziert weitergeleitet:" in out
    assert "Zufriedenheit Ø (Antworten) nach Wochentag und Zeitfenster:" in out
    page = tmp_path / "r.html"
    assert run(tmp_path, db, "--format", "html", "--out", str(page)) == 0
    assert "Fälle je Vollzeitstelle" in page.read_text(encoding="utf-8")
    assert run(tmp_path, db, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["qualified_transfers"] == "1" and rows[0]["survey_offered"] == "0"
    assert rows[1]["staffed_hours"] == "" and rows[3]["satisfaction_mean"] == ""  # queue, agent
