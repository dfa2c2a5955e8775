"""A search whose hits are all "vielleicht" counts as one without a hit, on both backends."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calllog.kpi import build_report
from calllog.models import CallRecord, Outcome, SearchQuery
from calllog.reports import Period
from calllog.store import CALL_COLUMNS, SqlStore, _rows, open_store

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
DAY = Period(date(2026, 11, 23), date(2026, 11, 23))


def call(call_id: str, *searches: SearchQuery) -> CallRecord:
    return CallRecord(
        call_id, "service115", T0, agent_id="a1", answered_at=T0 + timedelta(seconds=5),
        ended_at=T0 + timedelta(minutes=3), outcome=Outcome.RESOLVED, searches=searches,
        updated_at=T0 + timedelta(minutes=4),
    )  # fmt: skip


def test_searches_keep_their_high_count(store: SqlStore) -> None:
    record = call("c1", SearchQuery("rente beantragen", 8, T0, 0), SearchQuery("perso", 5, T0, 2))
    store.upsert_call(record)
    assert store.get_call("c1") == record
    store.bulk_insert([call("c2", SearchQuery("hund", 3, T0, 3))])
    assert store.get_call("c2").searches == (SearchQuery("hund", 3, T0, 3),)


def test_a_search_without_a_high_hit_counts_as_unanswered(store: SqlStore) -> None:
    store.upsert_call(call("c1", SearchQuery("rente beantragen", 8, T0, 0)))
    store.upsert_call(call("c2", SearchQuery("rente beantragen", 6, T0, 0)))
    store.upsert_call(call("c3", SearchQuery("perso verloren", 7, T0, 2)))
    store.upsert_call(call("c4", SearchQuery("xyz", 0, T0, 0)))
    store.upsert_call(call("c5", SearchQuery("hund", 4, T0)))  # written before high counts
    report = build_report(store, DAY, now=T0 + timedelta(days=1))
    assert report.unanswered_searches == (("rente beantragen", 2), ("xyz", 1))


def test_migration_9_keeps_older_searches_counted_by_their_hits(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    try:
        store.migrate(target=8)
        old = call("c1", SearchQuery("urkunde xyz", 0, T0), SearchQuery("perso", 3, T0))
        params = store._call_params(old, T0)
        _, searches = store._child_rows(old, params["offered_at"])
        with store._transaction() as cur:
            known = {d[0] for d in store._exec(cur, "SELECT * FROM calls LIMIT 0").description}
            columns = [c for c in CALL_COLUMNS if c in known]  # the schema of version 8
            store._exec(cur, _rows(columns, "calls"), {c: params[c] for c in columns})
            for row in searches:
                del row["high_hit_count"]
                store._exec(cur, _rows(list(row), "call_searches"), row)
        assert 9 in store.migrate()
        assert store.get_call("c1") == old  # high counts unknown: None
        report = build_report(store, DAY, now=T0 + timedelta(days=1))
        assert report.unanswered_searches == (("urkunde xyz", 1),)
    finally:
        store.close()


def test_the_editors_statistics_count_it_too(store: SqlStore) -> None:
    store.upsert_call(call("c1", SearchQuery("rente beantragen", 8, T0, 0)))
    store.upsert_call(call("c2", SearchQuery("perso verloren", 7, T0, 2)))
    store.upsert_call(call("c3", SearchQuery("hund", 4, T0)))  # written before high counts
    usage = store.article_usage(T0 - timedelta(hours=1), T0 + timedelta(days=1))
    assert usage.unanswered == (("rente beantragen", 1),)
