"""Wrap-up drafts on disk: round trip, one agent's own, and readable by their owner only."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from agent_console.drafts import DraftStore, WrapUpDraft, session_from_dict, session_to_dict
from agent_console.origin import CallPlace
from agent_console.screens.session import CallSession
from calllog.models import Outcome

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def _draft(call_id: str, notes: str) -> WrapUpDraft:
    session = CallSession(call_id, "service115", "+49 234 5550100", "Erika", NOW, answered_at=NOW)
    return WrapUpDraft(session=session, outcome=Outcome.CALLBACK, notes=notes)


def test_a_draft_round_trips_and_only_its_agent_reads_it(tmp_path: Path) -> None:
    mine, other = DraftStore(tmp_path / "drafts", "agent1"), DraftStore(tmp_path / "drafts", "a2")
    mine.save(_draft("c1", "Rückruf wegen Frist"))
    mine.save(_draft("c1", "Rückruf wegen Frist, Nummer geprüft"))  # rewritten in place
    drafts, broken = mine.load()
    assert broken == [] and len(drafts) == 1
    assert drafts[0].notes == "Rückruf wegen Frist, Nummer geprüft"
    assert drafts[0].session.caller_number == "+49 234 5550100"
    assert other.load() == ([], [])
    mine.delete("c1")
    assert mine.load() == ([], [])


def test_drafts_with_numbers_and_notes_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = DraftStore(tmp_path / "data" / "drafts", "agent1")
        store.save(_draft("c1", "Frau Muster, 0171 5550199"))
    finally:
        os.umask(old)
    files = list((tmp_path / "data" / "drafts").iterdir())
    assert [f.suffix for f in files] == [".json"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "drafts").stat().st_mode) == 0o700


def test_the_survey_and_the_handover_note_survive_in_a_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", "agent1")
    draft = _draft("c2", "")
    draft.session.survey = True
    store.save(WrapUpDraft(draft.session, Outcome.TRANSFERRED, handover="Unterlagen da"))
    [back], _ = store.load()
    assert back.session.survey and back.handover == "Unterlagen da"


def test_the_calls_municipality_and_language_survive_in_a_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", "agent1")
    draft = _draft("c1", "")
    pbx = CallPlace("beispielheim", False, "tr", "beispielheim")
    draft.session.place = pbx.with_municipality("ortsdorf")
    store.save(draft)
    (loaded,), _ = store.load()
    assert loaded.session.place == CallPlace("ortsdorf", True, "tr", "beispielheim")


def test_a_draft_from_before_municipalities_is_the_home_towns_in_german() -> None:
    data = session_to_dict(_draft("c1", "").session)
    del data["place"]
    assert session_from_dict(data).place == CallPlace()
