"""Sentence splitting and the short answer taken from a description."""

from __future__ import annotations

from kb.importers.sentences import sentences, short_answer


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
