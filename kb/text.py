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


def article_text(article: Article, office: Office | None, now: datetime) -> str:
    """The whole article as plain text, short answer first."""
    lines = [article.title, "=" * len(article.title), "", article.short_answer, ""]

    def section(heading: str, items: list[str], numbered: bool = False) -> None:
        if items:
            marks = [f"{n}." if numbered else "•" for n in range(1, len(items) + 1)]
            lines.extend(
                [f"{heading}:", *(f"  {m} {i}" for m, i in zip(marks, items, strict=True))]
            )
            lines.append("")

    section(
        "Unterlagen",
        [f"{d.name} ({d.condition})" if d.condition else d.name for d in article.documents],
    )
    section("Voraussetzungen", list(article.prerequisites))
    section("Gebühren", [fee_text(f) for f in article.fees])
    if article.processing_time is not None:
        lines.extend([f"Bearbeitungsdauer: {duration_text(article.processing_time)}", ""])
    section("Fristen", [d.description for d in article.deadlines])
    section("Ablauf", list(article.procedure), numbered=True)
    lines.extend([f"Zuständig: {office_line(office, now)}", ""])
    if article.online_service:
        lines.extend([f"Online: {article.online_service}", ""])
    section("Formulare", [f"{f.title}: {f.url}" for f in article.forms])
    section("Rechtsgrundlagen", list(article.legal_basis))
    section("Interne Hinweise", list(article.agent_notes))
    return "\n".join(lines).rstrip() + "\n"
