"""Which version agents see: published only, the approved copy during review, the last good
version of a broken file (in memory and across a restart through the parse cache)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kb.lifecycle import agent_article, agent_view, notes, preview_view, review_due, state
from kb.loader import load
from kb.models import Article
from tests.unit.kb.conftest import ARTICLE, Write


def article(**changes: object) -> Article:
    base = {
        "id": "aa",
        "title": "A",
        "short_answer": "Kurz.",
        "office": "amt",
        "category": "T",
        "owner": "R",
        "last_reviewed": "2026-10-01",
        "status": "published",
    }
    return Article.model_validate(base | changes)


APPROVED = article(approved_by="bernd", approved_at="2026-10-02T10:00:00+02:00")
#: Only the review date differs from APPROVED: no change of content.
REVIEWED = article(
    last_reviewed="2027-01-01", approved_by="bernd", approved_at="2026-10-02T10:00:00+02:00"
)


@pytest.mark.parametrize(
    ("current", "approved", "last_good", "shown"),
    [
        (article(), None, None, "current"),  # published before the workflow: as the file says
        (article(status="draft"), None, None, None),
        (article(status="review"), None, None, None),
        (article(status="archived"), APPROVED, None, None),  # withdrawn at once
        (APPROVED, APPROVED, None, "current"),
        (article(status="published", title="B"), APPROVED, None, "approved"),  # edited, unsent
        (article(status="review", title="B"), APPROVED, None, "approved"),
        (article(status="draft", title="B"), APPROVED, None, "approved"),
        (REVIEWED, APPROVED, None, "current"),
        (None, APPROVED, article(title="alt"), "approved"),  # broken: the approved copy first
        (None, None, article(title="alt"), "last_good"),
        (None, None, article(title="alt", status="draft"), None),
        (None, None, None, None),
    ],
)
def test_agent_article(
    current: Article | None, approved: Article | None, last_good: Article | None, shown: str | None
) -> None:
    expected = {"current": current, "approved": approved, "last_good": last_good, None: None}
    assert agent_article(current, approved, last_good) is expected[shown]


def test_agents_see_only_published_and_editors_see_drafts_marked(
    valid_kb: Write, kb_root: Path
) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb").replace("published", "draft"))
    valid_kb("articles", "cc.yaml", ARTICLE.format(id="cc").replace("published", "review"))
    valid_kb("articles", "dd.yaml", ARTICLE.format(id="dd").replace("published", "archived"))
    kb = load(kb_root)
    assert list(agent_view(kb).articles) == ["aa"]
    titles = {aid: a.title for aid, a in preview_view(kb).articles.items()}
    assert titles == {
        "aa": "Testleistung aa",
        "bb": "[Entwurf] Testleistung bb",
        "cc": "[In Prüfung] Testleistung cc",
    }
    assert kb.articles["bb"].title == "Testleistung bb"  # the editors' data is untouched


def test_an_edited_published_article_keeps_its_approved_copy_for_agents(
    valid_kb: Write, kb_root: Path
) -> None:
    approved = ARTICLE.format(id="aa") + "approved_by: bernd\n"
    (kb_root / "approved").mkdir()
    (kb_root / "approved" / "aa.yaml").write_text(approved, encoding="utf-8")
    valid_kb("articles", "aa.yaml", approved.replace("Eine kurze Antwort.", "Neu, ungeprüft."))
    kb = load(kb_root)
    assert agent_view(kb).articles["aa"].short_answer == "Eine kurze Antwort."
    assert state(kb, "aa") == "changed"
    assert preview_view(kb).articles["aa"].title == "[Geändert, nicht freigegeben] Testleistung aa"


def test_a_broken_published_file_keeps_its_last_good_version_in_memory(
    valid_kb: Write, kb_root: Path
) -> None:
    first = load(kb_root)
    valid_kb("articles", "aa.yaml", ARTICLE.format(id="aa") + "title: doppelt\n")
    second = load(kb_root, previous=first)
    assert "aa" not in second.articles  # the editors see the error ...
    assert [p.line for p in second.errors] == [12]
    assert agent_view(second).articles["aa"] == first.articles["aa"]  # ... agents the last good
    third = load(kb_root, previous=second)  # still broken on the next reload
    assert agent_view(third).articles["aa"] == first.articles["aa"]
    [note] = notes(third)
    assert note.severity == "warning" and note.path.name == "aa.yaml"
    assert note.message == "Agenten sehen weiter die letzte gültige Fassung"


def test_the_parse_cache_keeps_the_last_good_version_across_a_restart(
    valid_kb: Write, kb_root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.marshal"
    good = load(kb_root, cache).articles["aa"]
    valid_kb("articles", "aa.yaml", "id: aa\ntitle: [kaputt\n")
    restarted = load(kb_root, cache)  # a new process: nothing in memory
    assert agent_view(restarted).articles["aa"] == good
    [note] = notes(restarted)
    assert note.message.startswith("Agenten sehen weiter die letzte gültige Fassung vom ")
    assert agent_view(load(kb_root, cache)).articles["aa"] == good  # kept while broken
    (kb_root / "articles" / "aa.yaml").unlink()
    load(kb_root, cache)
    valid_kb("articles", "aa.yaml", "id: aa\ntitle: [kaputt\n")
    assert "aa" not in agent_view(load(kb_root, cache)).articles  # deleted: forgotten


def test_a_broken_office_keeps_its_transfer_target(valid_kb: Write, kb_root: Path) -> None:
    first = load(kb_root)
    valid_kb("offices", "amt.yaml", "id: amt\nname: [\n")
    second = load(kb_root, previous=first)
    assert second.offices["amt"] == first.offices["amt"]
    assert [p.message for p in second.errors if "unbekannte Stelle" in p.message] == []


def test_review_due_by_owner_and_window(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("Redaktion", "Steueramt")
    valid_kb("articles", "bb.yaml", text.replace("2026-10-01", "2025-01-01"))
    valid_kb("articles", "cc.yaml", ARTICLE.format(id="cc").replace("published", "draft"))
    kb = load(kb_root)
    today = date(2027, 9, 15)  # aa is due 2027-10-01: within 30 days
    due = review_due(kb, today)
    assert [(d.article.id, d.due.isoformat(), d.overdue(today)) for d in due] == [
        ("bb", "2026-01-01", True),
        ("aa", "2027-10-01", False),
    ]
    assert [d.article.id for d in review_due(kb, today, within_days=0)] == ["bb"]


def test_a_reload_that_found_the_file_broken_keeps_it_for_a_restart(
    valid_kb: Write, kb_root: Path, tmp_path: Path
) -> None:
    """Regression: a console's reload took the last good version from memory and did not ask
    the cache, so the cache dropped it and a restart while the file was broken lost it."""
    cache = tmp_path / "cache.marshal"
    first = load(kb_root, cache)
    good = first.articles["aa"]
    valid_kb("articles", "aa.yaml", "id: aa\ntitle: [kaputt\n")
    assert agent_view(load(kb_root, cache, first)).articles["aa"] == good  # the reload
    assert agent_view(load(kb_root, cache)).articles["aa"] == good  # the restart
