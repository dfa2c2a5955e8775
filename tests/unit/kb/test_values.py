"""Single values from a catalogue record: slugs, unique ids, phone numbers, web and mail."""

from __future__ import annotations

import pytest

from kb.importers.values import email, normalise_phone, slugify, unique_ids, url, without_none


def test_slugs_transliterate_umlauts_and_stay_short() -> None:
    assert slugify("Straßenfest – Änderung (Übergröße)") == "strassenfest-aenderung-uebergroesse"
    assert slugify("Café Crème") == "cafe-creme"
    long = slugify("Aufenthaltserlaubnis " * 10)
    assert len(long) <= 60
    assert not long.endswith("-")


def test_colliding_slugs_get_the_dldb_id() -> None:
    ids = unique_ids([("1", "fest"), ("2", "fest"), ("3", "fest-2"), ("4", ""), ("2x", "fest")])
    assert ids == {"1": "fest", "2": "fest-2", "3": "fest-2-3", "4": "dldb-4", "2x": "fest-2x"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("089 233-45141", "+49 89 233-45141"),
        ("02353 71007", "+49 2353 71007"),
        ("+49 (0)89 123456", "+49 89 123456"),
        ("0049 89 123456", "+49 89 123456"),
        ("(089) 123 456", "+49 89 123 456"),
        ("Tel. 089 123456; Fax 089 999", "+49 89 123456"),
        ("115", None),
        ("", None),
        ("bitte schreiben", None),
        (None, None),
    ],
)
def test_phone_numbers_are_normalised_or_dropped(raw: str | None, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


def test_web_and_mail_addresses_are_checked_and_tidied() -> None:
    assert url(" https://example.org/a ") == "https://example.org/a"
    assert url("ftp://example.org/intern") is None
    assert url(None) is None
    assert email("mailto:Amt@Stadt.Example") == "amt@stadt.example"
    assert email("keine Adresse") is None


def test_without_none_keeps_false_and_empty_values() -> None:
    assert without_none({"a": None, "b": False, "c": "", "d": []}) == {"b": False, "c": "", "d": []}
