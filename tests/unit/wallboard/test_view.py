"""The wall's data: live figures only while the PBX is connected, today's figures marked
stale when the database is gone, colours as on the supervisor screen, German text."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calllog.due import DueCallbacks
from calllog.reports import Counts, Period, Report, Targets
from calllog.tiles import tile_values
from recorder.live import LiveBoard, LiveSnapshot
from telephony.calls import Agent, AgentState, Call, CallState
from telephony.protocol import ConnectionState
from wallboard.today import Today
from wallboard.view import DB_NEVER, PBX_GONE, TILES, DatabaseHealth, board

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # 10:30 in Berlin
AGENTS = {"Local/agent1@agents/n": "agent1", "Local/agent2@agents/n": "agent2"}


def snapshot(connection: ConnectionState = ConnectionState.CONNECTED) -> LiveSnapshot:
    live = LiveBoard(AGENTS, ["service115"])
    live.connection_changed(connection)
    t = NOW.timestamp()
    live.seed(
        [Call("c1", queue="service115", state=CallState.QUEUED, joined_at=t - 75,
              caller_number="+4923451234567", caller_name="Erika Mustermann"),
         Call("c2", queue="kfz", state=CallState.QUEUED, joined_at=t - 5)],
        [Agent("Local/agent1@agents/n", name="Agent 1", queue="service115",
               state=AgentState.PAUSED, pause_reason="Besprechung")],
        t - 200,
    )  # fmt: skip
    live.apply([Agent("Local/agent2@agents/n", name="Agent 2", queue="service115",
                      state=AgentState.ON_CALL)], t - 200)  # fmt: skip
    live.apply([Agent("Local/agent2@agents/n", name="Agent 2", queue="service115",
                      state=AgentState.WRAP_UP)], t - 62)  # fmt: skip
    return live.snapshot(t)


def today(counts: Counts, overdue: int = 0, read_at: datetime = NOW) -> Today:
    day = date(2026, 11, 2)
    report = Report(Period(day, day), read_at, Targets(), counts)
    return Today(report, DueCallbacks(due_today=3, overdue=overdue), read_at)


GOOD = Counts(offered=40, answered=36, abandoned=4, within_threshold=32, resolved=26)


def test_live_figures_per_queue_and_agents_with_time_in_state() -> None:
    data = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD),
                 database=DatabaseHealth())  # fmt: skip
    assert data["pbx"] == {"ok": True, "state": "connected", "text": "Telefonanlage verbunden"}
    assert data["alerts"] == [] and data["clock"] == "10:30"
    assert data["waiting"] == {"callers": 2, "longest_wait_s": 75.0, "longest_wait": "1:15"}
    assert [(q["queue"], q["waiting"], q["longest_wait"]) for q in data["queues"]] == [
        ("kfz", 1, "0:05"), ("service115", 1, "1:15"),
    ]  # fmt: skip
    agents = {a["agent"]: a for a in data["agents"]}
    assert (agents["agent1"]["label"], agents["agent1"]["pause_reason"]) == ("Pause", "Besprechung")
    assert agents["agent1"]["in_state"] == "≥ 3:20"  # paused before the board looked
    assert (agents["agent2"]["label"], agents["agent2"]["in_state"]) == ("Nachbearbeitung", "1:02")
    assert agents["agent1"]["state_text"] == "Pause · Besprechung"
    assert agents["agent2"]["state_text"] == "Nachbearbeitung"
    counts = {c["label"]: c["agents"] for c in data["agent_counts"]}
    assert list(counts) == ["Bereit", "Klingelt", "Im Gespräch", "Nachbearbeitung", "Pause",
                            "Abgemeldet"]  # fmt: skip
    assert counts["Pause"] == counts["Nachbearbeitung"] == 1 and counts["Bereit"] == 0


def test_a_break_called_pause_is_not_said_twice() -> None:
    live = LiveBoard(AGENTS)
    live.connection_changed(ConnectionState.CONNECTED)
    live.apply([Agent("Local/agent1@agents/n", name="Agent 1", queue="service115",
                      state=AgentState.PAUSED, pause_reason="Pause")], NOW.timestamp())  # fmt: skip
    data = board(now=NOW, zone=BERLIN, live=live.snapshot(NOW.timestamp()), today=None,
                 database=DatabaseHealth())  # fmt: skip
    assert data["agents"][0]["state_text"] == "Pause"


def test_nothing_about_callers_reaches_the_wall() -> None:
    text = json.dumps(board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD),
                            database=DatabaseHealth()), ensure_ascii=False)  # fmt: skip
    assert "1234567" not in text and "Mustermann" not in text and "Erika" not in text


@pytest.mark.parametrize("state", [ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED])
def test_without_the_pbx_no_live_figure_is_shown_as_current(state: ConnectionState) -> None:
    data = board(now=NOW, zone=BERLIN, live=snapshot(state), today=today(GOOD),
                 database=DatabaseHealth())  # fmt: skip
    assert data["pbx"]["ok"] is False and data["pbx"]["text"] == PBX_GONE
    assert data["alerts"] == [PBX_GONE]
    assert data["waiting"] is data["queues"] is data["agents"] is data["agent_counts"] is None
    assert data["today"]["offered"] == 40  # the call log's figures are still current


def test_while_connecting_the_wall_says_so() -> None:
    data = board(now=NOW, zone=BERLIN, live=snapshot(ConnectionState.CONNECTING), today=None,
                 database=DatabaseHealth(False, NOW))  # fmt: skip
    assert data["alerts"] == ["Verbinde mit der Telefonanlage …", DB_NEVER]
    assert data["today"] is None and data["waiting"] is None


def test_today_is_marked_stale_with_its_time_when_the_database_is_gone() -> None:
    read = NOW - timedelta(minutes=3)
    data = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD, read_at=read),
                 database=DatabaseHealth(False, NOW - timedelta(minutes=2)))  # fmt: skip
    assert data["today"]["stale"] is True and data["today"]["as_of_local"] == "10:27:00"
    assert data["alerts"] == ["Datenbank nicht erreichbar – Tageswerte von 10:27:00"]
    assert data["database"] == {"ok": False, "since": "2026-11-02T09:28:00+00:00"}


def test_figures_not_refreshed_for_too_long_are_stale_too() -> None:
    old = today(GOOD, read_at=NOW - timedelta(seconds=31))
    data = board(now=NOW, zone=BERLIN, live=snapshot(), today=old, database=DatabaseHealth())
    assert data["today"]["stale"] is True
    fresh = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD),
                  database=DatabaseHealth())  # fmt: skip
    assert fresh["today"]["stale"] is False


@pytest.mark.parametrize(
    ("within", "resolved", "sl_state", "fcr_state"),
    [(32, 26, "ok", "ok"), (28, 22, "warn", "warn"), (20, 10, "bad", "bad")],
)
def test_tiles_are_coloured_as_on_the_supervisor_screen(
    within: int, resolved: int, sl_state: str, fcr_state: str
) -> None:
    counts = Counts(offered=40, answered=36, abandoned=4, within_threshold=within,
                    resolved=resolved)  # fmt: skip
    figures = today(counts)
    data = board(now=NOW, zone=BERLIN, live=snapshot(), today=figures, database=DatabaseHealth())
    tiles = {t["id"]: t for t in data["today"]["tiles"]}
    assert [t["id"] for t in data["today"]["tiles"]] == list(TILES)
    supervisor = tile_values(figures.report)
    for tile_id in ("offered", "answered", "service-level", "fcr"):
        assert (tiles[tile_id]["label"], tiles[tile_id]["value"], tiles[tile_id]["state"]) == (
            supervisor[tile_id]
        )
    assert (tiles["service-level"]["state"], tiles["fcr"]["state"]) == (sl_state, fcr_state)
    assert tiles["service-level"]["detail"] == "Ziel 75 %" and tiles["fcr"]["detail"] == "Ziel 65 %"
    assert (tiles["abandoned"]["value"], tiles["abandoned"]["detail"]) == ("4", "10,0 %")


def test_call_backs_due_today_and_overdue() -> None:
    calm = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD),
                 database=DatabaseHealth())["today"]  # fmt: skip
    late = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(GOOD, overdue=2),
                 database=DatabaseHealth())["today"]  # fmt: skip
    assert (calm["callbacks_due_today"], calm["callbacks_overdue"]) == (3, 0)
    tiles = {t["id"]: t for t in late["tiles"]}
    assert (tiles["callbacks-due"]["value"], tiles["callbacks-overdue"]["value"]) == ("3", "2")
    assert tiles["callbacks-overdue"]["state"] == "bad"
    assert {t["id"]: t for t in calm["tiles"]}["callbacks-overdue"]["state"] == "ok"


def test_an_empty_day_has_no_ratios() -> None:
    data = board(now=NOW, zone=BERLIN, live=snapshot(), today=today(Counts()),
                 database=DatabaseHealth())  # fmt: skip
    assert data["today"]["service_level"] is None and data["today"]["fcr_rate"] is None
    tiles = {t["id"]: t for t in data["today"]["tiles"]}
    assert (tiles["service-level"]["value"], tiles["service-level"]["state"]) == ("–", "none")
