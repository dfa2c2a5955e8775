"""Where a field path sits in a YAML file: line and column for lint messages."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from kb import files, yaml_strict

Loc = tuple[str | int, ...]


def locate(path: Path, loc: Loc, at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the YAML node at a field path, as near as it exists.

    With `at_key`, point at the key of the last part (for unknown fields) rather than its value.
    """
    try:
        node = yaml_strict.compose(files.read_bytes(path).decode("utf-8-sig"))
    except (files.FileRefused, UnicodeDecodeError, yaml_strict.YamlError):
        return 1, 1
    if node is None:
        return 1, 1
    mark = node.start_mark
    for index, part in enumerate(loc):
        child = _child(node, part)
        if child is None or (at_key and index == len(loc) - 1):
            # A missing or unknown field: point at its key if present, else at the parent.
            key = _key(node, part)
            if key is not None:
                mark = key.start_mark
            break
        node = child
        mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _key(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if key.value == part:
                return key
    return None


def field_path(loc: Iterable[str | int]) -> str:
    """('fees', 1, 'amount') -> 'fees[1].amount'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
