"""DLDB services as article fields: text, fees, links, notes for the agent and the category."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kb.importers.dldb_offices import unit
from kb.importers.fees import FeeParse, parse_fees
from kb.importers.html_text import html_to_text
from kb.importers.sentences import short_answer
from kb.importers.values import Json, obj, objects, text, url, without_none
from kb.models import LEIKA_PATTERN

#: Owner written into every imported article.
OWNER = "Import DLDB München"
#: Category of a service whose location and authority have no name.
DEFAULT_CATEGORY = "DLDB"

_PORTALS = ("serviceportal", "service-portal", "/intelliform/")
_APPLY = ("antrag", "beantrag", "melden", "portal", "zulassung", "außer betrieb")


@dataclass(frozen=True)
class Service:
    """The parts of one DLDB service the article is built from."""

    sid: str
    raw: Json
    location_ids: list[str]


def authority(raw: Json) -> Json:
    """The service's first authority ("Stadtverwaltung München"), or an empty object."""
    return (objects(raw.get("authorities")) or [{}])[0]


def responsible_location(service: Service, locations: Mapping[str, Json]) -> str | None:
    """Id of the location that handles the service: its first one, if the export lists it."""
    first = service.location_ids[0] if service.location_ids else None
    return first if first in locations else None


def category(service: Service, locations: Mapping[str, Json]) -> str:
    """The responsible location's organisational unit, else the authority's name."""
    loc_id = responsible_location(service, locations)
    own = unit(locations[loc_id]) if loc_id is not None else ""
    return own or text(authority(service.raw).get("name")) or DEFAULT_CATEGORY


def fee_text(raw: Json) -> str:
    """The service's fee HTML as clean text ("" when it has none)."""
    fees = raw.get("fees")
    return html_to_text(fees) if isinstance(fees, str) else ""


def synonyms(keywords: object, title: str) -> list[str]:
    """Comma-separated DLDB keywords -> synonyms, deduplicated, without the title itself."""
    seen = {title.casefold()}
    out = []
    for word in (text(w) for w in (keywords.split(",") if isinstance(keywords, str) else [])):
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            out.append(word)
    return out


def online_score(title: str, link: str, service: str) -> int:
    """How surely a link is the service's online application (0: not at all).

    Only links that say they apply or report online count; a loss report ("Verlust...")
    counts only for a service about a loss.
    """
    name = title.lower()
    if "verlust" in name and "verlust" not in service.lower():
        return 0
    applies = any(word in name for word in _APPLY)
    if "online" in name and applies:
        return 2  # "Online beantragen", "Fahrzeug online außer Betrieb setzen"
    portal = any(part in link.lower() for part in _PORTALS) and "kontakt" not in name
    return 1 if portal and applies else 0  # "Antragstellung" on the Bürgerservice-Portal


def _links(raw: Json) -> tuple[str | None, list[Json]]:
    """(online service url, forms) from the service's forms and links, http(s) only."""
    service = text(raw.get("name"))
    links: dict[str, str] = {}
    for item in [*objects(raw.get("forms")), *objects(raw.get("links"))]:
        link = url(item.get("link"))
        if link is not None and link not in links:
            links[link] = text(item.get("name")) or link
    scores = {link: online_score(title, link, service) for link, title in links.items()}
    best = max(scores.values(), default=0)
    online = next((link for link, score in scores.items() if score == best), None) if best else None
    forms = [{"title": title, "url": link} for link, title in links.items() if link != online]
    return online, forms


def _leika(value: object) -> tuple[str | None, str | None]:
    """(valid single key, note) — several keys or malformed ones go to a note."""
    key = text(value)
    if not key:
        return None, None
    if re.fullmatch(LEIKA_PATTERN, key):
        return key, None
    return None, f"LeiKa-Schlüssel laut DLDB (nicht übernommen): {key}"


def _last_reviewed(raw: Json, today: date) -> date:
    try:
        return date.fromisoformat(text(obj(raw.get("meta")).get("lastupdate"))[:10])
    except ValueError:
        return today


def _fee_notes(fees: str, parsed: FeeParse) -> list[str]:
    """The fee text for the agent: its hint lines, or all of it when nothing was parsed."""
    if parsed.fees and parsed.notes:
        return ["Gebührenhinweise laut DLDB:\n" + "\n".join(parsed.notes)]
    if fees and not parsed.fees:
        return ["Gebühren laut DLDB (nicht strukturiert):\n" + fees]
    return []


def _location_notes(service: Service, locations: Mapping[str, Json]) -> list[str]:
    """Further locations of the service, or why its responsible location is unknown."""
    ids = service.location_ids
    others = [text(locations[i].get("name")) or i for i in ids[1:] if i in locations]
    notes = ["Auch angeboten bei: " + "; ".join(others) + "."] if others else []
    if not ids:
        notes.append("In der DLDB ist kein Standort hinterlegt; zuständige Stelle klären.")
    elif ids[0] not in locations:
        notes.append(
            f"Standort {ids[0]} fehlt in der Standortliste der DLDB; zuständige Stelle klären."
        )
    return notes


def article_data(
    service: Service,
    article_id: str,
    office_id: str,
    locations: Mapping[str, Json],
    today: date,
) -> Json:
    """One DLDB service as article fields; `locations` is the export's, by location id."""
    raw, sid = service.raw, service.sid
    title = text(raw.get("name")) or f"Leistung {sid}"
    description = html_to_text(raw.get("description"))
    notes = [f"Importiert aus der DLDB (Leistung {sid})."]
    leika, leika_note = _leika(raw.get("leika"))
    notes += [leika_note] if leika_note else []
    fees = fee_text(raw)
    parsed = parse_fees(fees)
    notes += _fee_notes(fees, parsed)
    notes += _location_notes(service, locations)
    if raw.get("public") is False:
        notes.append("In der DLDB als nicht öffentlich gekennzeichnet.")
    duration = raw.get("duration")
    if isinstance(duration, int) and duration > 0:
        notes.append(f"Termindauer laut DLDB: {duration} Minuten.")
    online, forms = _links(raw)
    data: Json = {
        "id": article_id,
        "title": title,
        "leika": leika,
        "synonyms": synonyms(obj(raw.get("meta")).get("keywords"), title),
        "short_answer": short_answer(description, title),
        "description": description,
        "fees": parsed.fees,
        "online_service": online,
        "forms": forms,
        "office": office_id,
        "agent_notes": notes,
        "category": category(service, locations),
        "status": "published",
        "owner": OWNER,
        "last_reviewed": _last_reviewed(raw, today),
    }
    return without_none(data)
