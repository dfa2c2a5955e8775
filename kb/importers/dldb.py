"""Import a DLDB export (services and locations JSON, as Berlin and Munich use) as KB files.

The only module of the importer that touches files; the conversion is `dldb_convert.convert`.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import cast

import yaml

from kb.exceptions import DldbError
from kb.importers.dldb_convert import ImportReport, convert
from kb.importers.values import Json
from kb.safe_text import clean_values
from kb.schemas import SCHEMA_DIR

__all__ = ["GENERATED", "DldbError", "ImportReport", "import_dldb", "schema_comment", "to_yaml"]

#: Second comment line of every written file; marks files a new import may overwrite.
GENERATED = "# Imported from a DLDB export by `lotse kb import-dldb`; a new import overwrites it.\n"


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as literal blocks (`|`)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def schema_comment(folder: Path, schema_name: str) -> str:
    """The `yaml-language-server` line pointing at the installed schema, when a relative path
    makes sense (the output lies in the same project tree); otherwise an empty string."""
    project = SCHEMA_DIR.parent.parent.resolve()
    target = folder.resolve()
    if not target.is_relative_to(project):
        return ""
    relative = os.path.relpath(SCHEMA_DIR / schema_name, target)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def to_yaml(data: Json) -> str:
    """Serialise one file's fields with the safe dumper (quotes what YAML 1.1 would misread)."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return text


def _foreign_ids(folder: Path) -> set[str]:
    """Stems of the YAML files in `folder` that this importer did not write."""
    foreign = set()
    for path in folder.glob("*.y*ml") if folder.is_dir() else ():
        try:
            head = path.read_bytes()[:1024].decode("utf-8", "replace")
        except OSError:
            head = ""
        if GENERATED not in head:
            foreign.add(path.name.rsplit(".", 1)[0])
    return foreign


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DldbError(f"{path}: cannot read file ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DldbError(f"{path}: not a UTF-8 JSON file ({exc})") from exc


def import_dldb(
    services: Path, locations: Path, out_dir: Path, *, today: date | None = None
) -> ImportReport:
    """Convert a DLDB export into `out_dir/articles/<id>.yaml` and `out_dir/offices/<id>.yaml`.

    Files written by an earlier import are overwritten; the ids of other files already in
    `out_dir` are kept free (the import takes `<slug>-<DLDB id>` instead), so a hand-written
    KB is never overwritten. Nothing is deleted.
    Raises DldbError (a CatalogueImportError and ValueError) when an input file cannot be read
    or lacks the DLDB shape.
    """
    reserved = {kind: _foreign_ids(out_dir / kind) for kind in ("articles", "offices")}
    result = convert(_read_json(services), _read_json(locations), today or date.today(), reserved)
    for kind, schema, items in (
        ("offices", "office.schema.json", result.offices),
        ("articles", "article.schema.json", result.articles),
    ):
        folder = out_dir / kind
        folder.mkdir(parents=True, exist_ok=True)
        header = schema_comment(folder, schema)
        for data in items:
            path = folder / f"{data['id']}.yaml"
            clean = cast(Json, clean_values(data))  # no escape sequences or bidi controls
            path.write_text(header + GENERATED + to_yaml(clean), encoding="utf-8")
    return result.report
