"""`lotse search`: JSON hits, the evaluation report and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_console.cli import main

from .conftest import KB_ROOT


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Settings with the sample KB and one index folder shared by this module's tests."""
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "lotse.toml"
    path.write_text(
        f'[kb]\nroot = "{KB_ROOT}"\n[search]\nindex_dir = "{folder / "index"}"\n',
        encoding="utf-8",
    )
    return path


def test_json_lists_hits_best_first(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["--config", str(config), "search", "perso", "verloren", "--json", "--limit", "3"]
    )
    hits = json.loads(capsys.readouterr().out)
    assert status == 0 and len(hits) == 3
    assert hits[0]["id"] == "personalausweis-verlust-melden"
    assert {"id", "title", "score", "confidence"} <= set(hits[0])
    assert hits[0]["confidence"] == "high"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_text_output_suggests_a_spelling(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "search", "fürungszeugnis", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Meinten Sie:" in out and "Führungszeugnis beantragen" in out


def test_no_suitable_service_is_said_above_the_low_hits(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(config), "search", "straßenlaterne", "kaputt"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Keine passende Leistung gefunden."
    assert lines[1].startswith(" 1. vielleicht: ")
    main(["--config", str(config), "search", "straßenlaterne", "kaputt", "--json"])
    assert {hit["confidence"] for hit in json.loads(capsys.readouterr().out)} == {"low"}


def test_eval_prints_figures(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text(
        "- {q: reisepas, id: reisepass-beantragen}\n- {q: gez, id: rundfunkbeitrag}\n"
    )
    unanswerable = tmp_path / "none.yaml"
    unanswerable.write_text(
        "- {q: straßenlaterne kaputt, id: null, part: held-out}\n"
        "- {q: musikschule anmelden, id: null, part: tuning}\n"
    )
    args = ["search", "--eval", str(queries), str(unanswerable), "--baselines", "--misses"]
    assert main(["--config", str(config), *args]) == 0
    out = capsys.readouterr().out
    assert "lotse: top-1 100.0%  top-3 100.0%  MRR 1.000  (n=2)" in out
    assert "rapidfuzz scan" in out and "bm25" in out
    assert (
        "confidence: answerable: top hit high 100.0%, right and high 100.0% (n=2);"
        " unanswerable: no high hit 100.0% (n=2)" in out
    )
    assert "  part held-out: unanswerable: no high hit 100.0% (n=1)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search"], "give a query"),
        (["search", "x", "--limit", "0"], "--limit"),
        (["search", "--eval", "/nonexistent.yaml"], "cannot read"),
    ],
)
def test_bad_usage_is_one_line(
    config: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--config", str(config), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lotse: ") and message in err and err.count("\n") == 1


def test_malformed_query_file_is_one_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("q: nur ein Eintrag\n", encoding="utf-8")
    assert main(["--config", str(config), "search", "--eval", str(bad)]) == 2
    assert "expected a YAML list" in capsys.readouterr().err


def test_search_for_a_municipality_marks_its_own_fields(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--config", str(config), "search", "hundesteuer", "--limit", "1"]
    assert main([*args, "--municipality", "ortsdorf", "--at", "2026-11-23T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert "Fachbereich Ordnung und Finanzen Ortsdorf: geöffnet bis 12:00" in out
    assert "eigene Angaben: " in out and "Gebühren" in out
    main([*args, "--municipality", "ortsdorf", "--json"])
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["municipality"] == "ortsdorf" and "fees" in hit["local_fields"]
    main([*args, "--json"])
    [hit] = json.loads(capsys.readouterr().out)
    assert (hit["municipality"], hit["local_fields"], hit["office"]) == (None, [], "steueramt")


def test_another_towns_own_service_is_marked(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--config", str(config), "search", "brennholz", "--limit", "1"]
    assert main([*args, "--municipality", "beispielheim"]) == 0
    out = capsys.readouterr().out
    assert "Brennholz aus dem Gemeindewald (nur ortsdorf)" in out
    assert "eigene Leistung von ortsdorf" in out


def test_an_unknown_municipality_is_one_line(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(config), "search", "hund", "--municipality", "gibtsnicht"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "lotse: unknown municipality 'gibtsnicht'; known: beispielheim, musterstadt, ortsdorf\n"
    )


def test_eval_for_a_municipality_searches_its_versions(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text("- {q: brennholz, id: brennholz-gemeindewald}\n")
    args = ["--config", str(config), "search", "--eval", str(queries)]
    assert main([*args, "--municipality", "ortsdorf"]) == 0
    out = capsys.readouterr().out
    assert "lotse: top-1 100.0%" in out and "warning" not in out
    assert main(args) == 0  # the base has no such service
    assert (
        "warning: 1 labelled ids not in the KB: brennholz-gemeindewald" in capsys.readouterr().out
    )
