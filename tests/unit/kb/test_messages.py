"""Every validation error the KB models can raise reads German in lint."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kb.loader import load
from kb.messages import GERMAN, german_message
from kb.models import WEEKDAYS, Article, Office
from tests.unit.kb.conftest import ARTICLE, Write

#: An article with every field set, so the sweep reaches every field's validators.
FULL_ARTICLE: dict[str, Any] = {
    "id": "voll",
    "title": "Volle Leistung",
    "leika": "99012345678901",
    "synonyms": ["Alles"],
    "short_answer": "Kurz.",
    "description": "Lang.",
    "documents": [{"name": "Ausweis", "condition": "immer", "original": True}],
    "prerequisites": ["Volljährig"],
    "fees": [
        {
            "amount": "10.00",
            "amount_max": "20.00",
            "free": False,
            "condition": "ab 18",
            "per": "Jahr",
            "approximate": True,
        }
    ],
    "processing_time": {"value": 1, "value_max": 2, "unit": "weeks", "note": "ca."},
    "deadlines": [{"description": "sofort", "within": {"value": 2, "unit": "days"}}],
    "procedure": ["Antrag stellen"],
    "online_service": "https://example.org/a",
    "forms": [{"title": "Formular", "url": "https://example.org/f"}],
    "legal_basis": ["§ 1"],
    "office": "amt",
    "agent_notes": ["intern"],
    "category": "Test",
    "tags": ["t"],
    "status": "published",
    "owner": "Redaktion",
    "submitted_by": "anna",
    "submitted_at": "2026-11-02T10:00:00+01:00",
    "approved_by": "bernd",
    "approved_at": "2026-11-03T10:00:00+01:00",
    "last_reviewed": "2026-10-01",
    "review_interval_days": 365,
}
FULL_OFFICE: dict[str, Any] = {
    "id": "amt",
    "name": "Amt",
    "external": False,
    "address": {"street": "Weg 1", "postal_code": "12345", "city": "Stadt", "room": "1"},
    "extension": "2001",
    "phone": "+49 2151 86-0",
    "email": "amt@stadt.de",
    "website": "https://example.org",
    "appointment": {"required": True, "booking_url": "https://example.org/t", "note": "x"},
    "languages": ["de"],
    "opening_hours": {day: ["08:00-12:00", "14:00-16:00"] for day in WEEKDAYS},
    "exceptions": [
        {"date": "2026-12-24", "until": "2026-12-26", "hours": ["08:00-10:00"], "note": "Fest"}
    ],
    "state": "NW",
    "closed_on_holidays": True,
    "notes": ["intern"],
}
#: Hostile values of every YAML-reachable kind, plus strings that look like other kinds.
VALUES: tuple[Any, ...] = (
    None, True, 0, -1, 10**20, 1.5, -2.5, 1e300, float("nan"), "", " ", "x" * 100,
    "31.12.2026", "2026-13-45", "2026-02-30", "2026-01-01T10:00:00", "2026-01-01T25:00:00+01:00",
    "25:00-26:00", "12:00-08:00", "NaN", "inf", "12.345", "12345678.1", "1234567890.12",
    "Zeile\nzwei", "Tab\tx", [], ["x"], [1], [[]], [{}], {}, {"x": 1}, "no",
)  # fmt: skip
#: English left in a message means a fallback or an untranslated pydantic text.
ENGLISH = re.compile(r"\b(Input|should|must|Value error|Field required|valid|ungültiger Wert)\b")


def paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


def replaced(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    current = out
    for part in path[:-1]:
        current = current[part]
    current[path[-1]] = value
    return out


def sweep(model: type[BaseModel], full: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """(error, loc) of every validation error from every hostile value at every field path."""
    model.model_validate(full)  # the complete object itself is valid
    for path in paths(full):
        for value in VALUES:
            try:
                model.model_validate(replaced(full, path, value))
            except ValidationError as exc:
                for error in exc.errors():
                    yield error, tuple(p for p in error["loc"] if isinstance(p, int | str))
        if path and isinstance(path[-1], str):  # drop the field
            parent = copy.deepcopy(full)
            current = parent
            for part in path[:-1]:
                current = current[part]
            del current[path[-1]]
            try:
                model.model_validate(parent)
            except ValidationError as exc:
                for error in exc.errors():
                    yield error, tuple(error["loc"])


@pytest.mark.parametrize(("model", "full"), [(Article, FULL_ARTICLE), (Office, FULL_OFFICE)])
def test_every_error_type_the_model_raises_has_a_german_message(
    model: type[BaseModel], full: dict[str, Any]
) -> None:
    seen: set[str] = set()
    for error, loc in sweep(model, full):
        seen.add(error["type"])
        message = german_message(error, model, loc)
        assert not ENGLISH.search(message), (error["type"], message)
    missing = {kind for kind in seen if kind not in GERMAN and kind != "extra_forbidden"}
    assert missing == set()
    assert len(seen) >= {Article: 25, Office: 10}[model]  # the sweep reaches the validators


def test_the_issues_examples(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("2026-10-01", "31.12.2026")
    valid_kb("articles", "bb.yaml", text + "submitted_at: 2026-11-02T10:00:00\n")
    messages = sorted(p.message for p in load(kb_root).problems)
    assert messages == [
        "'31.12.2026' ist kein gültiges Datum; als JJJJ-MM-TT schreiben, z. B. 2026-12-31",
        "Zeitpunkt ohne Zeitzone; +01:00 oder +02:00 anhängen",
    ]


def test_escape_character_in_a_title_is_refused_with_its_line(
    valid_kb: Write, kb_root: Path
) -> None:
    text = ARTICLE.format(id="bb").replace("title: Testleistung bb", 'title: "Reise\\x1bpass"')
    valid_kb("articles", "bb.yaml", text)
    [problem] = load(kb_root).problems
    assert str(problem).endswith(
        "bb.yaml:2:8: error: YAML: Steuerzeichen U+001B (Escape) im Text ist nicht erlaubt"
        " (nur Tabulator und Zeilenumbruch)"
    )


@pytest.mark.parametrize("char", ["\\x07", "\\r", "\\x9b", "\\u202e", "\\0"])
def test_other_control_characters_are_refused(valid_kb: Write, kb_root: Path, char: str) -> None:
    text = ARTICLE.format(id="bb").replace("Eine kurze Antwort.", f'"Eine{char} Antwort."')
    valid_kb("articles", "bb.yaml", text)
    [problem] = load(kb_root).problems
    assert problem.line == 3 and "Steuerzeichen" in problem.message


def test_tab_and_newline_only_where_text_may_have_them(valid_kb: Write, kb_root: Path) -> None:
    text = ARTICLE.format(id="bb").replace("Eine kurze Antwort.", '"Zeile eins\\n\\tZeile zwei"')
    valid_kb("articles", "bb.yaml", text)
    assert load(kb_root).problems == []
    text = ARTICLE.format(id="cc").replace("title: Testleistung cc", 'title: "Reise\\npass"')
    valid_kb("articles", "cc.yaml", text)
    [problem] = load(kb_root).problems
    assert (problem.line, problem.field) == (2, "title")
    assert problem.message == "Zeilenumbruch oder Tabulator ist in diesem Feld nicht erlaubt"
