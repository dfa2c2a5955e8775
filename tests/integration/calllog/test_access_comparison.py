"""Survey ratings, handover notes and staffed time under PostgreSQL's roles.

Agents and editors never read a rating (so it can never be joined to a caller's number by
them) nor a handover note; agents read their own staffed time, supervisors everyone's; an
agent's wrap-up never erases the rating the recorder wrote.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg

from calllog.kpi import build_report
from calllog.models import CallRecord, Outcome, TransferMode
from calllog.outbox import BufferedStore, Delivery
from calllog.pbx import Source
from calllog.staffed import StaffedSpan, StaffedState
from calllog.store import PostgresStore, SqliteOutbox, open_store
from tests.integration.calllog.test_access import (  # noqa: F401 (fixtures)
    NOW,
    PERIOD,
    T0,
    Centre,
    _denied,
    centre,
    sql,
)

Conns = dict[str, psycopg.Connection[tuple[object, ...]]]


def _rated(agent: str) -> CallRecord:
    return CallRecord(
        f"rated-{agent[-4:]}", "service115", T0, agent_id=agent, caller_number="+49 234 5550009",
        answered_at=T0 + timedelta(seconds=5), ended_at=T0 + timedelta(minutes=2),
        survey_at=T0 + timedelta(minutes=2), survey_rating=2, source=Source.RECORDER,
    )  # fmt: skip


def _seed(centre: Centre) -> None:  # noqa: F811
    admin = open_store(centre.admin_url)
    admin.upsert_call(_rated(centre.anna))
    admin.upsert_call(_rated(centre.ben))
    admin.upsert_staffed([
        StaffedSpan(who, StaffedState.AVAILABLE, T0, T0 + timedelta(hours=1))
        for who in (centre.anna, centre.ben)
    ])  # fmt: skip
    admin.close()


def test_agents_and_editors_never_read_ratings_or_handover_notes(
    centre: Centre,  # noqa: F811
    sql: Conns,  # noqa: F811
) -> None:
    _seed(centre)
    anna, eddi, sue = sql["anna"], sql["eddi"], sql["sue"]
    for query in ("SELECT survey_rating FROM calls", "SELECT handover_note FROM calls",
                  "SELECT survey_rating, caller_number FROM calls"):  # fmt: skip
        assert _denied(anna, query), query
        assert _denied(eddi, query), query
    rows = anna.execute("SELECT survey_rating, handover_note FROM my_calls").fetchall()
    assert rows and all(r == (None, None) for r in rows)
    assert anna.execute("SELECT count(survey_at) FROM calls").fetchone() == (1,)  # offered: yes
    assert _denied(eddi, "SELECT * FROM staffed_time")
    assert sue.execute("SELECT sum(survey_rating) FROM calls").fetchone() == (4,)


def test_staffed_time_agents_read_their_own_supervisors_write(
    centre: Centre,  # noqa: F811
    sql: Conns,  # noqa: F811
) -> None:
    _seed(centre)
    anna, sue = sql["anna"], sql["sue"]
    assert anna.execute("SELECT agent_id FROM staffed_time").fetchall() == [(centre.anna,)]
    assert _denied(anna, "INSERT INTO staffed_time VALUES ('x', now(), now(), 'available',"
                         " NULL, current_date, 0)")  # fmt: skip
    assert sue.execute("SELECT count(*) FROM staffed_time").fetchone() == (2,)
    recorder = PostgresStore(centre.url(centre.sue))  # the recorder's login: a supervisor
    later = StaffedSpan(centre.anna, StaffedState.AVAILABLE, T0, T0 + timedelta(hours=2))
    assert recorder.upsert_staffed([later]) == 1
    recorder.close()
    own = PostgresStore(centre.url(centre.anna))
    assert [s.ended_at for s in own.list_staffed(PERIOD.start, PERIOD.end)] == [later.ended_at]
    report = build_report(own, PERIOD, now=NOW, agent_id=centre.anna, breakdowns=False)
    assert report.comparison.staffed.logged_in_ms == 7_200_000
    assert report.comparison.satisfaction is None  # never for one agent (nor read by one)
    own.close()


def test_an_agents_wrap_up_keeps_the_rating_and_writes_the_handover(
    centre: Centre,  # noqa: F811
    tmp_path: Path,
) -> None:
    _seed(centre)
    anna = PostgresStore(centre.url(centre.anna))
    buffered = BufferedStore(anna, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    base = _rated(centre.anna)
    wrap_up = replace(
        base, source=Source.AGENT, survey_at=None, survey_rating=None, outcome=Outcome.TRANSFERRED,
        outcome_target="Kfz", transfer_mode=TransferMode.BLIND,
        handover_note="Halter verstorben, Erbschein liegt vor", updated_at=T0 + timedelta(hours=1),
    )  # fmt: skip
    assert buffered.upsert_call(wrap_up) is Delivery.STORED
    buffered.close()
    admin = open_store(centre.admin_url)
    stored = admin.get_call(base.call_id)
    assert (stored.survey_rating, stored.survey_at) == (2, base.survey_at)
    assert stored.handover and stored.handover_note == wrap_up.handover_note
    assert build_report(admin, PERIOD, now=NOW).totals.qualified == 1
    admin.close()
