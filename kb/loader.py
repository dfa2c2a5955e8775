"""The only YAML reader: loads articles and offices, collecting every problem with file:line:col."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from kb import files, yaml_strict
from kb.exceptions import KbError
from kb.files import MAX_FILE_BYTES, SUFFIXES
from kb.messages import german_message
from kb.models import Article, Office
from kb.parse_cache import ParseCache
from kb.positions import Loc, field_path, locate

__all__ = [
    "MAX_FILE_BYTES",
    "SUFFIXES",
    "KnowledgeBase",
    "LastGood",
    "Loc",
    "Problem",
    "UnreadableFile",
    "field_path",
    "load",
    "locate",
]

#: The folders of a KB: offices first (articles refer to them), then articles, then the
#: approved versions (kb/lifecycle.py) that agents keep seeing while an edit is in review.
FOLDERS = ("offices", "articles", "approved")

Severity = Literal["error", "warning"]
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


@dataclass(frozen=True)
class LastGood:
    """The last version of a file that validated, served while the file is broken."""

    obj: Article | Office
    path: Path
    """The broken file."""
    since: datetime | None = None
    """When that version was saved (the file's modification time), when known."""


@dataclass
class KnowledgeBase:
    """What loaded: articles and offices by id, and every problem found on the way.

    `articles` holds what the files say now, every status (the editors' view; agents get
    `kb.lifecycle.agent_view`). A broken article file keeps its last valid version in
    `last_good`; a broken office file's last valid version is also put into `offices`, so
    transfers keep working.
    """

    articles: dict[str, Article] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    """(kind, id) -> the file it came from; kind is `article`, `office` or `approved`."""
    approved: dict[str, Article] = field(default_factory=dict)
    """The last approved version of each article (`approved/<id>.yaml`), by id."""
    last_good: dict[tuple[str, str], LastGood] = field(default_factory=dict)
    """(kind, id) -> the last valid version of a file that is broken now."""

    def office_for(self, article: Article) -> Office | None:
        """The responsible office, or None when the reference is broken."""
        return self.offices.get(article.office)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]


class UnreadableFile(KbError):
    """A file that could not be turned into a mapping; carries its 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML file (bounded, strict YAML) into a mapping.

    Raises:
        UnreadableFile: with the position of the problem.
    """
    try:
        raw = files.read_bytes(path)
    except files.FileRefused as exc:
        raise UnreadableFile(str(exc)) from exc
    text = _decode(raw)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise UnreadableFile("Datei ist leer")
    try:
        data = yaml_strict.parse(text)
    except yaml_strict.YamlError as exc:
        raise UnreadableFile(str(exc), exc.line, exc.column) from exc
    if not isinstance(data, dict):
        kind = "eine Liste" if isinstance(data, list) else "ein einzelner Wert"
        raise UnreadableFile(
            f"erwartet Felder (Schlüssel: Wert) auf oberster Ebene, gefunden: {kind}"
        )
    return data


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UnreadableFile(
            f"kein UTF-8 (Byte 0x{raw[exc.start]:02x}); die Datei als UTF-8 speichern", line, column
        ) from exc


def _clean_loc(loc: tuple[str | int, ...]) -> Loc:
    # pydantic adds union and validator tags (e.g. 'function-after[...]', 'str'); drop them.
    return tuple(p for p in loc if isinstance(p, int) or re.fullmatch(r"[a-z_][a-z0-9_]*", p))


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
        return None, [Problem(path, 1, 1, f"Datei nicht lesbar: {files.describe_os_error(exc)}")]
    except UnreadableFile as exc:
        return None, [Problem(path, exc.line, exc.column, str(exc))]
    obj, problems = validate(path, data, model)
    if obj is not None and cache is not None:
        cache.keep_good(path, stat, data)
    return obj, problems


def validate(path: Path, data: Any, model: type[ModelT]) -> tuple[ModelT | None, list[Problem]]:
    """Validate parsed data of `path` against `model`; the id must equal the file stem."""
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _clean_loc(error["loc"])
            line, column = locate(path, loc, at_key=error["type"] == "extra_forbidden")
            message = german_message(error, model, loc)
            problems.append(Problem(path, line, column, message, field=field_path(loc)))
        return None, sorted(set(problems))
    stem = path.name.rsplit(".", 1)[0]
    obj_id = getattr(obj, "id", stem)
    if obj_id != stem:
        line, column = locate(path, ("id",))
        message = f"id {obj_id!r} passt nicht zum Dateinamen {path.name!r}"
        return None, [Problem(path, line, column, message, field="id")]
    return obj, []


def load(
    root: Path, cache_file: Path | None = None, previous: KnowledgeBase | None = None
) -> KnowledgeBase:
    """Load `root/offices`, `root/articles` and `root/approved`; never raises for bad content.

    Args:
        root: the KB folder.
        cache_file: where to keep parsed data of unchanged files (see kb.parse_cache).
        previous: the KB loaded before (a console's reload): its versions of files that broke
            since are kept as their last good versions.
    """
    with _gc_paused():
        cache = ParseCache(cache_file) if cache_file is not None else None
        return _load(root, cache, previous)


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


_KINDS: dict[str, tuple[str, type[Article] | type[Office]]] = {
    "offices": ("office", Office),
    "articles": ("article", Article),
    "approved": ("approved", Article),
}


def _load(root: Path, cache: ParseCache | None, previous: KnowledgeBase | None) -> KnowledgeBase:
    kb = KnowledgeBase()
    try:
        has_articles = (root / "articles").is_dir()
    except OSError:
        has_articles = False
    if not has_articles:
        kb.problems.append(Problem(root, 1, 1, "kein Ordner articles/ in der Wissensdatenbank"))
    for folder in FOLDERS:
        kind, model = _KINDS[folder]
        listing = files.list_folder(root / folder)
        kb.problems += [Problem(path, 1, 1, reason) for path, reason in listing.refused]
        for path in listing.files:
            obj, problems = parse_file(path, model, cache)
            kb.problems += problems
            if obj is None:
                _keep_last_good(kb, kind, path, model, cache, previous)
            elif _unique(kb, kind, obj.id, path):
                _add(kb, kind, obj, path)
    if cache is not None:
        cache.save()
    return kb


def _add(kb: KnowledgeBase, kind: str, obj: Article | Office, path: Path) -> None:
    if isinstance(obj, Office):
        kb.offices[obj.id] = obj
    elif kind == "approved":
        kb.approved[obj.id] = obj
    else:
        kb.articles[obj.id] = obj
        if obj.office not in kb.offices:
            line, column = locate(path, ("office",))
            message = f"unbekannte Stelle {obj.office!r} (keine Datei offices/{obj.office}.yaml)"
            kb.problems.append(Problem(path, line, column, message, field="office"))


def _keep_last_good(
    kb: KnowledgeBase,
    kind: str,
    path: Path,
    model: type[Article] | type[Office],
    cache: ParseCache | None,
    previous: KnowledgeBase | None,
) -> None:
    """A broken file: keep the version loaded before (in memory) or cached as last good."""
    if kind == "approved":
        return
    obj_id = path.name.rsplit(".", 1)[0]
    found: LastGood | None = None
    if previous is not None:
        found = previous.last_good.get((kind, obj_id))
        earlier = (previous.articles if kind == "article" else previous.offices).get(obj_id)
        if earlier is not None and previous.paths.get((kind, obj_id)) == path:
            found = LastGood(earlier, path, found.since if found else None)
    if found is None and cache is not None:
        entry = cache.last_good(path)
        if entry is not None:
            obj, _ = validate(path, entry[1], model)
            if obj is not None:
                found = LastGood(obj, path, datetime.fromtimestamp(entry[0] / 1e9, UTC))
    if found is None or (kind, obj_id) in kb.paths:
        return
    kb.last_good[(kind, obj_id)] = found
    if isinstance(found.obj, Office):
        kb.offices[obj_id] = found.obj


def _unique(kb: KnowledgeBase, kind: str, obj_id: str, path: Path) -> bool:
    first = kb.paths.get((kind, obj_id))
    if first is not None:
        line, column = locate(path, ("id",))
        noun = {"article": "Artikel-", "office": "Stellen-"}.get(kind, "")
        message = f"{noun}id {obj_id!r} doppelt, schon vergeben in {first}"
        kb.problems.append(Problem(path, line, column, message, field="id"))
        return False
    kb.paths[(kind, obj_id)] = path
    return True
