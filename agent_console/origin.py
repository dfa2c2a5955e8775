"""Whose call and in which language, as the console shows it (pure; no Textual here).

The PBX's facts (the number dialled, the queue, the channel language) are mapped by the
settings (`telephony.origin.Routing`); a call no map names belongs to the KB's home
municipality. The agent may set the municipality (Ctrl+G): that choice wins and is written
to the call log as the agent's. Colleagues for a transfer in the caller's language are the
configured agents who speak it and whose queue member is free now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kb.models import Article, Municipality
from telephony.agents import Agent, AgentState
from telephony.origin import HOME_LANGUAGE, Routing

#: German names of the languages callers choose most (others are shown by their code).
LANGUAGE_NAMES = {
    "de": "Deutsch", "en": "Englisch", "tr": "Türkisch", "uk": "Ukrainisch", "ar": "Arabisch",
    "ru": "Russisch", "pl": "Polnisch", "ro": "Rumänisch", "fa": "Persisch", "ku": "Kurdisch",
    "it": "Italienisch", "fr": "Französisch", "es": "Spanisch", "el": "Griechisch",
    "bg": "Bulgarisch", "hr": "Kroatisch", "sr": "Serbisch", "bs": "Bosnisch",
    "sq": "Albanisch", "vi": "Vietnamesisch", "ti": "Tigrinya", "so": "Somali",
}  # fmt: skip
#: How the short answer can be shown (Ctrl+L goes round them).
EASY = "leicht"


def language_name(code: str) -> str:
    """The German name of a language code ("tr" -> "Türkisch"; unknown codes as they are)."""
    return LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class CallPlace:
    """The municipality and the caller's language of one call."""

    municipality: str | None = None
    """Municipality id (None: a flat KB, or no municipality known)."""
    chosen: bool = False
    """The agent set it (Ctrl+G); it is written to the call log as the agent's choice."""
    language: str = HOME_LANGUAGE
    """The caller's language (ISO 639-1)."""
    pbx: str | None = None
    """The municipality the PBX's facts named (kept beside the agent's choice)."""

    def with_municipality(self, municipality: str) -> CallPlace:
        """The agent's choice of municipality."""
        return CallPlace(municipality, True, self.language, self.pbx)


def place_of(
    dialled: str, queue: str, channel_language: str, routing: Routing, home: str | None
) -> CallPlace:
    """What the PBX's facts say; the home municipality when no map names one."""
    municipality = routing.municipality(dialled, queue) or home
    language = routing.language(channel_language, queue)
    return CallPlace(municipality, False, language, municipality)


def place_text(place: CallPlace, municipalities: Mapping[str, Municipality]) -> str:
    """The call bar's words: "Beispielheim · Türkisch" ("(gewählt)" for the agent's choice)."""
    parts = []
    if place.municipality is not None:
        found = municipalities.get(place.municipality)
        name = found.name if found is not None else place.municipality
        parts.append(name + (" (gewählt)" if place.chosen else ""))
    if place.language != HOME_LANGUAGE:
        parts.append(f"Sprache: {language_name(place.language)}")
    return " · ".join(parts)


def short_answer_views(article: Article, language: str) -> list[str]:
    """The versions of the short answer the article has, in the order Ctrl+L shows them:
    German, Leichte Sprache, the caller's language, then the other translations."""
    views = [HOME_LANGUAGE]
    if article.short_answer_easy:
        views.append(EASY)
    others = sorted(article.short_answer_translations)
    if language in article.short_answer_translations:
        others.remove(language)
        others.insert(0, language)
    return views + others


def short_answer(article: Article, view: str) -> tuple[str, str]:
    """(title, text) of one version of the short answer; German for a version it lacks."""
    if view == EASY and article.short_answer_easy:
        return "Kurzantwort in Leichter Sprache", article.short_answer_easy
    if view in article.short_answer_translations:
        name = language_name(view)
        return f"Kurzantwort auf {name} ({view})", article.short_answer_translations[view]
    return "Kurzantwort – zuerst vorlesen", article.short_answer


@dataclass(frozen=True)
class Colleague:
    """A configured agent who could take the caller over."""

    agent_id: str
    name: str
    extension: str
    """Where a transfer reaches this agent (in the transfer context); "" = not reachable."""
    languages: tuple[str, ...]
    interfaces: tuple[str, ...] = ()
    """The agent's queue member interfaces (whose state says whether the agent is free)."""


def colleagues_for(
    language: str, me: str, colleagues: Sequence[Colleague], members: Iterable[Agent]
) -> tuple[list[Colleague], int]:
    """(the colleagues who speak `language` and are free now, how many more speak it but
    are busy, paused, logged out or have no extension to be reached at)."""
    states: dict[str, list[AgentState]] = {}
    for member in members:
        states.setdefault(member.interface, []).append(member.state)
    free: list[Colleague] = []
    busy = 0
    for colleague in colleagues:
        if colleague.agent_id == me or language not in colleague.languages:
            continue
        seen = [s for i in colleague.interfaces for s in states.get(i, [])]
        if seen and all(s == AgentState.AVAILABLE for s in seen) and colleague.extension:
            free.append(colleague)
        else:
            busy += 1
    return sorted(free, key=lambda c: (c.name, c.agent_id)), busy
