"""The only YAML reader: loads articles and offices, collecting every problem with file:line:col."""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kb import yaml_strict
from kb.models import Article, Office
from kb.parse_cache import ParseCache

#: Files larger than this are refused (an article is a few KiB; this catches pasted dumps).
MAX_FILE_BYTES = 256 * 1024
#: The file endings read as YAML.
SUFFIXES = (".yaml", ".yml")

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in a KB file, printed as `path:line:column: severity: field: message`."""

    path: Path
    line: int
    column: int
    message: str
    severity: Severity = "error"
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"


@dataclass
class KnowledgeBase:
    """What loaded: articles and offices by id, and every problem found on the way."""

    articles: dict[str, Article] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    """(kind, id) -> the file it came from; kind is `article` or `office`."""

    def office_for(self, article: Article) -> Office | None:
        """The responsible office, or None when the reference is broken."""
        return self.offices.get(article.office)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]


class _Unreadable(Exception):
    """A file that could not be turned into a mapping; carries its position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML file into a mapping, or raise _Unreadable with a position."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Unreadable(f"file too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(f"cannot read file: {exc.strerror}") from exc
    text = _decode(raw)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _Unreadable("file is empty")
    try:
        data = yaml_strict.parse(text)
    except yaml_strict.YamlError as exc:
        raise _Unreadable(str(exc), exc.line, exc.column) from exc
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise _Unreadable(f"expected a mapping of fields at the top level, found {kind}")
    return data


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _Unreadable(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column
        ) from exc


def locate(path: Path, loc: Loc, at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the YAML node at a field path, as near as it exists.

    With `at_key`, point at the key of the last part (for unknown fields) rather than its value.
    """
    try:
        node = yaml_strict.compose(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml_strict.YamlError):
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


def _clean_loc(loc: tuple[str | int, ...]) -> Loc:
    # pydantic adds union and validator tags (e.g. 'function-after[...]', 'str'); drop them.
    return tuple(p for p in loc if isinstance(p, int) or re.fullmatch(r"[a-z_][a-z0-9_]*", p))


def _message(error: ErrorDetails, model: type[BaseModel], loc: Loc) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1)
        return f"unknown field {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind == "missing":
        return "required field is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "bool_type":
        message += " (write true or false)"
    elif kind == "string_type" and isinstance(error.get("input"), int | float):
        message += " (YAML read a number: put the value in quotes)"
    elif kind == "string_pattern_mismatch":
        message = f"{error.get('input')!r} has the wrong format ({message})"
    return message


def _known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
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


def parse_file(
    path: Path, model: type[ModelT], cache: ParseCache | None = None
) -> tuple[ModelT | None, list[Problem]]:
    """Read and validate one file; returns the object (or None) and its problems."""
    try:
        stat = path.stat()
        data = cache.get(path, stat) if cache is not None else None
        if data is None:
            data = read_yaml(path)
            if cache is not None:
                cache.put(path, stat, data)
    except OSError as exc:
        return None, [Problem(path, 1, 1, f"cannot read file: {exc.strerror}")]
    except _Unreadable as exc:
        return None, [Problem(path, exc.line, exc.column, str(exc))]
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _clean_loc(error["loc"])
            line, column = locate(path, loc, at_key=error["type"] == "extra_forbidden")
            message = _message(error, model, loc)
            problems.append(Problem(path, line, column, message, field=field_path(loc)))
        return None, sorted(set(problems))
    stem = path.name.rsplit(".", 1)[0]
    obj_id = getattr(obj, "id", stem)
    if obj_id != stem:
        line, column = locate(path, ("id",))
        message = f"id {obj_id!r} does not match the file name {path.name!r}"
        return None, [Problem(path, line, column, message, field="id")]
    return obj, []


def _files(folder: Path) -> Iterator[Path]:
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(SUFFIXES) and e.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return
    entries.sort(key=lambda entry: entry.name)
    for entry in entries:
        yield Path(entry.path)


def load(root: Path, cache_file: Path | None = None) -> KnowledgeBase:
    """Load `root/offices/*.yaml` and `root/articles/*.yaml`; never raises for bad content.

    Args:
        root: the KB folder.
        cache_file: where to keep parsed data of unchanged files (see kb.parse_cache).
    """
    with _gc_paused():
        return _load(root, ParseCache(cache_file) if cache_file is not None else None)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Loading allocates hundreds of thousands of acyclic objects; the cyclic collector's
    # repeated passes over them took about half of a warm 5,000-article load (bench/kb_load.py).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, cache: ParseCache | None) -> KnowledgeBase:
    kb = KnowledgeBase()
    if not (root / "articles").is_dir():
        kb.problems.append(Problem(root, 1, 1, "no articles/ folder in the knowledge base"))
    for path in _files(root / "offices"):
        office, problems = parse_file(path, Office, cache)
        kb.problems += problems
        if office is not None and _unique(kb, "office", office.id, path):
            kb.offices[office.id] = office
    for path in _files(root / "articles"):
        article, problems = parse_file(path, Article, cache)
        kb.problems += problems
        if article is not None and _unique(kb, "article", article.id, path):
            kb.articles[article.id] = article
            if article.office not in kb.offices:
                line, column = locate(path, ("office",))
                message = f"unknown office {article.office!r} (no offices/{article.office}.yaml)"
                kb.problems.append(Problem(path, line, column, message, field="office"))
    if cache is not None:
        cache.save()
    return kb


def _unique(kb: KnowledgeBase, kind: str, obj_id: str, path: Path) -> bool:
    first = kb.paths.get((kind, obj_id))
    if first is not None:
        line, column = locate(path, ("id",))
        message = f"duplicate {kind} id {obj_id!r}, already defined in {first}"
        kb.problems.append(Problem(path, line, column, message, field="id"))
        return False
    kb.paths[(kind, obj_id)] = path
    return True
