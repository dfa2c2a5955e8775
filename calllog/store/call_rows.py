"""Calls as rows and back: column values of a record, and records of rows with their children."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from calllog.models import CallRecord, Outcome, SearchQuery, Topic, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from calllog.store.base import StoreBase
from calllog.store.schema import CALL_COLUMNS


def _enum_value(value: Any) -> Any:
    return None if value is None else value.value


class CallRows(StoreBase):
    """Encoding and decoding of call rows (no statements of their own besides child reads)."""

    def _call_params(self, record: CallRecord, now: datetime) -> dict[str, Any]:
        local = record.offered_at.astimezone(self.zone)
        pbx_version = record.pbx_updated_at or record.updated_at or now
        changed = max(t for t in (record.updated_at, pbx_version) if t is not None)
        return {
            "call_id": record.call_id,
            "queue": record.queue,
            "agent_id": record.agent_id,
            "caller_number": record.caller_number,
            "caller_name": record.caller_name,
            "language": record.language,
            "offered_at": self._time_out(record.offered_at),
            "answered_at": self._time_out(record.answered_at),
            "ended_at": self._time_out(record.ended_at),
            "wrapup_end_at": self._time_out(record.wrapup_end_at),
            "offered_day": self._day_out(local.date()),
            "offered_dow": local.isoweekday(),
            "offered_hour": local.hour,
            "wait_ms": record.wait_ms,
            "talk_ms": record.talk_ms,
            "wrapup_ms": record.wrapup_ms,
            "outcome": _enum_value(record.outcome),
            "outcome_target": record.outcome_target,
            "transfer_mode": _enum_value(record.transfer_mode),
            "notes": record.notes,
            "updated_at": self._time_out(changed),
            "updated_by": record.updated_by,
            "purged_at": self._time_out(record.purged_at),
            "queue_exit": _enum_value(record.queue_exit),
            "ended_by": _enum_value(record.ended_by),
            "entry_position": record.entry_position,
            "exit_position": record.exit_position,
            "pbx_transfer": _enum_value(record.pbx_transfer),
            "pbx_transfer_target": record.pbx_transfer_target,
            "caller_uniqueid": record.caller_uniqueid,
            "pbx_source": record.source.value,
            "coarse_facts": " ".join(sorted(record.coarse_facts)) or None,
            "pbx_updated_at": self._time_out(pbx_version),
            "agent_updated_at": self._time_out(
                record.updated_at or (now if record.source is Source.AGENT else None)
            ),
            "survey_at": self._time_out(record.survey_at),
            "survey_rating": record.survey_rating,
            "handover": record.handover,
            "handover_note": record.handover_note,
            "pbx_municipality": record.pbx_municipality,
            "pbx_language": record.pbx_language,
            "municipality": record.municipality,
        }

    def _child_rows(self, record: CallRecord, offered: Any) -> tuple[list[dict[str, Any]], ...]:
        outcome = _enum_value(record.outcome)
        topics = [
            {"call_id": record.call_id, "position": i, "article_id": t.article_id,
             "leika_key": t.leika_key, "offered_at": offered, "outcome": outcome}
            for i, t in enumerate(record.topics)
        ]  # fmt: skip
        searches = [
            {"call_id": record.call_id, "seq": i, "query": s.text, "hit_count": s.hit_count,
             "searched_at": self._time_out(s.searched_at), "offered_at": offered,
             "high_hit_count": s.high_hit_count}
            for i, s in enumerate(record.searches)
        ]  # fmt: skip
        return topics, searches

    def _record(
        self, row: Sequence[Any], topics: list[Topic], searches: list[SearchQuery]
    ) -> CallRecord:
        v = dict(zip(CALL_COLUMNS, row, strict=True))

        def enum(kind: Any, name: str) -> Any:
            return kind(v[name]) if v[name] else None

        return CallRecord(
            call_id=v["call_id"], queue=v["queue"], agent_id=v["agent_id"],
            caller_number=v["caller_number"], caller_name=v["caller_name"],
            language=v["language"], offered_at=self._required_time(v["offered_at"]),
            answered_at=self._time_in(v["answered_at"]), ended_at=self._time_in(v["ended_at"]),
            wrapup_end_at=self._time_in(v["wrapup_end_at"]), outcome=enum(Outcome, "outcome"),
            outcome_target=v["outcome_target"], transfer_mode=enum(TransferMode, "transfer_mode"),
            notes=v["notes"], topics=tuple(topics), searches=tuple(searches),
            updated_at=self._time_in(v["agent_updated_at"]), updated_by=v["updated_by"],
            queue_exit=enum(QueueExit, "queue_exit"), ended_by=enum(EndedBy, "ended_by"),
            entry_position=v["entry_position"], exit_position=v["exit_position"],
            pbx_transfer=enum(TransferMode, "pbx_transfer"),
            pbx_transfer_target=v["pbx_transfer_target"], caller_uniqueid=v["caller_uniqueid"],
            source=Source(v["pbx_source"]),
            coarse_facts=frozenset((v["coarse_facts"] or "").split()),
            pbx_updated_at=self._time_in(v["pbx_updated_at"]),
            purged_at=self._time_in(v["purged_at"]), survey_at=self._time_in(v["survey_at"]),
            survey_rating=v["survey_rating"], handover=bool(v["handover"]),
            handover_note=v["handover_note"], pbx_municipality=v["pbx_municipality"],
            pbx_language=v["pbx_language"], municipality=v["municipality"],
        )  # fmt: skip

    def _load_children(
        self, cur: Any, ids: list[str]
    ) -> tuple[dict[str, list[Topic]], dict[str, list[SearchQuery]]]:
        topics: dict[str, list[Topic]] = {i: [] for i in ids}
        searches: dict[str, list[SearchQuery]] = {i: [] for i in ids}
        if not ids:
            return topics, searches
        marks = ", ".join(f":id{n}" for n in range(len(ids)))
        params = {f"id{n}": i for n, i in enumerate(ids)}
        for call_id, article, key in self._exec(
            cur,
            f"SELECT call_id, article_id, leika_key FROM call_topics WHERE call_id IN ({marks})"
            " ORDER BY call_id, position",
            params,
        ).fetchall():
            topics[call_id].append(Topic(article, key))
        for call_id, text, hits, at, high in self._exec(
            cur,
            f"SELECT call_id, query, hit_count, searched_at, high_hit_count FROM call_searches"
            f" WHERE call_id IN ({marks}) ORDER BY call_id, seq",
            params,
        ).fetchall():
            searches[call_id].append(SearchQuery(text, hits, self._time_in(at), high))
        return topics, searches

    def _records(self, cur: Any, rows: Sequence[Sequence[Any]]) -> list[CallRecord]:
        """Records of rows (CALL_COLUMNS) with their topics and searches."""
        topics, searches = self._load_children(cur, [r[0] for r in rows])
        return [self._record(r, topics[r[0]], searches[r[0]]) for r in rows]
