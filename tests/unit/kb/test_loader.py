"""The loader reports every problem as file:line:column and never lets one file break the rest."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kb.loader import MAX_FILE_BYTES, load
from tests.unit.kb.conftest import ARTICLE, Write


def problems_of(root: Path) -> list[str]:
    return [str(p).replace(f"{root}/", "") for p in load(root).problems]


def test_valid_kb_loads_without_problems(valid_kb: Write, kb_root: Path) -> None:
    kb = load(kb_root)
    assert kb.problems == []
    assert list(kb.articles) == ["aa"]
    assert kb.articles["aa"].fees[0].amount == Decimal("10.00")
    assert kb.office_for(kb.articles["aa"]) is kb.offices["amt"]


def test_broken_article_is_skipped_and_others_still_load(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", "id: bb\ntitle: [unclosed\n")
    kb = load(kb_root)
    assert list(kb.articles) == ["aa"]
    assert len(kb.errors) == 1
    assert kb.errors[0].path.name == "bb.yaml"


def test_yaml_syntax_error_has_line_and_column(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", "id: bb\ntitle: x\n  short_answer: y\n")
    [problem] = problems_of(kb_root)
    assert problem.startswith("articles/bb.yaml:3:")
    assert "YAML" in problem


def test_wrong_type_points_to_the_field_path(valid_kb: Write, kb_root: Path) -> None:
    fees = '- amount: "1.00"\n  - amount: zehn'
    text = ARTICLE.format(id="bb").replace('- amount: "10.00"', fees)
    valid_kb("articles", "bb.yaml", text)
    [problem] = problems_of(kb_root)
    assert problem.startswith("articles/bb.yaml:7:13: error: fees[1].amount:")


def test_unknown_field_is_reported_at_its_key_with_a_suggestion(
    valid_kb: Write, kb_root: Path
) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb") + "synonmys: [x]\n")
    [problem] = problems_of(kb_root)
    assert problem == (
        "articles/bb.yaml:12:1: error: synonmys: unbekanntes Feld 'synonmys' "
        "(meinten Sie 'synonyms'?)"
    )


def test_missing_required_field(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("short_answer: Eine kurze Antwort.\n", "")
    valid_kb("articles", "bb.yaml", text)
    [problem] = problems_of(kb_root)
    assert "short_answer: Pflichtfeld fehlt" in problem


def test_duplicate_yaml_key(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb") + "title: Nochmal\n")
    [problem] = problems_of(kb_root)
    assert problem.startswith("articles/bb.yaml:12:1: error:")
    assert "Schlüssel 'title' doppelt (zuerst in Zeile 2)" in problem


def test_id_must_match_file_name(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="cc"))
    [problem] = problems_of(kb_root)
    assert problem == (
        "articles/bb.yaml:1:5: error: id: id 'cc' passt nicht zum Dateinamen 'bb.yaml'"
    )


def test_duplicate_ids_across_yaml_and_yml(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "aa.yml", ARTICLE.format(id="aa"))
    kb = load(kb_root)
    assert len(kb.articles) == 1
    [problem] = kb.problems
    assert "Artikel-id 'aa' doppelt" in problem.message


def test_unknown_office_reference_is_an_error_but_article_stays(
    valid_kb: Write, kb_root: Path
) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb").replace("office: amt", "office: x1"))
    kb = load(kb_root)
    [problem] = kb.problems
    assert (problem.line, problem.field) == (7, "office")
    assert "unbekannte Stelle 'x1'" in problem.message
    assert kb.office_for(kb.articles["bb"]) is None


def test_non_utf8_file_reports_the_position_of_the_bad_byte(valid_kb: Write, kb_root: Path) -> None:
    (kb_root / "articles" / "bb.yaml").write_bytes(b"id: bb\ntitle: Stra\xdfe\n")
    [problem] = problems_of(kb_root)
    assert problem.startswith("articles/bb.yaml:2:12: error: kein UTF-8 (Byte 0xdf)")


def test_empty_and_comment_only_files(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", "")
    valid_kb("articles", "cc.yaml", "# nur ein Kommentar\n\n")
    assert problems_of(kb_root) == [
        "articles/bb.yaml:1:1: error: Datei ist leer",
        "articles/cc.yaml:1:1: error: Datei ist leer",
    ]


def test_huge_file_is_refused(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb") + "#" * MAX_FILE_BYTES)
    [problem] = problems_of(kb_root)
    assert "Datei zu groß" in problem


def test_top_level_must_be_a_mapping(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", "- id: bb\n")
    [problem] = problems_of(kb_root)
    assert "erwartet Felder (Schlüssel: Wert) auf oberster Ebene, gefunden: eine Liste" in problem


def test_yaml11_no_on_off_stay_text(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb") + "synonyms: [no, on, off, yes]\n")
    kb = load(kb_root)
    assert kb.problems == []
    assert kb.articles["bb"].synonyms == ["no", "on", "off", "yes"]


def test_yaml11_boolean_words_are_refused_for_flags(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace('- amount: "10.00"', "- free: yes")
    valid_kb("articles", "bb.yaml", text)
    [problem] = problems_of(kb_root)
    assert "fees[0].free: erwartet true oder false" in problem


def test_language_code_no_is_norwegian(valid_kb: Write, kb_root: Path) -> None:
    valid_kb(
        "offices",
        "nord.yaml",
        'id: nord\nname: Nord\nextension: "2002"\nlanguages: [de, no]\n'
        "opening_hours:\n  mo: [08:00-12:30]\n",
    )
    kb = load(kb_root)
    assert kb.problems == []
    assert kb.offices["nord"].languages == ["de", "no"]


def test_sexagesimal_time_stays_text_or_is_reported(valid_kb: Write, kb_root: Path) -> None:
    # YAML 1.1 reads 12:30 as 750; here it stays "12:30" and fails the interval pattern clearly.
    valid_kb(
        "offices",
        "nord.yaml",
        'id: nord\nname: Nord\nextension: "2002"\nopening_hours:\n  mo: [12:30]\n',
    )
    [problem] = problems_of(kb_root)
    assert problem.startswith("offices/nord.yaml:5:8: error: opening_hours.mo[0]: '12:30'")


def test_leading_zero_number_stays_text(valid_kb: Write, kb_root: Path) -> None:
    valid_kb(
        "offices",
        "nord.yaml",
        "id: nord\nname: Nord\nextension: 010\nopening_hours:\n  mo: [08:00-12:00]\n",
    )
    kb = load(kb_root)
    assert kb.problems == []
    assert kb.offices["nord"].extension == "010"


def test_unquoted_number_in_text_field_asks_for_quotes(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb") + "leika: 99008001000000\n"
    valid_kb("articles", "bb.yaml", text)
    [problem] = problems_of(kb_root)
    assert "leika: erwartet Text; YAML hat eine Zahl gelesen: in Anführungszeichen" in problem


def test_unquoted_date_is_parsed_and_impossible_date_reported(
    valid_kb: Write, kb_root: Path
) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb").replace("2026-10-01", "2026-13-01"))
    [problem] = problems_of(kb_root)
    assert problem.startswith("articles/bb.yaml:11:16: error: last_reviewed:")


def test_float_fee_keeps_its_written_digits(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace('amount: "10.00"', "amount: 27.6")
    valid_kb("articles", "bb.yaml", text)
    assert load(kb_root).articles["bb"].fees[0].amount == Decimal("27.6")


def test_missing_articles_folder(tmp_path: Path) -> None:
    kb = load(tmp_path)
    assert [p.message for p in kb.problems] == ["kein Ordner articles/ in der Wissensdatenbank"]


def test_transfer_target_dials_external_numbers_from_germany() -> None:
    from kb.models import Office, dial_digits

    assert dial_digits("+49 2151 86-2001") == "02151862001"
    assert dial_digits("+43 1 234 56") == "0043123456"
    assert dial_digits("0800 4555530") == "08004555530"
    office = Office(id="fk", name="Familienkasse", external=True, phone="0800 4555530")
    assert office.transfer_target == "08004555530"
    inside = Office(id="bb", name="Bürgerbüro", extension="2001", phone="+49 2151 86-2001")
    assert inside.transfer_target == "2001"
