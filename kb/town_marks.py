"""What marks a text as one municipality's (pure): the town's name and its own web domains.

A base article is inherited by every town; when it names one of them ("Hauptwohnsitz in
Musterstadt") or links to one town's web site (`termine.musterstadt.de`), the other towns'
agents would read that town's facts to their callers. A town's domains come from its own
offices (web site, booking page, e-mail) and its overlays' links; the home town's own offices
are the base offices that are neither shared nor external. Addresses at or under a shared or
external office's addresses serve every town and do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pydantic import BaseModel

from kb.knowledge import KnowledgeBase
from kb.models import Office

#: A web or mail address's host: after the scheme, after `www.` or after the `@` of an e-mail.
_HOST = re.compile(r"(?:https?://|\bwww\.|@)(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)
#: A web address as written in a text.
_URL = re.compile(r"(?:https?://|\bwww\.)\S+", re.I)


def _host(address: str) -> str | None:
    found = _HOST.search(address)
    return found.group(1).casefold().rstrip(".") if found else None


def _bare(url: str) -> str:
    """A web address without scheme, `www.` and trailing slash, for prefix comparison."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip(), flags=re.I)
    return url.rstrip("/.,;)").casefold()


def _addresses(office: Office) -> Iterator[str]:
    for value in (office.website, office.email, office.appointment.booking_url):
        if value:
            yield str(value)


@dataclass(frozen=True)
class TownMarks:
    """Each municipality's name and web domains, and the addresses every town shares."""

    names: dict[str, str]
    """Municipality id -> its name."""
    domains: dict[str, frozenset[str]]
    """Municipality id -> the hosts of its own web and mail addresses (`www.` dropped)."""
    shared: frozenset[str]
    """Addresses of shared and external offices (bare: no scheme, no `www.`)."""
    owned: frozenset[str]
    """Ids of the offices in a municipality's folder (never shared ones)."""

    def other_town(self, town: str, text: str, serving: Office | None = None) -> str | None:
        """The first name or address in `text` that belongs to a municipality other than
        `town`, as written there (`Musterstadt`, `termine.musterstadt.de`); None when none.

        `serving` is the office responsible in `town`: when it is a shared or external one,
        addresses on its hosts are its own (a district office's forms on the home town's site).
        """
        own = self.office_hosts(serving) if serving is not None else frozenset()
        for other, name in self.names.items():
            if other != town and (found := _name_in(name, text)):
                return found
        for address in _URL.findall(text) + _MAIL.findall(text):
            host = _host(address)
            if host is None or host in own or self.is_shared(address):
                continue
            for other, domains in self.domains.items():
                if other != town and any(host == d or host.endswith(f".{d}") for d in domains):
                    return host
        return None

    def office_hosts(self, office: Office) -> frozenset[str]:
        """The hosts of a shared or external office's addresses; empty for any other office."""
        if not (office.shared or office.external) or office.id in self.owned:
            return frozenset()
        return frozenset(h for a in _addresses(office) if (h := _host(a)))

    def is_shared(self, url: str) -> bool:
        """True for an address at or under a shared or external office's address."""
        bare = _bare(url)
        return any(bare == s or bare.startswith(f"{s}/") for s in self.shared)


#: An e-mail address in a text.
_MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _name_in(name: str, text: str) -> str | None:
    """The town's name as a word in `text` (also as a genitive: "Musterstadts")."""
    found = re.search(rf"(?<!\w){re.escape(name)}s?(?!\w)", text)
    return found.group(0) if found else None


def town_marks(kb: KnowledgeBase) -> TownMarks:
    """Names and domains of the KB's municipalities (see the module's docstring)."""
    home = kb.home_municipality
    hosts: dict[str, set[str]] = {place: set() for place in kb.municipalities}
    shared: set[str] = set()
    for office in kb.offices.values():
        owner = kb.office_owners.get(office.id)
        if owner is None and (office.shared or office.external):
            shared.update(_bare(a) for a in _addresses(office))
            continue
        owner = owner or home
        if owner in hosts:
            hosts[owner].update(h for a in _addresses(office) if (h := _host(a)))
    marks = TownMarks(
        {place.id: place.name for place in kb.municipalities.values()},
        {},
        frozenset(shared),
        frozenset(kb.office_owners),
    )
    for place, overlays in kb.overlays.items():
        texts = (t for overlay in overlays.values() for t in _texts(overlay.values))
        urls = (url for t in texts for url in _URL.findall(t) if not marks.is_shared(url))
        hosts.get(place, set()).update(h for url in urls if (h := _host(url)))
    return replace(marks, domains={place: frozenset(found) for place, found in hosts.items()})


def _texts(value: object) -> Iterator[str]:
    """Every text in an overlay's values (models, lists and mappings of them)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
