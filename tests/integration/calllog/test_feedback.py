"""Article feedback in the store on both backends: upsert, listing, resolving, migration 3."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from calllog.exceptions import InvalidRecord, NotFound
from calllog.models import ArticleFeedback, CallRecord, FeedbackKind, FeedbackStatus, Outcome
from calllog.store import SqlStore, open_store
from tests.integration.calllog.conftest import insert_v1_call

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def flag(n: int, article: str = "reisepass-beantragen", **changes: object) -> ArticleFeedback:
    """Flag number `n`, created `n` minutes after T0."""
    values: dict[str, object] = {
        "article_id": article,
        "kind": FeedbackKind.OUTDATED if n % 2 else FeedbackKind.WRONG,
        "comment": f"Meldung {n}: Gebühr stimmt nicht.\nBitte prüfen.",
        "agent_id": f"agent{n % 3}",
        "created_at": T0 + timedelta(minutes=n),
        "call_id": f"call-{n}",
        "feedback_id": f"00000000-0000-4000-8000-{n:012d}",
    }
    return ArticleFeedback(**{**values, **changes})  # type: ignore[arg-type]


def test_flags_round_trip_newest_first(store: SqlStore) -> None:
    items = [flag(n) for n in range(5)]
    for item in items:
        store.add_feedback(item)
    assert store.list_feedback() == items[::-1]
    assert store.list_feedback(limit=2) == [items[4], items[3]]


def test_replaying_a_flag_stores_it_once(store: SqlStore) -> None:
    item = flag(1)
    for _ in range(3):
        store.add_feedback(item)
    store.add_feedback(flag(1, comment="anderer Text"))  # same id: content never replaced
    assert store.list_feedback(status=None) == [item]


def test_list_filters_by_article_and_status(store: SqlStore) -> None:
    for n in range(6):
        store.add_feedback(flag(n, "personalausweis-beantragen" if n < 3 else "hund-anmelden"))
    store.resolve_feedback(flag(1).feedback_id, by="editor1", at=T0 + timedelta(hours=1))
    listed = store.list_feedback(article_id="personalausweis-beantragen")
    assert [f.feedback_id for f in listed] == [flag(2).feedback_id, flag(0).feedback_id]
    done = store.list_feedback(status="done")
    assert [(f.feedback_id, f.resolved_by) for f in done] == [(flag(1).feedback_id, "editor1")]
    assert len(store.list_feedback(status=None)) == 6
    assert store.list_feedback(article_id="gibt-es-nicht") == []
    with pytest.raises(InvalidRecord):
        store.list_feedback(status="closed")


def test_resolving_marks_done_once_and_unknown_ids_raise(store: SqlStore) -> None:
    item = flag(3)
    store.add_feedback(item)
    at = T0 + timedelta(days=1, microseconds=17)
    done = store.resolve_feedback(item.feedback_id, by="editor1", at=at)
    assert (done.status, done.resolved_by, done.resolved_at) == (FeedbackStatus.DONE, "editor1", at)
    assert store.list_feedback() == []
    assert store.list_feedback(status="done") == [done]
    again = store.resolve_feedback(item.feedback_id, by="editor2", at=at + timedelta(hours=1))
    assert again == done  # the first resolution stays
    with pytest.raises(NotFound):
        store.resolve_feedback("00000000-0000-4000-8000-999999999999", by="e", at=at)
    store.add_feedback(flag(4))
    with pytest.raises(InvalidRecord):  # before the flag was created
        store.resolve_feedback(flag(4).feedback_id, by="e", at=T0)
    assert store.list_feedback() == [flag(4)]  # the refused resolution left it open


def test_replays_never_reopen_a_done_flag_but_may_close_an_open_one(store: SqlStore) -> None:
    item = flag(5)
    store.add_feedback(item)
    done = store.resolve_feedback(item.feedback_id, by="editor1", at=T0 + timedelta(hours=1))
    store.add_feedback(item)  # a late replay of the open flag
    assert store.list_feedback(status=None) == [done]

    other = flag(6)
    closed = replace(
        other,
        status=FeedbackStatus.DONE,
        resolved_by="editor2",
        resolved_at=T0 + timedelta(hours=2),
    )
    store.add_feedback(other)
    store.add_feedback(closed)
    assert store.list_feedback(status="done") == [closed, done]


def test_purge_keeps_feedback(store: SqlStore) -> None:
    store.add_feedback(flag(1))
    result = store.purge(T0 + timedelta(days=400), now=T0 + timedelta(days=400), by="dsb")
    assert (result.calls, result.callbacks) == (0, 0)
    assert store.list_feedback() == [flag(1)]


def test_migration_3_adds_feedback_to_an_existing_database(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    try:
        assert store.migrate(target=2) == [1, 2]
        call = CallRecord(
            "c1", "service115", T0, agent_id="agent1", outcome=Outcome.DROPPED, updated_at=T0
        )
        insert_v1_call(store, call)
        with pytest.raises(Exception, match="article_feedback"):
            store.list_feedback()
        assert store.migrate(target=3) == [3]
        assert store.schema_version() == 3
        store.add_feedback(flag(1))
        assert store.list_feedback() == [flag(1)]
        assert store.migrate(target=3) == []
        store.migrate()  # the program reads calls with the newest schema
        assert store.get_call("c1") == call
    finally:
        store.close()
