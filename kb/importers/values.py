"""Single values from a catalogue record, cleaned: text, ids, slugs, phone numbers, web and mail."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from kb.models import PHONE_PATTERN, URL_PATTERN

#: A JSON object as parsed from the export.
Json = dict[str, Any]

#: Longest id a slug may take before a collision suffix is added (the model allows 80).
SLUG_MAX = 60
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe"})
_TRANSLIT.update(str.maketrans({"Ü": "ue", "ẞ": "ss"}))


def text(value: object) -> str:
    """A string with its whitespace collapsed; "" for anything that is not a string."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def source_id(value: object) -> str:
    """A record id (string or number) as a stripped string; "" when there is none."""
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else ""


def obj(value: object) -> Json:
    """The value if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def objects(value: object) -> list[Json]:
    """The JSON objects of a list (other items dropped); [] for anything but a list."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def url(value: object) -> str | None:
    """An http(s) address the model accepts, else None."""
    stripped = value.strip() if isinstance(value, str) else ""
    return stripped if re.fullmatch(URL_PATTERN, stripped) else None


def email(value: object) -> str | None:
    """A plausible e-mail address in lower case (without `mailto:`), else None."""
    stripped = value.strip().removeprefix("mailto:").lower() if isinstance(value, str) else ""
    return stripped if re.fullmatch(EMAIL_PATTERN, stripped) else None


def without_none(data: Json) -> Json:
    """The mapping without the keys whose value is None (the model's defaults apply)."""
    return {key: value for key, value in data.items() if value is not None}


def slugify(value: str, max_length: int = SLUG_MAX) -> str:
    """ASCII slug: umlauts as ae/oe/ue/ss, other accents dropped, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", value.translate(_TRANSLIT))
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
    for sid, slug in items:
        candidate = slug if len(slug) >= 2 else f"dldb-{slugify(sid)}"
        if candidate in taken:
            candidate = f"{candidate}-{slugify(sid)}"
        base, counter = candidate, 2
        while candidate in taken:
            candidate, counter = f"{base}-{counter}", counter + 1
        taken.add(candidate)
        out[sid] = candidate
    return out


def normalise_phone(raw: object) -> str | None:
    """'089 233-45141' -> '+49 89 233-45141'; None when no valid number can be made."""
    if not isinstance(raw, str):
        return None
    for part in re.split(r"[,;]|\boder\b", raw):
        number = part.replace("(0)", " ").replace("–", "-").replace("(", " ").replace(")", " ")
        number = " ".join(number.replace("Tel.", " ").replace("Telefon", " ").split()).strip(": ")
        if number.startswith("00"):
            number = "+" + number[2:]
        elif number.startswith("0"):
            number = "+49 " + number[1:]
        digits = re.sub(r"\D", "", number)
        if len(digits) >= 6 and re.fullmatch(PHONE_PATTERN, number):
            return number
    return None
