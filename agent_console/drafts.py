"""Wrap-up drafts on disk: what the agent typed survives a crash, a kill or Ctrl+Q.

One small JSON file per open wrap-up, rewritten (atomically: temporary file, then
rename) whenever a field changes and removed once the wrap-up is saved. On start the
console reopens every draft left behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from agent_console.origin import CallPlace
from agent_console.screens.session import CallSession
from calllog.codec import ticket_from_dict, ticket_to_dict
from calllog.models import AttemptResult, Outcome, SearchQuery
from calllog.private_files import private_dir, private_file
from telephony.calls import EndedBy, TransferKind
from telephony.origin import HOME_LANGUAGE

log = logging.getLogger(__name__)
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class WrapUpDraft:
    """An open wrap-up: the call as the console saw it and the form as typed so far."""

    session: CallSession
    outcome: Outcome | None = None
    topics: tuple[str, ...] | None = None
    """The topics still ticked (None: all of the call's topics)."""
    target: str | None = None
    """"Weitergeleitet an" as typed (None: what the call's transfer said)."""
    notes: str = ""
    callback_number: str | None = None
    callback_clarify: str = ""
    attempt: AttemptResult | None = None
    """For a call-back: reached, not reached or given up."""
    handover: str = ""
    """The handover note for the office a call was transferred to."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def session_to_dict(s: CallSession) -> dict[str, Any]:
    """A session as JSON-ready values (pure)."""
    return {
        "call_id": s.call_id, "queue": s.queue, "caller_number": s.caller_number,
        "caller_name": s.caller_name, "offered_at": _time(s.offered_at),
        "queue_wait": s.queue_wait, "answered_at": _time(s.answered_at),
        "ended_at": _time(s.ended_at), "ended_by": s.ended_by, "topics": list(s.topics),
        "leika": dict(s.leika),
        "searches": [[q.text, q.hit_count, _time(q.searched_at)] for q in s.searches],
        "transfer_kind": s.transfer_kind, "transfer_target": s.transfer_target,
        "transfer_office": s.transfer_office,
        "ticket": ticket_to_dict(s.ticket) if s.ticket is not None else None,
        "survey": s.survey,
        "place": [s.place.municipality, s.place.chosen, s.place.language, s.place.pbx],
    }  # fmt: skip


def session_from_dict(d: dict[str, Any]) -> CallSession:
    """The inverse of `session_to_dict`."""
    offered = _parse(d["offered_at"])
    assert offered is not None
    return CallSession(
        call_id=d["call_id"], queue=d["queue"], caller_number=d["caller_number"],
        caller_name=d["caller_name"], offered_at=offered, queue_wait=d.get("queue_wait"),
        answered_at=_parse(d.get("answered_at")), ended_at=_parse(d.get("ended_at")),
        ended_by=EndedBy(d["ended_by"]) if d.get("ended_by") else None,
        topics=list(d.get("topics", [])), leika=dict(d.get("leika", {})),
        searches=[SearchQuery(t, n, _parse(at)) for t, n, at in d.get("searches", [])],
        transfer_kind=TransferKind(d["transfer_kind"]) if d.get("transfer_kind") else None,
        transfer_target=d.get("transfer_target", ""),
        transfer_office=d.get("transfer_office", ""),
        ticket=ticket_from_dict(d["ticket"]) if d.get("ticket") else None,
        survey=bool(d.get("survey")),
        place=_place(d.get("place")),
    )  # fmt: skip


def _place(values: list[Any] | None) -> CallPlace:
    """The session's place; drafts written before issue 16 have none (the home's, German)."""
    if not values:
        return CallPlace()
    municipality, chosen, language, pbx = values
    return CallPlace(municipality, bool(chosen), language or HOME_LANGUAGE, pbx)


def draft_to_dict(draft: WrapUpDraft) -> dict[str, Any]:
    """A draft as JSON-ready values (pure)."""
    return {
        "version": 1,
        "session": session_to_dict(draft.session),
        "outcome": draft.outcome,
        "topics": list(draft.topics) if draft.topics is not None else None,
        "target": draft.target,
        "notes": draft.notes,
        "callback_number": draft.callback_number,
        "callback_clarify": draft.callback_clarify,
        "attempt": draft.attempt,
        "handover": draft.handover,
    }


def draft_from_dict(d: dict[str, Any]) -> WrapUpDraft:
    """The inverse of `draft_to_dict`."""
    topics = d.get("topics")
    return WrapUpDraft(
        session=session_from_dict(d["session"]),
        outcome=Outcome(d["outcome"]) if d.get("outcome") else None,
        topics=tuple(topics) if topics is not None else None,
        target=d.get("target"),
        notes=d.get("notes", ""),
        callback_number=d.get("callback_number"),
        callback_clarify=d.get("callback_clarify", ""),
        attempt=AttemptResult(d["attempt"]) if d.get("attempt") else None,
        handover=d.get("handover", ""),
    )


class DraftStore:
    """The drafts of one agent in a folder (e.g. the user data dir's `drafts/`)."""

    def __init__(self, folder: Path, agent_id: str) -> None:
        self.folder = folder
        self.agent_id = agent_id

    def _path(self, call_id: str) -> Path:
        return self.folder / f"{_SAFE.sub('_', self.agent_id)}--{_SAFE.sub('_', call_id)}.json"

    def save(self, draft: WrapUpDraft) -> None:
        """Write (or rewrite) the draft of a call; raises OSError when the disk refuses."""
        private_dir(self.folder, tighten=True)
        path = self._path(draft.session.call_id)
        tmp = private_file(path.with_suffix(".tmp"))  # notes and numbers: the owner only
        tmp.write_text(json.dumps(draft_to_dict(draft), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def delete(self, call_id: str) -> None:
        """Forget the draft of a call (its wrap-up was saved)."""
        with contextlib.suppress(FileNotFoundError):
            self._path(call_id).unlink()

    def load(self) -> tuple[list[WrapUpDraft], list[str]]:
        """This agent's drafts, oldest call first, and one line per unreadable file."""
        found: list[WrapUpDraft] = []
        broken: list[str] = []
        prefix = f"{_SAFE.sub('_', self.agent_id)}--"
        try:
            paths = sorted(self.folder.glob(f"{prefix}*.json"))
        except OSError:
            return [], []
        for path in paths:
            try:
                found.append(draft_from_dict(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
                log.warning("wrap-up draft %s unreadable: %s", path, exc)
                broken.append(f"{path.name}: {exc}")
        found.sort(key=lambda d: d.session.ended_at or d.session.offered_at)
        return found, broken
