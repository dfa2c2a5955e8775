"""Strict YAML: the scalars an editor means, and clear errors for what a KB file may not hold."""

from __future__ import annotations

import pytest

from kb.yaml_strict import YamlError, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", {"a": "no"}),
        ("a: On", {"a": "On"}),
        ("a: 12:30", {"a": "12:30"}),
        ("a: 010", {"a": "010"}),
        ("a: 0x1F", {"a": "0x1F"}),
        ("a: 2026-01-15", {"a": "2026-01-15"}),
        ("a: 1_000", {"a": "1_000"}),
        ("a: 42", {"a": 42}),
        ("a: -7", {"a": -7}),
        ("a: 27.60", {"a": 27.6}),
        ("a: true", {"a": True}),
        ("a: ~", {"a": None}),
        ("a:", {"a": None}),
        ('a: "true"', {"a": "true"}),
        ("a: !!str 42", {"a": "42"}),
    ],
)
def test_scalars(text: str, expected: object) -> None:
    assert parse(text) == expected


def test_anchors_and_aliases_share_data() -> None:
    data = parse("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "Schlüssel 'a' doppelt (zuerst in Zeile 1)", 3),
        ("a: !!python/object:os.system x\n", "nicht unterstützter YAML-Tag", 1),
        ("a: !!timestamp 2026-01-01\n", "nicht unterstützter YAML-Tag", 1),
        ("? [1, 2]\n: x\n", "ein Schlüssel muss einfacher Text sein", 1),
        ("a: [1,\n", "YAML-Syntaxfehler: hier fehlt ein Wert", 2),
    ],
)
def test_refused(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        parse(text)
    assert info.value.line == line
