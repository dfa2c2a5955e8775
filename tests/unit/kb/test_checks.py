"""Editorial rules: each fires on the case it describes and stays quiet otherwise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kb.checks import run_checks
from kb.loader import load
from tests.unit.kb.conftest import ARTICLE, Write

TODAY = date(2026, 11, 21)


def messages(root: Path, today: date = TODAY) -> list[tuple[str, str]]:
    return [(f.obj_id, f.message) for f in run_checks(load(root), today)]


def test_clean_kb_has_no_findings(valid_kb: Write, kb_root: Path) -> None:
    assert messages(kb_root) == []


def test_review_overdue(valid_kb: Write, kb_root: Path) -> None:
    [(obj, message)] = messages(kb_root, date(2027, 10, 2))
    assert obj == "aa"
    assert message == "Prüfung überfällig seit 2027-10-01 (zuletzt geprüft 2026-10-01)"


def test_published_without_documents_or_fees(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("documents: [Personalausweis]\n", "")
    text = text.replace('fees:\n  - amount: "10.00"\n', "")
    valid_kb("articles", "bb.yaml", text)
    found = messages(kb_root)
    assert [obj for obj, _ in found] == ["bb", "bb"]
    assert "nennt keine Unterlagen" in found[0][1]
    assert "nennt keine Gebühren" in found[1][1]


def test_drafts_may_be_incomplete(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("documents: [Personalausweis]\n", "")
    valid_kb("articles", "bb.yaml", text.replace("status: published", "status: draft"))
    assert messages(kb_root) == []


def test_synonym_claimed_by_two_articles(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "aa.yaml", ARTICLE.format(id="aa") + "synonyms: [Perso]\n")
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb") + "synonyms: [Ausweis, perso]\n")
    assert messages(kb_root) == [("bb", "Synonym 'perso' gehört auch zu 'aa'")]


def test_office_without_opening_hours(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("offices", "leer.yaml", 'id: leer\nname: Leer\nphone: "0800 123456"\n')
    assert messages(kb_root) == [("leer", "Stelle hat keine Öffnungszeiten")]
