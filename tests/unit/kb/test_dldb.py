"""The DLDB importer: HTML cleaning, fee parsing, ids, synonyms and a small export end to end."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kb.importers.dldb import (
    OWNER,
    DldbError,
    ImportReport,
    html_to_text,
    import_dldb,
    normalise_phone,
    online_score,
    parse_fees,
    schema_comment,
    sentences,
    short_answer,
    slugify,
    synonyms,
    unique_ids,
)
from kb.loader import load
from kb.models import Fee
from kb.schemas import SCHEMA_DIR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dldb"
TODAY = date(2026, 11, 1)


# --- HTML to text -----------------------------------------------------------------------------


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    assert html_to_text("<p>Erster Absatz.</p>\n<p>Zweiter\n  Absatz.</p>") == (
        "Erster Absatz.\n\nZweiter Absatz."
    )


def test_lists_become_marked_lines() -> None:
    html = (
        "<p>Mitbringen:</p><ul><li>Pass</li><li><p>Foto</p></li></ul><ol><li>A</li><li>B</li></ol>"
    )
    assert html_to_text(html) == "Mitbringen:\n\n- Pass\n- Foto\n\n1. A\n2. B"


def test_br_inside_a_list_item_continues_indented() -> None:
    assert html_to_text("<ol><li>Vorsprechen<br>mit Unterlagen</li></ol>") == (
        "1. Vorsprechen\n   mit Unterlagen"
    )


def test_entities_are_decoded_and_invisible_characters_dropped() -> None:
    html = "<p>\u200bGeb&uuml;hr &amp; Foto:&nbsp;6&#8364;\u00ad</p>"
    assert html_to_text(html) == "Gebühr & Foto: 6€"


def test_inline_markup_links_and_scripts() -> None:
    html = '<p>Siehe <a href="https://x.example">die <b>Übersicht</b></a>.</p><script>x()</script>'
    assert html_to_text(html) == "Siehe die Übersicht."


def test_blank_lines_typed_inside_one_element_split_it() -> None:
    assert html_to_text("<p>\nFür ein Jahr: 150 Euro\r\n\nunbefristet: 270 Euro</p>") == (
        "Für ein Jahr: 150 Euro\nunbefristet: 270 Euro"
    )


def test_plain_text_and_empty_input() -> None:
    assert html_to_text("gebührenfrei") == "gebührenfrei"
    assert html_to_text("") == ""
    assert html_to_text(None) == ""
    assert html_to_text("<p> </p><p>\xa0</p>") == ""


# --- Sentences and short answers ----------------------------------------------------------------


def test_sentences_do_not_split_at_abbreviations_or_ordinals() -> None:
    text = "Bringen Sie z. B. ein Foto mit. Ab dem 24. Lebensjahr gilt das. Fertig!"
    assert sentences(text) == [
        "Bringen Sie z. B. ein Foto mit.",
        "Ab dem 24. Lebensjahr gilt das.",
        "Fertig!",
    ]


def test_short_answer_takes_the_first_sentences_of_the_first_paragraph() -> None:
    long_first = "Den Ausweis beantragen Sie persönlich im Bürgerbüro der Stadt, mit Termin. " * 2
    description = f"{long_first.strip()} Dritter Satz.\n\nZweiter Absatz."
    answer = short_answer(description, "Titel")
    assert answer == long_first.strip()


def test_short_answer_skips_heading_lines_and_uses_a_list_item_sentence() -> None:
    assert short_answer("Visumverfahren\nSie brauchen ein Visum. Mehr folgt.", "T") == (
        "Sie brauchen ein Visum. Mehr folgt."
    )
    assert short_answer("Fragen\n\n- zur Rente\n- Wir helfen gern.", "T") == "Wir helfen gern."


def test_short_answer_stops_before_a_heading_and_falls_back_to_the_title() -> None:
    assert short_answer("So geht es:\n\n- Schritt", "Gewerbe anmelden") == "Gewerbe anmelden"
    assert short_answer("", "Beratung allgemein") == "Beratung allgemein"


# --- Fees ---------------------------------------------------------------------------------------


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


# --- Ids, synonyms, phone numbers ---------------------------------------------------------------


def test_slugs_transliterate_umlauts_and_stay_short() -> None:
    assert slugify("Straßenfest – Änderung (Übergröße)") == "strassenfest-aenderung-uebergroesse"
    assert slugify("Café Crème") == "cafe-creme"
    long = slugify("Aufenthaltserlaubnis " * 10)
    assert len(long) <= 60
    assert not long.endswith("-")


def test_colliding_slugs_get_the_dldb_id() -> None:
    ids = unique_ids([("1", "fest"), ("2", "fest"), ("3", "fest-2"), ("4", ""), ("2x", "fest")])
    assert ids == {"1": "fest", "2": "fest-2", "3": "fest-2-3", "4": "dldb-4", "2x": "fest-2x"}


def test_keywords_become_synonyms_without_duplicates_or_the_title() -> None:
    keywords = "Perso, perso, Personalausweis, , Ausweis neu ,PERSO"
    assert synonyms(keywords, "Personalausweis") == ["Perso", "Ausweis neu"]
    assert synonyms("", "Titel") == []
    assert synonyms(None, "Titel") == []


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


# --- Whole import -------------------------------------------------------------------------------


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    out = tmp_path / "kb"
    report = import_dldb(FIXTURES / "services.json", FIXTURES / "locations.json", out, today=TODAY)
    assert report.skipped == {}
    return out


def test_fixture_import_loads_without_problems(imported: Path) -> None:
    kb = load(imported)
    assert kb.problems == []
    assert sorted(kb.articles) == [
        "fuehrungszeugnis",
        "strassenfest-anmelden",
        "strassenfest-anmelden-5003",
        "testausweis-beantragen",
    ]
    # Location 103 and 101 serve as no article's first location: no file for them.
    assert sorted(kb.offices) == [
        "buergeramt-mitte-oa-1",
        "ordnungsamt-veranstaltungen-oa-3",
        "stadtverwaltung-teststadt",
    ]


def test_report_counts(tmp_path: Path) -> None:
    report = import_dldb(
        FIXTURES / "services.json", FIXTURES / "locations.json", tmp_path, today=TODAY
    )
    assert (report.articles, report.offices) == (4, 3)
    assert (report.fees_parsed, report.fees_unparsed, report.fee_items) == (3, 1, 5)
    assert report.phones_borrowed == 2


def test_article_fields(imported: Path) -> None:
    article = load(imported).articles["testausweis-beantragen"]
    assert article.leika == "99008001000000"
    assert article.synonyms == ["Perso", "Ausweis neu", "on", "010", "12:30", "yes"]
    assert article.short_answer.startswith("Den Testausweis beantragen Sie persönlich")
    assert "- Foto biometrisch" in article.description
    assert "alert" not in article.description
    assert [f.amount for f in article.fees] == [Decimal("27.60"), Decimal("46.00"), None]
    assert article.online_service == "https://portal.example/antrag"
    assert [form.url for form in article.forms] == ["https://example.org/vollmacht.pdf"]
    assert article.office == "buergeramt-mitte-oa-1"
    assert article.status == "published"
    assert article.owner == OWNER
    assert article.category == "Stadtverwaltung Teststadt"
    assert article.last_reviewed == date(2026, 5, 4)
    assert "Auch angeboten bei: Bürgeramt Nord (OA-2)." in article.agent_notes
    assert any("Bitte vor Ort zahlen." in note for note in article.agent_notes)


def test_unparsed_fees_invalid_leika_and_missing_location(imported: Path) -> None:
    kb = load(imported)
    clash = kb.articles["strassenfest-anmelden-5003"]
    assert clash.leika is None
    assert clash.fees == []
    assert any('Siehe Übersicht "Kostenersatz"' in note for note in clash.agent_notes)
    assert clash.synonyms == ["Fest"]
    assert clash.short_answer == "Straßenfest anmelden"
    assert clash.last_reviewed == TODAY  # 2026-02-30 is no date
    assert clash.office == "stadtverwaltung-teststadt"
    several = kb.articles["strassenfest-anmelden"]
    assert several.leika is None
    assert any("99036008007003, 99036008007004" in note for note in several.agent_notes)
    assert several.last_reviewed == TODAY
    unknown = kb.articles["fuehrungszeugnis"]
    assert any("Standort 999 fehlt" in note for note in unknown.agent_notes)


def test_office_fields_and_borrowed_numbers(imported: Path) -> None:
    kb = load(imported)
    mitte = kb.offices["buergeramt-mitte-oa-1"]
    assert mitte.phone == "+49 123 456-789"
    assert mitte.email == "buergeramt@teststadt.example"
    assert mitte.website == "https://teststadt.example/buergeramt"
    assert mitte.address is not None and mitte.address.street == "Hauptstraße 1"
    assert mitte.address.room == "Zimmer 4"
    assert mitte.appointment.booking_url == "https://example.org/locations/100"
    assert mitte.state == "BY"
    assert mitte.opening_hours.for_weekday(0) == []
    assert any("Öffnungszeiten" in note for note in mitte.notes)
    events = kb.offices["ordnungsamt-veranstaltungen-oa-3"]  # its own number is "115"
    assert events.phone == mitte.phone
    assert any("Bürgeramt Mitte (OA-1)" in note for note in events.notes)


def test_files_start_with_the_schema_comment_inside_the_project(tmp_path: Path) -> None:
    assert schema_comment(tmp_path / "articles", "article.schema.json") == ""
    inside = SCHEMA_DIR.parent / "articles"
    assert schema_comment(inside, "article.schema.json") == (
        "# yaml-language-server: $schema=../schema/article.schema.json\n"
    )


def test_schema_comment_is_written_for_an_output_in_the_project_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the installation lives in tmp_path/project, so nothing is written to the checkout.
    monkeypatch.setattr("kb.importers.dldb.SCHEMA_DIR", tmp_path / "project" / "kb" / "schema")
    out = tmp_path / "project" / "import"
    import_dldb(FIXTURES / "services.json", FIXTURES / "locations.json", out, today=TODAY)
    office = (out / "offices" / "buergeramt-mitte-oa-1.yaml").read_text(encoding="utf-8")
    article = (out / "articles" / "fuehrungszeugnis.yaml").read_text(encoding="utf-8")
    assert office.startswith("# yaml-language-server: $schema=../../kb/schema/office.schema.json\n")
    assert article.startswith(
        "# yaml-language-server: $schema=../../kb/schema/article.schema.json\n"
    )
    assert load(out).problems == []


def test_unreadable_input_raises_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DldbError, match="not a UTF-8 JSON file"):
        import_dldb(broken, FIXTURES / "locations.json", tmp_path / "out")
    with pytest.raises(DldbError, match="cannot read file"):
        import_dldb(tmp_path / "missing.json", FIXTURES / "locations.json", tmp_path / "out")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"data": {"id": 1}}), encoding="utf-8")
    with pytest.raises(DldbError, match="'data' list"):
        import_dldb(wrong, FIXTURES / "locations.json", tmp_path / "out")


def test_services_without_id_are_skipped_with_a_reason(tmp_path: Path) -> None:
    services = json.loads((FIXTURES / "services.json").read_text(encoding="utf-8"))
    services["data"].append({"name": "Ohne Id"})
    services["data"].append(dict(services["data"][0]))
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    report = import_dldb(path, FIXTURES / "locations.json", tmp_path / "out", today=TODAY)
    assert report.articles == 4
    assert set(report.skipped) == {"#4", "5001"}


def test_report_reads_as_one_summary_line_plus_skips() -> None:
    report = ImportReport(articles=2, offices=1, fees_parsed=1, fee_items=3, skipped={"9": "why"})
    assert str(report).splitlines() == [
        "2 articles and 1 offices written; fees: 1 services parsed (3 fees), 0 kept as text; "
        "0 offices with a borrowed phone number; 1 services skipped",
        "skipped 9: why",
    ]
    assert issubclass(DldbError, ValueError)  # the CLI turns ValueError into one clear line


def test_hand_written_files_are_never_overwritten(tmp_path: Path) -> None:
    own = tmp_path / "offices" / "buergeramt-mitte-oa-1.yaml"
    own.parent.mkdir()
    own.write_text("id: buergeramt-mitte-oa-1\nname: Eigenes Amt\nextension: '2001'\n")
    before = own.read_text()
    for _ in range(2):  # a second import overwrites only its own files, with the same ids
        import_dldb(FIXTURES / "services.json", FIXTURES / "locations.json", tmp_path, today=TODAY)
        kb = load(tmp_path)
        assert kb.problems == []
        assert own.read_text() == before
        assert kb.offices["buergeramt-mitte-oa-1"].name == "Eigenes Amt"
        assert kb.articles["testausweis-beantragen"].office == "buergeramt-mitte-oa-1-100"
    assert len(list((tmp_path / "offices").iterdir())) == 4
    written = (tmp_path / "offices" / "buergeramt-mitte-oa-1-100.yaml").read_text()
    assert written.startswith("# Imported from a DLDB export")


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


def test_without_any_phone_number_services_are_skipped_not_written(tmp_path: Path) -> None:
    locations = json.loads((FIXTURES / "locations.json").read_text(encoding="utf-8"))
    for location in locations["data"]:
        location["contact"]["phone"] = ""
    path = tmp_path / "locations.json"
    path.write_text(json.dumps(locations), encoding="utf-8")
    report = import_dldb(FIXTURES / "services.json", path, tmp_path / "out", today=TODAY)
    assert report.articles == report.offices == 0
    assert set(report.skipped) == {"5001", "5002", "5003", "5004"}
    assert all("phone" in reason for reason in report.skipped.values())
    assert load(tmp_path / "out").errors == []
