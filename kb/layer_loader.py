"""Loads the municipality layers: `municipalities/<id>/municipality.yaml` and the overlays.

The offices under `municipalities/<id>/offices/` load with the base offices (kb.loader). An
overlay is checked against the base: its id must name a base article (or it must be a complete
article: a local service), every field must exist in Article and be valid, and the workflow's
fields are the base's. A broken overlay keeps its last valid version (from the previous load
or the parse cache), else the base is served in that municipality; either way it is a problem.
"""

from __future__ import annotations

from pathlib import Path

from kb import files
from kb.knowledge import KnowledgeBase, Problem
from kb.layers import FIXED_FIELDS, ArticleOverlay, Overlay, unset_required
from kb.models import Article, Municipality
from kb.parse_cache import ParseCache
from kb.positions import locate
from kb.reading import Read, read_file, validate

#: The folder holding one sub-folder per municipality.
FOLDER = "municipalities"
#: The file describing a municipality, in its folder.
MUNICIPALITY_FILE = "municipality.yaml"


def municipality_folders(root: Path, kb: KnowledgeBase) -> list[Path]:
    """The folders under `root/municipalities/` (none for a flat KB); odd entries are problems."""
    listing = files.list_subfolders(root / FOLDER)
    kb.problems += [Problem(path, 1, 1, reason) for path, reason in listing.refused]
    return listing.files


def load_layers(
    kb: KnowledgeBase,
    folders: list[Path],
    cache: ParseCache | None,
    previous: KnowledgeBase | None = None,
) -> None:
    """Add each folder's municipality and overlays to `kb` (whose base and offices are loaded)."""
    for folder in folders:
        _load_municipality(kb, folder, cache)
    homes = [m for m in kb.municipalities.values() if m.home]
    for extra in homes[1:]:
        path = kb.paths[("municipality", extra.id)]
        line, column = locate(path, ("home",))
        message = f"nur eine Gemeinde ist die eigene (home: true), schon {homes[0].id!r}"
        kb.problems.append(Problem(path, line, column, message, field="home"))
    base_ids = set(kb.articles) | {aid for kind, aid in kb.last_good if kind == "article"}
    for folder in folders:
        listing = files.list_folder(folder / "articles")
        kb.problems += [Problem(path, 1, 1, reason) for path, reason in listing.refused]
        for path in listing.files:
            overlay = _overlay(kb, folder.name, read_file(path, cache), base_ids, cache)
            if overlay is None:
                overlay = _last_good_overlay(kb, folder.name, path, base_ids, cache, previous)
            if overlay is not None:
                kb.overlays.setdefault(folder.name, {})[overlay.article_id] = overlay
                kb.paths[("overlay", f"{folder.name}/{overlay.article_id}")] = path


def _load_municipality(kb: KnowledgeBase, folder: Path, cache: ParseCache | None) -> None:
    path = folder / MUNICIPALITY_FILE
    if not path.exists():
        message = f"{MUNICIPALITY_FILE} fehlt: die Gemeinde {folder.name!r} wird nicht geladen"
        kb.problems.append(Problem(folder, 1, 1, message))
        return
    place, problems = read_file(path, cache).validated(Municipality, cache, folder.name)
    kb.problems += problems
    if place is None:
        return
    kept = {}
    for base_id, target in place.offices.items():
        reason = None
        if base_id not in kb.offices or base_id in kb.office_owners:
            reason = f"{base_id!r} ist keine Stelle der Basis (offices/{base_id}.yaml)"
        elif target not in kb.offices:
            reason = f"unbekannte Stelle {target!r} (keine Datei offices/{target}.yaml)"
        if reason is None:
            kept[base_id] = target
        else:
            line, column = locate(path, ("offices", base_id), at_key=True)
            kb.problems.append(Problem(path, line, column, reason, field=f"offices.{base_id}"))
    kb.municipalities[place.id] = place.model_copy(update={"offices": kept})
    kb.paths[("municipality", place.id)] = path


def _overlay(
    kb: KnowledgeBase,
    municipality: str,
    read: Read,
    base_ids: set[str],
    cache: ParseCache | None,
) -> Overlay | None:
    """Validate one overlay file; its problems go to `kb.problems`."""
    path, data = read.path, read.data
    if data is None:
        kb.problems += read.problems
        return None
    article_id = path.name.rsplit(".", 1)[0]
    if article_id not in base_ids:
        return _local_service(kb, municipality, read, cache)
    fixed = sorted(key for key in data if key in FIXED_FIELDS - {"id"})
    for key in fixed:
        line, column = locate(path, (key,), at_key=True)
        message = f"{key!r} gilt aus der Basis für alle Gemeinden und ist hier nicht erlaubt"
        kb.problems.append(Problem(path, line, column, message, field=key))
    if "id" not in data:
        kb.problems.append(Problem(path, 1, 1, f"id fehlt (id: {article_id})", field="id"))
        return None
    obj, problems = read.validated(ArticleOverlay, None if fixed else cache)
    kb.problems += problems
    if obj is None or fixed:
        return None
    values = {name: getattr(obj, name) for name in obj.model_fields_set - {"id"}}
    bad = [Problem(path, *locate(path, (name,)),
                   "darf nicht leer sein; das Feld weglassen, um die Basis zu übernehmen",
                   field=name) for name in unset_required(values)]  # fmt: skip
    bad += _office_problem(kb, path, values.get("office"))
    if not values:
        kb.problems.append(
            Problem(path, 1, 1, "Überlagerung ändert kein Feld der Basis", "warning")
        )
    kb.problems += bad
    return None if bad else Overlay(article_id, municipality, path, values)


def _local_service(
    kb: KnowledgeBase, municipality: str, read: Read, cache: ParseCache | None
) -> Overlay | None:
    """An overlay whose id the base does not know: a complete article of a local service."""
    path, data = read.path, read.data or {}
    article_id = path.name.rsplit(".", 1)[0]
    fields = Article.model_fields
    missing = [name for name, info in fields.items() if info.is_required() and name not in data]
    if missing:
        line, column = locate(path, ("id",))
        message = (
            f"unbekannter Artikel {article_id!r}: keine Datei articles/{article_id}.yaml in der"
            f" Basis, und als eigene Leistung der Gemeinde fehlen {', '.join(missing)}"
        )
        kb.problems.append(Problem(path, line, column, message, field="id"))
        return None
    article, problems = read.validated(Article, cache)
    kb.problems += problems
    if article is None:
        return None
    bad = _office_problem(kb, path, article.office)
    kb.problems += bad
    if bad:
        return None
    values = {name: getattr(article, name) for name in article.model_fields_set - {"id"}}
    return Overlay(article_id, municipality, path, values, article)


def _office_problem(kb: KnowledgeBase, path: Path, office: object) -> list[Problem]:
    if office is None or office in kb.offices:
        return []
    line, column = locate(path, ("office",))
    message = f"unbekannte Stelle {office!r} (keine Datei offices/{office}.yaml)"
    return [Problem(path, line, column, message, field="office")]


def _last_good_overlay(
    kb: KnowledgeBase,
    municipality: str,
    path: Path,
    base_ids: set[str],
    cache: ParseCache | None,
    previous: KnowledgeBase | None,
) -> Overlay | None:
    """The last valid version of a broken overlay: from the previous load, else the cache."""
    article_id = path.name.rsplit(".", 1)[0]
    place = kb.municipalities.get(municipality)
    name = place.name if place else municipality
    found = None
    if previous is not None:
        earlier = previous.overlays.get(municipality, {}).get(article_id)
        found = earlier if earlier is not None and earlier.path == path else None
    entry = cache.last_good(path) if cache is not None else None  # also keeps it cached
    if found is None and entry is not None:
        data = entry[1]
        model = ArticleOverlay if article_id in base_ids else Article
        obj, problems = validate(path, data, model)
        if obj is not None and not problems:
            values = {n: getattr(obj, n) for n in obj.model_fields_set - {"id"}}
            article = obj if isinstance(obj, Article) and model is Article else None
            found = Overlay(article_id, municipality, path, values, article)
    if found is None:
        if article_id in base_ids:
            note = f"{name}: Agenten sehen die Fassung der Basis, bis die Überlagerung gültig ist"
            kb.problems.append(Problem(path, 1, 1, note, "warning"))
        return None
    note = f"{name}: Agenten sehen weiter die letzte gültige Fassung dieser Überlagerung"
    kb.problems.append(Problem(path, 1, 1, note, "warning"))
    return found
