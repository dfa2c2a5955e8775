"""The DLDB import end to end on a small export: files, fields, report, errors, safety."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kb.exceptions import CatalogueImportError, KbError
from kb.importers.dldb import DldbError, ImportReport, import_dldb, schema_comment
from kb.importers.dldb_articles import OWNER
from kb.loader import load
from kb.schemas import SCHEMA_DIR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dldb"
TODAY = date(2026, 11, 1)


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
    assert article.category == "Ordnungsamt"  # organizationUnit of location 100
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
    assert clash.category == "Stadtverwaltung Teststadt"  # no location: the authority
    several = kb.articles["strassenfest-anmelden"]
    assert several.leika is None
    assert any("99036008007003, 99036008007004" in note for note in several.agent_notes)
    assert several.last_reviewed == TODAY
    unknown = kb.articles["fuehrungszeugnis"]
    assert any("Standort 999 fehlt" in note for note in unknown.agent_notes)
    assert unknown.category == "Stadtverwaltung Teststadt"


def test_category_follows_the_responsible_location(tmp_path: Path) -> None:
    locations = json.loads((FIXTURES / "locations.json").read_text(encoding="utf-8"))
    by_id = {location["id"]: location for location in locations["data"]}
    by_id["100"]["organizationUnit"] = None
    by_id["100"]["organization"] = "Landeshauptstadt Teststadt"
    by_id["102"]["organizationUnit"] = "Kreisverwaltungsreferat"
    path = tmp_path / "locations.json"
    path.write_text(json.dumps(locations), encoding="utf-8")
    import_dldb(FIXTURES / "services.json", path, tmp_path / "out", today=TODAY)
    categories = {a.id: a.category for a in load(tmp_path / "out").articles.values()}
    assert categories == {
        "testausweis-beantragen": "Landeshauptstadt Teststadt",  # no unit: the organisation
        "strassenfest-anmelden": "Kreisverwaltungsreferat",
        "strassenfest-anmelden-5003": "Stadtverwaltung Teststadt",
        "fuehrungszeugnis": "Stadtverwaltung Teststadt",
    }


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


def test_dldb_errors_belong_to_the_kb_hierarchy(tmp_path: Path) -> None:
    assert issubclass(DldbError, CatalogueImportError)
    with pytest.raises(CatalogueImportError) as caught:
        import_dldb(tmp_path / "missing.json", FIXTURES / "locations.json", tmp_path / "out")
    assert isinstance(caught.value, KbError)
    assert isinstance(caught.value, ValueError)


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
