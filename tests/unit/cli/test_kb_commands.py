"""`lotse kb ...`: exit codes, one-line errors, and output an agent or editor can use."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.cli import main
from kb.loader import load
from tests.unit.kb.conftest import ARTICLE, OFFICE


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "offices").mkdir()
    (tmp_path / "offices" / "amt.yaml").write_text(OFFICE, encoding="utf-8")
    (tmp_path / "articles" / "aa.yaml").write_text(ARTICLE.format(id="aa"), encoding="utf-8")
    return tmp_path


def test_lint_clean_exits_zero(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "lint", str(kb_dir), "--today", "2026-11-21"]) == 0
    assert capsys.readouterr().out == "1 articles, 1 offices: 0 errors, 0 warnings\n"


def test_lint_errors_exit_one_with_file_line_column(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb_dir / "articles" / "bb.yaml").write_text("id: bb\nfees: 3\n", encoding="utf-8")
    assert main(["kb", "lint", str(kb_dir), "--today", "2026-11-21"]) == 1
    out = capsys.readouterr().out
    assert f"{kb_dir}/articles/bb.yaml:2:7: error: fees: erwartet eine Liste" in out
    assert out.endswith("1 articles, 1 offices: 7 errors, 0 warnings\n")


def test_warnings_fail_only_with_strict(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["kb", "lint", str(kb_dir), "--today", "2028-01-01"]
    assert main(args) == 0
    assert "warning: last_reviewed: Prüfung überfällig" in capsys.readouterr().out
    assert main([*args, "--strict"]) == 1


def test_lint_of_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "lint", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"lotse: {tmp_path / 'nope'}: no such knowledge-base folder\n"


def test_show_prints_the_article_with_open_now(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["kb", "show", "aa", "--root", str(kb_dir), "--at", "2026-11-23T09:00+01:00"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("Testleistung aa\n")
    assert "  • 10,00 €" in out
    assert "Zuständig: Testamt · Durchwahl 2001 · geöffnet bis 12:00" in out


def test_show_unknown_and_broken_articles(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show", "zz", "--root", str(kb_dir)]) == 1
    assert capsys.readouterr().err == "lotse: no article 'zz'\n"
    (kb_dir / "articles" / "bb.yaml").write_text("id: bb\n", encoding="utf-8")
    assert main(["kb", "show", "bb", "--root", str(kb_dir)]) == 1
    assert "does not load" in capsys.readouterr().err


def test_new_scaffolds_a_draft_that_loads(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "new", "hund-anmelden", "--root", str(kb_dir), "--title", "Hund"]) == 0
    kb = load(kb_dir)
    assert kb.problems == []
    assert kb.articles["hund-anmelden"].status == "draft"
    assert main(["kb", "new", "hund-anmelden", "--root", str(kb_dir)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_new_refuses_bad_ids_and_offices(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "new", "Hund Anmelden", "--root", str(kb_dir)]) == 2
    assert main(["kb", "new", "hund", "--root", str(kb_dir), "--office", "x"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("lotse: invalid id 'Hund Anmelden'")
    assert err[1] == "lotse: unknown office 'x'; choose one of: amt"


def test_show_a_municipalitys_version_marks_its_fields(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = kb_dir / "municipalities" / "dorf"
    (place / "articles").mkdir(parents=True)
    (place / "municipality.yaml").write_text("id: dorf\nname: Dorf\nstate: NW\n")
    (place / "articles" / "aa.yaml").write_text(
        'id: aa\nfees:\n  - amount: "7.00"\nshort_answer_easy: Das kostet 7 Euro.\n'
        "short_answer_translations: {tr: 7 Euro tutar.}\n"
    )
    args = ["kb", "show", "aa", "--root", str(kb_dir), "--at", "2026-11-23T10:00:00+01:00"]
    assert main([*args, "--municipality", "dorf"]) == 0
    out = capsys.readouterr().out
    assert "Fassung für Dorf; ◆ = eigene Angabe" in out
    assert "◆ Gebühren:\n  • 7,00 €\n" in out
    assert "\nUnterlagen:\n" in out  # not its own
    assert "Kurzantwort auch: leicht, tr" in out
    assert main([*args, "--municipality", "dorf", "--language", "leicht"]) == 0
    assert "◆ Kurzantwort (Leichte Sprache):\nDas kostet 7 Euro.\n" in capsys.readouterr().out
    assert main([*args, "--language", "leicht"]) == 2
    assert capsys.readouterr().err == ("lotse: 'aa' has no short answer in 'leicht'; it has: de\n")
    assert main([*args, "--municipality", "stadt"]) == 2
    assert capsys.readouterr().err == "lotse: unknown municipality 'stadt'; known: dorf\n"


def test_show_names_the_town_of_a_local_service(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = kb_dir / "municipalities" / "dorf"
    (place / "articles").mkdir(parents=True)
    (place / "municipality.yaml").write_text("id: dorf\nname: Dorf\nstate: NW\n")
    (place / "articles" / "holz.yaml").write_text(ARTICLE.format(id="holz"))
    assert main(["kb", "show", "holz", "--root", str(kb_dir)]) == 1
    assert capsys.readouterr().err == (
        "lotse: 'holz' is a service of dorf only; add --municipality dorf\n"
    )
    assert main(["kb", "show", "holz", "--root", str(kb_dir), "--municipality", "dorf"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Testleistung holz\n") and "◆" not in out  # all of it is its own
    draft = ARTICLE.format(id="holz").replace("status: published", "status: draft")
    (place / "articles" / "holz.yaml").write_text(draft)
    assert main(["kb", "show", "holz", "--root", str(kb_dir), "--municipality", "dorf"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[Entwurf] – Agenten sehen diesen Artikel nicht (--as-agent zeigt sie)")


def test_new_for_a_municipality_writes_an_overlay_or_a_local_draft(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = kb_dir / "municipalities" / "dorf"
    (place / "offices").mkdir(parents=True)
    (place / "municipality.yaml").write_text("id: dorf\nname: Dorf\nstate: NW\n")
    (place / "offices" / "dorf-amt.yaml").write_text(OFFICE.replace("id: amt", "id: dorf-amt"))
    assert main(["kb", "new", "aa", "--root", str(kb_dir), "--municipality", "dorf"]) == 0
    overlay = place / "articles" / "aa.yaml"
    assert capsys.readouterr().out == f"{overlay}\n"
    assert overlay.read_text().endswith("\nid: aa\n")
    assert main(["kb", "new", "holz", "--root", str(kb_dir), "--municipality", "dorf"]) == 0
    kb = load(kb_dir)
    assert kb.errors == []
    local = kb.article_for("holz", "dorf")
    assert local is not None and (local.status, local.office) == ("draft", "dorf-amt")
    assert "aa" in kb.overlays["dorf"] and kb.local_fields("aa", "dorf") == frozenset()
    assert main(["kb", "new", "aa", "--root", str(kb_dir), "--municipality", "dorf"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["kb", "new", "aa", "--root", str(kb_dir), "--municipality", "x"]) == 2
    assert capsys.readouterr().err == "lotse: unknown municipality 'x'; known: dorf\n"
