"""Search for a municipality: its versions, its offices, its own services before others'."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.loader import KnowledgeBase, load
from search.indexer import ensure_index
from search.protocol import Hit
from search.searcher import IndexSearcher
from tests.integration.search.conftest import KB_ROOT, MONDAY_MORNING


def top(hits: list[Hit]) -> Hit:
    assert hits, "no hit"
    return hits[0]


def test_a_municipality_gets_its_version_with_its_office(searcher: IndexSearcher) -> None:
    here = top(searcher.search("Hundesteuer", municipality="beispielheim"))
    assert (here.id, here.municipality) == ("hund-anmelden", "beispielheim")
    assert here.office_id == "beispielheim-steueramt"
    assert here.office_name == "Steueramt Beispielheim"
    assert here.open_state is not None and here.open_state.is_open  # Monday 10:00
    assert {"fees", "short_answer", "office"} <= here.local_fields
    base = top(searcher.search("Hundesteuer"))
    assert (base.id, base.municipality, base.office_id) == ("hund-anmelden", None, "steueramt")
    assert base.local_fields == frozenset()


def test_a_mapped_office_is_used_without_an_overlay(searcher: IndexSearcher) -> None:
    hit = top(searcher.search("Personalausweis beantragen", municipality="ortsdorf"))
    assert (hit.id, hit.office_id) == ("personalausweis-beantragen", "ortsdorf-buergerbuero")
    assert hit.local_fields == {"office"}


def test_the_home_municipality_and_unknown_ones_get_the_base(searcher: IndexSearcher) -> None:
    for place in ("musterstadt", "gibtsnicht", None):
        hit = top(searcher.search("Hundesteuer", municipality=place))
        assert hit.office_id == "steueramt", place
    assert top(searcher.search("Hundesteuer", municipality="musterstadt")).municipality == (
        "musterstadt"
    )


def test_text_only_a_municipality_has_finds_only_its_version(searcher: IndexSearcher) -> None:
    here = top(searcher.search("Sperrmüllkarte", municipality="beispielheim"))
    assert (here.id, here.municipality) == ("sperrmuell", "beispielheim")
    assert "short_answer" in here.matched_fields
    for place in ("ortsdorf", None):
        hits = searcher.search("Sperrmüllkarte Abfallkalender", municipality=place)
        assert all(h.municipality != "beispielheim" for h in hits), place


def test_one_hit_per_service_for_a_municipality(searcher: IndexSearcher) -> None:
    for place in ("beispielheim", "ortsdorf", None):
        hits = searcher.search("Sperrmüll abholen lassen", limit=30, municipality=place)
        ids = [h.id for h in hits]
        assert len(ids) == len(set(ids)), place
        assert ids[0] == "sperrmuell"
        assert hits[0].municipality == place


def test_own_services_rank_before_other_towns_own_services(searcher: IndexSearcher) -> None:
    here = top(searcher.search("Brennholz", municipality="ortsdorf"))
    assert (here.id, here.municipality, here.office_id) == (
        "brennholz-gemeindewald", "ortsdorf", "ortsdorf-ordnungsamt"
    )  # fmt: skip
    for place in ("beispielheim", None):
        hits = searcher.search("Brennholz Feuerholz kaufen", limit=30, municipality=place)
        foreign = [i for i, h in enumerate(hits) if h.municipality not in (place, None)]
        assert foreign, place
        assert hits[foreign[0]].id == "brennholz-gemeindewald"
        assert foreign == list(range(foreign[0], len(hits))), "foreign services come last"
    hits = searcher.search("Grünschnitt Gartenabfälle entsorgen", limit=30, municipality="ortsdorf")
    assert [h.municipality for h in hits][-1] == "beispielheim"
    assert hits[0].id != "gruenschnitt-annahme"
    here = top(searcher.search("Grünschnitt Gartenabfälle entsorgen", municipality="beispielheim"))
    assert (here.id, here.municipality) == ("gruenschnitt-annahme", "beispielheim")


def test_the_name_scan_finds_local_services_too(searcher: IndexSearcher) -> None:
    hits = searcher.search("Brenholtz", municipality="ortsdorf")
    assert [(h.id, h.municipality) for h in hits][:1] == [("brennholz-gemeindewald", "ortsdorf")]


def test_an_edited_overlay_is_searched_after_an_update(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(KB_ROOT, root, ignore=shutil.ignore_patterns("approved"))
    kb = load(root)
    searcher = IndexSearcher.open(kb, tmp_path / "index", clock=lambda: MONDAY_MORNING)
    try:
        assert not _finds(searcher, "Wasserschlosstrauung", "beispielheim")
        path = root / "municipalities/beispielheim/articles/geburtsurkunde.yaml"
        path.write_text(
            path.read_text(encoding="utf-8") + "synonyms: [Wasserschlosstrauung]\n",
            encoding="utf-8",
        )
        changed = load(root)
        searcher.update(changed, "geburtsurkunde")
        assert _finds(searcher, "Wasserschlosstrauung", "beispielheim")
        assert not _finds(searcher, "Wasserschlosstrauung", None)
        assert not _finds(searcher, "Wasserschlosstrauung", "ortsdorf")
        path.unlink()
        searcher.update(load(root), "geburtsurkunde")
        assert not _finds(searcher, "Wasserschlosstrauung", "beispielheim")
        hit = top(searcher.search("Geburtsurkunde", municipality="beispielheim"))
        assert (hit.id, hit.office_id) == ("geburtsurkunde", "beispielheim-standesamt")
        assert hit.local_fields == {"office"}
    finally:
        searcher.close()


def test_a_reopened_index_matches_the_layers(tmp_path: Path, sample_kb: KnowledgeBase) -> None:
    first = IndexSearcher.open(sample_kb, tmp_path / "index")
    first.close()
    again = IndexSearcher.open(sample_kb, tmp_path / "index")
    try:
        assert again.status.action == "opened"
        assert top(again.search("Brennholz", municipality="ortsdorf")).municipality == "ortsdorf"
    finally:
        again.close()


def _finds(searcher: IndexSearcher, text: str, place: str | None) -> bool:
    return any(h.id == "geburtsurkunde" for h in searcher.search(text, municipality=place))


def test_towns_versions_leave_the_base_ranking_as_it_was(tmp_path: Path) -> None:
    """Ten towns repeating an article's text (with a word of their own) change no base score:
    versions take no part in the term statistics or the vocabulary."""
    flat = tmp_path / "flat"
    shutil.copytree(KB_ROOT, flat, ignore=shutil.ignore_patterns("approved", "municipalities"))
    layered = tmp_path / "layered"
    shutil.copytree(flat, layered)
    for n in range(10):
        folder = layered / "municipalities" / f"ort-{n}"
        (folder / "articles").mkdir(parents=True)
        (folder / "municipality.yaml").write_text(f"id: ort-{n}\nname: Ort {n}\nstate: NW\n")
        (folder / "articles" / "personalausweis-beantragen.yaml").write_text(
            "id: personalausweis-beantragen\n"
            f"synonyms: [Ausweis, Ausweis beantragen, Parkplatzausweis, Ortsausweis{n}]\n"
        )
    queries = ("ausweis", "behindertenparkplatz ausweis", "perso verloren", "parkausweis")
    scores, vocabularies = [], []
    for root in (flat, layered):
        files = ensure_index(load(root), tmp_path / f"index-{root.name}")
        vocabularies.append(files.vocab)
        searcher = IndexSearcher(files, load(root))
        try:
            scores.append([[(h.id, h.score) for h in searcher.search(q, 5)] for q in queries])
        finally:
            searcher.close()
    assert scores[0] == scores[1]
    assert vocabularies[0] == vocabularies[1]  # compounds split as before
