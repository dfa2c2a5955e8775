"""The central synonym table: groups of generic words, expanded at query time (pure)."""

from __future__ import annotations

from collections.abc import Mapping

from search.analysis import keep, stem, tokens
from search.exceptions import SynonymError

#: Weight of a synonym relative to the word the caller said.
SYNONYM_WEIGHT = 0.8

SynonymTable = Mapping[str, tuple[str, ...]]


def build_table(groups: list[list[str]]) -> dict[str, tuple[str, ...]]:
    """stem -> stems of the other words of its groups ("auto" -> "kfz", "fahrzeug", ...)."""
    table: dict[str, set[str]] = {}
    for group in groups:
        stems = {_stem_of(word) for word in group} - {""}
        for member in stems:
            table.setdefault(member, set()).update(stems - {member})
    return {key: tuple(sorted(value)) for key, value in table.items()}


def _stem_of(word: str) -> str:
    words = [w for w in tokens(word) if keep(w)]
    # "Steuer-ID" yields its parts and the joined form; the joined form is the last one.
    return stem(words[-1]) if words else ""


def parse_groups(data: object) -> list[list[str]]:
    """Validate the YAML structure `{groups: [[word, ...], ...]}` (besides `generic:`, see
    `search.generic`); a file with generic words only has no groups."""
    if data is None:
        return []
    if isinstance(data, dict):
        unknown = sorted(str(key) for key in data if key not in ("groups", "generic"))
        if unknown:
            raise SynonymError(f"synonym file: unknown key {unknown[0]!r} (groups, generic)")
        if "groups" not in data and "generic" in data:
            return []
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and all(isinstance(w, str) for w in g) for g in groups
    ):
        raise SynonymError("synonym file: expected `groups:` as a list of lists of words")
    return groups
