"""The editorial lifecycle (pure): which version of each article agents see, and what editors see.

draft -> review (`lotse kb submit`) -> published (`lotse kb approve`, by a second person) ->
archived. Agents see only published articles. An approval stores a copy of the approved file in
`approved/<id>.yaml` beside `articles/` (a snapshot store that needs no git); while the file
differs from that copy (an edit after publication, in draft or in review), agents keep seeing
the copy. A published article without a copy (published before the workflow existed) is shown
as its file says. When a file is broken, agents keep its last valid version (kb.loader).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kb.layers import Overlay
from kb.loader import KnowledgeBase, LastGood, Problem
from kb.models import WORKFLOW_FIELDS, Article

#: Fields the workflow writes; a change in them alone is not a change of content.
LIFECYCLE_FIELDS = WORKFLOW_FIELDS
#: Times in lint notes are local to the service centre.
ZONE = ZoneInfo("Europe/Berlin")
#: The approved copies live in this folder beside articles/.
APPROVED_FOLDER = "approved"
#: German names of the states an editor sees.
STATE_LABELS = {
    "draft": "Entwurf",
    "review": "In Prüfung",
    "published": "Veröffentlicht",
    "archived": "Archiviert",
    "changed": "Geändert, nicht freigegeben",
    "broken": "Fehlerhaft",
}


def content(article: Article) -> dict[str, Any]:
    """What an article says, without the fields the workflow writes."""
    return article.model_dump(exclude=set(LIFECYCLE_FIELDS))


def same_content(a: Article, b: Article) -> bool:
    """True when two versions say the same (whatever their workflow fields)."""
    return content(a) == content(b)


def agent_article(
    current: Article | None, approved: Article | None, last_good: Article | None
) -> Article | None:
    """The version of one article agents see, or None.

    Args:
        current: what the file says now (None when it is broken).
        approved: the copy made at the last approval, if any.
        last_good: the last valid version of a broken file, if any.
    """
    if current is None:
        if approved is not None:
            return approved
        return last_good if last_good is not None and last_good.status == "published" else None
    if current.status == "archived":
        return None
    if current.status == "published" and (approved is None or same_content(current, approved)):
        return current
    return approved


def state(kb: KnowledgeBase, article_id: str) -> str:
    """The editor's state key of an article (a key of STATE_LABELS)."""
    current = kb.articles.get(article_id)
    if current is None:
        return "broken"
    approved = kb.approved.get(article_id)
    if current.status == "published" and approved and not same_content(current, approved):
        return "changed"
    return current.status


def _last_good(kb: KnowledgeBase, article_id: str) -> Article | None:
    found = kb.last_good.get(("article", article_id))
    return found.obj if found is not None and isinstance(found.obj, Article) else None


def _broken_ids(kb: KnowledgeBase) -> set[str]:
    return {article_id for kind, article_id in kb.last_good if kind == "article"}


def agent_view(kb: KnowledgeBase) -> KnowledgeBase:
    """The KB as agents (search, console, `lotse search`) see it: published versions only.

    An overlay is served exactly when its base is; a municipality's own service when it is
    published.
    """
    articles = {}
    for article_id in sorted(kb.articles.keys() | _broken_ids(kb)):
        shown = agent_article(
            kb.articles.get(article_id), kb.approved.get(article_id), _last_good(kb, article_id)
        )
        if shown is not None:
            articles[article_id] = shown
    return replace(kb, articles=articles, overlays=_local_view(kb, marked=False))


def _local_view(
    kb: KnowledgeBase, marked: bool, labels: dict[str, str] | None = None
) -> dict[str, dict[str, Overlay]]:
    """The overlays, with local services agents do not see left out (or, `marked`, titled
    with their state, as the editors' preview shows drafts); `labels` (article id -> its
    base's preview label) marks a town's own title of such a base too."""
    out: dict[str, dict[str, Overlay]] = {}
    for place, overlays in kb.overlays.items():
        kept = out.setdefault(place, {})
        for article_id, overlay in overlays.items():
            local = overlay.article
            label = (labels or {}).get(article_id)
            if local is None and label is not None and "title" in overlay.fields:
                title = f"[{label}] {overlay.values['title']}"
                kept[article_id] = replace(overlay, values={**overlay.values, "title": title})
            elif local is None or local.status == "published":
                kept[article_id] = overlay
            elif marked and local.status != "archived":
                title = f"[{STATE_LABELS[local.status]}] {local.title}"
                marked_copy = local.model_copy(update={"title": title})
                kept[article_id] = replace(overlay, article=marked_copy)
    return out


def preview_view(kb: KnowledgeBase) -> KnowledgeBase:
    """The KB as editors preview it: every working version but archived ones, marked in the
    title when agents do not see it as it stands ("[Entwurf] ...")."""
    articles = {}
    labels = {}
    for article_id in sorted(kb.articles.keys() | _broken_ids(kb)):
        article = kb.articles.get(article_id) or _last_good(kb, article_id)
        key = state(kb, article_id)
        if article is None or article.status == "archived":
            continue
        if key != "published":
            label = STATE_LABELS[key] + (": letzte gültige Fassung" if key == "broken" else "")
            article = article.model_copy(update={"title": f"[{label}] {article.title}"})
            labels[article_id] = label
        articles[article_id] = article
    return replace(kb, articles=articles, overlays=_local_view(kb, marked=True, labels=labels))


def marker(kb: KnowledgeBase, article_id: str) -> str:
    """`[Entwurf] ` etc. for an article agents do not see as it stands; empty when they do."""
    key = state(kb, article_id)
    return "" if key == "published" else f"[{STATE_LABELS[key]}] "


@dataclass(frozen=True)
class Due:
    """An article whose review is due (within the window) or overdue."""

    article: Article
    due: date

    def overdue(self, today: date) -> bool:
        """True when the due date lies in the past."""
        return self.due < today


def review_due(kb: KnowledgeBase, today: date, within_days: int = 30) -> list[Due]:
    """Published and in-review articles whose review falls due within `within_days`, by date."""
    found = []
    for article in kb.articles.values():
        if article.status in ("published", "review"):
            due = article.last_reviewed + timedelta(days=article.review_interval_days)
            if due <= today + timedelta(days=within_days):
                found.append(Due(article, due))
    return sorted(found, key=lambda d: (d.due, d.article.id))


def notes(kb: KnowledgeBase) -> list[Problem]:
    """Lint warnings about what agents see instead of a file: last good and approved versions."""
    out = []
    for (kind, obj_id), found in sorted(kb.last_good.items()):
        shown = _shown_instead(kb, kind, obj_id, found)
        if shown:
            out.append(Problem(found.path, 1, 1, shown, "warning"))
    if kb.approved:
        out.extend(_unapproved(kb))
    for article_id, copy in sorted(kb.approved.items()):
        if article_id not in kb.articles and ("article", article_id) not in kb.last_good:
            path = kb.paths[("approved", article_id)]
            message = "freigegebene Fassung ohne Artikel: articles/ hat keine Datei dazu"
            out.append(Problem(path, 1, 1, message, "warning"))
        elif copy.status != "published":
            path = kb.paths[("approved", article_id)]
            out.append(Problem(path, 1, 1, "freigegebene Fassung ist nicht veröffentlicht",
                               "warning"))  # fmt: skip
    return out


def _unapproved(kb: KnowledgeBase) -> list[Problem]:
    """In a KB that keeps approved copies: published articles that never went through review."""
    out = []
    for article_id, article in sorted(kb.articles.items()):
        path = kb.paths.get(("article", article_id))
        if article.status == "published" and article_id not in kb.approved and path is not None:
            message = ("veröffentlicht ohne Freigabe: Agenten sehen die Datei ungeprüft; "
                       "lotse kb submit und approve (oder lotse kb adopt)")  # fmt: skip
            out.append(Problem(path, 1, 1, message, "warning"))
    return out


def _shown_instead(kb: KnowledgeBase, kind: str, obj_id: str, found: LastGood) -> str:
    since = f" vom {found.since.astimezone(ZONE):%Y-%m-%d %H:%M}" if found.since else ""
    if kind == "office":
        return f"Agenten sehen weiter die letzte gültige Fassung{since} dieser Stelle"
    approved = kb.approved.get(obj_id)
    if approved is not None:
        return f"Agenten sehen weiter die freigegebene Fassung{_approval(approved)}"
    if isinstance(found.obj, Article) and found.obj.status == "published":
        return f"Agenten sehen weiter die letzte gültige Fassung{since}"
    return ""


def _approval(article: Article) -> str:
    who = f" von {article.approved_by}" if article.approved_by else ""
    when = f" am {article.approved_at:%Y-%m-%d}" if article.approved_at else ""
    return f"{when}{who}"


def approved_path(root: Path, article_id: str) -> Path:
    """Where the approved copy of an article lives."""
    return root / APPROVED_FOLDER / f"{article_id}.yaml"
