"""What a load yields: the KnowledgeBase (base layer, municipalities, overlays) and its problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from kb.layers import Overlay, merged, offices_for
from kb.models import Article, Municipality, Office

Severity = Literal["error", "warning"]


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
    """What loaded: articles and offices by id, municipalities and their overlays, and every
    problem found on the way.

    `articles` holds the base layer as the files say now, every status (the editors' view;
    agents get `kb.lifecycle.agent_view`); a municipality's version of an article comes from
    `article_for`. A broken article file keeps its last valid version in `last_good`; a broken
    office file's last valid version is also put into `offices`, so transfers keep working.
    """

    articles: dict[str, Article] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    """Every office by id: the base's and every municipality's (ids are unique across them)."""
    problems: list[Problem] = field(default_factory=list)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)
    """(kind, id) -> the file it came from; kind is `article`, `office`, `approved`,
    `municipality` (id: the municipality) or `overlay` (id: `<municipality>/<article>`)."""
    approved: dict[str, Article] = field(default_factory=dict)
    """The last approved version of each article (`approved/<id>.yaml`), by id."""
    last_good: dict[tuple[str, str], LastGood] = field(default_factory=dict)
    """(kind, id) -> the last valid version of a file that is broken now."""
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    """The municipalities the centre answers for, by id; empty for a flat (one-town) KB."""
    overlays: dict[str, dict[str, Overlay]] = field(default_factory=dict)
    """Municipality id -> article id -> its overlay (valid ones only; broken ones are problems
    and the base is served there)."""
    office_owners: dict[str, str] = field(default_factory=dict)
    """Office id -> municipality id, for the offices under `municipalities/<id>/offices/`."""
    _versions: dict[tuple[str, str], tuple[Article | None, frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def office_for(self, article: Article) -> Office | None:
        """The responsible office, or None when the reference is broken."""
        return self.offices.get(article.office)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def home_municipality(self) -> str | None:
        """The id of the centre's own town (`home: true`), whose offices are the base's."""
        return next((m.id for m in self.municipalities.values() if m.home), None)

    def article_for(self, article_id: str, municipality: str | None) -> Article | None:
        """The article as it holds in a municipality: the base with that municipality's overlay
        (and office map) applied, or its own local service; the base for None or an unknown
        municipality; None when the article does not exist there."""
        return self._version(article_id, municipality)[0]

    def local_fields(self, article_id: str, municipality: str | None) -> frozenset[str]:
        """Names of the fields the municipality's version sets itself (empty for the base)."""
        return self._version(article_id, municipality)[1]

    def local_articles(self, municipality: str) -> dict[str, Article]:
        """The services only this municipality offers (not in the base), by id."""
        return {
            aid: overlay.article
            for aid, overlay in self.overlays.get(municipality, {}).items()
            if overlay.article is not None
        }

    def offices_for(self, municipality: str | None) -> list[Office]:
        """The offices a transfer offers for a municipality: its own (and those its office map
        names) first, then the shared and external ones, each by name. None or an unknown id:
        the base's, as for the home municipality."""
        place = self.municipalities.get(municipality or "")
        return offices_for(self.offices, self.office_owners, place)

    def _version(
        self, article_id: str, municipality: str | None
    ) -> tuple[Article | None, frozenset[str]]:
        place = self.municipalities.get(municipality) if municipality is not None else None
        if place is None:
            return self.articles.get(article_id), frozenset()
        key = (place.id, article_id)
        found = self._versions.get(key)
        if found is None:
            overlay = self.overlays.get(place.id, {}).get(article_id)
            base = self.articles.get(article_id)
            if overlay is not None and overlay.article is not None:
                found = (overlay.article, overlay.fields)
            elif base is None:
                found = (None, frozenset())
            else:
                found = merged(base, overlay, place)
            self._versions[key] = found
        return found


def touched_articles(kb: KnowledgeBase, changed: Iterable[str]) -> set[str]:
    """Article ids whose versions may read differently after the files `changed` (paths
    relative to the KB folder, `/`-separated) changed: for re-indexing them after a reload."""
    ids: set[str] = set()
    offices: set[str] = set()
    places: set[str] = set()
    for path in changed:
        parts = path.split("/")
        stem = parts[-1].rsplit(".", 1)[0]
        if parts[0] in ("articles", "approved") or parts[-2:-1] == ["articles"]:
            ids.add(stem)
        elif parts[0] == "offices" or parts[-2:-1] == ["offices"]:
            offices.add(stem)
        elif parts[0] == "municipalities" and len(parts) == 3:
            places.add(parts[1])
    ids |= {a.id for a in kb.articles.values() if a.office in offices}
    for place, overlays in kb.overlays.items():
        ids |= {aid for aid, o in overlays.items() if o.values.get("office") in offices}
        if place in places:
            ids |= set(overlays)
    return ids
