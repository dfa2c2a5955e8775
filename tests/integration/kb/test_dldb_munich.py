"""Import the real Munich DLDB export (../shared/data) and load the result without errors."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kb.importers.dldb import ImportReport, import_dldb
from kb.loader import KnowledgeBase, load
from tests.conftest import SHARED, skip_unless_ci

DATA = SHARED / "data"
SERVICES = DATA / "muenchen_dldb_services_de.json"
LOCATIONS = DATA / "muenchen_dldb_locations_de.json"
#: Number of services in the export (its meta.datacount).
MUNICH_SERVICES = 287

pytestmark = pytest.mark.dldb


@pytest.fixture(scope="module")
def munich(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, KnowledgeBase, Path]:
    if not (SERVICES.is_file() and LOCATIONS.is_file()):
        skip_unless_ci(f"Munich DLDB export not found in {DATA}")
    out = tmp_path_factory.mktemp("munich")
    report = import_dldb(SERVICES, LOCATIONS, out, today=date(2026, 11, 1))
    return report, load(out), out


def test_every_service_imports_and_loads_without_errors(
    munich: tuple[ImportReport, KnowledgeBase, Path],
) -> None:
    report, kb, _ = munich
    assert report.skipped == {}
    assert report.articles == MUNICH_SERVICES
    assert len(kb.articles) == MUNICH_SERVICES
    assert [str(p) for p in kb.errors] == []
    assert len(kb.offices) == report.offices


def test_every_article_points_at_a_written_office(
    munich: tuple[ImportReport, KnowledgeBase, Path],
) -> None:
    _, kb, out = munich
    assert {a.office for a in kb.articles.values()} == set(kb.offices)
    assert len(list((out / "offices").glob("*.yaml"))) == len(kb.offices)


def test_known_services_come_out_structured(
    munich: tuple[ImportReport, KnowledgeBase, Path],
) -> None:
    report, kb, _ = munich
    ausweis = next(a for a in kb.articles.values() if a.title == "Personalausweis")
    assert ausweis.leika == "99008001000000"
    fees = {(f.amount, f.condition) for f in ausweis.fees}
    assert (Decimal("27.60"), "unter 24 Jahren") in fees
    assert (Decimal("46.00"), "über 24 Jahren") in fees
    assert (None, "Änderung beziehungsweise Neusetzen der PIN") in fees  # gebührenfrei
    assert ausweis.synonyms[:3] == ["Pass", "Perso", "Ausweis"]
    assert all(a.status == "published" and a.short_answer for a in kb.articles.values())
    # Most fee texts give structured fees; the rest keep their text for the agent.
    assert report.fees_parsed + report.fees_unparsed == 193
    assert report.fees_parsed >= 170
    leika = sum(1 for a in kb.articles.values() if a.leika)
    assert leika == 131  # 132 carry a key; one lists several keys and goes to a note


def test_categories_name_the_responsible_unit(
    munich: tuple[ImportReport, KnowledgeBase, Path],
) -> None:
    _, kb, _ = munich
    ausweis = next(a for a in kb.articles.values() if a.title == "Personalausweis")
    assert ausweis.category == "Kreisverwaltungsreferat"
    categories = Counter(a.category for a in kb.articles.values())
    assert len(categories) == 10
    assert categories["Hauptabteilung IV Branddirektion"] == 8
    assert categories["Regierung von Oberbayern"] == 2  # location without a unit: organisation
    # Six services without a location and one at a location without unit or organisation.
    assert categories["Stadtverwaltung München"] == 7
