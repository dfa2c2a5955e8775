"""DLDB locations as office fields, with a borrowed phone number for locations without one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kb.importers.values import (
    Json,
    email,
    normalise_phone,
    obj,
    text,
    url,
    without_none,
)

#: Federal state whose holidays apply to the imported offices (Munich: Bavaria).
STATE = "BY"
HOURS_NOTE = "Öffnungszeiten sind in der DLDB nicht enthalten und müssen nachgetragen werden."
_MOST_COMMON = "häufigste Nummer des Exports"


@dataclass(frozen=True)
class Borrowed:
    """A number taken from another location for a location that has none."""

    phone: str
    donor: str
    """Name of the location the number belongs to."""
    relation: str
    """Why that one, in German: "gleiche Bezeichnung", "gleiche Organisationseinheit", ..."""


@dataclass(frozen=True)
class Phones:
    """Each location's own valid number, and a borrowed one for those without."""

    own: dict[str, str]
    borrowed: dict[str, Borrowed]
    fallback: Borrowed | None
    """The most common number of the whole export, for services without a location."""


def unit(loc: Json) -> str:
    """The location's organisational unit ("Kreisverwaltungsreferat"), else its organisation."""
    return text(loc.get("organizationUnit")) or text(loc.get("organization"))


def location_title(loc: Json) -> str:
    """The location's name, else its display name ("" when it has neither)."""
    return text(loc.get("name")) or text(loc.get("displayName"))


def find_phones(locations: Mapping[str, Json]) -> Phones:
    """Own numbers by location id, and for the others one from the location with the same
    display name, else the same unit, else the export's most common number."""
    own = {}
    for loc_id, loc in locations.items():
        phone = normalise_phone(obj(loc.get("contact")).get("phone"))
        if phone:
            own[loc_id] = phone
    fallback = _most_common(own, locations, list(own), _MOST_COMMON)
    borrowed = {}
    for loc_id, loc in locations.items():
        if loc_id in own:
            continue
        found = (
            _donor(own, locations, _display_name, loc, "gleiche Bezeichnung")
            or _donor(own, locations, unit, loc, "gleiche Organisationseinheit")
            or fallback
        )
        if found:
            borrowed[loc_id] = found
    return Phones(own, borrowed, fallback)


def _display_name(loc: Json) -> str:
    return text(loc.get("displayName"))


def _donor(
    own: Mapping[str, str],
    locations: Mapping[str, Json],
    key: Callable[[Json], str],
    loc: Json,
    relation: str,
) -> Borrowed | None:
    """The most common number among locations whose `key` equals that of `loc` (if it has one)."""
    value = key(loc)
    if not value:
        return None
    group = [loc_id for loc_id in own if key(locations[loc_id]) == value]
    return _most_common(own, locations, group, relation)


def _most_common(
    own: Mapping[str, str], locations: Mapping[str, Json], group: list[str], relation: str
) -> Borrowed | None:
    """The most common number among the `group` of locations (None if it is empty)."""
    if not group:
        return None
    phone = Counter(own[loc_id] for loc_id in group).most_common(1)[0][0]
    first = next(loc_id for loc_id in group if own[loc_id] == phone)
    return Borrowed(phone, text(locations[first].get("name")) or first, relation)


def _address(loc: Json) -> Json | None:
    raw = loc.get("address")
    if not isinstance(raw, dict):
        return None
    street = " ".join(p for p in (text(raw.get("street")), text(raw.get("house_number"))) if p)
    postal_code, city = text(raw.get("postal_code")), text(raw.get("city"))
    if not street or not city or not re.fullmatch(r"\d{5}", postal_code):
        return None
    address: Json = {"street": street, "postal_code": postal_code, "city": city}
    if text(raw.get("hint")):
        address["room"] = text(raw.get("hint"))
    return address


def office_data(loc_id: str, loc: Json, office_id: str, phones: Phones) -> Json:
    """One DLDB location as office fields; the number is borrowed (and noted) when missing."""
    contact = obj(loc.get("contact"))
    notes = [HOURS_NOTE]
    phone = phones.own.get(loc_id)
    borrowed = phones.borrowed.get(loc_id)
    if phone is None and borrowed is not None:
        phone = borrowed.phone
        notes.append(_borrowed_note(borrowed))
    if unit(loc):
        notes.append(f"Organisationseinheit laut DLDB: {unit(loc)} (Standort {loc_id}).")
    booking = url(text(obj(loc.get("meta")).get("url")).replace("{locationId}", loc_id))
    data: Json = {
        "id": office_id,
        "name": location_title(loc) or f"Standort {loc_id}",
        "address": _address(loc),
        "phone": phone,
        "email": email(contact.get("email")),
        "website": url(contact.get("webinfo")),
        "appointment": {"booking_url": booking} if booking else None,
        "state": STATE,
        "notes": notes,
    }
    return without_none(data)


def authority_office_data(authority: Json, office_id: str, phones: Phones) -> Json:
    """A stand-in office for services that name no location: the authority itself."""
    notes = [HOURS_NOTE]
    phone = None
    if phones.fallback:
        phone = phones.fallback.phone
        notes.append(_borrowed_note(phones.fallback))
    data: Json = {
        "id": office_id,
        "name": text(authority.get("name")) or "Zuständige Behörde",
        "phone": phone,
        "website": url(authority.get("webinfo")),
        "state": STATE,
        "notes": notes,
    }
    return without_none(data)


def _borrowed_note(borrowed: Borrowed) -> str:
    return (
        "Keine eigene Telefonnummer in der DLDB; eingetragen ist die Nummer von "
        f"„{borrowed.donor}“ ({borrowed.relation}). Vor dem Weiterverbinden prüfen."
    )
