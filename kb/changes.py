"""Which fields changed between two versions of a KB file, in German field names (pure)."""

from __future__ import annotations

from typing import Any

#: German names of the article's (and office's) fields, as editors call them.
FIELD_LABELS: dict[str, str] = {
    "id": "Kennung",
    "title": "Titel",
    "leika": "LeiKa-Schlüssel",
    "synonyms": "Synonyme",
    "short_answer": "Kurzantwort",
    "description": "Beschreibung",
    "documents": "Unterlagen",
    "prerequisites": "Voraussetzungen",
    "fees": "Gebühren",
    "processing_time": "Bearbeitungsdauer",
    "deadlines": "Fristen",
    "procedure": "Ablauf",
    "online_service": "Online-Dienst",
    "forms": "Formulare",
    "legal_basis": "Rechtsgrundlagen",
    "office": "Zuständige Stelle",
    "agent_notes": "Interne Hinweise",
    "short_answer_easy": "Kurzantwort in Leichter Sprache",
    "short_answer_translations": "Kurzantwort in anderen Sprachen",
    "category": "Kategorie",
    "tags": "Schlagwörter",
    "status": "Status",
    "owner": "Verantwortlich",
    "submitted_by": "Eingereicht von",
    "submitted_at": "Eingereicht am",
    "approved_by": "Freigegeben von",
    "approved_at": "Freigegeben am",
    "last_reviewed": "Zuletzt geprüft",
    "review_interval_days": "Prüfintervall",
    "name": "Name",
    "external": "Externe Stelle",
    "shared": "Für alle Gemeinden",
    "address": "Anschrift",
    "extension": "Durchwahl",
    "phone": "Telefon",
    "email": "E-Mail",
    "website": "Website",
    "appointment": "Termin",
    "languages": "Sprachen",
    "opening_hours": "Öffnungszeiten",
    "exceptions": "Abweichende Öffnungszeiten",
    "state": "Bundesland",
    "closed_on_holidays": "An Feiertagen geschlossen",
    "notes": "Hinweise",
}


def label(field: str) -> str:
    """The German name of a top-level field (the key itself when unknown)."""
    return FIELD_LABELS.get(field, field)


def changed_fields(old: Any, new: Any) -> list[str]:
    """Top-level fields whose values differ (added and removed ones included), in file order.

    Either side may be None (the file did not exist) or not a mapping (it did not parse):
    then every field of the other side counts as changed.
    """
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    keys = list(after) + [k for k in before if k not in after]
    return [str(k) for k in keys if before.get(k, _ABSENT) != after.get(k, _ABSENT)]


def describe(old: Any, new: Any) -> str:
    """German summary: `geändert: Gebühren, Kurzantwort`, `angelegt` or `unverändert`."""
    if old is None:
        return "angelegt"
    if new is None:
        return "gelöscht"
    fields = changed_fields(old, new)
    if not fields:
        return "Inhalt unverändert"
    return "geändert: " + ", ".join(label(f) for f in fields)


_ABSENT = object()
