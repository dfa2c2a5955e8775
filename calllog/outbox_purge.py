"""The retention purge of a workstation's outbox: queued and refused writes alike (pure rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from calllog.codec import PERSONAL_CALL_FIELDS, PERSONAL_TICKET_FIELDS
from calllog.privacy import PURGED_COMMENT, mask_numbers_in
from calllog.store import SqliteOutbox

#: The reason kept for a refused write once its personal data is purged (the original
#: message may quote the record).
PURGED_REASON = "refused; reason removed with the personal data"
#: Where an attempt's notes sit in a ticket payload's `history` rows (calllog.codec).
_ATTEMPT_NOTES = 5


def scrub_payload(kind: str, payload: dict[str, Any], cutoff: datetime) -> dict[str, Any] | None:
    """The payload without its personal data if it is older than cutoff, else None.

    Calls (by offer time) lose number, name, notes, handover note and search texts;
    call-back tickets (by creation) number, name, what to clarify and the notes of their
    attempts; article feedback (by creation) has phone numbers masked in its comment, and
    loses the comment once the flag is done (see `SqlStore.purge`).
    Outcome edits and staffed time hold no personal data.
    """
    fields: tuple[str, ...]
    if kind == "call":
        fields, stamp, blank = PERSONAL_CALL_FIELDS, "offered_at", None
    elif kind == "callback":
        fields, stamp, blank = PERSONAL_TICKET_FIELDS, "created_at", ""
    elif kind == "feedback":
        return _scrub_feedback(payload, cutoff)
    else:
        return None
    if datetime.fromisoformat(payload[stamp]) >= cutoff:
        return None
    searches = payload.get("searches") if kind == "call" else None
    history = payload.get("history") or [] if kind == "callback" else []
    noted = any(attempt[_ATTEMPT_NOTES] for attempt in history)
    if all(payload.get(name) in (None, "") for name in fields) and not searches and not noted:
        return None
    clean = {**payload, **dict.fromkeys(fields, blank)}
    if searches:
        clean["searches"] = []
    if noted:  # an attempt's notes go with its ticket's personal data, as in the store
        clean["history"] = [[*a[:_ATTEMPT_NOTES], None, *a[_ATTEMPT_NOTES + 1 :]] for a in history]
    return clean


def _scrub_feedback(payload: dict[str, Any], cutoff: datetime) -> dict[str, Any] | None:
    if datetime.fromisoformat(payload["created_at"]) >= cutoff:
        return None
    comment = payload.get("comment") or ""
    scrubbed = PURGED_COMMENT if payload.get("status") == "done" else mask_numbers_in(comment)
    return None if scrubbed == comment else {**payload, "comment": scrubbed}


def purge_outbox(
    outbox: SqliteOutbox, cutoff: datetime, *, held: Sequence[tuple[str, dict[str, Any]]] = ()
) -> int:
    """Scrub personal data older than cutoff from queued and refused writes; returns how many.

    `held` are (kind, payload) of writes kept in memory; their payloads change in place.
    The outbox file is wiped afterwards, so the old values are gone from it and its WAL.
    """
    scrubbed = 0
    for entry in outbox.entries():
        clean = scrub_payload(entry.kind, entry.payload, cutoff)
        if clean is not None:
            outbox.replace(entry.seq, clean)
            scrubbed += 1
    for entry in outbox.rejected_entries():
        clean = scrub_payload(entry.kind, entry.payload, cutoff)
        if clean is not None:
            outbox.replace_rejected(entry.seq, clean, PURGED_REASON)
            scrubbed += 1
    for kind, payload in held:
        clean = scrub_payload(kind, payload, cutoff)
        if clean is not None:
            payload.update(clean)
            scrubbed += 1
    if scrubbed:
        outbox.wipe()
    return scrubbed
