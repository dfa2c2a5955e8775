"""The recorder's PBX facts and an agent's wrap-up merge under PostgreSQL's roles too.

The recorder writes with a supervisor's login; an agent's login cannot read callers'
numbers, names and notes, so the merge treats them as unknown and never overwrites them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from calllog.models import CallRecord, Outcome, Topic
from calllog.outbox import BufferedStore, Delivery
from calllog.pbx import EndedBy, Source
from calllog.store import PostgresStore, SqliteOutbox, open_store
from tests.integration.calllog.test_access import T0, Centre, centre  # noqa: F401 (fixture)


def recorded(agent: str | None, call_id: str, answered: bool = True) -> CallRecord:
    return CallRecord(
        call_id, "service115", T0 + timedelta(seconds=0.5), agent_id=agent,
        caller_number="+49 234 5550001", caller_name="Erika Aufgezeichnet",
        answered_at=T0 + timedelta(seconds=9) if answered else None,
        ended_at=T0 + timedelta(seconds=99), ended_by=EndedBy.CALLER,
        caller_uniqueid=call_id, source=Source.RECORDER,
    )  # fmt: skip


def test_an_agents_wrap_up_joins_the_recorders_facts(centre: Centre, tmp_path: Path) -> None:  # noqa: F811
    recorder = PostgresStore(centre.url(centre.sue))  # a supervisor's login
    assert recorder.upsert_call(recorded(centre.anna, "rec-1"))
    anna = PostgresStore(centre.url(centre.anna))
    buffered = BufferedStore(anna, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    wrap_up = CallRecord(
        "rec-1", "service115", T0 + timedelta(seconds=2), agent_id=centre.anna,
        caller_number="+49 234 5550001", caller_name="Erika (Konsole)",
        answered_at=T0 + timedelta(seconds=10), ended_at=T0 + timedelta(seconds=100),
        wrapup_end_at=T0 + timedelta(seconds=130), outcome=Outcome.RESOLVED,
        notes="Termin gebucht", topics=(Topic("reisepass-beantragen"),),
        updated_at=T0 + timedelta(seconds=130), updated_by=centre.anna,
    )  # fmt: skip
    assert buffered.upsert_call(wrap_up) is Delivery.STORED
    assert buffered.upsert_call(wrap_up) is Delivery.STORED  # a replay
    later = replace(wrap_up, notes="Termin verschoben", updated_at=T0 + timedelta(minutes=5))
    assert buffered.upsert_call(later) is Delivery.STORED

    admin = open_store(centre.admin_url)
    stored = admin.get_call("rec-1")
    assert stored.source is Source.RECORDER and stored.offered_at == T0 + timedelta(seconds=0.5)
    assert stored.caller_name == "Erika Aufgezeichnet"  # the console's view did not win
    assert stored.outcome is Outcome.RESOLVED and stored.notes == "Termin verschoben"
    assert stored.ended_by is EndedBy.CALLER
    admin.close()

    # A call the recorder saw abandoned belongs to no agent: the agent's write is refused.
    assert recorder.upsert_call(recorded(None, "rec-2", answered=False))
    gave_up = CallRecord("rec-2", "service115", T0, agent_id=centre.anna,
                         ended_at=T0 + timedelta(seconds=4), outcome=Outcome.ABANDONED)  # fmt: skip
    assert buffered.upsert_call(gave_up) is Delivery.REJECTED
    assert "row-level security" in (buffered.outbox.rejected_entries()[0].error or "")
    buffered.close()
    recorder.close()
