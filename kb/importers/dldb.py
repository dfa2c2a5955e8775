"""Import a DLDB export (services and locations JSON, as Berlin and Munich use) as KB files."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kb.models import LEIKA_PATTERN, PHONE_PATTERN, URL_PATTERN, Article, Office
from kb.schemas import SCHEMA_DIR

#: Owner written into every imported article.
OWNER = "Import DLDB München"
#: Federal state whose holidays apply to the imported offices (Munich: Bavaria).
STATE = "BY"
#: Longest id a slug may take before a collision suffix is added (the model allows 80).
SLUG_MAX = 60
#: Short answers stop adding sentences once they are this long.
SHORT_ANSWER_MIN = 120
#: ... and never grow beyond this (unless the first sentence alone is longer).
SHORT_ANSWER_MAX = 400

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
#: Second comment line of every written file; marks files a new import may overwrite.
GENERATED = "# Imported from a DLDB export by `lotse kb import-dldb`; a new import overwrites it.\n"
HOURS_NOTE = "Öffnungszeiten sind in der DLDB nicht enthalten und müssen nachgetragen werden."

Json = dict[str, Any]


class DldbError(ValueError):
    """The export files cannot be read or do not have the DLDB shape (a ValueError for callers
    that treat bad input generically)."""


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


# --- HTML to text -----------------------------------------------------------------------------

_BLOCKS = {"p", "div", "section", "article", "blockquote", "table", "tr", "pre"}
_BLOCKS |= {f"h{level}" for level in range(1, 7)}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass
class _ListState:
    """An open `ul`/`ol` and how many items it has had."""

    kind: str
    items: int = 0


class _TextBuilder(HTMLParser):
    """Collects text as lines: blocks become paragraphs, list items lines with a marker."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # "" marks a paragraph break
        self._parts: list[str] = []
        self._prefix = ""
        self._marker = False
        self._lists: list[_ListState] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "br":
            self._end_line()
        elif tag in ("ul", "ol"):
            self._end_line(paragraph=not self._lists)
            self._lists.append(_ListState(tag))
        elif tag == "li":
            self._end_line()
            depth = max(len(self._lists), 1)
            state = self._lists[-1] if self._lists else _ListState("ul")
            state.items += 1
            marker = f"{state.items}." if state.kind == "ol" else "-"
            self._prefix = "  " * (depth - 1) + marker + " "
            self._marker = True
        elif tag in _BLOCKS or tag in ("td", "th"):
            self._end_line(paragraph=not self._lists and tag not in ("td", "th"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(self._skip - 1, 0)
        elif tag in ("ul", "ol"):
            self._end_line(paragraph=len(self._lists) == 1)
            if self._lists:
                self._lists.pop()
            self._prefix, self._marker = "", False
        elif tag == "li":
            self._end_line()
            self._prefix = ""
        elif tag in _BLOCKS:
            self._end_line(paragraph=not self._lists)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        # Text typed with blank lines inside one element ("150 Euro\r\n\nunbefristet: ...")
        # was meant as separate lines; single newlines are ordinary HTML whitespace.
        first, *more = re.split(r"\r?\n[ \t\r]*\n", data)
        self._parts.append(first)
        for part in more:
            self._end_line()
            self._parts.append(part)

    def _end_line(self, paragraph: bool = False) -> None:
        text = " ".join("".join(self._parts).translate(_INVISIBLE).split())
        self._parts = []
        if text:
            self.lines.append(self._prefix + text)
            # Further lines of the same list item are indented under its text.
            self._prefix = " " * len(self._prefix) if self._lists else ""
            self._marker = False
        elif self._marker:
            return  # an item still waiting for its text keeps its marker
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        self.close()
        self._end_line()
        out: list[str] = []
        for line in self.lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


def html_to_text(html: str | None) -> str:
    """Clean text from DLDB HTML: paragraphs split by a blank line, list items as `- ` lines."""
    if not html:
        return ""
    builder = _TextBuilder()
    builder.feed(html.replace("\xa0", " "))
    return builder.text()


def text_lines(text: str, keep_breaks: bool = False) -> list[str]:
    """The lines of cleaned text without list markers; paragraph breaks as "" if asked."""
    lines = (_LIST_ITEM.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line or keep_breaks]


# --- Sentences ----------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "z", "b", "bzw", "ggf", "u", "a", "nr", "abs", "ca", "vgl", "usw", "d", "h", "str", "dr",
    "etc", "inkl", "evtl", "max", "min", "s", "sog", "zzgl", "bspw", "gem", "i", "v", "e", "m",
}  # fmt: skip


def sentences(text: str) -> list[str]:
    """Split German prose into sentences, not at abbreviations ("z. B.") or ordinals ("24.")."""
    words = " ".join(text.split()).split(" ")
    out: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        current.append(word)
        following = words[index + 1] if index + 1 < len(words) else ""
        if not word.endswith((".", "!", "?")) or not following:
            continue
        stem = word.rstrip(".!?").lower().lstrip('(„"')
        if word.endswith(".") and (stem in _ABBREVIATIONS or stem.isdigit() or len(stem) == 1):
            continue
        if following[0].isupper() or following[0] in '„"(' or following[0].isdigit():
            out.append(" ".join(current))
            current = []
    if current and current != [""]:
        out.append(" ".join(current))
    return out


def short_answer(description: str, title: str) -> str:
    """The first whole sentence(s) of the first prose paragraph, else of the first list item
    that is a sentence, else the title.

    Headings ("Visumverfahren") and sentences leading into a list ("...:") are skipped.
    """
    blocks = [block.splitlines() for block in description.split("\n\n") if block.strip()]
    prose = [lines for lines in blocks if not _LIST_ITEM.match(lines[0])]
    items = [[_LIST_ITEM.sub("", line)] for lines in blocks for line in lines]
    for lines in [*prose, *items]:
        while len(lines) > 1 and len(lines[0]) <= 60 and not lines[0].endswith((".", ":")):
            lines = lines[1:]  # a heading line above the text
        answer = _first_sentences(" ".join(line.strip() for line in lines))
        if answer:
            return answer
    return title


_LIST_ITEM = re.compile(r"^\s*(?:-|\d+\.)\s+")


def _first_sentences(prose: str) -> str:
    answer = ""
    for sentence in sentences(prose):
        if not sentence.rstrip('"“)»').endswith((".", "!", "?")):
            break
        if answer and len(answer) + len(sentence) > SHORT_ANSWER_MAX:
            break
        answer = f"{answer} {sentence}".strip()
        if len(answer) >= SHORT_ANSWER_MIN:
            break
    return answer


# --- Fees ---------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?"
_CUR = r"(?:€|Euro|EUR)"
_QUAL = r"ab|bis zu|bis|etwa|ca\.|circa|rund|in der Regel|grundsätzlich|plus|zuzüglich|zusätzlich"
_MONEY = re.compile(
    rf"(?P<qual>(?:\b(?:{_QUAL})\s+)*)"
    rf"(?:\bzwischen\s+(?P<za>{_NUM})\s*(?:{_CUR}\s*)?und\s+(?P<zb>{_NUM})"
    rf"|(?P<a>{_NUM})\s*(?:{_CUR}\s*)?(?:(?:bis|-|–)\s*(?P<b>{_NUM}))?)"
    rf"\s*{_CUR}(?!\w)(?:\s+(?:pro|je)\s+(?P<per>[A-ZÄÖÜa-zäöüß][\w-]*))?",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:gebühren|kosten)(?:frei|freie|freien|befreit)\b|\bkostenlos\b|\bkeine\s+Gebühr(?:en)?\b",
    re.IGNORECASE,
)
_QUALIFIERS = {
    "ab": "Mindestgebühr",
    "bis": "Höchstgebühr",
    "bis zu": "Höchstgebühr",
    "plus": "zusätzlich",
    "zuzüglich": "zusätzlich",
    "zusätzlich": "zusätzlich",
}
_APPROXIMATE = {"etwa", "ca.", "circa", "rund", "in der regel", "grundsätzlich"}
#: A line without an amount that ends in a colon (or starts with a "...Gebühr:" label) and
#: is at most this long is a heading; it becomes part of the conditions of the fees below it.
HEADING_MAX = 100


@dataclass(frozen=True)
class FeeParse:
    """Structured fees found in a fee text, and the lines that are only hints."""

    fees: list[dict[str, Any]]
    notes: list[str]


def parse_fees(text: str) -> FeeParse:
    """Parse a cleaned DLDB fee text line by line into fee dicts (model `Fee` fields).

    A line such as "Personalausweis:" heads the fees below it until the next heading or
    the end of the paragraph that follows its first fee.
    """
    fees: list[dict[str, Any]] = []
    notes: list[str] = []
    heading: str | None = None
    heading_used = False
    for line in [*text_lines(text, keep_breaks=True), ""]:
        if not line:
            heading = None if heading_used else heading
            continue
        found = _parse_fee_line(line)
        if found:
            for fee in found:
                if heading:
                    label = fee.get("condition")
                    fee["condition"] = f"{heading}: {label}" if label else heading
            heading_used = bool(heading)
            fees.extend(found)
            continue
        label, colon, rest = line.partition(":")
        if colon and not _MONEY.search(line) and len(label) <= HEADING_MAX:
            if not rest.strip():  # "Personalausweis:"
                heading, heading_used = label.strip(), False
                continue
            if "gebühr" in label.lower():  # "Online-Gebühr: Zahlung mit Karte möglich"
                heading, heading_used = label.strip(), False
        notes.append(line)
    return FeeParse(fees, notes)


def _parse_fee_line(line: str) -> list[dict[str, Any]]:
    """Fees of one line; empty when the line is prose, ambiguous or has no amount."""
    matches = list(_MONEY.finditer(line))
    free = _FREE.search(line)
    if free and not matches:
        label, colon, rest = line.partition(":")
        if colon:
            # "Schriftliche Anmeldung: gebührenfrei" or "Gebührenfrei: bei Mittellosigkeit"
            condition = _tidy(rest if _FREE.search(label) else label)
            return [{"free": True, "condition": condition} if condition else {"free": True}]
        return [{"free": True} if len(line) <= 40 else {"free": True, "condition": line}]
    if free or not matches:
        return []
    if len(matches) == 1:
        fee = _fee(line, matches[0])
        return [fee] if fee else []
    # Several amounts: "Label: 46 Euro (ab 24 Jahren) oder 27,60 Euro (bis 24 Jahre)".
    label, colon, rest = line.partition(":")
    if not colon or _MONEY.search(label):
        label, rest = "", line
    fees = []
    for piece in (p for p in re.split(r";|\boder\b", rest) if p.strip()):
        found = list(_MONEY.finditer(piece))
        fee = _fee(piece, found[0]) if len(found) == 1 else None
        if fee is None:
            return []
        if label:
            own = fee.get("condition")
            fee["condition"] = f"{_tidy(label)}, {own}" if own else _tidy(label)
        fees.append(fee)
    return fees


def _fee(line: str, match: re.Match[str]) -> dict[str, Any] | None:
    """One fee from one amount in a line; the rest of the line becomes its condition."""
    amount = _decimal(match["za"] or match["a"])
    top = match["zb"] or match["b"]
    amount_max = _decimal(top) if top else None
    if amount is None or (top and (amount_max is None or amount_max < amount)):
        return None
    qualifiers = [q.lower() for q in re.findall(_QUAL, match["qual"] or "", re.IGNORECASE)]
    fee: dict[str, Any] = {"amount": str(amount)}
    if amount_max is not None:
        fee["amount_max"] = str(amount_max)
    if any(q in _APPROXIMATE for q in qualifiers):
        fee["approximate"] = True
    if match["per"]:
        fee["per"] = match["per"]
    before, after = line[: match.start()], line[match.end() :]
    if ":" in before:
        # "Label: [Gebühr] ab 20,50 Euro (Zusatz)" -> "Label, Zusatz"
        rest = ", ".join(t for t in (_tidy(before.rsplit(":", 1)[0]), _tidy(after)) if t)
    elif line.rstrip().endswith(".") or len(before) + len(after) > 100:
        rest = line.strip()  # a sentence stays whole rather than losing its amount
    else:
        rest = _tidy(f"{before} {after}")
    notes = dict.fromkeys(_QUALIFIERS[q] for q in qualifiers if q in _QUALIFIERS)
    if rest == line.strip():
        notes.clear()  # the whole sentence already says it
    condition = ", ".join(part for part in (rest, *notes) if part)
    if condition:
        fee["condition"] = condition
    return fee


def _decimal(number: str) -> Decimal | None:
    try:
        value = Decimal(number.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    value = value.quantize(Decimal("0.01"))
    return value if len(value.as_tuple().digits) <= 9 else None


def _tidy(text: str) -> str:
    """Remainder of a fee line as a condition: no dangling colons, brackets or spaces."""
    text = re.sub(r"\(\s*\)", "", " ".join(text.split()))
    text = re.sub(r"\s+([:,;.)])", r"\1", text).strip(" :;,.-–/")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text


# --- Small value helpers ------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe"})
_TRANSLIT.update(str.maketrans({"Ü": "ue", "ẞ": "ss"}))


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII slug: umlauts as ae/oe/ue/ss, other accents dropped, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text))
    while len(slug) > max_length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:max_length].strip("-")


def unique_ids(items: Iterable[tuple[str, str]], taken: Iterable[str] = ()) -> dict[str, str]:
    """(source id, slug) pairs -> source id -> unique slug; a slug already used (or in `taken`)
    gets the source id appended."""
    taken = set(taken)
    out: dict[str, str] = {}
    for source_id, slug in items:
        candidate = slug if len(slug) >= 2 else f"dldb-{slugify(source_id)}"
        if candidate in taken:
            candidate = f"{candidate}-{slugify(source_id)}"
        base, counter = candidate, 2
        while candidate in taken:
            candidate, counter = f"{base}-{counter}", counter + 1
        taken.add(candidate)
        out[source_id] = candidate
    return out


def normalise_phone(raw: object) -> str | None:
    """'089 233-45141' -> '+49 89 233-45141'; None when no valid number can be made."""
    if not isinstance(raw, str):
        return None
    for part in re.split(r"[,;]|\boder\b", raw):
        text = part.replace("(0)", " ").replace("–", "-").replace("(", " ").replace(")", " ")
        text = " ".join(text.replace("Tel.", " ").replace("Telefon", " ").split()).strip(": ")
        if text.startswith("00"):
            text = "+" + text[2:]
        elif text.startswith("0"):
            text = "+49 " + text[1:]
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 6 and re.fullmatch(PHONE_PATTERN, text):
            return text
    return None


def _url(value: object) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text if re.fullmatch(URL_PATTERN, text) else None


def _email(value: object) -> str | None:
    text = value.strip().removeprefix("mailto:").lower() if isinstance(value, str) else ""
    return text if re.fullmatch(EMAIL_PATTERN, text) else None


def _str(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _sid(value: object) -> str:
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else ""


# --- Offices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Borrowed:
    """A number taken from another location for a location that has none."""

    phone: str
    donor: str
    """Name of the location the number belongs to."""
    relation: str
    """Why that one, in German: "gleiche Bezeichnung", "gleiche Organisationseinheit", ..."""


@dataclass(frozen=True)
class _Phones:
    """Each location's own valid number, and a borrowed one for those without."""

    own: dict[str, str]
    borrowed: dict[str, _Borrowed]
    fallback: _Borrowed | None
    """The most common number of the whole export, for services without a location."""


def _phones(locations: Mapping[str, Json]) -> _Phones:
    own = {}
    for loc_id, loc in locations.items():
        phone = normalise_phone(_contact(loc).get("phone"))
        if phone:
            own[loc_id] = phone
    fallback = _donor(own, locations, lambda loc: "", "", "häufigste Nummer des Exports")
    borrowed = {}
    for loc_id, loc in locations.items():
        if loc_id in own:
            continue
        display, unit = _str(loc.get("displayName")), _unit(loc)
        found = (
            _donor(
                own, locations, lambda o: _str(o.get("displayName")), display, "gleiche Bezeichnung"
            )
            or _donor(own, locations, _unit, unit, "gleiche Organisationseinheit")
            or fallback
        )
        if found:
            borrowed[loc_id] = found
    return _Phones(own, borrowed, fallback)


def _donor(
    own: Mapping[str, str],
    locations: Mapping[str, Json],
    key: Callable[[Json], str],
    value: str,
    relation: str,
) -> _Borrowed | None:
    """The most common number among locations whose `key` equals `value` (None if none)."""
    group = [loc_id for loc_id in own if key(locations[loc_id]) == value]
    if not group or (value == "" and relation != "häufigste Nummer des Exports"):
        return None
    phone = Counter(own[loc_id] for loc_id in group).most_common(1)[0][0]
    first = next(loc_id for loc_id in group if own[loc_id] == phone)
    return _Borrowed(phone, _str(locations[first].get("name")) or first, relation)


def _contact(loc: Json) -> Json:
    return _dict(loc.get("contact"))


def _dict(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def _unit(loc: Json) -> str:
    return _str(loc.get("organizationUnit")) or _str(loc.get("organization"))


def _address(loc: Json) -> Json | None:
    raw = loc.get("address")
    if not isinstance(raw, dict):
        return None
    street = " ".join(p for p in (_str(raw.get("street")), _str(raw.get("house_number"))) if p)
    postal_code, city = _str(raw.get("postal_code")), _str(raw.get("city"))
    if not street or not city or not re.fullmatch(r"\d{5}", postal_code):
        return None
    address: Json = {"street": street, "postal_code": postal_code, "city": city}
    if _str(raw.get("hint")):
        address["room"] = _str(raw.get("hint"))
    return address


def office_data(loc_id: str, loc: Json, office_id: str, phones: _Phones) -> Json:
    """One DLDB location as office fields; the number is borrowed (and noted) when missing."""
    contact = _contact(loc)
    notes = [HOURS_NOTE]
    phone = phones.own.get(loc_id)
    borrowed = phones.borrowed.get(loc_id)
    if phone is None and borrowed is not None:
        phone = borrowed.phone
        notes.append(_borrowed_note(borrowed))
    if _unit(loc):
        notes.append(f"Organisationseinheit laut DLDB: {_unit(loc)} (Standort {loc_id}).")
    booking = _url(_str(_dict(loc.get("meta")).get("url")).replace("{locationId}", loc_id))
    data: Json = {
        "id": office_id,
        "name": _str(loc.get("name")) or _str(loc.get("displayName")) or f"Standort {loc_id}",
        "address": _address(loc),
        "phone": phone,
        "email": _email(contact.get("email")),
        "website": _url(contact.get("webinfo")),
        "appointment": {"booking_url": booking} if booking else None,
        "state": STATE,
        "notes": notes,
    }
    return {key: value for key, value in data.items() if value is not None}


def _borrowed_note(borrowed: _Borrowed) -> str:
    return (
        "Keine eigene Telefonnummer in der DLDB; eingetragen ist die Nummer von "
        f"„{borrowed.donor}“ ({borrowed.relation}). Vor dem Weiterverbinden prüfen."
    )


def authority_office_data(authority: Json, office_id: str, phones: _Phones) -> Json:
    """A stand-in office for services that name no location: the authority itself."""
    notes = [HOURS_NOTE]
    phone = None
    if phones.fallback:
        phone = phones.fallback.phone
        notes.append(_borrowed_note(phones.fallback))
    data: Json = {
        "id": office_id,
        "name": _str(authority.get("name")) or "Zuständige Behörde",
        "phone": phone,
        "website": _url(authority.get("webinfo")),
        "state": STATE,
        "notes": notes,
    }
    return {key: value for key, value in data.items() if value is not None}


# --- Articles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Service:
    """The parts of one DLDB service the article is built from."""

    sid: str
    raw: Json
    location_ids: list[str]


def synonyms(keywords: object, title: str) -> list[str]:
    """Comma-separated DLDB keywords -> synonyms, deduplicated, without the title itself."""
    seen = {title.casefold()}
    out = []
    for word in (_str(w) for w in (keywords.split(",") if isinstance(keywords, str) else [])):
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            out.append(word)
    return out


_PORTALS = ("serviceportal", "service-portal", "/intelliform/")
_APPLY = ("antrag", "beantrag", "melden", "portal", "zulassung", "außer betrieb")


def online_score(title: str, url: str, service: str) -> int:
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
    portal = any(part in url.lower() for part in _PORTALS) and "kontakt" not in name
    return 1 if portal and applies else 0  # "Antragstellung" on the Bürgerservice-Portal


def _links(raw: Json) -> tuple[str | None, list[Json]]:
    """(online service url, forms) from the service's forms and links, http(s) only."""
    service = _str(raw.get("name"))
    links: dict[str, str] = {}
    for item in [*_list(raw.get("forms")), *_list(raw.get("links"))]:
        url = _url(item.get("link"))
        if url is not None and url not in links:
            links[url] = _str(item.get("name")) or url
    scores = {url: online_score(title, url, service) for url, title in links.items()}
    best = max(scores.values(), default=0)
    online = next((url for url, score in scores.items() if score == best), None) if best else None
    forms = [{"title": title, "url": url} for url, title in links.items() if url != online]
    return online, forms


def _list(value: object) -> list[Json]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _leika(value: object) -> tuple[str | None, str | None]:
    """(valid single key, note) — several keys or malformed ones go to a note."""
    text = _str(value)
    if not text:
        return None, None
    if re.fullmatch(LEIKA_PATTERN, text):
        return text, None
    return None, f"LeiKa-Schlüssel laut DLDB (nicht übernommen): {text}"


def _last_reviewed(raw: Json, today: date) -> date:
    try:
        return date.fromisoformat(_str(_dict(raw.get("meta")).get("lastupdate"))[:10])
    except ValueError:
        return today


def article_data(
    service: _Service,
    article_id: str,
    office_id: str,
    names: Mapping[str, str],
    today: date,
) -> Json:
    """One DLDB service as article fields."""
    raw, sid = service.raw, service.sid
    title = _str(raw.get("name")) or f"Leistung {sid}"
    description = html_to_text(raw.get("description"))
    notes = [f"Importiert aus der DLDB (Leistung {sid})."]
    leika, leika_note = _leika(raw.get("leika"))
    notes += [leika_note] if leika_note else []
    fee_text = _fee_text(raw)
    parsed = parse_fees(fee_text)
    if parsed.fees and parsed.notes:
        notes.append("Gebührenhinweise laut DLDB:\n" + "\n".join(parsed.notes))
    elif fee_text and not parsed.fees:
        notes.append("Gebühren laut DLDB (nicht strukturiert):\n" + fee_text)
    others = [names[loc] for loc in service.location_ids[1:] if loc in names]
    if others:
        notes.append("Auch angeboten bei: " + "; ".join(others) + ".")
    if not service.location_ids:
        notes.append("In der DLDB ist kein Standort hinterlegt; zuständige Stelle klären.")
    elif service.location_ids[0] not in names:
        notes.append(
            f"Standort {service.location_ids[0]} fehlt in der Standortliste der DLDB; "
            "zuständige Stelle klären."
        )
    if raw.get("public") is False:
        notes.append("In der DLDB als nicht öffentlich gekennzeichnet.")
    duration = raw.get("duration")
    if isinstance(duration, int) and duration > 0:
        notes.append(f"Termindauer laut DLDB: {duration} Minuten.")
    online, forms = _links(raw)
    authorities = _list(raw.get("authorities"))
    data: Json = {
        "id": article_id,
        "title": title,
        "leika": leika,
        "synonyms": synonyms(_dict(raw.get("meta")).get("keywords"), title),
        "short_answer": short_answer(description, title),
        "description": description,
        "fees": parsed.fees,
        "online_service": online,
        "forms": forms,
        "office": office_id,
        "agent_notes": notes,
        "category": (_str(authorities[0].get("name")) if authorities else "") or "DLDB",
        "status": "published",
        "owner": OWNER,
        "last_reviewed": _last_reviewed(raw, today),
    }
    return {key: value for key, value in data.items() if value is not None}


# --- Conversion (pure) and I/O --------------------------------------------------------------------


@dataclass
class Conversion:
    """Validated article and office field mappings, ready to be written, and the report."""

    articles: list[Json] = field(default_factory=list)
    offices: list[Json] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)


def _records(document: object, what: str) -> list[Json]:
    data = document.get("data") if isinstance(document, dict) else document
    if not isinstance(data, list):
        raise DldbError(f"{what}: expected a JSON object with a 'data' list")
    return [item for item in data if isinstance(item, dict)]


def convert(
    services_doc: object,
    locations_doc: object,
    today: date,
    reserved: Mapping[str, Iterable[str]] | None = None,
) -> Conversion:
    """Turn the two parsed DLDB documents into validated article and office field mappings.

    `reserved` maps "articles"/"offices" to ids that must not be used (files of another origin).
    """
    reserved = reserved or {}
    result = Conversion()
    report = result.report
    locations = {_sid(loc.get("id")): loc for loc in _records(locations_doc, "locations")}
    locations.pop("", None)
    phones = _phones(locations)
    services: dict[str, _Service] = {}
    for index, raw in enumerate(_records(services_doc, "services")):
        sid = _sid(raw.get("id"))
        if not sid or sid in services:
            report.skipped[sid or f"#{index}"] = "missing or duplicate DLDB id"
            continue
        loc_ids = [_sid(item.get("location")) for item in _list(raw.get("locations"))]
        services[sid] = _Service(sid, raw, [loc for loc in loc_ids if loc])
    keys = {sid: _office_key(service, locations) for sid, service in services.items()}
    offices = _build_offices(
        list(services.values()), keys, locations, phones, reserved.get("offices", ())
    )
    names = {key: _str(loc.get("name")) or key for key, loc in locations.items()}
    slugs = unique_ids(
        ((sid, slugify(_str(s.raw.get("name")))) for sid, s in services.items()),
        reserved.get("articles", ()),
    )
    used: set[str] = set()
    for sid, service in services.items():
        office = offices.get(keys[sid])
        if office is None:
            report.skipped[sid] = "no valid office: no usable phone number in the export"
            continue
        data = article_data(service, slugs[sid], office["id"], names, today)
        problem = _invalid(Article, data)
        if problem:
            report.skipped[sid] = f"invalid article: {problem}"
            continue
        result.articles.append(data)
        used.add(keys[sid])
        report.fee_items += len(data["fees"])
        if _fee_text(service.raw):
            report.fees_parsed += bool(data["fees"])
            report.fees_unparsed += not data["fees"]
    result.offices = [data for key, data in offices.items() if key in used]
    report.articles, report.offices = len(result.articles), len(result.offices)
    report.phones_borrowed = sum(1 for key in used if key not in phones.own)
    return result


def _fee_text(raw: Json) -> str:
    fees = raw.get("fees")
    return html_to_text(fees) if isinstance(fees, str) else ""


def _office_key(service: _Service, locations: Mapping[str, Json]) -> str:
    first = service.location_ids[0] if service.location_ids else ""
    if first in locations:
        return first
    authorities = _list(service.raw.get("authorities"))
    name = _str(authorities[0].get("name")) if authorities else ""
    return f"authority:{name}"


def _build_offices(
    services: list[_Service],
    keys: Mapping[str, str],
    locations: Mapping[str, Json],
    phones: _Phones,
    reserved: Iterable[str],
) -> dict[str, Json]:
    """Office field mappings by key (location id or `authority:<name>`), valid ones only."""
    wanted = list(dict.fromkeys(keys[s.sid] for s in services))
    authority = {
        keys[s.sid]: (_list(s.raw.get("authorities")) or [{}])[0]
        for s in services
        if keys[s.sid].startswith("authority:")
    }

    def name(key: str) -> str:
        if key in locations:
            return _str(locations[key].get("name")) or _str(locations[key].get("displayName"))
        return _str(authority[key].get("name")) or "zustaendige-behoerde"

    ids = unique_ids(((key, slugify(name(key))) for key in wanted), reserved)
    offices: dict[str, Json] = {}
    for key in wanted:
        if key in locations:
            data = office_data(key, locations[key], ids[key], phones)
        else:
            data = authority_office_data(authority[key], ids[key], phones)
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


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as literal blocks (`|`)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def schema_comment(folder: Path, schema_name: str) -> str:
    """The `yaml-language-server` line pointing at the installed schema, when a relative path
    makes sense (the output lies in the same project tree); otherwise an empty string."""
    project = SCHEMA_DIR.parent.parent.resolve()
    target = folder.resolve()
    if not target.is_relative_to(project):
        return ""
    relative = os.path.relpath(SCHEMA_DIR / schema_name, target)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def to_yaml(data: Json) -> str:
    """Serialise one file's fields with the safe dumper (quotes what YAML 1.1 would misread)."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return text


def _foreign_ids(folder: Path) -> set[str]:
    """Stems of the YAML files in `folder` that this importer did not write."""
    foreign = set()
    for path in folder.glob("*.y*ml") if folder.is_dir() else ():
        try:
            head = path.read_bytes()[:1024].decode("utf-8", "replace")
        except OSError:
            head = ""
        if GENERATED not in head:
            foreign.add(path.name.rsplit(".", 1)[0])
    return foreign


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DldbError(f"{path}: cannot read file ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DldbError(f"{path}: not a UTF-8 JSON file ({exc})") from exc


def import_dldb(
    services: Path, locations: Path, out_dir: Path, *, today: date | None = None
) -> ImportReport:
    """Convert a DLDB export into `out_dir/articles/<id>.yaml` and `out_dir/offices/<id>.yaml`.

    Files written by an earlier import are overwritten; the ids of other files already in
    `out_dir` are kept free (the import takes `<slug>-<DLDB id>` instead), so a hand-written
    KB is never overwritten. Nothing is deleted.
    Raises DldbError when an input file cannot be read or lacks the DLDB shape.
    """
    reserved = {kind: _foreign_ids(out_dir / kind) for kind in ("articles", "offices")}
    result = convert(_read_json(services), _read_json(locations), today or date.today(), reserved)
    for kind, schema, items in (
        ("offices", "office.schema.json", result.offices),
        ("articles", "article.schema.json", result.articles),
    ):
        folder = out_dir / kind
        folder.mkdir(parents=True, exist_ok=True)
        header = schema_comment(folder, schema)
        for data in items:
            path = folder / f"{data['id']}.yaml"
            path.write_text(header + GENERATED + to_yaml(data), encoding="utf-8")
    return result.report
