"""JSON Schemas for editors, generated from the model and committed under kb/schema/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kb.layers import FIXED_FIELDS, ArticleOverlay
from kb.models import Article, Municipality, Office

#: Folder of the committed schema files.
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
#: File name -> model.
SCHEMAS: dict[str, type[BaseModel]] = {
    "article.schema.json": Article,
    "office.schema.json": Office,
    "municipality.schema.json": Municipality,
    "overlay.schema.json": ArticleOverlay,
}
#: Fields a schema leaves out: an overlay names the base article by id, the rest is the base's.
HIDDEN: dict[type[BaseModel], frozenset[str]] = {ArticleOverlay: FIXED_FIELDS - {"id"}}


def render(model: type[BaseModel]) -> str:
    """The JSON Schema of a model as stable, pretty-printed text."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(mode="validation"),
    }
    for name in HIDDEN.get(model, frozenset()):
        del schema["properties"][name]
    if model is ArticleOverlay:
        schema["required"] = ["id"]
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    """(Re)write every schema file; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


def stale(folder: Path = SCHEMA_DIR) -> list[str]:
    """Names of committed schema files that differ from the model (or are missing)."""
    out = []
    for name, model in SCHEMAS.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(model):
            out.append(name)
    return out
