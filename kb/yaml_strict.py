"""Strict, fast YAML for the KB: libyaml composes, a small constructor builds plain data.

YAML 1.1 (PyYAML's default) reads `no`/`on`/`off` as booleans, `12:30` as 750, `010` as 8
and unquoted dates as date objects. Here only `true`/`false` are booleans, only plain
decimal numbers without leading zeros are numbers, and everything else stays the text the
editor wrote; pydantic then checks it against the field. Duplicate keys are errors.
PyYAML's own constructor is pure Python even under libyaml; this one is several times
faster because it handles only the plain types a KB file may hold.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_PREFIX = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (f"{_PREFIX}{t}" for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = f"{_PREFIX}seq", f"{_PREFIX}map"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")

#: The fastest available base loader (libyaml's C parser and composer when installed).
FAST_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """Text that is not acceptable KB YAML, with a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def _plain_tag(value: str) -> str:
    if value in _BOOLS:
        return BOOL
    if value in _NULLS:
        return NULL
    if value[0] in "-+0123456789":
        if _INT.fullmatch(value):
            return INT
        if _FLOAT.fullmatch(value):
            return FLOAT
    return STR


def composer(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """A loader class on `base` whose resolver knows only the strict plain scalars."""

    class StrictComposer(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return _plain_tag(value) if implicit[0] else STR
            return SEQ if kind is SequenceNode else MAP

    return StrictComposer


#: The composer used for every KB file; benchmarks may swap it for the pure-Python one.
COMPOSER = composer(FAST_BASE)


def compose(text: str) -> Node | None:
    """Parse text into a node tree (with positions); raises YamlError on bad syntax."""
    try:
        return yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or str(exc)
        if exc.context:
            reason = f"{exc.context}: {reason}"
        raise YamlError(f"YAML: {reason}", line, column) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML: {exc}") from exc


def parse(text: str) -> Any:
    """Parse KB YAML text into plain Python data (dict, list, str, int, float, bool, None)."""
    node = compose(text)
    return None if node is None else build(node, {})


def build(node: Node, memo: dict[int, Any]) -> Any:
    """Turn a node into plain data; aliases share the object built for their anchor."""
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, SequenceNode) and node.tag == SEQ:
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(build(child, memo) for child in node.value)
        return items
    if isinstance(node, MappingNode) and node.tag == MAP:
        return _mapping(node, memo)
    raise _error(f"unsupported tag {node.tag!r}", node)


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    if tag == INT and _INT.fullmatch(value):
        return int(value)
    if tag == FLOAT and _FLOAT.fullmatch(value):
        return float(value)
    if tag == BOOL and value in _BOOLS:
        return _BOOLS[value]
    if tag == NULL and value in _NULLS:
        return None
    raise _error(f"unsupported tag {tag!r} for {value!r}", node)


def _mapping(node: MappingNode, memo: dict[int, Any]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    memo[id(node)] = out
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _error("a key must be plain text, not a list or mapping", key_node)
        key = _scalar(key_node)
        if key in lines:
            raise _error(f"duplicate key {key!r} (first given on line {lines[key]})", key_node)
        lines[key] = key_node.start_mark.line + 1
        out[key] = build(value_node, memo)
    return out


def _error(message: str, node: Node) -> YamlError:
    return YamlError(f"YAML: {message}", node.start_mark.line + 1, node.start_mark.column + 1)
