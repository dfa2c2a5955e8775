"""Editorial lint rules: pure checks over a loaded KB, beyond what the model enforces."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kb.lifecycle import same_content
from kb.loader import KnowledgeBase, Loc, Severity
from kb.models import WEEKDAYS, WORKFLOW_FIELDS, Article
from kb.scaffold import PLACEHOLDERS
from kb.town_marks import town_marks


@dataclass(frozen=True)
class Finding:
    """An editorial finding before it is placed on a line: what, where (kind, id, field)."""

    kind: str
    """`article`, `office`, `municipality` or `overlay` (obj_id `<municipality>/<article>`)."""
    obj_id: str
    loc: Loc
    message: str
    severity: Severity = "warning"


Rule = Callable[[KnowledgeBase, date], Iterator[Finding]]


def _services(kb: KnowledgeBase) -> Iterator[tuple[str, str, Article]]:
    """(kind, id, article) of the base articles and of every municipality's own services."""
    for article in kb.articles.values():
        yield "article", article.id, article
    for place, overlays in sorted(kb.overlays.items()):
        for article_id, overlay in sorted(overlays.items()):
            if overlay.article is not None:
                yield "overlay", f"{place}/{article_id}", overlay.article


def review_overdue(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """A published article whose review date plus interval lies in the past."""
    for kind, obj_id, article in _services(kb):
        due = article.last_reviewed + timedelta(days=article.review_interval_days)
        if article.status == "published" and due < today:
            yield Finding(
                kind,
                obj_id,
                ("last_reviewed",),
                f"Prüfung überfällig seit {due.isoformat()}"
                f" (zuletzt geprüft {article.last_reviewed})",
            )


def published_incomplete(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """A published article (or a municipality's own service) must tell the caller what to
    bring and what it costs."""
    for kind, obj_id, article in _services(kb):
        if article.status != "published":
            continue
        if not article.documents:
            yield Finding(kind, obj_id, ("documents",), _missing("documents", article))
        if not article.fees:
            yield Finding(kind, obj_id, ("fees",), _missing("fees", article))


def _missing(what: str, article: Article) -> str:
    if what == "fees":
        return (
            f"veröffentlichter Artikel {article.id!r} nennt keine Gebühren"
            " (kostenlos: `- free: true`)"
        )
    return f"veröffentlichter Artikel {article.id!r} nennt keine Unterlagen"


def synonym_claimed_twice(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """One colloquial term should lead to one article."""
    owners: dict[str, list[str]] = defaultdict(list)
    for article in kb.articles.values():
        for term in {s.casefold() for s in article.synonyms}:
            owners[term].append(article.id)
    for term, ids in sorted(owners.items()):
        for article_id in ids[1:]:
            index = next(
                i for i, s in enumerate(kb.articles[article_id].synonyms) if s.casefold() == term
            )
            yield Finding(
                "article",
                article_id,
                ("synonyms", index),
                f"Synonym {term!r} gehört auch zu {ids[0]!r}",
            )


def office_without_hours(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """Agents are asked "is it open?" all day: an office needs opening hours."""
    for office in kb.offices.values():
        if not any(office.opening_hours.for_weekday(i) for i in range(len(WEEKDAYS))):
            yield Finding(
                "office", office.id, ("opening_hours",), "Stelle hat keine Öffnungszeiten"
            )


def placeholder_text(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """Texts `kb new` wrote for the editor to replace: a warning in a draft, else an error."""
    for kind, obj_id, article in _services(kb):
        for loc, text in _strings(article.model_dump(mode="json"), ()):
            if any(p in text for p in PLACEHOLDERS):
                severity: Severity = "warning" if article.status == "draft" else "error"
                yield Finding(kind, obj_id, loc, f"Platzhaltertext: {text!r}", severity)


def _strings(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def changed_since_approval(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """A published article edited after its approval: agents see the approved copy meanwhile."""
    for article in kb.articles.values():
        approved = kb.approved.get(article.id)
        if article.status == "published" and approved and not same_content(article, approved):
            when = f" vom {approved.approved_at:%Y-%m-%d}" if approved.approved_at else ""
            yield Finding(
                "article",
                article.id,
                ("status",),
                f"nach der Freigabe{when} geändert: Agenten sehen die freigegebene Fassung, bis"
                " die Änderung eingereicht (lotse kb submit) und freigegeben ist",
            )


def approved_by_submitter(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """Four eyes: the person who submitted a text never approves it."""
    for article in kb.articles.values():
        if article.approved_by and same_person(article.approved_by, article.submitted_by):
            yield Finding(
                "article",
                article.id,
                ("approved_by",),
                f"freigegeben von {article.approved_by!r}, die den Text selbst eingereicht hat"
                " (Vier-Augen-Prinzip)",
                "error",
            )


def same_person(a: str | None, b: str | None) -> bool:
    """Names compared as people write them (case and spacing ignored)."""
    return (
        a is not None
        and b is not None
        and " ".join(a.casefold().split()) == " ".join(b.casefold().split())
    )


def office_of_another_town(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """In a municipality other than the home one, a published article must not send callers to
    the home town's own offices: map the office in municipality.yaml or overlay `office`."""
    home = kb.municipalities.get(kb.home_municipality or "")
    for place in kb.municipalities.values():
        if place.home:
            continue
        stray: dict[str, list[str]] = defaultdict(list)
        for article in kb.articles.values():
            version = kb.article_for(article.id, place.id)
            office = kb.office_for(version) if version is not None else None
            if (
                article.status == "published"
                and office is not None
                and not (office.shared or office.external or office.id in kb.office_owners)
            ):
                stray[office.id].append(article.id)
        for office_id, ids in sorted(stray.items()):
            owner = f" von {home.name}" if home else " der Basis"
            yield Finding(
                "municipality",
                place.id,
                ("offices",),
                f"{len(ids)} Artikel ({', '.join(ids[:3])}{', …' if len(ids) > 3 else ''})"
                f" verweisen in {place.name} auf die Stelle {office_id!r}{owner}: unter"
                f" offices: eine eigene Stelle zuordnen oder office überlagern",
            )


#: An amount of money in any of the short answer's languages ("46 Euro", "27,60 €", "46 євро").
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:€|euro|євро|يورو)", re.IGNORECASE)
#: Texts that read out a fee, and so must follow an overlay's own fees.
_FEE_TEXTS = ("short_answer", "short_answer_easy", "short_answer_translations")


def overlay_fees_not_in_text(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """An overlay with its own fees whose short answer (in any language) still reads out the
    base's amount: the caller would hear the other town's fee."""
    for place, overlays in sorted(kb.overlays.items()):
        for article_id, overlay in sorted(overlays.items()):
            base = kb.articles.get(article_id)
            if overlay.local_only or base is None or "fees" not in overlay.fields:
                continue
            stale = [
                name
                for name in _FEE_TEXTS
                if name not in overlay.fields and _AMOUNT.search(str(getattr(base, name)))
            ]
            if stale:
                yield Finding(
                    "overlay",
                    f"{place}/{article_id}",
                    ("fees",),
                    f"eigene Gebühren, aber {', '.join(stale)} der Basis"
                    f" {'nennen' if len(stale) > 1 else 'nennt'} einen Betrag:"
                    f" {' und '.join(stale)} hier ebenfalls überlagern",
                )


def overlay_repeats_base(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """An overlay field equal to the base's: it pins today's text in this town, so a later
    correction of the base (a new national fee) would not reach it."""
    for place, overlays in sorted(kb.overlays.items()):
        for article_id, overlay in sorted(overlays.items()):
            base = kb.articles.get(article_id)
            if overlay.local_only or base is None:
                continue
            for name in sorted(overlay.fields):
                if overlay.values[name] == getattr(base, name):
                    yield Finding(
                        "overlay",
                        f"{place}/{article_id}",
                        (name,),
                        "gleich wie in der Basis: weglassen, damit spätere Korrekturen der"
                        " Basis auch hier gelten",
                    )


#: Article fields not read to callers or agents as text: the workflow's, the editors' and the
#: office (checked by office_of_another_town).
_NOT_TOLD = WORKFLOW_FIELDS | {"id", "owner", "office", "review_interval_days"}


def inherits_other_town(kb: KnowledgeBase, today: date) -> Iterator[Finding]:
    """A town's version inherits from the base a field that names another municipality or
    links to its web site: the town's agents would read that town's facts to its callers."""
    towns = [place for place in kb.municipalities.values() if not place.home]
    marks = town_marks(kb) if towns else None
    for article in kb.articles.values():
        if marks is None or article.status == "archived":
            continue
        texts = list(_strings(article.model_dump(mode="json", exclude=set(_NOT_TOLD)), ()))
        for place in towns:
            own = kb.local_fields(article.id, place.id)
            version = kb.article_for(article.id, place.id)
            office = kb.office_for(version) if version is not None else None
            reported: set[str | int] = set()
            for loc, text in texts:
                if loc[0] in own or loc[0] in reported:
                    continue
                found = marks.other_town(place.id, text, office)
                if found is not None:
                    reported.add(loc[0])
                    yield Finding(
                        "article",
                        article.id,
                        loc,
                        f"{place.name} erbt {loc[0]!r} mit {found!r} aus der Basis: für"
                        f" {place.name} überschreiben oder in der Basis neutral formulieren",
                    )


#: Every editorial rule, in report order.
RULES: tuple[Rule, ...] = (
    review_overdue,
    published_incomplete,
    synonym_claimed_twice,
    office_without_hours,
    placeholder_text,
    changed_since_approval,
    approved_by_submitter,
    office_of_another_town,
    overlay_fees_not_in_text,
    overlay_repeats_base,
    inherits_other_town,
)


def run_checks(kb: KnowledgeBase, today: date) -> list[Finding]:
    """All editorial findings for a loaded knowledge base."""
    return [finding for rule in RULES for finding in rule(kb, today)]
