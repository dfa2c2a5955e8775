"""Surgical edits of top-level scalar fields in KB YAML text (pure): comments and layout stay.

The workflow writes `status`, `submitted_by`, `approved_at`, ... into an editor's file. Re-dumping
the YAML would drop comments and reorder keys, so only the value's characters are replaced
(a missing field is added as a new line after a given field), and the result is parsed again
to prove that nothing else changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from kb import yaml_strict

#: Values written without quotes: words and ISO dates or times (checked by a round trip).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?")


class EditError(ValueError):
    """The text cannot be edited surgically (not a block mapping, or a field is not a scalar)."""


def render(value: str | int | None) -> str:
    """A scalar as YAML text: ids and words plain, other text double-quoted (JSON syntax)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and yaml_strict.parse(f"v: {value}") == {"v": value}:
        return value
    return json.dumps(value, ensure_ascii=False)


def set_fields(text: str, updates: Mapping[str, str | int | None], after: Sequence[str]) -> str:
    """`text` with the top-level fields in `updates` set; new fields go after whichever of the
    fields `after` comes last in the file.

    Raises:
        EditError: the top level is not a block mapping, a field holds a list or mapping, or
            none of `after` is there while a field has to be added.
        yaml_strict.YamlError: the text is not valid KB YAML.
    """
    root = yaml_strict.compose(text)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise EditError("die Datei ist keine YAML-Zuordnung im Blockformat")
    nodes = {key.value: (key, value) for key, value in root.value}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on the original text
    added: list[str] = []
    for name, value in updates.items():
        if name in nodes:
            node = nodes[name][1]
            if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
                raise EditError(f"Feld {name!r} ist kein einzeiliger Wert")
            edits.append((node.start_mark.index, node.end_mark.index, render(value)))
        else:
            added.append(f"{name}: {render(value)}")
    if added:
        present = [nodes[name][1].end_mark.index for name in after if name in nodes]
        if not present:
            raise EditError(f"Feld {after[0]!r} fehlt")
        line_end = text.find("\n", max(present))
        at = len(text) if line_end < 0 else line_end  # after the line's comment, if any
        edits.append((at, at, "".join(f"\n{line}" for line in added)))
    out = text
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    _check(text, out, updates)
    return out


def _check(before: str, after: str, updates: Mapping[str, Any]) -> None:
    """The edit changed exactly the given fields."""
    old, new = yaml_strict.parse(before), yaml_strict.parse(after)
    expected = {**old, **{k: yaml_strict.parse(f"v: {render(v)}")["v"] for k, v in updates.items()}}
    if new != expected:
        raise EditError("die Änderung würde andere Felder berühren")
