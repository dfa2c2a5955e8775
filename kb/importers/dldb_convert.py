"""The DLDB conversion (pure): two parsed export documents -> validated article and office data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ValidationError

from kb.exceptions import DldbError
from kb.importers.dldb_articles import (
    Service,
    article_data,
    authority,
    fee_text,
    responsible_location,
)
from kb.importers.dldb_offices import (
    Phones,
    authority_office_data,
    find_phones,
    location_title,
    office_data,
)
from kb.importers.values import Json, objects, slugify, source_id, text, unique_ids
from kb.models import Article, Office

_AUTHORITY = "authority:"


@dataclass
class ImportReport:
    """What an import produced: counts, fee parsing results and skipped services."""

    articles: int = 0
    offices: int = 0
    fees_parsed: int = 0
    """Services whose fee text gave at least one structured fee."""
    fees_unparsed: int = 0
    """Services with a fee text that gave none (the text is kept in agent_notes)."""
    fee_items: int = 0
    """Structured fees written in total."""
    phones_borrowed: int = 0
    """Offices without a usable number of their own that got a related unit's number."""
    skipped: dict[str, str] = field(default_factory=dict)
    """DLDB service id -> reason it was not imported."""

    def __str__(self) -> str:
        lines = [
            f"{self.articles} articles and {self.offices} offices written; "
            f"fees: {self.fees_parsed} services parsed ({self.fee_items} fees), "
            f"{self.fees_unparsed} kept as text; {self.phones_borrowed} offices with a borrowed "
            f"phone number; {len(self.skipped)} services skipped",
        ]
        lines += [f"skipped {sid}: {reason}" for sid, reason in self.skipped.items()]
        return "\n".join(lines)


@dataclass
class Conversion:
    """Validated article and office field mappings, ready to be written, and the report."""

    articles: list[Json] = field(default_factory=list)
    offices: list[Json] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


def convert(
    services_doc: object,
    locations_doc: object,
    today: date,
    reserved: Mapping[str, Iterable[str]] | None = None,
) -> Conversion:
    """Turn the two parsed DLDB documents into validated article and office field mappings.

    `reserved` maps "articles"/"offices" to ids that must not be used (files of another origin).
    Raises DldbError when a document lacks the DLDB shape.
    """
    reserved = reserved or {}
    result = Conversion()
    report = result.report
    locations = {source_id(loc.get("id")): loc for loc in _records(locations_doc, "locations")}
    locations.pop("", None)
    phones = find_phones(locations)
    services = _services(_records(services_doc, "services"), report)
    keys = {sid: _office_key(service, locations) for sid, service in services.items()}
    offices = _build_offices(services, keys, locations, phones, reserved.get("offices", ()))
    slugs = unique_ids(
        ((sid, slugify(text(s.raw.get("name")))) for sid, s in services.items()),
        reserved.get("articles", ()),
    )
    used: set[str] = set()
    for sid, service in services.items():
        office = offices.get(keys[sid])
        if office is None:
            report.skipped[sid] = "no valid office: no usable phone number in the export"
            continue
        data = article_data(service, slugs[sid], office["id"], locations, today)
        problem = _invalid(Article, data)
        if problem:
            report.skipped[sid] = f"invalid article: {problem}"
            continue
        result.articles.append(data)
        used.add(keys[sid])
        report.fee_items += len(data["fees"])
        if fee_text(service.raw):
            report.fees_parsed += bool(data["fees"])
            report.fees_unparsed += not data["fees"]
    result.offices = [data for key, data in offices.items() if key in used]
    report.articles, report.offices = len(result.articles), len(result.offices)
    report.phones_borrowed = sum(1 for key in used if key not in phones.own)
    return result


def _records(document: object, what: str) -> list[Json]:
    """The objects of the document's `data` list (or of the document, if it is a list)."""
    data = document.get("data") if isinstance(document, dict) else document
    if not isinstance(data, list):
        raise DldbError(f"{what}: expected a JSON object with a 'data' list")
    return [item for item in data if isinstance(item, dict)]


def _services(records: list[Json], report: ImportReport) -> dict[str, Service]:
    """Services by DLDB id; those without an id or with a repeated one go to `report.skipped`."""
    services: dict[str, Service] = {}
    for index, raw in enumerate(records):
        sid = source_id(raw.get("id"))
        if not sid or sid in services:
            report.skipped[sid or f"#{index}"] = "missing or duplicate DLDB id"
            continue
        loc_ids = [source_id(item.get("location")) for item in objects(raw.get("locations"))]
        services[sid] = Service(sid, raw, [loc for loc in loc_ids if loc])
    return services


def _office_key(service: Service, locations: Mapping[str, Json]) -> str:
    """The responsible location's id, else `authority:<name>` for the authority's office."""
    loc_id = responsible_location(service, locations)
    return loc_id or f"{_AUTHORITY}{text(authority(service.raw).get('name'))}"


def _build_offices(
    services: Mapping[str, Service],
    keys: Mapping[str, str],
    locations: Mapping[str, Json],
    phones: Phones,
    reserved: Iterable[str],
) -> dict[str, Json]:
    """Office field mappings by key (location id or `authority:<name>`), valid ones only."""
    wanted = list(dict.fromkeys(keys.values()))
    authorities = {
        keys[sid]: authority(s.raw) for sid, s in services.items() if keys[sid] not in locations
    }

    def name(key: str) -> str:
        if key in locations:
            return location_title(locations[key])
        return text(authorities[key].get("name")) or "zustaendige-behoerde"

    ids = unique_ids(((key, slugify(name(key))) for key in wanted), reserved)
    offices: dict[str, Json] = {}
    for key in wanted:
        if key in locations:
            data = office_data(key, locations[key], ids[key], phones)
        else:
            data = authority_office_data(authorities[key], ids[key], phones)
        if _invalid(Office, data) is None:
            offices[key] = data
    return offices


def _invalid(model: type[BaseModel], data: Json) -> str | None:
    """None when the data validates, else the first error as `field: message`."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}"
    return None
