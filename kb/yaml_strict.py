"""Strict, fast YAML for the KB: libyaml composes, a small constructor builds plain data.

YAML 1.1 (PyYAML's default) reads `no`/`on`/`off` as booleans, `12:30` as 750, `010` as 8
and unquoted dates as date objects. Here only `true`/`false` are booleans, only plain
decimal numbers without leading zeros are numbers, and everything else stays the text the
editor wrote; pydantic then checks it against the field. Duplicate keys are errors.
PyYAML's own constructor is pure Python even under libyaml; this one is several times
faster because it handles only the plain types a KB file may hold.

Hostile input is bounded: nesting deeper than MAX_DEPTH, numbers longer than
MAX_NUMBER_LENGTH and control characters in text are refused with their position (a KB file
needs four levels, short numbers and no terminal escapes). Messages are German (editors read them).
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

#: Deepest nesting of lists and mappings a KB file may have (an article needs 4 levels).
MAX_DEPTH = 16
#: Longest plain number, in characters (Python refuses int() of more than 4,300 digits).
MAX_NUMBER_LENGTH = 32
#: Characters refused in any text: C0 controls except tab and newline, DEL, C1 controls and
#: the bidirectional overrides; a title with `\x1b` would drive the agent's terminal.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: German wording of libyaml's most frequent complaints (others are shown as libyaml words them).
_REASONS = {
    "did not find expected node content": "hier fehlt ein Wert",
    "mapping values are not allowed in this context": (
        "hier ist kein `Schlüssel: Wert` erlaubt (Doppelpunkt im Text? Dann in Anführungszeichen)"
    ),
    "found character that cannot start any token": (
        "Zeichen, mit dem kein YAML-Element beginnen kann (Tabulator zum Einrücken? @ oder ` am"
        " Anfang? Dann in Anführungszeichen)"
    ),
    "found undefined alias": "unbekannter Verweis (*Name ohne &Name)",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen offen?)",
    "found unknown escape character": "unbekannte Escape-Sequenz nach \\",
    "did not find expected key": "Einrückung passt nicht (erwartet wurde ein Schlüssel)",
    "did not find expected ',' or '}'": "`,` oder `}` fehlt",
    "did not find expected ',' or ']'": "`,` oder `]` fehlt",
    "did not find expected '-' indicator": "Einrückung passt nicht (erwartet wurde `-`)",
    "could not find expected ':'": "`:` fehlt",
    "exceeded maximum nesting depth": f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)",
}

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
        raise YamlError(f"YAML-Syntaxfehler: {_REASONS.get(reason, reason)}", line, column) from exc
    except yaml.reader.ReaderError as exc:
        line, column = position(text, exc.position)
        raise YamlError(f"YAML: {_control_name(chr(exc.character))} ist nicht erlaubt",
                        line, column) from exc  # fmt: skip
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML-Syntaxfehler: {exc}") from exc
    except RecursionError as exc:  # the pure-Python composer recurses per level
        raise YamlError(f"YAML: zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)") from exc


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in text."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _control_name(char: str) -> str:
    names = {"\x1b": " (Escape)", "\r": " (Wagenrücklauf)", "\x00": " (Nullzeichen)"}
    return f"Steuerzeichen U+{ord(char):04X}{names.get(char, '')}"


def parse(text: str) -> Any:
    """Parse KB YAML text into plain Python data (dict, list, str, int, float, bool, None)."""
    node = compose(text)
    return None if node is None else build(node, {})


def build(node: Node, memo: dict[int, Any], depth: int = 0) -> Any:
    """Turn a node into plain data; aliases share the object built for their anchor.

    Raises:
        YamlError: nesting deeper than MAX_DEPTH, or a scalar a KB file may not hold.
    """
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if id(node) in memo:
        return memo[id(node)]
    if depth >= MAX_DEPTH:
        raise _error(f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)", node)
    if isinstance(node, SequenceNode) and node.tag == SEQ:
        items: list[Any] = []
        memo[id(node)] = items
        for child in node.value:
            items.append(build(child, memo, depth + 1))
        return items
    if isinstance(node, MappingNode) and node.tag == MAP:
        return _mapping(node, memo, depth)
    raise _error(f"nicht unterstützter YAML-Tag {node.tag!r}", node)


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        control = None if value.isprintable() else CONTROL_CHARS.search(value)  # fast path
        if control is not None:
            raise _error(f"{_control_name(control.group())} im Text ist nicht erlaubt"
                         " (nur Tabulator und Zeilenumbruch)", node)  # fmt: skip
        return value
    if tag in (INT, FLOAT) and len(value) > MAX_NUMBER_LENGTH:
        raise _error(f"Zahl zu lang ({len(value):,} Zeichen; höchstens {MAX_NUMBER_LENGTH})"
                     .replace(",", "."), node)  # fmt: skip
    if tag == INT and _INT.fullmatch(value):
        return int(value)
    if tag == FLOAT and _FLOAT.fullmatch(value):
        return float(value)
    if tag == BOOL and value in _BOOLS:
        return _BOOLS[value]
    if tag == NULL and value in _NULLS:
        return None
    raise _error(f"nicht unterstützter YAML-Tag {tag!r} für {value!r}", node)


def _mapping(node: MappingNode, memo: dict[int, Any], depth: int) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    memo[id(node)] = out
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _error("ein Schlüssel muss einfacher Text sein, keine Liste oder Zuordnung",
                         key_node)  # fmt: skip
        key = _scalar(key_node)
        if key in lines:
            raise _error(f"Schlüssel {key!r} doppelt (zuerst in Zeile {lines[key]})", key_node)
        lines[key] = key_node.start_mark.line + 1
        out[key] = build(value_node, memo, depth + 1)
    return out


def _error(message: str, node: Node) -> YamlError:
    return YamlError(f"YAML: {message}", node.start_mark.line + 1, node.start_mark.column + 1)
