"""Lint: a town's version must not inherit another municipality's name or web address."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.loader import load
from kb.town_marks import town_marks
from tests.unit.kb.conftest import ARTICLE
from tests.unit.kb.test_layers import DORF, EXTERN, HOME, KREIS, OFFICE, Tree, lint, office

STADT_AMT = OFFICE + "website: https://www.stadt.de/amt\nemail: amt@stadt.de\n"
KREIS_SITE = KREIS + "website: https://www.stadt.de/kreis\n"


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """Home town `Stadt` (its office at stadt.de), the village `Dorf` with its Rathaus (mapped
    from `amt`), a shared Kreis office on the home town's site and an external one."""
    write = Tree(tmp_path)
    write("offices/amt.yaml", STADT_AMT)
    write("offices/kreisamt.yaml", KREIS_SITE)
    write("offices/bund.yaml", EXTERN)
    write("articles/aa.yaml", ARTICLE.format(id="aa"))
    write("municipalities/stadt/municipality.yaml", HOME)
    write("municipalities/dorf/municipality.yaml", DORF)
    rathaus = office("dorf-rathaus", "Rathaus Dorf") + "website: https://dorf.de/rathaus\n"
    write("municipalities/dorf/offices/dorf-rathaus.yaml", rathaus)
    return write


def article(**fields: str) -> str:
    return ARTICLE.format(id="aa") + "".join(f"{k}: {v}\n" for k, v in fields.items())


def test_the_home_towns_name_inherited_by_another_town_is_a_warning(tree: Tree) -> None:
    tree("articles/aa.yaml", article(prerequisites="\n  - ab 16 Jahren\n  - Wohnsitz in Stadt"))
    assert lint(tree) == [
        "articles/aa.yaml:14:5: warning: prerequisites.1: Dorf erbt 'prerequisites' mit 'Stadt'"
        " aus der Basis: für Dorf überschreiben oder in der Basis neutral formulieren"
    ]


def test_an_overlay_of_the_field_or_neutral_words_clear_it(tree: Tree) -> None:
    tree("articles/aa.yaml", article(prerequisites="[Wohnsitz in Stadt]"))
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\nprerequisites: [Wohnsitz in Dorf]\n")
    assert lint(tree) == []
    tree("municipalities/dorf/articles/aa.yaml", "id: aa\nsynonyms: [Dorfsache]\n")
    assert len(lint(tree)) == 1
    tree("articles/aa.yaml", article(prerequisites="[Wohnsitz in der Gemeinde]"))
    assert lint(tree) == []


def test_a_genitive_counts_but_a_longer_word_does_not(tree: Tree) -> None:
    tree("articles/aa.yaml", article(agent_notes="[Innerhalb Stadts ist das eine Ummeldung.]"))
    assert len(lint(tree)) == 1
    text = "[Stadtwerke und Großstadt sind keine Namen, stadt klein auch nicht.]"
    tree("articles/aa.yaml", article(agent_notes=text))
    assert lint(tree) == []


def test_the_home_towns_web_and_mail_domains_count(tree: Tree) -> None:
    links = "\n  - title: Antrag\n    url: https://www.stadt.de/formulare/antrag.pdf"
    tree("articles/aa.yaml", article(online_service="https://termine.stadt.de/x", forms=links))
    assert lint(tree) == [
        "articles/aa.yaml:12:17: warning: online_service: Dorf erbt 'online_service' mit"
        " 'termine.stadt.de' aus der Basis: für Dorf überschreiben oder in der Basis neutral"
        " formulieren",
        "articles/aa.yaml:15:10: warning: forms.0.url: Dorf erbt 'forms' mit 'stadt.de' aus der"
        " Basis: für Dorf überschreiben oder in der Basis neutral formulieren",
    ]
    tree("articles/aa.yaml", article(agent_notes="[Fragen per Mail an amt@stadt.de.]"))
    assert [line.split(": ")[2] for line in lint(tree)] == ["agent_notes.0"]


def test_another_towns_name_and_site_count_for_every_town_but_it(tree: Tree) -> None:
    tree("municipalities/hof/municipality.yaml", DORF.replace("dorf", "hof").replace(
        "Dorf", "Hof").replace('"05100001"', '"05100002"'))  # fmt: skip
    tree("municipalities/hof/offices/hof-rathaus.yaml", office("hof-rathaus", "Rathaus Hof"))
    tree("municipalities/hof/articles/aa.yaml", "id: aa\nonline_service: https://hof.de/aa\n")
    tree("articles/aa.yaml", article(agent_notes="[Wie in Dorf, siehe https://dorf.de/aa.]"))
    found = lint(tree)
    assert len(found) == 1 and "Hof erbt 'agent_notes' mit 'Dorf'" in found[0]
    tree("articles/aa.yaml", article(agent_notes="[Siehe https://www.hof.de/aa.]"))
    found = lint(tree)
    assert len(found) == 1 and "Dorf erbt 'agent_notes' mit 'hof.de'" in found[0]


def test_addresses_of_shared_and_external_offices_serve_every_town(tree: Tree) -> None:
    tree("articles/aa.yaml", article(online_service="https://www.stadt.de/kreis/online"))
    assert lint(tree) == []
    bb = ARTICLE.format(id="bb").replace("office: amt", "office: kreisamt")
    forms = "forms:\n  - title: Antrag\n    url: https://www.stadt.de/formulare/kreis.pdf\n"
    tree("articles/bb.yaml", bb + forms)
    assert lint(tree) == [], "a form on the host of the shared office that answers it"
    tree("articles/aa.yaml", ARTICLE.format(id="aa") + forms)
    assert len(lint(tree)) == 1, "the same form in an article the home town's office answers"


def test_the_home_town_and_a_flat_kb_are_not_checked(tree: Tree) -> None:
    tree("articles/aa.yaml", article(prerequisites="[Wohnsitz in Dorf]"))
    assert lint(tree) == []
    tree("articles/aa.yaml", article(prerequisites="[Wohnsitz in Stadt]"))
    for path in sorted((tree.root / "municipalities").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert lint(tree) == []


def test_town_marks_derive_each_towns_domains(tree: Tree) -> None:
    tree(
        "municipalities/dorf/articles/aa.yaml",
        "id: aa\nonline_service: https://a.dorf-online.de/x\n",
    )
    marks = town_marks(load(tree.root))
    assert marks.names == {"stadt": "Stadt", "dorf": "Dorf"}
    assert marks.domains == {"stadt": {"stadt.de"}, "dorf": {"dorf.de", "a.dorf-online.de"}}


def test_lint_strict_fails_on_the_warning(tree: Tree) -> None:
    tree("articles/aa.yaml", article(prerequisites="[Wohnsitz in Stadt]"))
    lotse = [sys.executable, "-m", "agent_console.cli", "kb", "lint", str(tree.root)]
    plain = subprocess.run(lotse, capture_output=True, text=True, check=False)
    strict = subprocess.run([*lotse, "--strict"], capture_output=True, text=True, check=False)
    assert (plain.returncode, strict.returncode) == (0, 1)
    assert "Dorf erbt 'prerequisites' mit 'Stadt'" in strict.stdout
