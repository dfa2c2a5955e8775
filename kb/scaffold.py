"""The text of a new draft article (`lotse kb new`) and the placeholders lint flags (pure)."""

from __future__ import annotations

import json
from datetime import date

#: Texts `kb new` writes for the editor to replace; lint flags them (an error once submitted).
PLACEHOLDER_SHORT_ANSWER = "Kurzantwort zum Vorlesen (zwei bis drei Sätze)."
PLACEHOLDER_STEP = "Ablauf Schritt für Schritt beschreiben."
PLACEHOLDER_DOCUMENT = "Unterlage eintragen (oder die Liste leeren)"
PLACEHOLDERS: tuple[str, ...] = (PLACEHOLDER_SHORT_ANSWER, PLACEHOLDER_STEP, PLACEHOLDER_DOCUMENT)


def draft_text(
    article_id: str, title: str, office: str, owner: str, today: date, schema_dir: str = ".."
) -> str:
    """A valid draft article in the KB's block style, with a schema hint and placeholders.

    `schema_dir` is the KB folder relative to the file (`../../..` for a municipality's own
    service).
    """
    q = _quote
    return f"""\
# yaml-language-server: $schema={schema_dir}/schema/article.schema.json
id: {article_id}
title: {q(title)}
synonyms: []
short_answer: {q(PLACEHOLDER_SHORT_ANSWER)}
documents:
  - name: {q(PLACEHOLDER_DOCUMENT)}
fees: []
procedure:
  - {q(PLACEHOLDER_STEP)}
office: {office}
agent_notes: []
category: Allgemein
status: draft
owner: {q(owner)}
last_reviewed: {today.isoformat()}
review_interval_days: 365
"""


def overlay_text(article_id: str, title: str, place: str) -> str:
    """A municipality's overlay of a base article, naming no field yet (lint warns so)."""
    return f"""\
# yaml-language-server: $schema=../../../schema/overlay.schema.json
# {place}: only the fields that differ here from the base article "{title}".
# A field named here replaces the base's whole (a list too); see docs/kb-layers.md.
id: {article_id}
"""


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; it escapes quotes and controls.
    return json.dumps(text, ensure_ascii=False)


def placeholders_in(value: object) -> list[str]:
    """The placeholder texts found anywhere in a (model-dumped) value."""
    if isinstance(value, str):
        return [p for p in PLACEHOLDERS if p in value]
    if isinstance(value, dict):
        return [p for v in value.values() for p in placeholders_in(v)]
    if isinstance(value, list | tuple):
        return [p for v in value for p in placeholders_in(v)]
    return []
