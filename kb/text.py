"""Plain-text rendering of articles for agents (German), shared by the CLI and the console."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from kb.hours import describe, open_state
from kb.models import Article, Duration, Fee, Office

_UNITS = {
    "minutes": ("Minute", "Minuten"),
    "hours": ("Stunde", "Stunden"),
    "days": ("Tag", "Tage"),
    "weeks": ("Woche", "Wochen"),
    "months": ("Monat", "Monate"),
    "years": ("Jahr", "Jahre"),
}


def euro(amount: Decimal) -> str:
    """46 -> '46,00 €' (German decimal comma, thousands with a dot)."""
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


def fee_text(fee: Fee) -> str:
    """One fee as an agent reads it out, e.g. 'ca. 30,00 € pro Jahr (Bewohnerparken)'."""
    if fee.free:
        text = "gebührenfrei"
    else:
        assert fee.amount is not None  # the model guarantees amount or free
        text = euro(fee.amount)
        if fee.amount_max is not None:
            text = f"{text.removesuffix(' €')} bis {euro(fee.amount_max)}"
        if fee.approximate:
            text = f"ca. {text}"
        if fee.per:
            text += f" pro {fee.per}"
    return f"{text} ({fee.condition})" if fee.condition else text


def duration_text(duration: Duration) -> str:
    """Duration(3, 4, weeks) -> '3 bis 4 Wochen'."""
    one, many = _UNITS[duration.unit]
    top = duration.value_max if duration.value_max is not None else duration.value
    unit = one if top == 1 else many
    span = f"{duration.value}" + (
        f" bis {duration.value_max}" if duration.value_max is not None else ""
    )
    note = f" ({duration.note})" if duration.note else ""
    return f"{span} {unit}{note}"


def office_line(office: Office | None, now: datetime) -> str:
    """Name, transfer target and open-now state of an office."""
    if office is None:
        return "Zuständige Stelle unbekannt (Verweis im Artikel prüfen)"
    target = f"Durchwahl {office.extension}" if office.extension else f"Tel. {office.phone}"
    state = describe(open_state(office, now), now)
    booking = " · nur mit Termin" if office.appointment.required else ""
    return f"{office.name} · {target} · {state}{booking}"


#: The marker of a section a municipality sets itself (`lotse kb show --municipality`).
LOCAL_MARK = "◆"
#: What `--language` calls Leichte Sprache.
EASY = "leicht"


def short_answers(article: Article) -> dict[str, str]:
    """The short answer by language: `de`, then `leicht` (Leichte Sprache) and the codes of its
    translations, as far as the article has them."""
    found = {"de": article.short_answer}
    if article.short_answer_easy:
        found[EASY] = article.short_answer_easy
    return found | dict(sorted(article.short_answer_translations.items()))


def article_text(
    article: Article,
    office: Office | None,
    now: datetime,
    local: frozenset[str] = frozenset(),
    place: str | None = None,
    language: str = "de",
) -> str:
    """The whole article as plain text, short answer first.

    Args:
        local: fields the municipality `place` sets itself; their sections are marked ◆.
        place: the municipality's name, for the heading.
        language: the short answer's language (a key of `short_answers`).
    """
    lines = [article.title, "=" * len(article.title), ""]
    if place:
        lines.extend([f"Fassung für {place}" + (f"; {LOCAL_MARK} = eigene Angabe" if local else ""),
                      ""])  # fmt: skip
    answers = short_answers(article)
    mark = f"{LOCAL_MARK} " if {"short_answer", "short_answer_easy",
                                "short_answer_translations"} & local else ""  # fmt: skip
    if language != "de":
        lines.append(f"{mark}Kurzantwort ({_LANGUAGE_NAMES.get(language, language)}):")
        mark = ""
    lines.extend([mark + answers.get(language, article.short_answer), ""])
    if len(answers) > 1:
        lines.extend([f"Kurzantwort auch: {', '.join(a for a in answers if a != language)}", ""])

    def section(heading: str, items: list[str], numbered: bool = False, field: str = "") -> None:
        if items:
            marks = [f"{n}." if numbered else "•" for n in range(1, len(items) + 1)]
            title = f"{LOCAL_MARK} {heading}" if field in local else heading
            lines.extend([f"{title}:", *(f"  {m} {i}" for m, i in zip(marks, items, strict=True))])
            lines.append("")

    section(
        "Unterlagen",
        [f"{d.name} ({d.condition})" if d.condition else d.name for d in article.documents],
        field="documents",
    )
    section("Voraussetzungen", list(article.prerequisites), field="prerequisites")
    section("Gebühren", [fee_text(f) for f in article.fees], field="fees")
    if article.processing_time is not None:
        lines.extend([f"{_mark('processing_time', local)}Bearbeitungsdauer:"
                      f" {duration_text(article.processing_time)}", ""])  # fmt: skip
    section("Fristen", [d.description for d in article.deadlines], field="deadlines")
    section("Ablauf", list(article.procedure), numbered=True, field="procedure")
    lines.extend([f"{_mark('office', local)}Zuständig: {office_line(office, now)}", ""])
    if article.online_service:
        lines.extend([f"{_mark('online_service', local)}Online: {article.online_service}", ""])
    elif "online_service" in local:
        lines.extend([f"{LOCAL_MARK} Online: kein Online-Dienst", ""])
    section("Formulare", [f"{f.title}: {f.url}" for f in article.forms], field="forms")
    section("Rechtsgrundlagen", list(article.legal_basis), field="legal_basis")
    section("Interne Hinweise", list(article.agent_notes), field="agent_notes")
    return "\n".join(lines).rstrip() + "\n"


#: German names of the languages the sample KB has short answers in (others show their code).
_LANGUAGE_NAMES = {
    EASY: "Leichte Sprache",
    "en": "Englisch",
    "tr": "Türkisch",
    "uk": "Ukrainisch",
    "ar": "Arabisch",
    "ru": "Russisch",
    "pl": "Polnisch",
    "fr": "Französisch",
}


def _mark(field: str, local: frozenset[str]) -> str:
    return f"{LOCAL_MARK} " if field in local else ""
