"""Municipality layers (pure): an overlay's fields over a base article, and who serves where.

The base layer (`articles/`, `offices/`) describes each service once, worded for every town;
its offices are the home municipality's (and the shared ones). Each municipality may add
`municipalities/<id>/articles/<article>.yaml`, an overlay naming only the fields it changes (a
field is replaced whole, lists too), and its own offices. An overlay whose id is not in the base
and which is a complete article adds a service only that municipality offers. See docs/kb-layers.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from kb.models import WORKFLOW_FIELDS, Article, Municipality, Office

#: Fields an overlay may not set: the id names the base article, and the workflow's fields
#: belong to the base (a local version is served exactly when its base is).
FIXED_FIELDS = frozenset({"id"}) | WORKFLOW_FIELDS


def _optional(name: str) -> tuple[Any, Any]:
    info = Article.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[annotation, *info.metadata]
    return annotation | None, Field(default=None, description=info.description)


ArticleOverlay: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ArticleOverlay",
    __base__=Article,
    __doc__="An overlay: every field of Article optional; only the fields given are replaced.",
    **{name: _optional(name) for name in Article.model_fields},
)
"""Validates an overlay's fields with the article's own types, patterns and validators."""


def unset_required(values: Mapping[str, Any]) -> list[str]:
    """Fields an overlay set to null although the article needs a value there."""
    return [
        name
        for name, value in values.items()
        if value is None
        and Article.model_fields[name].get_default(call_default_factory=True) is not None
    ]


@dataclass(frozen=True)
class Overlay:
    """One municipality's version of one article: the fields it replaces, or a local service."""

    article_id: str
    municipality: str
    path: Path
    values: Mapping[str, Any]
    """Field name -> validated value (model objects, Decimals, dates) it replaces."""
    article: Article | None = None
    """The complete article of a service only this municipality offers (not in the base)."""

    @property
    def local_only(self) -> bool:
        """True for a service the base does not have."""
        return self.article is not None

    @property
    def fields(self) -> frozenset[str]:
        """Names of the fields this overlay sets."""
        return frozenset(self.values)


def merged(
    base: Article, overlay: Overlay | None, municipality: Municipality
) -> tuple[Article, frozenset[str]]:
    """The municipality's version of a base article and the names of its local fields.

    The municipality's office map (`Municipality.offices`) replaces the base office unless the
    overlay names an office itself.
    """
    update: dict[str, Any] = {}
    mapped = municipality.offices.get(base.office)
    if mapped is not None and mapped != base.office:
        update["office"] = mapped
    if overlay is not None:
        update.update(overlay.values)
    if not update:
        return base, frozenset()
    return base.model_copy(update=update), frozenset(update)


def _by_name(offices: Iterable[Office]) -> list[Office]:
    return sorted(offices, key=lambda o: (o.name.casefold(), o.id))


def offices_for(
    offices: Mapping[str, Office],
    owners: Mapping[str, str],
    municipality: Municipality | None,
) -> list[Office]:
    """The offices a transfer offers for a municipality: its own first, then the shared ones.

    Args:
        offices: every office by id (base and all municipalities).
        owners: office id -> municipality id, for offices under `municipalities/<id>/offices/`.
        municipality: whose offices; None or the home municipality: the base's own offices.

    Its own are the offices in its folder and those its office map points to (a neighbour's
    Standesamt it shares); for the home municipality (and a flat KB) the base offices that are
    neither shared nor external. Then the shared and external offices of the base; each group
    by name. Other municipalities' offices are left out.
    """
    home = municipality is None or municipality.home
    own: dict[str, Office] = {}
    shared: list[Office] = []
    for office in offices.values():
        owner = owners.get(office.id)
        if owner is None and (office.shared or office.external):
            shared.append(office)
        elif (owner is None and home) or (municipality and owner == municipality.id):
            own[office.id] = office
    if municipality is not None:
        for target in municipality.offices.values():
            if target in offices and target not in own:
                own[target] = offices[target]
        shared = [o for o in shared if o.id not in own]
    return _by_name(own.values()) + _by_name(shared)
