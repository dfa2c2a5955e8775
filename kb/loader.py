"""Loads a KB folder (base layer and municipalities), collecting every problem with file:line:col.

kb.reading reads and validates single files (the only YAML reader); kb.layer_loader adds the
municipalities' files and overlays (docs/kb-layers.md).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from kb import files, layer_loader
from kb.files import MAX_FILE_BYTES, SUFFIXES
from kb.knowledge import KnowledgeBase, LastGood, Problem, Severity
from kb.models import Article, Office
from kb.parse_cache import ParseCache
from kb.positions import Loc, field_path, locate
from kb.reading import UnreadableFile, parse_file, read_yaml, validate

__all__ = [
    "MAX_FILE_BYTES",
    "SUFFIXES",
    "KnowledgeBase",
    "LastGood",
    "Loc",
    "Problem",
    "Severity",
    "UnreadableFile",
    "field_path",
    "load",
    "locate",
    "parse_file",
    "read_yaml",
    "validate",
]

#: The folders of a KB: offices first (articles refer to them), then articles, then the
#: approved versions (kb/lifecycle.py) that agents keep seeing while an edit is in review.
FOLDERS = ("offices", "articles", "approved")


def load(
    root: Path, cache_file: Path | None = None, previous: KnowledgeBase | None = None
) -> KnowledgeBase:
    """Load `root/offices`, `root/articles`, `root/approved` and `root/municipalities`; never
    raises for bad content.

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


_KINDS: dict[str, tuple[str, type[Article] | type[Office]]] = {  # folder -> kind, model
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
    places = layer_loader.municipality_folders(root, kb)
    for folder, owner in [(root / "offices", None)] + [(f / "offices", f.name) for f in places]:
        _load_folder(kb, folder, "office", cache, previous, owner)
    for name in FOLDERS[1:]:
        _load_folder(kb, root / name, _KINDS[name][0], cache, previous)
    layer_loader.load_layers(kb, places, cache, previous)
    if cache is not None:
        cache.save()
    return kb


def _load_folder(
    kb: KnowledgeBase,
    folder: Path,
    kind: str,
    cache: ParseCache | None,
    previous: KnowledgeBase | None,
    owner: str | None = None,
) -> None:
    """Load one folder of articles, approved copies or offices (`owner`: a municipality's)."""
    model: type[Article] | type[Office] = Office if kind == "office" else Article
    listing = files.list_folder(folder)
    kb.problems += [Problem(path, 1, 1, reason) for path, reason in listing.refused]
    for path in listing.files:
        obj, problems = parse_file(path, model, cache)
        kb.problems += problems
        if obj is None:
            obj_id = _keep_last_good(kb, kind, path, model, cache, previous)
        elif _unique(kb, kind, obj.id, path):
            _add(kb, kind, obj, path)
            obj_id = obj.id
        else:
            continue
        if owner is not None and obj_id in kb.offices:
            kb.office_owners[obj_id] = owner


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
) -> str | None:
    """A broken file: keep the version loaded before (in memory) or cached as last good.

    Returns the id kept, if one was.
    """
    if kind == "approved":
        return None
    obj_id = path.name.rsplit(".", 1)[0]
    found: LastGood | None = None
    if previous is not None:
        found = previous.last_good.get((kind, obj_id))
        earlier = (previous.articles if kind == "article" else previous.offices).get(obj_id)
        if earlier is not None and previous.paths.get((kind, obj_id)) == path:
            found = LastGood(earlier, path, found.since if found else None)
    # Asked even when the previous load has it: the cache keeps only entries asked for, and a
    # restart while the file is still broken needs it.
    entry = cache.last_good(path) if cache is not None else None
    if found is None and entry is not None:
        obj, _ = validate(path, entry[1], model)
        if obj is not None:
            found = LastGood(obj, path, datetime.fromtimestamp(entry[0] / 1e9, UTC))
    if found is None or (kind, obj_id) in kb.paths:
        return None
    kb.last_good[(kind, obj_id)] = found
    if isinstance(found.obj, Office):
        kb.offices[obj_id] = found.obj
    return obj_id


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
