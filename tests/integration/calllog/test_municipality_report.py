"""The report per municipality and per language: the agent's choice wins over the PBX's,
on SQLite and PostgreSQL, in every format (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.kpi import build_report
from calllog.report_formats import to_csv, to_text
from calllog.report_json import to_json
from calllog.store import SqlStore, open_store
from tests.integration.calllog.test_kpi import MON_TUE, NOW, WEEK, load
from tests.integration.supervisor.test_report_cli import run

#: The hand-made week with the PBX's municipality and language, and two choices of agents.
PLACES = {
    "c1": ("beispielheim", "tr", None, None),
    "c2": ("beispielheim", "de", "ortsdorf", None),  # the agent corrected the PBX
    "c3": ("musterstadt", "de", None, None),
    "c4": (None, None, None, None),  # recorded before issue 16: unknown
    "c5": ("musterstadt", "uk", None, "uk"),
    "c6": ("ortsdorf", "de", None, None),
    "c7": ("musterstadt", "de", "beispielheim", "en"),  # the agent served it in English
}


def _week() -> list:  # type: ignore[type-arg]
    placed = []
    for call in WEEK:
        pbx, pbx_language, chosen, language = PLACES.get(call.call_id, (None,) * 4)
        placed.append(replace(call, pbx_municipality=pbx, pbx_language=pbx_language,
                              municipality=chosen, language=language))  # fmt: skip
    return placed


def test_per_municipality_and_language_with_the_agents_choice_first(store: SqlStore) -> None:
    load(store, _week())
    report = build_report(store, MON_TUE, now=NOW, group_by=("municipality", "language"))
    municipalities = {m: (c.offered, c.answered, c.resolved) for m, c in report.per_municipality}
    assert municipalities == {
        "beispielheim": (2, 2, 1),  # c1, c7
        "musterstadt": (2, 1, 0),  # c3 (abandoned), c5
        "ortsdorf": (2, 2, 0),  # c2 (agent), c6
        None: (1, 0, 0),  # c4
    }
    assert [m for m, _ in report.per_municipality] == [
        "beispielheim", "musterstadt", "ortsdorf", None,
    ]  # fmt: skip
    languages = {lang: c.offered for lang, c in report.per_language}
    assert languages == {"de": 3, "en": 1, "tr": 1, "uk": 1, None: 1}
    assert sum(c.offered for _, c in report.per_municipality) == report.totals.offered
    plain = build_report(store, MON_TUE, now=NOW)
    assert plain.per_municipality == () and plain.per_language == ()


def test_the_formats_carry_the_groups(store: SqlStore) -> None:
    load(store, _week())
    report = build_report(store, MON_TUE, now=NOW, group_by=("municipality",))
    data = to_json(report)
    assert [m["municipality"] for m in data["per_municipality"]] == [
        "beispielheim", "musterstadt", "ortsdorf", None,
    ]  # fmt: skip
    assert data["per_municipality"][0]["offered"] == 2 and data["per_language"] == []
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert [(r["group"], r["name"]) for r in rows if r["group"] == "municipality"] == [
        ("municipality", "beispielheim"), ("municipality", "musterstadt"),
        ("municipality", "ortsdorf"), ("municipality", ""),
    ]  # fmt: skip
    text = to_text(report)
    assert "Gemeinden" in text and "beispielheim" in text and "Sprachen" not in text


def test_an_unknown_group_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="cannot group a report by queue; drop"):
        build_report(store, MON_TUE, now=NOW, group_by=("queue; drop",))


def test_cli_group_by(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    opened = open_store(url)
    load(opened, _week())
    opened.close()
    assert run(tmp_path, url, "--format", "json", "--group-by", "municipality",
               "--group-by", "language") == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert {m["municipality"]: m["offered"] for m in data["per_municipality"]}["ortsdorf"] == 2
    assert {entry["language"] for entry in data["per_language"]} == {"de", "en", "tr", "uk", None}
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--from", "2026-11-23", "--to", "2026-11-24", "--group-by", "gemeinde"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'gemeinde'" in capsys.readouterr().err
