"""German lint messages for the model's validation errors (pure; editors read them).

Every pydantic error type the KB models can raise has an entry in GERMAN; a test sweeps hostile
values through every field of a complete article and office and fails on a type without one.
`value_error` carries the German text of the models' own validators.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from kb.models import (
    EXTENSION_PATTERN,
    ID_PATTERN,
    LEIKA_PATTERN,
    PHONE_PATTERN,
    TIME_RANGE_PATTERN,
    URL_PATTERN,
)

Loc = tuple[str | int, ...]
_DATE = "kein gültiges Datum; als JJJJ-MM-TT schreiben, z. B. 2026-12-31"
_DATETIME = "kein gültiger Zeitpunkt; als JJJJ-MM-TTThh:mm:ss+01:00 schreiben"
_AMOUNT = 'kein gültiger Betrag; als Dezimalzahl mit Punkt schreiben, z. B. "46.00"'
_INTEGER = "erwartet eine ganze Zahl"
_MAPPING = "erwartet Felder (Schlüssel: Wert), keinen einzelnen Wert oder Liste"

#: What a pattern means, for `string_pattern_mismatch`.
PATTERN_HINTS: dict[str, str] = {
    ID_PATTERN: "Kleinbuchstaben und Ziffern, Wörter mit Bindestrich verbunden",
    LEIKA_PATTERN: '14 Ziffern, beginnend mit 99, in Anführungszeichen ("99...")',
    TIME_RANGE_PATTERN: "Zeitraum hh:mm-hh:mm, z. B. 08:00-12:30",
    EXTENSION_PATTERN: 'Durchwahl aus 2 bis 8 Ziffern, in Anführungszeichen ("2030")',
    PHONE_PATTERN: "Rufnummer aus Ziffern, Leerzeichen, / und -, z. B. +49 2151 86-0",
    URL_PATTERN: "Adresse mit http:// oder https://, ohne Leerzeichen",
    r"^\d{5}$": "Postleitzahl aus 5 Ziffern, in Anführungszeichen",
    r"^[a-z]{2}$": 'Sprachcode aus 2 Kleinbuchstaben (ISO 639-1), in Anführungszeichen ("no")',
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "E-Mail-Adresse wie name@stadt.de",
}

Render = Callable[[ErrorDetails], str]


def _ctx(error: ErrorDetails, key: str) -> Any:
    return (error.get("ctx") or {}).get(key, "?")


def _string_type(error: ErrorDetails) -> str:
    value = error.get("input")
    if isinstance(value, bool):
        return "erwartet Text; YAML hat true/false gelesen: in Anführungszeichen setzen"
    if isinstance(value, int | float):
        return "erwartet Text; YAML hat eine Zahl gelesen: in Anführungszeichen setzen"
    if isinstance(value, list | dict):
        return "erwartet Text, keine Liste oder Felder"
    return "erwartet Text"


def _too_short(error: ErrorDetails) -> str:
    least = _ctx(error, "min_length")
    return "darf nicht leer sein" if least == 1 else f"mindestens {least} Zeichen"


def _pattern(error: ErrorDetails) -> str:
    pattern = str(_ctx(error, "pattern"))
    hint = PATTERN_HINTS.get(pattern, f"Muster {pattern}")
    return f"{error.get('input')!r} hat nicht das richtige Format ({hint})"


def _literal(error: ErrorDetails) -> str:
    expected = str(_ctx(error, "expected")).replace(" or ", " oder ")
    return f"{error.get('input')!r} ist nicht erlaubt; erlaubt: {expected}"


def _value_error(error: ErrorDetails) -> str:
    return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")


#: German text per pydantic error type the models can raise.
GERMAN: dict[str, Render] = {
    "missing": lambda e: "Pflichtfeld fehlt",
    "bool_type": lambda e: "erwartet true oder false",
    "bool_parsing": lambda e: "erwartet true oder false",
    "string_type": _string_type,
    "string_too_short": _too_short,
    "string_too_long": lambda e: f"höchstens {_ctx(e, 'max_length')} Zeichen",
    "string_pattern_mismatch": _pattern,
    "literal_error": _literal,
    "int_type": lambda e: _INTEGER,
    "int_parsing": lambda e: _INTEGER,
    "int_from_float": lambda e: f"{_INTEGER} (ohne Nachkommastellen)",
    "int_parsing_size": lambda e: "Zahl zu groß",
    "greater_than": lambda e: f"muss größer als {_ctx(e, 'gt')} sein",
    "greater_than_equal": lambda e: f"muss mindestens {_ctx(e, 'ge')} sein",
    "less_than": lambda e: f"muss kleiner als {_ctx(e, 'lt')} sein",
    "less_than_equal": lambda e: f"darf höchstens {_ctx(e, 'le')} sein",
    "finite_number": lambda e: "muss eine endliche Zahl sein",
    "decimal_type": lambda e: _AMOUNT,
    "decimal_parsing": lambda e: _AMOUNT,
    "decimal_max_digits": lambda e: f"höchstens {_ctx(e, 'max_digits')} Ziffern insgesamt",
    "decimal_max_places": lambda e: f"höchstens {_ctx(e, 'decimal_places')} Nachkommastellen",
    "decimal_whole_digits": lambda e: f"höchstens {_ctx(e, 'whole_digits')} Stellen vor dem Punkt",
    "date_type": lambda e: _DATE,
    "date_parsing": lambda e: _DATE,
    "date_from_datetime_parsing": lambda e: f"{e.get('input')!r} ist {_DATE}",
    "date_from_datetime_inexact": lambda e: f"{_DATE} (ohne Uhrzeit)",
    "datetime_type": lambda e: _DATETIME,
    "datetime_parsing": lambda e: f"{e.get('input')!r} ist {_DATETIME}",
    "datetime_from_date_parsing": lambda e: f"{e.get('input')!r} ist {_DATETIME}",
    "datetime_object_invalid": lambda e: _DATETIME,
    "timezone_aware": lambda e: "Zeitpunkt ohne Zeitzone; +01:00 oder +02:00 anhängen",
    "list_type": lambda e: "erwartet eine Liste (je Eintrag eine Zeile mit `- ` oder [a, b])",
    "too_short": lambda e: f"mindestens {_ctx(e, 'min_length')} Einträge",
    "too_long": lambda e: f"höchstens {_ctx(e, 'max_length')} Einträge",
    "model_type": lambda e: _MAPPING,
    "model_attributes_type": lambda e: _MAPPING,
    "dict_type": lambda e: _MAPPING,
    "value_error": _value_error,
    "assertion_error": _value_error,
}


def german_message(error: ErrorDetails, model: type[BaseModel], loc: Loc) -> str:
    """The German lint message for one validation error at the cleaned field path `loc`."""
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        close = difflib.get_close_matches(name, known_fields(model, loc[:-1]), n=1)
        return f"unbekanntes Feld {name!r}" + (f" (meinten Sie {close[0]!r}?)" if close else "")
    render = GERMAN.get(kind)
    return render(error) if render is not None else f"ungültiger Wert ({kind})"


def known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names valid at a path (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
