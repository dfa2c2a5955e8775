"""DLDB services as article fields: synonyms, the online service link and the category."""

from __future__ import annotations

import pytest

from kb.importers.dldb_articles import (
    DEFAULT_CATEGORY,
    Service,
    category,
    online_score,
    responsible_location,
    synonyms,
)
from kb.importers.values import Json


def test_keywords_become_synonyms_without_duplicates_or_the_title() -> None:
    keywords = "Perso, perso, Personalausweis, , Ausweis neu ,PERSO"
    assert synonyms(keywords, "Personalausweis") == ["Perso", "Ausweis neu"]
    assert synonyms("", "Titel") == []
    assert synonyms(None, "Titel") == []


@pytest.mark.parametrize(
    ("title", "url", "service", "score"),
    [
        ("Online beantragen", "https://service.example/form", "Arbeitserlaubnis", 2),
        ("Antragstellung", "https://www.buergerserviceportal.de/x", "Zulassung", 1),
        ("Wunschkennzeichen reservieren", "https://www.buergerservice-portal.de/x", "Zulassung", 0),
        ("Kontaktformular", "https://service.example/intelliform/forms/kontakt", "Antrag", 0),
        ("Informationen zur Online-Ausweisfunktion", "https://example.org/faq", "Ausweis", 0),
        ("Verlust online melden", "https://example.org/verlust", "Parkausweis", 0),
        ("Verlust online melden", "https://example.org/verlust", "Parkausweis nach Verlust", 2),
    ],
)
def test_only_links_that_apply_online_become_the_online_service(
    title: str, url: str, service: str, score: int
) -> None:
    assert online_score(title, url, service) == score


AUTHORITY = {"authorities": [{"id": "1", "name": "Stadtverwaltung Teststadt"}]}
LOCATIONS: dict[str, Json] = {
    "100": {"organizationUnit": "Kreisverwaltungsreferat", "organization": "Landeshauptstadt"},
    "101": {"organizationUnit": None, "organization": " Regierung  von Oberbayern "},
    "102": {"organizationUnit": "", "organization": None},
    "103": {"organizationUnit": "Sozialreferat"},
}


@pytest.mark.parametrize(
    ("location_ids", "raw", "expected"),
    [
        (["100", "103"], AUTHORITY, "Kreisverwaltungsreferat"),  # the first location decides
        (["101"], AUTHORITY, "Regierung von Oberbayern"),  # no unit: the organisation
        (["102"], AUTHORITY, "Stadtverwaltung Teststadt"),  # neither: the authority
        (["999", "103"], AUTHORITY, "Stadtverwaltung Teststadt"),  # first one unknown
        ([], AUTHORITY, "Stadtverwaltung Teststadt"),  # no location at all
        ([], {"authorities": [{"id": "1"}]}, DEFAULT_CATEGORY),
        ([], {}, DEFAULT_CATEGORY),
    ],
)
def test_category_is_the_responsible_locations_unit_else_the_authority(
    location_ids: list[str], raw: Json, expected: str
) -> None:
    assert category(Service("5001", raw, location_ids), LOCATIONS) == expected


def test_the_responsible_location_is_the_first_one_the_export_lists() -> None:
    assert responsible_location(Service("1", {}, ["103", "100"]), LOCATIONS) == "103"
    assert responsible_location(Service("1", {}, ["999", "100"]), LOCATIONS) is None
    assert responsible_location(Service("1", {}, []), LOCATIONS) is None
