"""The console and the editorial lifecycle: agents never see drafts, an article whose file breaks
mid-call stays on screen, and the editors' preview marks drafts and names what broke."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console.app import AgentConsoleApp
from agent_console.commands.console import build_services
from agent_console.commands.kb import KbReader
from agent_console.config import Settings
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.article_view import ArticleView
from kb.lifecycle import agent_view, preview_view
from search.searcher import IndexSearcher
from telephony.fake import FakeTelephony

from .conftest import AGENT, wait_until
from .test_console import plain

DRAFT = """\
id: hund-ummelden
title: Hund ummelden
short_answer: Noch nicht fertig.
office: standesamt
category: Steuern
status: draft
owner: Redaktion
last_reviewed: 2026-11-01
"""


@pytest.fixture
def kb_with_draft(kb_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the reader's parse cache
    (kb_copy / "articles" / "hund-ummelden.yaml").write_text(DRAFT, encoding="utf-8")
    return kb_copy


def services_for(
    fake_services: Services, root: Path, reader: KbReader, index: Path, editor: bool
) -> Iterator[Services]:
    knowledge = KnowledgeSource(reader(root), root, reader, editor=editor)
    searcher = IndexSearcher.open(knowledge.kb, index)
    fake_services.knowledge, fake_services.searcher = knowledge, searcher
    try:
        yield fake_services
    finally:
        searcher.close()


@pytest.fixture
def agent_services(
    fake_services: Services, kb_with_draft: Path, tmp_path: Path
) -> Iterator[Services]:
    yield from services_for(fake_services, kb_with_draft, KbReader(agent_view),
                            tmp_path / "index", editor=False)  # fmt: skip


@pytest.fixture
def editor_services(
    fake_services: Services, kb_with_draft: Path, tmp_path: Path
) -> Iterator[Services]:
    yield from services_for(fake_services, kb_with_draft, KbReader(preview_view),
                            tmp_path / "index-preview", editor=True)  # fmt: skip


def notices(app: AgentConsoleApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_agents_do_not_see_drafts(agent_services: Services) -> None:
    app = AgentConsoleApp(agent_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"hund ummelden")
        await wait_until(pilot, lambda: app.console_screen.results_for == "hund ummelden")
        assert "hund-ummelden" not in [h.id for h in app.console_screen.hits]
        assert "hund-ummelden" not in agent_services.kb.articles
        assert app.sub_title == "Servicecenter 115"


async def test_an_article_whose_file_breaks_mid_call_stays_on_screen(
    agent_services: Services, kb_with_draft: Path
) -> None:
    options = ConsoleOptions(interfaces=(AGENT,), kb_poll_seconds=0.1)
    app = AgentConsoleApp(agent_services, options)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"geburt", "enter")
        view = app.query_one(ArticleView)
        await wait_until(pilot, lambda: view.article_id == "geburtsurkunde")
        path = kb_with_draft / "articles" / "geburtsurkunde.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "title: Tippfehler\n", "utf-8")
        await wait_until(pilot, lambda: any("fehlerhaft" in n for n in notices(app)))
        assert (
            "geburtsurkunde.yaml ist fehlerhaft; die letzte gültige Fassung bleibt."
            in (notices(app)[-1])
        )
        assert view.article_id == "geburtsurkunde"
        assert "Geburtsurkunde" in plain(app.query_one("#article-body").content)
        assert "geburtsurkunde" in agent_services.kb.articles
        await pilot.press("escape", *"geburt")
        await wait_until(pilot, lambda: app.console_screen.results_for == "geburt")
        assert "geburtsurkunde" in [h.id for h in app.console_screen.hits]


async def test_preview_marks_drafts_and_names_broken_files(
    editor_services: Services, kb_with_draft: Path
) -> None:
    options = ConsoleOptions(interfaces=(AGENT,), kb_poll_seconds=0.1)
    app = AgentConsoleApp(editor_services, options)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.sub_title.startswith("Vorschau für die Redaktion")
        await pilot.press(*"hund ummelden")
        await wait_until(pilot, lambda: app.console_screen.results_for == "hund ummelden")
        assert app.console_screen.hits[0].title == "[Entwurf] Hund ummelden"
        await pilot.press("enter")
        body = app.query_one("#article-body")
        await wait_until(pilot, lambda: "[Entwurf] Hund ummelden" in plain(body.content))
        path = kb_with_draft / "articles" / "kfz-zulassung.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^category:", "kategorie:", text, flags=re.M), "utf-8")
        await wait_until(pilot, lambda: any("kategorie" in n for n in notices(app)))
        [report] = [n for n in app._notifications if n.title == "Fehler in der Wissensdatenbank"]
        line = 1 + text.splitlines().index(next(x for x in text.splitlines()
                                                if x.startswith("category:")))  # fmt: skip
        assert report.message.splitlines() == [
            "articles/kfz-zulassung.yaml:2: category: Pflichtfeld fehlt"
            " (Agenten sehen die letzte gültige Fassung)",
            f"articles/kfz-zulassung.yaml:{line}: kategorie: unbekanntes Feld 'kategorie'"
            " (meinten Sie 'category'?) (Agenten sehen die letzte gültige Fassung)",
        ]


@pytest.mark.parametrize("preview", [False, True])
def test_build_services_for_agents_and_for_the_preview(
    kb_with_draft: Path, tmp_path: Path, preview: bool
) -> None:
    settings = Settings(
        kb={"root": kb_with_draft},
        search={"index_dir": tmp_path / "index"},
        calllog={"url": f"sqlite:///{tmp_path / 'calls.db'}", "outbox": tmp_path / "outbox.db"},
    )
    services = build_services(settings, preview=preview)
    try:
        assert ("hund-ummelden" in services.kb.articles) is preview
        assert services.knowledge.editor is preview
        assert isinstance(services.telephony, FakeTelephony) is preview
        assert (tmp_path / ("index-preview" if preview else "index")).is_dir()
        assert not (tmp_path / ("index" if preview else "index-preview")).exists()
    finally:
        services.close()
