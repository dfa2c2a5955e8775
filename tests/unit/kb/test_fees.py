"""Fee texts to structured fees: amounts, ranges, free of charge, labels, headings, prose."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kb.importers.fees import parse_fees
from kb.models import Fee


def _fees(text: str) -> list[Fee]:
    return [Fee.model_validate(fee) for fee in parse_fees(text).fees]


@pytest.mark.parametrize(
    ("text", "amount", "amount_max"),
    [
        ("27,60 €", "27.60", None),
        ("46,00 Euro", "46.00", None),
        ("113,00 EUR", "113.00", None),
        ("1.000 Euro", "1000.00", None),
        ("10 bis 15 €", "10.00", "15.00"),
        ("600 - 1000 Euro", "600.00", "1000.00"),
        ("zwischen 5,00 und 7,50 Euro", "5.00", "7.50"),
    ],
)
def test_amounts_and_ranges(text: str, amount: str, amount_max: str | None) -> None:
    (fee,) = _fees(text)
    assert fee.amount == Decimal(amount)
    assert fee.amount_max == (Decimal(amount_max) if amount_max else None)
    assert fee.free is False
    assert fee.condition is None


@pytest.mark.parametrize(
    "text",
    [
        "kostenfrei",
        "gebührenfrei",
        "Gebührenfrei",
        "kostenlos",
        "Keine Gebühr",
        "Es fallen keine Gebühren an.",
    ],
)
def test_free_of_charge(text: str) -> None:
    assert _fees(text) == [Fee(free=True)]


def test_label_before_a_colon_becomes_the_condition() -> None:
    fees = _fees("- unter 24 Jahren: 27,60 Euro\n- PIN-Änderung: gebührenfrei")
    assert fees == [
        Fee(amount=Decimal("27.60"), condition="unter 24 Jahren"),
        Fee(free=True, condition="PIN-Änderung"),
    ]


def test_free_label_first_puts_the_case_after_the_colon() -> None:
    assert _fees("Gebührenfrei: bei Mittellosigkeit") == [
        Fee(free=True, condition="bei Mittellosigkeit")
    ]


def test_qualifiers_per_unit_and_parenthesised_conditions() -> None:
    fees = _fees(
        "Neufahrzeug: ab 20,50 Euro\nEheschließung: etwa 300 Euro\n10 Euro pro Anwesen\n"
        "50 bis 60 Euro (abhängig von der Rechtsform)"
    )
    assert fees == [
        Fee(amount=Decimal("20.50"), condition="Neufahrzeug, Mindestgebühr"),
        Fee(amount=Decimal("300"), condition="Eheschließung", approximate=True),
        Fee(amount=Decimal("10"), per="Anwesen"),
        Fee(
            amount=Decimal("50"), amount_max=Decimal("60"), condition="abhängig von der Rechtsform"
        ),
    ]


def test_two_amounts_joined_by_oder_share_the_label() -> None:
    fees = _fees(
        "Türkische Staatsangehörige: 46 Euro (ab 24 Jahren) oder 27,60 Euro (bis 24 Jahre)"
    )
    assert [(f.amount, f.condition) for f in fees] == [
        (Decimal("46"), "Türkische Staatsangehörige, ab 24 Jahren"),
        (Decimal("27.60"), "Türkische Staatsangehörige, bis 24 Jahre"),
    ]


def test_a_heading_line_prefixes_the_fees_below_it() -> None:
    text = (
        "Personalausweis:\n\n- unter 24 Jahren: 27,60 Euro\n\n"
        "Reisepass:\n\n- unter 24 Jahren: 37,50 Euro"
    )
    assert [f.condition for f in _fees(text)] == [
        "Personalausweis: unter 24 Jahren",
        "Reisepass: unter 24 Jahren",
    ]


def test_a_sentence_stays_whole_as_the_condition() -> None:
    (fee,) = _fees("Bei Ablehnung des Antrags wird eine Gebühr von 100 Euro erhoben.")
    assert fee.amount == Decimal("100")
    assert fee.condition == "Bei Ablehnung des Antrags wird eine Gebühr von 100 Euro erhoben."


def test_prose_and_ambiguous_lines_are_kept_as_notes_not_fees() -> None:
    text = (
        'Siehe Übersicht "Kostenersatz"\n'
        "Eine Auskunft kostet 10 Euro, beziehungsweise 15 Euro.\n"
        "Per Post mit 1,80 Euro frankiertem Umschlag kostenlos."
    )
    result = parse_fees(text)
    assert result.fees == []
    assert result.notes == text.splitlines()


def test_every_parsed_fee_is_valid_for_the_model() -> None:
    text = "ab 0,50 Euro\n5 bis 5 Euro\nbis 100 Euro\nplus 22 Euro Aufpreis"
    fees = _fees(text)
    assert [f.amount for f in fees] == [
        Decimal("0.50"),
        Decimal("5"),
        Decimal("100"),
        Decimal("22"),
    ]
    assert [f.condition for f in fees] == [
        "Mindestgebühr",
        None,
        "Höchstgebühr",
        "Aufpreis, zusätzlich",
    ]


def test_a_range_running_backwards_is_not_a_fee() -> None:
    assert parse_fees("15 bis 10 Euro").fees == []


def test_a_label_of_only_punctuation_adds_no_empty_condition() -> None:
    assert parse_fees("–: 10 Euro oder 20 Euro").fees == [{"amount": "10.00"}, {"amount": "20.00"}]
