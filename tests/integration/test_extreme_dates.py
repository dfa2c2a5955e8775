"""Dates at datetime's limits are one clear line, never an OverflowError; the limits work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent_console.cli import main
from calllog.models import CallRecord, Outcome
from calllog.reports import FIRST_DAY, LAST_DAY, Period
from calllog.store import open_store
from tests.conftest import ROOT
from tests.integration.calllog.conftest import pg_url  # noqa: F401  (fixture)

Capture = pytest.CaptureFixture[str]
KB = str(ROOT / "tests" / "ui" / "kb")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def test_the_supported_days_convert_in_every_zone(zone: str) -> None:
    since, until = Period(FIRST_DAY, LAST_DAY).utc_bounds(ZoneInfo(zone))
    assert since < until


@pytest.mark.parametrize(
    ("start", "end"), [(date.min, date(2026, 1, 1)), (date(2026, 1, 1), date.max)]
)
def test_a_period_beyond_the_supported_days_is_refused(start: date, end: date) -> None:
    with pytest.raises(ValueError, match="outside the supported dates 1900-01-01 to 9998-12-31"):
        Period(start, end)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One call in a fresh call log on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'calls.db'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    store = open_store(url, migrate=True)
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    end = at + timedelta(minutes=2)
    store.upsert_call(CallRecord("c1", "service115", at, agent_id="a1", answered_at=at,
                                 ended_at=end, outcome=Outcome.RESOLVED))  # fmt: skip
    store.close()
    return url


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0001-01-01", "0001-01-02", "--from: 0001-01-01 is outside the supported dates"),
        ("2026-01-01", "9999-12-31", "--to: 9999-12-31 is outside the supported dates"),
        ("1899-12-31", "2026-01-01", "--from: 1899-12-31 is outside the supported dates"),
    ],
)
def test_report_beyond_the_supported_days_is_one_line(
    tmp_path: Path, db: str, capsys: Capture, start: str, end: str, message: str
) -> None:
    assert main(["report", "--from", start, "--to", end, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lotse: {message}") and err.count("\n") == 1


def test_report_over_all_supported_days(tmp_path: Path, db: str, capsys: Capture) -> None:
    config = tmp_path / "lead.toml"
    config.write_text('agent_id = "lead"\n[agents.lead]\nrole = "supervisor"\n')
    argv = ["--config", str(config), "report", "--from", str(FIRST_DAY), "--to", str(LAST_DAY),
            "--db", db, "--format", "json"]  # fmt: skip
    assert main(argv) == 0
    assert '"offered": 1' in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["kb", "show", "geburtsurkunde", "--root", KB, "--at", "0001-01-01T00:00"],
        ["kb", "show", "geburtsurkunde", "--root", KB, "--at", "9999-12-31T23:59"],
        ["search", "geburt", "--root", KB, "--at", "9999-12-31T23:59+00:00"],
        ["kb", "lint", KB, "--today", "9999-12-31"],
        ["calllog", "seed", "--calls", "3", "--end", "0001-01-01"],
        ["kb", "stats", "--from", "0001-01-01", "--to", "0001-01-02"],
        ["kb", "review-due", "--today", "9999-12-31"],
    ],
)
def test_moments_beyond_the_supported_days_are_refused(argv: list[str], capsys: Capture) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "is outside the supported dates 1900-01-01 to 9998-12-31" in err
    assert "Traceback" not in err


def test_kb_show_at_the_last_supported_moment(capsys: Capture) -> None:
    argv = ["kb", "show", "geburtsurkunde", "--root", KB, "--at", "9998-12-31T23:59+01:00"]
    assert main(argv) == 0
    assert "Zuständig: Standesamt Musterstadt" in capsys.readouterr().out


def test_seed_days_beyond_the_limit(tmp_path: Path, capsys: Capture) -> None:
    argv = ["calllog", "seed", "--calls", "3", "--days", "99999999999",
            "--db", f"sqlite:///{tmp_path / 'x.db'}"]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == "lotse: --days 99999999999: at most 3660\n"
