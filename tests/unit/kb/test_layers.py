"""Municipality layers: overlays over the base, local services, office maps, and their lint."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from agent_console.commands.kb import lint_problems
from kb.knowledge import touched_articles
from kb.lifecycle import agent_view, preview_view
from kb.loader import KnowledgeBase, load
from kb.scaffold import PLACEHOLDER_STEP
from tests.unit.kb.conftest import ARTICLE, OFFICE

HOME = "id: stadt\nname: Stadt\nstate: NW\nhome: true\ndistrict: Kreis Test\n"
DORF = """\
id: dorf
name: Dorf
state: NW
district: Kreis Test
ags: "05100001"
offices:
  amt: dorf-rathaus
"""
KREIS = OFFICE.replace("id: amt", "id: kreisamt").replace("Testamt", "Kreisamt") + "shared: true\n"
EXTERN = OFFICE.replace("id: amt", "id: bund").replace("Testamt", "Bundesamt") + "external: true\n"


def office(office_id: str, name: str) -> str:
    return OFFICE.replace("id: amt", f"id: {office_id}").replace("Testamt", name)


class Tree:
    """Writes a layered KB under a root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def problems(self, kb: KnowledgeBase) -> list[str]:
        return sorted(str(p).replace(f"{self.root}/", "") for p in kb.problems)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A base with article `aa` at office `amt`, a shared Kreis office, an external one, the
    home town `stadt` and the village `dorf` with its own Rathaus (mapped from `amt`)."""
    write = Tree(tmp_path)
    write("offices/amt.yaml", OFFICE)
    write("offices/kreisamt.yaml", KREIS)
    write("offices/bund.yaml", EXTERN)
    write("articles/aa.yaml", ARTICLE.format(id="aa"))
    write("articles/bb.yaml", ARTICLE.format(id="bb").replace("office: amt", "office: kreisamt"))
    write("municipalities/stadt/municipality.yaml", HOME)
    write("municipalities/dorf/municipality.yaml", DORF)
    write("municipalities/dorf/offices/dorf-rathaus.yaml", office("dorf-rathaus", "Rathaus Dorf"))
    return write


def test_a_flat_kb_has_no_municipalities_and_serves_the_base(tree: Tree) -> None:
    for path in sorted((tree.root / "municipalities").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    kb = load(tree.root)
    assert kb.problems == []
    assert kb.municipalities == {}
    assert kb.home_municipality is None
    assert kb.article_for("aa", None) is kb.articles["aa"]
    assert kb.article_for("aa", "dorf") is kb.articles["aa"]
    assert kb.local_fields("aa", "dorf") == frozenset()
    assert [o.id for o in kb.offices_for(None)] == ["amt", "bund", "kreisamt"]


def test_municipalities_load_with_their_offices(tree: Tree) -> None:
    kb = load(tree.root)
    assert tree.problems(kb) == []
    assert sorted(kb.municipalities) == ["dorf", "stadt"]
    assert kb.home_municipality == "stadt"
    assert kb.municipalities["dorf"].ags == "05100001"
    assert kb.office_owners == {"dorf-rathaus": "dorf"}
    assert "dorf-rathaus" in kb.offices


def test_an_overlay_replaces_only_its_fields_and_lists_whole(tree: Tree) -> None:
    tree(
        "municipalities/dorf/articles/aa.yaml",
        """\
        id: aa
        fees:
          - amount: "7.50"
            condition: im Dorf
        online_service: https://dorf.example/aa
        """,
    )
    kb = load(tree.root)
    assert tree.problems(kb) == []
    base, local = kb.articles["aa"], kb.article_for("aa", "dorf")
    assert local is not None and local is not base
    assert [(f.amount, f.condition) for f in local.fees] == [(Decimal("7.50"), "im Dorf")]
    assert local.online_service == "https://dorf.example/aa"
    assert local.title == base.title and local.documents == base.documents
    assert base.fees[0].amount == Decimal("10.00") and base.online_service is None
    assert kb.local_fields("aa", "dorf") == {"fees", "online_service", "office"}
    assert kb.article_for("aa", "stadt") is base and kb.local_fields("aa", "stadt") == set()
    assert kb.article_for("aa", None) is base
    assert kb.article_for("aa", "nirgendwo") is base


def test_the_office_map_points_base_articles_to_the_local_office(tree: Tree) -> None:
    kb = load(tree.root)
    local = kb.article_for("aa", "dorf")
    assert local is not None and local.office == "dorf-rathaus"
    assert kb.office_for(local) is kb.offices["dorf-rathaus"]
    assert kb.local_fields("aa", "dorf") == {"office"}
    shared = kb.article_for("bb", "dorf")
    assert shared is kb.articles["bb"] and kb.local_fields("bb", "dorf") == set()


def test_an_overlays_own_office_wins_over_the_map(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\noffice: kreisamt\n")
    kb = load(tree.root)
    local = kb.article_for("aa", "dorf")
    assert local is not None and local.office == "kreisamt"


def test_a_complete_overlay_with_a_new_id_is_a_local_service(tree: Tree) -> None:
    text = ARTICLE.format(id="brennholz").replace("office: amt", "office: dorf-rathaus")
    tree("municipalities/dorf/articles/brennholz.yaml", text)
    kb = load(tree.root)
    assert tree.problems(kb) == []
    local = kb.article_for("brennholz", "dorf")
    assert local is not None and local.title == "Testleistung brennholz"
    assert "title" in kb.local_fields("brennholz", "dorf")
    assert kb.article_for("brennholz", None) is None
    assert kb.article_for("brennholz", "stadt") is None
    assert "brennholz" not in kb.articles
    assert list(kb.local_articles("dorf")) == ["brennholz"]


def test_agents_see_a_local_service_only_when_published(tree: Tree) -> None:
    text = ARTICLE.format(id="brennholz").replace("status: published", "status: draft")
    tree("municipalities/dorf/articles/brennholz.yaml", text)
    kb = load(tree.root)
    assert kb.article_for("brennholz", "dorf") is not None
    assert agent_view(kb).article_for("brennholz", "dorf") is None
    preview = preview_view(kb).article_for("brennholz", "dorf")
    assert preview is not None and preview.title == "[Entwurf] Testleistung brennholz"


def test_an_overlay_is_served_exactly_when_its_base_is(tree: Tree) -> None:
    tree("articles/aa.yaml", ARTICLE.format(id="aa").replace("published", "draft"))
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle: Im Dorf\n")
    kb = load(tree.root)
    assert kb.article_for("aa", "dorf") is not None
    assert agent_view(kb).article_for("aa", "dorf") is None
    preview = preview_view(kb).article_for("aa", "dorf")  # the town's own title, marked too
    assert preview is not None and preview.title == "[Entwurf] Im Dorf"
    full = kb.article_for("aa", "dorf")
    assert full is not None and full.title == "Im Dorf"  # the editors' full view unmarked


def test_merged_versions_follow_the_view_they_are_asked_of(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle: Im Dorf\n")
    kb = load(tree.root)
    assert kb.article_for("aa", "dorf") is not None  # fills the full view's cache
    changed = kb.articles["aa"].model_copy(update={"short_answer": "Geändert."})
    view = agent_view(kb)
    view.articles["aa"] = changed
    local = view.article_for("aa", "dorf")
    assert local is not None and (local.title, local.short_answer) == ("Im Dorf", "Geändert.")


def test_offices_for_a_municipality_its_own_first_then_the_shared(tree: Tree) -> None:
    tree("municipalities/stadt/offices/stadt-extra.yaml", office("stadt-extra", "Zusatzamt"))
    kb = load(tree.root)
    assert [o.id for o in kb.offices_for("dorf")] == ["dorf-rathaus", "bund", "kreisamt"]
    home = [o.id for o in kb.offices_for("stadt")]
    assert home == ["amt", "stadt-extra", "bund", "kreisamt"]
    assert [o.id for o in kb.offices_for(None)] == ["amt", "bund", "kreisamt"]


def test_a_neighbours_office_in_the_map_is_offered(tree: Tree) -> None:
    tree("municipalities/weiler/municipality.yaml",
         "id: weiler\nname: Weiler\nstate: NW\noffices:\n  amt: dorf-rathaus\n")  # fmt: skip
    kb = load(tree.root)
    assert [o.id for o in kb.offices_for("weiler")] == ["dorf-rathaus", "bund", "kreisamt"]


def test_an_unknown_id_that_is_no_complete_article_is_an_error(tree: Tree) -> None:
    tree("municipalities/dorf/articles/zz.yaml", "# lokal\nid: zz\ntitle: Neu\n")
    [problem] = tree.problems(load(tree.root))
    assert problem.startswith("municipalities/dorf/articles/zz.yaml:2:5: error: id: ")
    assert "unbekannter Artikel 'zz'" in problem and "short_answer" in problem


def test_an_unknown_field_is_an_error_at_its_key_with_a_hint(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\nfess:\n  - free: true\n")
    kb = load(tree.root)
    assert tree.problems(kb) == [
        "municipalities/dorf/articles/aa.yaml:1:1: warning: Dorf: Agenten sehen die Fassung der"
        " Basis, bis die Überlagerung gültig ist",
        "municipalities/dorf/articles/aa.yaml:2:1: error: fess: unbekanntes Feld 'fess'"
        " (meinten Sie 'fees'?)",
    ]
    assert kb.article_for("aa", "dorf") == kb.articles["aa"].model_copy(
        update={"office": "dorf-rathaus"}
    )


def test_workflow_fields_cannot_be_overridden(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle: Neu\nstatus: draft\n")
    problems = tree.problems(load(tree.root))
    assert problems[1] == (
        "municipalities/dorf/articles/aa.yaml:3:1: error: status: 'status' gilt aus der Basis"
        " für alle Gemeinden und ist hier nicht erlaubt"
    )


def test_an_invalid_value_points_to_its_line(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\nfees:\n  - amount: zehn\n")
    problems = tree.problems(load(tree.root))
    where = "municipalities/dorf/articles/aa.yaml:3:13: error: fees[0].amount:"
    assert problems[1].startswith(where)


def test_null_for_a_field_the_article_needs_is_an_error(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle:\nonline_service: null\n")
    problems = tree.problems(load(tree.root))
    assert problems[1].startswith("municipalities/dorf/articles/aa.yaml:2:")
    assert "title: darf nicht leer sein" in problems[1]
    assert len(problems) == 2


def test_null_removes_an_optional_field_locally(tree: Tree) -> None:
    tree("articles/aa.yaml", ARTICLE.format(id="aa") + "online_service: https://stadt.example\n")
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\nonline_service: null\n")
    kb = load(tree.root)
    assert tree.problems(kb) == []
    local = kb.article_for("aa", "dorf")
    assert local is not None and local.online_service is None
    assert "online_service" in kb.local_fields("aa", "dorf")


def test_an_overlay_naming_an_unknown_office_is_an_error(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\noffice: gibtsnicht\n")
    problems = tree.problems(load(tree.root))
    assert problems[1] == (
        "municipalities/dorf/articles/aa.yaml:2:9: error: office: unbekannte Stelle 'gibtsnicht'"
        " (keine Datei offices/gibtsnicht.yaml)"
    )


def test_bad_office_map_entries_are_errors_and_dropped(tree: Tree) -> None:
    tree("municipalities/dorf/municipality.yaml", DORF + "  kreisamtt: dorf-rathaus\n"
         "  bund: fehlt\n")  # fmt: skip
    kb = load(tree.root)
    assert tree.problems(kb) == [
        "municipalities/dorf/municipality.yaml:8:3: error: offices.kreisamtt: 'kreisamtt' ist"
        " keine Stelle der Basis (offices/kreisamtt.yaml)",
        "municipalities/dorf/municipality.yaml:9:3: error: offices.bund: unbekannte Stelle"
        " 'fehlt' (keine Datei offices/fehlt.yaml)",
    ]
    assert kb.municipalities["dorf"].offices == {"amt": "dorf-rathaus"}


def test_a_municipality_needs_its_file_and_an_id_equal_to_its_folder(tree: Tree) -> None:
    tree("municipalities/weiler/offices/w.yaml", office("weiler-amt", "Amt Weiler"))
    (tree.root / "municipalities/weiler/offices/w.yaml").rename(
        tree.root / "municipalities/weiler/offices/weiler-amt.yaml"
    )
    tree("municipalities/dorf/municipality.yaml", DORF.replace("id: dorf", "id: dorff"))
    kb = load(tree.root)
    assert tree.problems(kb) == [
        "municipalities/dorf/municipality.yaml:1:5: error: id: id 'dorff' passt nicht zum"
        " Ordnernamen 'dorf'",
        "municipalities/weiler:1:1: error: municipality.yaml fehlt: die Gemeinde 'weiler' wird"
        " nicht geladen",
    ]
    assert sorted(kb.municipalities) == ["stadt"]
    assert "weiler-amt" in kb.offices  # its offices still load: transfers keep working


def test_two_homes_are_an_error(tree: Tree) -> None:
    tree("municipalities/dorf/municipality.yaml", DORF + "home: true\n")
    [problem] = tree.problems(load(tree.root))
    assert problem == (  # folders load by name: dorf first
        "municipalities/stadt/municipality.yaml:4:7: error: home: nur eine Gemeinde ist die"
        " eigene (home: true), schon 'dorf'"
    )


def test_office_ids_are_unique_across_layers(tree: Tree) -> None:
    tree("municipalities/dorf/offices/amt.yaml", office("amt", "Amt im Dorf"))
    [problem] = tree.problems(load(tree.root))
    assert problem.startswith("municipalities/dorf/offices/amt.yaml:1:5: error: id: Stellen-id")


def test_a_yaml_file_beside_the_municipality_folders_is_reported(tree: Tree) -> None:
    tree("municipalities/aa.yaml", "id: aa\n")
    tree("municipalities/README.md", "Gemeinden\n")
    [problem] = tree.problems(load(tree.root))
    assert problem.startswith("municipalities/aa.yaml:1:1: error: liegt nicht im Ordner")


def test_a_broken_overlay_keeps_its_last_good_version(tree: Tree, tmp_path: Path) -> None:
    cache = tmp_path / "cache.marshal"
    path = tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle: Im Dorf\n")
    first = load(tree.root, cache)
    path.write_text("id: aa\ntitle: [kaputt\n", encoding="utf-8")
    for kb in (load(tree.root, cache, first), load(tree.root, cache)):  # reload, restart
        local = kb.article_for("aa", "dorf")
        assert local is not None and local.title == "Im Dorf"
        problems = tree.problems(kb)
        assert len(problems) == 2 and "YAML" in problems[1]
        assert problems[0].endswith("Dorf: Agenten sehen weiter die letzte gültige Fassung"
                                    " dieser Überlagerung")  # fmt: skip


def test_translations_need_language_codes(tree: Tree) -> None:
    tree(
        "municipalities/dorf/articles/aa.yaml",
        """\
        id: aa
        short_answer_easy: Sie brauchen einen Termin.
        short_answer_translations:
          tr: Randevu almanız gerekiyor.
          Englisch: You need an appointment.
        """,
    )
    problems = tree.problems(load(tree.root))
    assert any("short_answer_translations" in p and "Sprachcode" in p for p in problems), problems
    tree(
        "municipalities/dorf/articles/aa.yaml",
        """\
        id: aa
        short_answer_easy: Sie brauchen einen Termin.
        short_answer_translations: {tr: Randevu almanız gerekiyor., uk: Потрібен запис.}
        """,
    )
    kb = load(tree.root)
    local = kb.article_for("aa", "dorf")
    assert local is not None and local.short_answer_translations["uk"] == "Потрібен запис."
    assert kb.articles["aa"].short_answer_translations == {}
    assert kb.local_fields("aa", "dorf") >= {"short_answer_easy", "short_answer_translations"}


def lint(tree: Tree) -> list[str]:
    problems = lint_problems(load(tree.root), date(2026, 11, 21))
    return [str(p).replace(f"{tree.root}/", "") for p in problems]


def test_lint_finds_articles_sent_to_the_home_towns_office(tree: Tree) -> None:
    tree("municipalities/dorf/municipality.yaml", DORF.replace("  amt: dorf-rathaus\n", "{}\n")
         .replace("offices:\n", "offices: "))  # fmt: skip
    assert lint(tree) == [
        "municipalities/dorf/municipality.yaml:6:10: warning: offices: 1 Artikel (aa) verweisen"
        " in Dorf auf die Stelle 'amt' von Stadt: unter offices: eine eigene Stelle zuordnen"
        " oder office überlagern"
    ]
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\noffice: dorf-rathaus\n")
    assert lint(tree) == []


def test_lint_finds_local_fees_the_short_answer_contradicts(tree: Tree) -> None:
    tree("articles/aa.yaml", ARTICLE.format(id="aa").replace(
        "Eine kurze Antwort.", "Das kostet 10 Euro.") + "short_answer_translations:\n"
        "  uk: Це коштує 10 євро.\n  tr: Ücretsizdir.\n")  # fmt: skip
    tree("municipalities/dorf/articles/aa.yaml", 'id: aa\nfees:\n  - amount: "7.00"\n')
    assert lint(tree) == [
        "municipalities/dorf/articles/aa.yaml:3:3: warning: fees: eigene Gebühren, aber"
        " short_answer, short_answer_translations der Basis nennen einen Betrag: short_answer"
        " und short_answer_translations hier ebenfalls überlagern"
    ]
    fees = 'id: aa\nfees:\n  - amount: "7.00"\nshort_answer: Das kostet 7 Euro.\n'
    fees += "short_answer_translations: {uk: 7 євро.}\n"
    tree("municipalities/dorf/articles/aa.yaml", fees)
    assert lint(tree) == []


def test_lint_checks_a_local_service_like_a_base_article(tree: Tree) -> None:
    text = ARTICLE.format(id="neu").replace('fees:\n  - amount: "10.00"\n', "")
    text = text.replace("last_reviewed: 2026-10-01", "last_reviewed: 2024-10-01")
    tree("municipalities/dorf/articles/neu.yaml", text + f"procedure: [{PLACEHOLDER_STEP}]\n")
    assert lint(tree) == [
        "municipalities/dorf/articles/neu.yaml:1:1: warning: fees: veröffentlichter Artikel"
        " 'neu' nennt keine Gebühren (kostenlos: `- free: true`)",
        "municipalities/dorf/articles/neu.yaml:9:16: warning: last_reviewed: Prüfung überfällig"
        " seit 2025-10-01 (zuletzt geprüft 2024-10-01)",
        f"municipalities/dorf/articles/neu.yaml:10:13: error: procedure.0: Platzhaltertext:"
        f" {PLACEHOLDER_STEP!r}",
    ]


def test_changed_files_name_the_articles_to_index_again(tree: Tree) -> None:
    tree("municipalities/dorf/articles/cc.yaml", ARTICLE.format(id="cc").replace(
        "office: amt", "office: dorf-rathaus"))  # fmt: skip
    tree("municipalities/stadt/articles/bb.yaml", "id: bb\noffice: amt\n")
    kb = load(tree.root)
    assert touched_articles(kb, ["articles/aa.yaml", "approved/zz.yaml"]) == {"aa", "zz"}
    assert touched_articles(kb, ["municipalities/dorf/articles/cc.yaml"]) == {"cc"}
    assert touched_articles(kb, ["offices/kreisamt.yaml"]) == {"bb"}
    assert touched_articles(kb, ["offices/amt.yaml"]) == {"aa", "bb"}
    assert touched_articles(kb, ["municipalities/dorf/offices/dorf-rathaus.yaml"]) == {"cc"}
    assert touched_articles(kb, ["municipalities/dorf/municipality.yaml"]) == {"cc"}


def test_lint_finds_an_overlay_field_equal_to_the_base(tree: Tree) -> None:
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\ntitle: Testleistung aa\n"
         'fees:\n  - amount: "10.00"\nshort_answer: Anders.\n')  # fmt: skip
    assert lint(tree) == [
        "municipalities/dorf/articles/aa.yaml:2:8: warning: title: gleich wie in der Basis:"
        " weglassen, damit spätere Korrekturen der Basis auch hier gelten",
        "municipalities/dorf/articles/aa.yaml:4:3: warning: fees: gleich wie in der Basis:"
        " weglassen, damit spätere Korrekturen der Basis auch hier gelten",
    ]
