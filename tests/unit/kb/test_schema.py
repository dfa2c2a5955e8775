"""The committed JSON Schemas match the model, and every sample file points at them."""

from __future__ import annotations

import json
from pathlib import Path

from kb import schemas

KB = Path(schemas.__file__).resolve().parent


def test_committed_schemas_are_current() -> None:
    assert schemas.stale() == [], "run `lotse kb schema` and commit kb/schema/"


def test_stale_schema_is_detected(tmp_path: Path) -> None:
    schemas.write_all(tmp_path)
    assert schemas.stale(tmp_path) == []
    (tmp_path / "office.schema.json").write_text("{}", encoding="utf-8")
    assert schemas.stale(tmp_path) == ["office.schema.json"]


def test_schema_forbids_unknown_fields_and_describes_fields() -> None:
    article = json.loads((KB / "schema" / "article.schema.json").read_text(encoding="utf-8"))
    assert article["additionalProperties"] is False
    assert "short_answer" in article["required"]
    assert article["properties"]["synonyms"]["description"].startswith("Words callers use")


def test_every_sample_file_references_its_schema() -> None:
    for kind, schema in (("articles", "article"), ("offices", "office")):
        for path in sorted((KB / kind).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path
