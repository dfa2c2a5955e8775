"""Pure rules of the console: outcome preselection, call records, history, queue, directory."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_console.labels import pbx_agent_label
from agent_console.origin import CallPlace, Colleague
from agent_console.screens.session import (
    CallSession,
    apply_call,
    build_record,
    clock_text,
    colleague_order,
    earlier_calls,
    office_order,
    preselect_outcome,
    queue_summary,
    session_for,
)
from agent_console.services import (
    KnowledgeSource,
    changed_files,
    kb_snapshot,
)
from calllog.models import CallRecord, Outcome, TransferMode
from kb.loader import load
from kb.models import Office
from telephony.calls import AgentState, Call, CallState, EndedBy, TransferKind

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def session(**changes: object) -> CallSession:
    base = CallSession("c1", "service115", "0234", "Erika", NOW, answered_at=NOW)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_agent_label_in_german_with_pause_reason() -> None:
    assert pbx_agent_label(AgentState.AVAILABLE) == "Bereit"
    assert pbx_agent_label(AgentState.PAUSED, "Mittag") == "Pause (Mittag)"
    assert pbx_agent_label(AgentState.WRAP_UP, "Nachbearbeitung") == "Nachbearbeitung"
    assert pbx_agent_label(None) == "Unbekannt"


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "–"), (-3, "0:00"), (65, "1:05"), (3725, "1:02:05")]
)
def test_clock_text(seconds: float | None, text: str) -> None:
    assert clock_text(seconds) == text


def test_preselect_follows_what_happened() -> None:
    assert preselect_outcome(session(answered_at=None)) == Outcome.ABANDONED
    assert preselect_outcome(session(transfer_kind=TransferKind.BLIND)) == Outcome.TRANSFERRED
    assert preselect_outcome(session(ended_by=EndedBy.UNKNOWN)) == Outcome.DROPPED
    assert preselect_outcome(session(topics=["a"])) == Outcome.RESOLVED
    assert preselect_outcome(session()) is None  # the agent has to choose


def test_apply_call_answers_transfers_and_ends() -> None:
    s = session_for(Call("c1", state=CallState.RINGING, queue_wait=None), NOW)
    assert s.answered_at is None
    later = NOW + timedelta(seconds=5)
    assert not apply_call(s, Call("c1", state=CallState.CONNECTED, queue_wait=4), later)
    assert s.answered_at == later and s.queue_wait == 4
    transferred = Call("c1", state=CallState.TRANSFERRED, transfer_kind=TransferKind.ATTENDED,
                       transfer_target="2002")  # fmt: skip
    s.consulting = "2002"
    assert apply_call(s, transferred, later)
    assert s.transfer_kind == TransferKind.ATTENDED and s.consulting == ""
    assert not apply_call(s, Call("c1", state=CallState.ENDED), later)  # only once


def test_build_record_keeps_times_in_order_and_topics_unique() -> None:
    s = session(topics=["a", "b"], leika={"a": "99123456789012"}, ended_at=NOW,
                transfer_kind=TransferKind.ATTENDED)  # fmt: skip
    s.offered_at = NOW + timedelta(seconds=1)  # clocks disagree by a second
    record = build_record(s, outcome=Outcome.TRANSFERRED, agent_id="agent1", notes="  ",
                          target="Standesamt", topics=["a", "a", "b"], now=NOW)  # fmt: skip
    assert record.offered_at <= record.answered_at <= record.ended_at <= record.wrapup_end_at  # type: ignore[operator]
    assert [t.article_id for t in record.topics] == ["a", "b"]
    assert record.topics[0].leika_key == "99123456789012"
    assert record.transfer_mode == TransferMode.ATTENDED and record.notes is None
    resolved = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="ok",
                            target=None, topics=[], now=NOW)  # fmt: skip
    assert resolved.transfer_mode is None
    abandoned = build_record(
        session(answered_at=None), outcome=Outcome.ABANDONED, agent_id="agent1", notes="",
        target=None, topics=[], now=NOW,
    )  # fmt: skip
    assert abandoned.answered_at is None


def typed(s: CallSession, text: str, hits: int = 5, high: int = 1) -> None:
    """The results of each keystroke of `text` arrive on screen."""
    for end in range(1, len(text) + 1):
        s.show_results(text[:end], hits, high, NOW)


def test_a_search_without_a_sure_hit_is_recorded_without_opening_an_article() -> None:
    s = session()
    typed(s, "rente beantragen", hits=8, high=0)
    assert s.searches == []  # still on screen
    for end in range(len("rente beantragen") - 1, 0, -1):  # deleted back letter by letter
        s.show_results("rente beantragen"[:end], 10, 3, NOW)
    typed(s, "perso verloren", high=2)
    record = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="",
                          target=None, topics=[], now=NOW)  # fmt: skip
    assert [(q.text, q.hit_count, q.high_hit_count) for q in record.searches] == [
        ("rente beantragen", 8, 0),  # its longest form, not every keystroke or the "r" left
        ("perso verloren", 5, 2),
    ]
    assert [q.answered for q in record.searches] == [False, True]


def test_an_emptied_box_settles_the_search_and_an_opened_article_replaces_it() -> None:
    s = session()
    typed(s, "baumfällung", hits=3, high=0)
    s.show_results("", 0, 0, NOW)
    assert [q.text for q in s.searches] == ["baumfällung"] and s.pending_search is None
    typed(s, "hund anm")
    s.add_topic("hund-anmelden", None, "hund anm", 4, NOW, high=2)
    assert [(q.text, q.high_hit_count) for q in s.recorded_searches()] == [
        ("baumfällung", 0),
        ("hund anm", 2),
    ]


def test_earlier_calls_same_number_last_30_days_newest_first() -> None:
    def rec(call_id: str, days: float, number: str = "0234") -> CallRecord:
        return CallRecord(call_id, "q", NOW - timedelta(days=days), caller_number=number)

    records = [rec("old", 31), rec("x", 2), rec("y", 1), rec("other", 1, "0999"), rec("c1", 0)]
    assert [r.call_id for r in earlier_calls(records, "0234", "c1", NOW)] == ["y", "x"]
    assert earlier_calls(records, "", "c1", NOW) == []


def test_queue_summary_counts_waiting_only() -> None:
    calls = [Call("a", joined_at=100.0), Call("b", joined_at=130.0),
             Call("c", state=CallState.CONNECTED, joined_at=50.0)]  # fmt: skip
    assert queue_summary(calls, 160.0) == (2, 60.0)
    assert queue_summary([], 160.0) == (0, None)


def office(office_id: str, name: str, extension: str) -> Office:
    return Office(id=office_id, name=name, extension=extension)


def test_office_order_responsible_first_then_filtered_by_name() -> None:
    offices = [office("bb", "Bürgerbüro", "2001"), office("sa", "Standesamt", "2003"),
               office("kfz", "Kfz-Zulassung", "2002")]  # fmt: skip
    assert [o.id for o in office_order(offices, "sa")] == ["sa", "bb", "kfz"]
    assert [o.id for o in office_order(offices, "sa", "buerger")] == ["bb"]
    assert [o.id for o in office_order(offices, None, "2002")] == ["kfz"]


def test_kb_snapshot_sees_edits(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    path = tmp_path / "articles" / "a.yaml"
    path.write_text("x: 1\n")
    before = kb_snapshot(tmp_path)
    path.write_text("x: 22\n")
    (tmp_path / "articles" / "b.yaml").write_text("y: 1\n")
    assert changed_files(before, kb_snapshot(tmp_path)) == ["articles/a.yaml", "articles/b.yaml"]


def test_knowledge_source_reloads_only_on_change(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    loads: list[Path] = []

    def loader(root: Path):  # type: ignore[no-untyped-def]
        loads.append(root)
        return load(root)

    source = KnowledgeSource(load(tmp_path), tmp_path, loader)
    assert source.poll() == [] and loads == []
    (tmp_path / "articles" / "new.yaml").write_text("id: new\n")
    assert source.poll() == ["articles/new.yaml"] and loads == [tmp_path]
    assert source.poll() == []


def test_pure_modules_do_not_import_textual() -> None:
    code = (
        "import sys, agent_console.screens.session, agent_console.services;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)  # fmt: skip
    assert result.stdout.strip() == "[]"


def test_a_call_ended_into_the_survey_is_no_transfer() -> None:
    s = session_for(Call("c1", state=CallState.CONNECTED, queue_wait=3), NOW)
    # Seen as a blind transfer first (a console without the survey's context), then the survey
    blind = Call("c1", state=CallState.TRANSFERRED, transfer_kind=TransferKind.BLIND,
                 transfer_target="1")  # fmt: skip
    assert apply_call(s, blind, NOW + timedelta(seconds=60))
    apply_call(s, replace(blind, state=CallState.ENDED, survey=True), NOW + timedelta(seconds=61))
    assert s.survey and s.transfer_kind is None and s.transfer_target == ""
    s.topics.append("a")
    assert preselect_outcome(s) == Outcome.RESOLVED
    later = NOW + timedelta(seconds=90)
    record = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="",
                          target=None, topics=s.topics, now=later)  # fmt: skip
    assert record.survey_at == record.ended_at and record.transfer_mode is None


def test_a_handover_note_is_kept_for_a_transfer_only() -> None:
    s = session(ended_at=NOW)
    kept = build_record(s, outcome=Outcome.TRANSFERRED, agent_id="agent1", notes="",
                        target="Kfz", topics=[], now=NOW, handover_note=" Akte 12 ")  # fmt: skip
    assert (kept.handover, kept.handover_note) == (True, "Akte 12")
    dropped = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="",
                           target=None, topics=[], now=NOW, handover_note="vergessen")  # fmt: skip
    assert (dropped.handover, dropped.handover_note) == (False, None)


def test_kb_snapshot_sees_the_municipalities_files(tmp_path: Path) -> None:
    place = tmp_path / "municipalities" / "dorf"
    for sub in ("articles", "offices"):
        (place / sub).mkdir(parents=True)
    (place / "municipality.yaml").write_text("id: dorf\n")
    before = kb_snapshot(tmp_path)
    (place / "articles" / "aa.yaml").write_text("id: aa\n")
    (place / "offices" / "rathaus.yaml").write_text("id: rathaus\n")
    (place / "municipality.yaml").write_text("id: dorf\nname: Dorf\n")
    assert changed_files(before, kb_snapshot(tmp_path)) == [
        "municipalities/dorf/articles/aa.yaml",
        "municipalities/dorf/municipality.yaml",
        "municipalities/dorf/offices/rathaus.yaml",
    ]


def test_the_record_keeps_the_pbxs_municipality_and_the_agents_choice_apart() -> None:
    s = session()
    s.place = CallPlace("beispielheim", False, "tr", "beispielheim")
    record = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="",
                          target=None, topics=[], now=NOW)  # fmt: skip
    assert (record.municipality, record.pbx_municipality) == (None, "beispielheim")
    assert (record.language, record.pbx_language) == ("tr", "tr")
    s.place = s.place.with_municipality("ortsdorf")
    chosen = build_record(s, outcome=Outcome.RESOLVED, agent_id="agent1", notes="",
                          target=None, topics=[], now=NOW)  # fmt: skip
    assert (chosen.municipality, chosen.pbx_municipality) == ("ortsdorf", "beispielheim")


def test_the_directory_keeps_the_municipalitys_own_offices_before_the_shared_ones() -> None:
    own = [office("ob", "Bürgerbüro Ortsdorf", "2101"), office("oo", "Ordnungsamt", "2102")]
    shared = [office("kfz", "Kfz-Zulassung (Kreis)", "2002"), office("ab", "Ausländerbehörde",
                                                                       "2004")]  # fmt: skip
    assert [o.id for o in office_order(own + shared, None)] == ["ob", "oo", "kfz", "ab"]
    assert [o.id for o in office_order(own + shared, "kfz")] == ["kfz", "ob", "oo", "ab"]
    team = [Colleague("a2", "Berk Demir", "3002", ("tr",)), Colleague("a3", "Cem", "3003", ())]
    assert [c.agent_id for c in colleague_order(team, "berk")] == ["a2"]
    assert [c.agent_id for c in colleague_order(team, "300")] == ["a2", "a3"]
