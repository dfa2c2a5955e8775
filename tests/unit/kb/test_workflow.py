"""Four eyes on the files: submit and approve edit only their fields, keep comments and layout,
refuse self-approval, and an edit after publication goes back through review."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent_console.cli import main
from kb.lifecycle import agent_view, approved_path
from kb.loader import load
from kb.workflow import WorkflowError, adopt, approve, submit
from kb.yaml_edit import EditError, set_fields
from tests.unit.kb.conftest import ARTICLE, Write

NOW = datetime(2026, 11, 24, 10, 15, tzinfo=ZoneInfo("Europe/Berlin"))
AFTER = ("status", "submitted_by", "submitted_at", "approved_by", "approved_at")
COMMENTED = """\
# yaml-language-server: $schema=../schema/article.schema.json
id: aa   # die Kennung
title: Testleistung aa
short_answer: >-          # zuerst vorlesen
  Eine kurze
  Antwort.
documents: [Personalausweis]
fees:
  - amount: "10.00"
office: amt
category: Test
status: draft             # noch nicht fertig
owner: Redaktion Süd
last_reviewed: 2026-10-01
"""


def test_set_fields_replaces_values_and_inserts_after_the_last_workflow_field() -> None:
    out = set_fields(COMMENTED, {"status": "review", "submitted_by": "Anna B."}, AFTER)
    assert out == COMMENTED.replace(
        "status: draft             # noch nicht fertig\n",
        'status: review             # noch nicht fertig\nsubmitted_by: "Anna B."\n',
    )
    again = set_fields(out, {"approved_by": "bernd", "submitted_by": "Carla"}, AFTER)
    assert "# noch nicht fertig\nsubmitted_by: Carla\napproved_by: bernd\nowner:" in again


def test_set_fields_refuses_what_it_cannot_edit_surgically() -> None:
    with pytest.raises(EditError, match="Blockformat"):
        set_fields("{id: aa, status: draft}\n", {"status": "review"}, AFTER)
    with pytest.raises(EditError, match="kein einzeiliger Wert"):
        set_fields("id: aa\nstatus: [draft]\n", {"status": "review"}, AFTER)
    with pytest.raises(EditError, match="fehlt"):
        set_fields("id: aa\n", {"submitted_by": "x"}, AFTER)


def test_values_that_look_like_other_types_are_quoted() -> None:
    out = set_fields("status: draft\n", {"submitted_by": "true", "approved_by": "12"}, AFTER)
    assert out == 'status: draft\nsubmitted_by: "true"\napproved_by: "12"\n'


@pytest.fixture
def draft(valid_kb: Write, kb_root: Path) -> Path:
    return valid_kb("articles", "aa.yaml", COMMENTED)


def test_submit_then_approve_by_a_second_person(draft: Path, kb_root: Path) -> None:
    submit(kb_root, "aa", "Anna B.", NOW)
    approved = approve(kb_root, "aa", "Bernd", NOW)
    text = draft.read_text(encoding="utf-8")
    assert text == COMMENTED.replace(
        "status: draft             # noch nicht fertig\n",
        "status: published             # noch nicht fertig\n"
        'submitted_by: "Anna B."\nsubmitted_at: 2026-11-24T10:15:00+01:00\n'
        "approved_by: Bernd\napproved_at: 2026-11-24T10:15:00+01:00\n",
    ).replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-11-24")
    assert approved_path(kb_root, "aa").read_text(encoding="utf-8") == text
    assert approved.approved_by == "Bernd" and approved.status == "published"
    assert agent_view(load(kb_root)).articles["aa"].short_answer == "Eine kurze Antwort."


def test_self_approval_is_refused(draft: Path, kb_root: Path) -> None:
    submit(kb_root, "aa", "Anna B.", NOW)
    before = draft.read_bytes()
    with pytest.raises(WorkflowError, match=r"Vier-Augen-Prinzip: anna b\. hat aa selbst"):
        approve(kb_root, "aa", "  anna   b. ", NOW)
    assert draft.read_bytes() == before
    assert not approved_path(kb_root, "aa").exists()


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("approve", "ist nicht in Prüfung (Status draft); erst einreichen"),
        ("submit-twice", "ist bereits in Prüfung (eingereicht von Anna)"),
    ],
)
def test_steps_out_of_order_are_refused(
    draft: Path, kb_root: Path, step: str, message: str
) -> None:
    if step == "submit-twice":
        submit(kb_root, "aa", "Anna", NOW)
    with pytest.raises(WorkflowError, match=message.replace("(", r"\(").replace(")", r"\)")):
        (approve if step == "approve" else submit)(kb_root, "aa", "Anna", NOW)


def test_placeholders_and_errors_block_submission(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("published", "draft")
    placeholder = "Kurzantwort zum Vorlesen (zwei bis drei Sätze)."
    valid_kb("articles", "bb.yaml", text.replace("Eine kurze Antwort.", placeholder))
    with pytest.raises(WorkflowError, match=r"Platzhaltertext.*short_answer ersetzen"):
        submit(kb_root, "bb", "Anna", NOW)
    valid_kb("articles", "bb.yaml", text + "title: doppelt\n")
    with pytest.raises(WorkflowError, match=r"bb hat Fehler, erst beheben: .*bb\.yaml:12:1"):
        submit(kb_root, "bb", "Anna", NOW)


def test_an_edit_after_publication_goes_back_through_review(draft: Path, kb_root: Path) -> None:
    submit(kb_root, "aa", "Anna", NOW)
    approve(kb_root, "aa", "Bernd", NOW)
    with pytest.raises(WorkflowError, match="veröffentlicht und seit der Freigabe unverändert"):
        submit(kb_root, "aa", "Anna", NOW)
    draft.write_text(draft.read_text(encoding="utf-8").replace("Eine kurze", "Eine neue"), "utf-8")
    assert agent_view(load(kb_root)).articles["aa"].short_answer == "Eine kurze Antwort."
    submit(kb_root, "aa", "Carla", NOW)
    assert agent_view(load(kb_root)).articles["aa"].short_answer == "Eine kurze Antwort."
    with pytest.raises(WorkflowError, match="Vier-Augen-Prinzip"):
        approve(kb_root, "aa", "carla", NOW)
    approve(kb_root, "aa", "Anna", NOW)  # Anna submitted the first version, not this one
    assert agent_view(load(kb_root)).articles["aa"].short_answer == "Eine neue Antwort."


def test_cli_self_approval_is_one_line_and_exit_one(
    draft: Path, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(kb_root), "--now", NOW.isoformat()]
    assert main(["kb", "submit", "aa", "--by", "anna", *root]) == 0
    assert "aa eingereicht von anna" in capsys.readouterr().out
    assert main(["kb", "approve", "aa", "--by", "Anna", *root]) == 1
    err = capsys.readouterr().err
    assert err == (
        "lotse: Vier-Augen-Prinzip: Anna hat aa selbst eingereicht und kann es nicht freigeben\n"
    )
    assert main(["kb", "approve", "aa", "--by", "bernd", *root]) == 0
    assert "freigegeben von bernd (eingereicht von anna)" in capsys.readouterr().out


def test_lint_flags_a_hand_made_self_approval(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb") + "submitted_by: Anna\napproved_by: anna\n"
    valid_kb("articles", "bb.yaml", text)
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21"]) == 1


def test_kb_new_scaffolds_placeholders_lint_flags(
    kb_root: Path, valid_kb: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "new", "hund-ummelden", "--root", str(kb_root)]) == 0
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21"]) == 0
    out = capsys.readouterr().out
    assert out.count("warning:") == 3
    assert "short_answer: Platzhaltertext: 'Kurzantwort zum Vorlesen" in out
    path = kb_root / "articles" / "hund-ummelden.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("draft", "review"), "utf-8")
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21"]) == 1  # errors now


def test_adopt_takes_published_articles_as_approved_and_later_edits_need_review(
    valid_kb: Write, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = kb_root / "articles" / "aa.yaml"
    before = published.read_bytes()
    valid_kb("articles", "dd.yaml", COMMENTED.replace("id: aa", "id: dd"))  # a draft stays out
    root = ["--root", str(kb_root), "--now", NOW.isoformat()]
    assert main(["kb", "adopt", "--by", "Redaktion", *root]) == 0
    assert "1 veröffentlichte Artikel als freigegeben übernommen" in capsys.readouterr().out
    assert published.read_bytes() == before  # the article file is not touched
    assert not approved_path(kb_root, "dd").exists()
    copy = load(kb_root).approved["aa"]
    assert (copy.approved_by, copy.approved_at) == ("Redaktion", NOW)
    published.write_text(before.decode().replace("Eine kurze", "Eine ungeprüfte"), "utf-8")
    assert agent_view(load(kb_root)).articles["aa"].short_answer == "Eine kurze Antwort."
    assert main(["kb", "adopt", "--by", "Redaktion", *root]) == 0  # nothing left to adopt
    assert "0 veröffentlichte Artikel" in capsys.readouterr().out


def test_lint_flags_a_published_article_that_skipped_review_in_a_kb_with_approvals(
    valid_kb: Write, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21", "--strict"]) == 0
    adopt(kb_root, "Redaktion", NOW)
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb"))  # written as published directly
    capsys.readouterr()
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "bb.yaml:1:1: warning:" in out and "veröffentlicht ohne Freigabe" in out
    assert "aa.yaml" not in out
