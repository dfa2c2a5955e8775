"""HTML to clean text: paragraphs, lists, entities, invisible characters, scripts."""

from __future__ import annotations

from kb.importers.html_text import html_to_text, text_lines


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


def test_text_lines_drop_list_markers_and_keep_breaks_only_when_asked() -> None:
    text = "Kopf:\n\n- Pass\n  2. Foto\n\nEnde"
    assert text_lines(text) == ["Kopf:", "Pass", "Foto", "Ende"]
    assert text_lines(text, keep_breaks=True) == ["Kopf:", "", "Pass", "Foto", "", "Ende"]
