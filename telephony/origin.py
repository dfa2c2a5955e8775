"""Whose call it is and in which language, from what the PBX says (pure).

A centre answering for several municipalities learns the municipality of a call from the
number the caller dialled (each municipality's own number, or the shared 115) or from the
queue the call waits in; the caller's language from the channel language an IVR choice set
(`CHANNEL(language)`) or from the queue. The centre's settings map both
(`[municipalities]`, `[languages]`); this module applies the maps and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The language of a caller who made no choice (the centre's own).
HOME_LANGUAGE = "de"


def language_code(value: str) -> str:
    """An ISO 639-1 code from a channel language: `tr`, `tr_TR` and `TR-tr` give `tr`;
    anything that is not two or three letters gives ""."""
    code = value.strip().replace("-", "_").split("_", 1)[0].lower()
    return code if 2 <= len(code) <= 3 and code.isascii() and code.isalpha() else ""


@dataclass(frozen=True)
class Routing:
    """The centre's maps from PBX facts to a municipality and a language."""

    by_number: Mapping[str, str] = field(default_factory=dict)
    """Dialled number (the caller's `Exten`) -> municipality id."""
    by_queue: Mapping[str, str] = field(default_factory=dict)
    """Queue -> municipality id (a queue per municipality)."""
    default: str | None = None
    """The municipality of a call neither map names (None: unknown, the KB's home applies)."""
    languages_by_queue: Mapping[str, str] = field(default_factory=dict)
    """Queue -> language of its callers (a queue per language)."""
    pbx_default_language: str = "en"
    """The PBX's default channel language: a channel still in it made no choice."""

    def municipality(self, dialled: str, queue: str) -> str | None:
        """The number dialled decides, then the queue, then the default."""
        return self.by_number.get(dialled) or self.by_queue.get(queue) or self.default

    def language(self, channel_language: str, queue: str) -> str:
        """The IVR's choice (a channel language other than the PBX's default), then the
        queue's language, then German."""
        chosen = language_code(channel_language)
        if chosen and chosen != language_code(self.pbx_default_language):
            return chosen
        return language_code(self.languages_by_queue.get(queue, "")) or HOME_LANGUAGE
