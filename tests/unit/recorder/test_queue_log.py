"""Reading Asterisk's queue_log: a file recorded on a real Asterisk 22, and broken lines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from calllog.models import TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from recorder.queue_log import BadLine, QueueLogCalls, parse_line

LAB = Path(__file__).resolve().parents[2] / "fixtures" / "queue_log" / "asterisk22_lab.queue_log"
AGENTS = {"Agent 1": "agent1", "Agent 2": "agent2"}


def read(lines: list[str]) -> QueueLogCalls:
    calls = QueueLogCalls(agent_id=AGENTS.get)
    calls.read(lines)
    return calls


def test_the_recorded_shift_reads_as_eleven_calls() -> None:
    calls = read(LAB.read_text(encoding="utf-8").splitlines())
    assert calls.bad == [] and calls.reentries == 0
    records = {r.caller_number: r for r in calls.records()}
    assert len(records) == 11
    assert all(
        r.source is Source.QUEUE_LOG and r.caller_uniqueid == r.call_id for r in records.values()
    )
    assert sum(r.answered_at is not None for r in records.values()) == 8
    assert sum(r.queue_exit is QueueExit.ABANDONED for r in records.values()) == 3

    first = records["0234600000"]
    assert first.offered_at == datetime.fromtimestamp(1795884805, UTC)
    assert (first.agent_id, first.ended_by, first.wait_ms) == ("agent1", EndedBy.CALLER, 1000)
    blind = records["0234600020"]
    assert (blind.pbx_transfer, blind.pbx_transfer_target) == (TransferMode.BLIND, "2002")
    assert blind.ended_by is None and blind.agent_id == "agent2"
    attended = records["0234600030"]
    assert (attended.pbx_transfer, attended.pbx_transfer_target) == (TransferMode.ATTENDED, None)
    assert attended.talk_ms == 1000
    gave_up = [records[f"023460004{n}"] for n in range(3)]
    assert [(r.entry_position, r.exit_position) for r in gave_up] == [(1, 1), (2, 2), (3, 1)]
    assert all(r.wait_ms == 3000 and r.ended_by is EndedBy.CALLER for r in gave_up)
    assert records["0234600050"].agent_id == "agent1"  # answered after a RINGNOANSWER


def test_broken_lines_are_reported_with_their_numbers_and_the_rest_is_read() -> None:
    lines = LAB.read_text(encoding="utf-8").splitlines()
    lines[2:2] = ["", "garbage without pipes", "17958x4805|1|q|NONE|ENTERQUEUE||1|1"]
    lines.append("1795884820|1795884820.1|service115|NONE|ENTERQUEUE||0234|first")
    lines.append("1795884821|1795884821.1|service115|NONE|connect|1|x|1")
    calls = read(lines)
    assert [(b.number, b.reason.split(":")[0]) for b in calls.bad] == [
        (4, "expected time|callid|queue|agent|event, got 'garbage without pipes'"),
        (5, "time is not epoch seconds"),
        (len(lines) - 1, "ENTERQUEUE"),
        (len(lines), "not an event name"),
    ]
    assert len(list(calls.records())) == 11


def test_a_call_known_only_from_its_end_gets_its_times_from_the_queues_figures() -> None:
    calls = read(["1795884900|c1|service115|Agent 2|COMPLETEAGENT|4|60|2"])
    (record,) = calls.records()
    assert record.offered_at == datetime.fromtimestamp(1795884900 - 64, UTC)
    assert record.answered_at == datetime.fromtimestamp(1795884900 - 60, UTC)
    assert (record.agent_id, record.ended_by) == ("agent2", EndedBy.AGENT)


def test_a_second_entry_into_a_queue_is_counted_but_not_recorded() -> None:
    calls = read([
        "100|c1|a|NONE|ENTERQUEUE||0234|1",
        "110|c1|a|NONE|EXITWITHTIMEOUT|1|1|10",
        "111|c1|b|NONE|ENTERQUEUE||0234|1",
        "112|c1|b|Agent 1|CONNECT|1|x|1",
    ])  # fmt: skip
    (record,) = calls.records()
    assert (record.queue, record.queue_exit, record.answered_at) == ("a", QueueExit.EXITED, None)
    assert calls.reentries == 1


def test_lines_without_a_call_are_skipped_quietly() -> None:
    assert parse_line(1, "1795884805|NONE|NONE|NONE|QUEUESTART|") is not None
    calls = read(["1795884805|NONE|NONE|NONE|QUEUESTART|", "1795884805|NONE|q|Agent 1|PAUSE|x"])
    assert calls.bad == [] and list(calls.records()) == []
    assert isinstance(parse_line(3, "x|y"), BadLine)
