"""KPI aggregates in SQL for SQLite and PostgreSQL; both backends return identical figures.

Every figure is a count or an integer sum computed by the database; ratios and averages are
left to `calllog.reports` (pure). The 90th percentile is PostgreSQL's `percentile_cont`; on
SQLite the same interpolation (lo + (hi - lo) * frac at position p * (n - 1)) is computed
from ordered row numbers, so both agree to the last bit. The period is bounded by
`offered_at` (index `calls_offered_at`); local day, weekday and hour come from the columns
stored beside each call. Reads go through the store's public read session (`store.read()`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from calllog import kpi_comparison
from calllog.comparison import DEFAULT_HOURS_PER_POST, SurveyGrid
from calllog.reports import (
    SHORT_ABANDON_MS,
    CallbackFigures,
    Counts,
    Day,
    HeatCell,
    Period,
    Report,
    Targets,
    TopicFigures,
)
from calllog.store import UNANSWERED_SEARCH, ReadSession, SqlStore

#: The percentile the reports show.
PERCENTILE = 0.9
#: How many rows the ranked lists (targets, referrals, searches, topics) keep.
TOP = 10
#: What a report can be grouped by besides queue and agent, and the SQL of each: the
#: agent's choice in the console wins over what the PBX's facts map to.
GROUP_KEYS = {
    "municipality": "coalesce(municipality, pbx_municipality)",
    "language": "coalesce(language, pbx_language)",
}

#: A transfer passed on "qualified": with a consultation (the agent's wrap-up or the PBX say
#: attended) or with a handover note for the back office.
QUALIFIED = "(transfer_mode = 'attended' OR pbx_transfer = 'attended' OR handover)"
_COUNTS = (
    """
count(*),
count(answered_at),
coalesce(sum(CASE WHEN queue_exit = 'abandoned' THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN queue_exit = 'abandoned' AND wait_ms < :short THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN answered_at IS NOT NULL AND wait_ms <= :sl THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome = 'resolved' THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome = 'transferred' THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome = 'callback' THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome = 'not_responsible' THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN answered_at IS NOT NULL THEN wait_ms END), 0),
coalesce(sum(talk_ms), 0), count(talk_ms),
coalesce(sum(wrapup_ms), 0), count(wrapup_ms),
coalesce(sum(CASE WHEN answered_at IS NOT NULL AND outcome IS NULL THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome = 'transferred' AND """
    + QUALIFIED
    + """ THEN 1 ELSE 0 END), 0),
coalesce(sum(CASE WHEN outcome IN ('resolved', 'callback', 'written', 'not_responsible')
    OR (outcome = 'transferred' AND """
    + QUALIFIED
    + """) THEN 1 ELSE 0 END), 0)
"""
)
_PERIOD = "offered_at >= :since AND offered_at < :until"

_PCT_POSTGRES = """
SELECT {key} AS k, percentile_cont(CAST(:pct AS double precision)) WITHIN GROUP (ORDER BY wait_ms)
FROM calls WHERE {where} AND answered_at IS NOT NULL AND wait_ms IS NOT NULL {group}
"""
# Level 0: all calls, 1: per queue, 2: per agent (the grouping set a row belongs to).
_GROUPS_POSTGRES = (
    "SELECT CASE GROUPING(queue, agent_id) WHEN 3 THEN 0 WHEN 1 THEN 1 ELSE 2 END,"
    " queue, agent_id," + _COUNTS + ", percentile_cont(CAST(:pct AS double precision))"
    " WITHIN GROUP (ORDER BY wait_ms) FILTER (WHERE answered_at IS NOT NULL)"
    " FROM calls WHERE {where} GROUP BY GROUPING SETS ((), (queue), (agent_id))"
)
_PCT_SQLITE = """
WITH ranked AS (
    SELECT {key} AS k, wait_ms AS v,
           row_number() OVER (PARTITION BY {key} ORDER BY wait_ms) - 1 AS i,
           :pct * (count(*) OVER (PARTITION BY {key}) - 1) AS pos
    FROM calls WHERE {where} AND answered_at IS NOT NULL AND wait_ms IS NOT NULL
), bounds AS (
    SELECT k,
           max(CASE WHEN i = CAST(pos AS INTEGER) THEN v END) AS lo,
           max(CASE WHEN i = CAST(pos AS INTEGER) + (pos > CAST(pos AS INTEGER)) THEN v END)
               AS hi,
           max(pos - CAST(pos AS INTEGER)) AS frac
    FROM ranked GROUP BY k
)
SELECT k, CAST(lo AS REAL) + (hi - lo) * frac FROM bounds
"""


class ReportQuery:
    """One report's statements over a read session: parameters and filters they share.

    Each method is one part of the report (benchmarks time them one by one).
    """

    def __init__(
        self,
        read: ReadSession,
        period: Period,
        targets: Targets,
        agent_id: str | None,
        now: datetime,
    ) -> None:
        self.read = read
        self.postgres = read.dialect == "postgresql"
        since, until = period.utc_bounds(read.zone)
        self.params: dict[str, Any] = {
            "since": read.time_param(since),
            "until": read.time_param(until),
            "now": read.time_param(now.astimezone(UTC)),
            "short": SHORT_ABANDON_MS,
            "sl": targets.service_level_seconds * 1000,
            "pct": PERCENTILE,
            "top": TOP,
            "first": read.day_param(period.start),
            "last": read.day_param(period.end),
        }
        self.where = _PERIOD
        self.child_where = _PERIOD
        if agent_id is not None:
            self.params["agent"] = agent_id
            self.where += " AND agent_id = :agent"
            self.child_where += (
                f" AND call_id IN (SELECT call_id FROM calls WHERE {_PERIOD} AND agent_id = :agent)"
            )
        self.collate = ' COLLATE "C"' if self.postgres else ""
        """Tie-breaks by code point on both backends (PostgreSQL's default follows the locale)."""

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of one statement with the report's parameters."""
        return self.read.rows(sql, self.params)

    def counts(self, key: str | None) -> dict[Any, Counts]:
        """Totals (key None) or totals per value of a column."""
        if key is None:
            sql = f"SELECT NULL, {_COUNTS} FROM calls WHERE {self.where}"
        else:
            sql = f"SELECT {key}, {_COUNTS} FROM calls WHERE {self.where} GROUP BY {key}"
        pct = self.percentiles(key)
        return {
            r[0]: replace(Counts(*(int(v) for v in r[1:])), p90_wait_ms=pct.get(r[0]))
            for r in self.rows(sql)
        }

    def groups(self, breakdowns: bool) -> tuple[Counts, dict[Any, Counts], dict[Any, Counts]]:
        """Totals, per queue and per agent; one scan on PostgreSQL (grouping sets)."""
        if not breakdowns:
            return self.counts(None).get(None, Counts()), {}, {}
        if not self.postgres:
            totals = self.counts(None).get(None, Counts())
            return totals, self.counts("queue"), self.counts("agent_id")
        found: dict[int, dict[Any, Counts]] = {0: {}, 1: {}, 2: {}}
        for row in self.rows(_GROUPS_POSTGRES.format(where=self.where)):
            level, queue, agent, *values, p90 = row
            counts = replace(Counts(*(int(v) for v in values)), p90_wait_ms=_float(p90))
            found[int(level)][queue if level == 1 else agent] = counts
        return found[0].get(None, Counts()), found[1], found[2]

    def percentiles(self, key: str | None) -> dict[Any, float]:
        """The continuous 90th percentile of the answered calls' waits, per key."""
        if self.postgres:
            group = "" if key is None else f"GROUP BY {key}"
            sql = _PCT_POSTGRES.format(key=key or "NULL", where=self.where, group=group)
        else:
            sql = _PCT_SQLITE.format(key=key or "NULL", where=self.where)
        return {k: float(v) for k, v in self.rows(sql) if v is not None}

    def ranked(self, outcome: str) -> tuple[tuple[str, int], ...]:
        """The most frequent targets of calls with this outcome."""
        sql = (
            f"SELECT outcome_target, count(*) AS n FROM calls WHERE {self.where}"
            f" AND outcome = '{outcome}' AND outcome_target IS NOT NULL GROUP BY outcome_target"
            f" ORDER BY n DESC, outcome_target{self.collate} LIMIT :top"
        )
        return tuple((str(t), int(n)) for t, n in self.rows(sql))

    def searches(self) -> tuple[tuple[str, int], ...]:
        """Search texts without a hit (none, or none it was sure of), most frequent first."""
        sql = (
            f"SELECT query, count(*) AS n FROM call_searches WHERE {self.child_where}"
            f" AND {UNANSWERED_SEARCH} GROUP BY query ORDER BY n DESC, query{self.collate}"
            " LIMIT :top"
        )
        return tuple((str(q), int(n)) for q, n in self.rows(sql))

    def topics(self) -> tuple[TopicFigures, ...]:
        """Every topic of the period with its calls per outcome, most frequent first."""
        sql = (
            f"SELECT article_id, coalesce(outcome, 'open'), count(*) FROM call_topics"
            f" WHERE {self.child_where} GROUP BY article_id, outcome"
        )
        by_article: dict[str, dict[str, int]] = defaultdict(dict)
        for article, outcome, n in self.rows(sql):
            by_article[str(article)][str(outcome)] = int(n)
        found = [TopicFigures(a, sum(o.values()), o) for a, o in by_article.items()]
        return tuple(sorted(found, key=lambda t: (-t.calls, t.article_id)))

    def heatmap(self) -> tuple[HeatCell, ...]:
        """Calls per local weekday and hour."""
        sql = (
            "SELECT offered_dow, offered_hour, count(*), count(answered_at),"
            " coalesce(sum(CASE WHEN answered_at IS NOT NULL AND wait_ms <= :sl THEN 1 ELSE 0"
            f" END), 0) FROM calls WHERE {self.where} GROUP BY offered_dow, offered_hour"
            " ORDER BY offered_dow, offered_hour"
        )
        return tuple(HeatCell(*(int(v) for v in r)) for r in self.rows(sql))

    def trend(self) -> tuple[Day, ...]:
        """Calls per local day."""
        sql = (
            "SELECT offered_day, count(*), count(answered_at),"
            " coalesce(sum(CASE WHEN queue_exit = 'abandoned' THEN 1 ELSE 0 END), 0),"
            " coalesce(sum(CASE WHEN queue_exit = 'abandoned' AND wait_ms < :short THEN 1 ELSE 0"
            " END), 0),"
            " coalesce(sum(CASE WHEN answered_at IS NOT NULL AND wait_ms <= :sl THEN 1 ELSE 0"
            " END), 0),"
            " coalesce(sum(CASE WHEN outcome = 'resolved' THEN 1 ELSE 0 END), 0)"
            f" FROM calls WHERE {self.where} GROUP BY offered_day ORDER BY offered_day"
        )
        return tuple(Day(ReadSession.day(r[0]), *(int(v) for v in r[1:])) for r in self.rows(sql))

    def callbacks(self) -> CallbackFigures:
        """Tickets created in the period: in time, late, overdue now, pending."""
        where = "created_at >= :since AND created_at < :until"
        if "agent" in self.params:
            where += " AND created_by = :agent"
        pending = "status IN ('open', 'in_progress')"
        sql = (
            "SELECT count(*),"
            " coalesce(sum(CASE WHEN status = 'done' AND closed_at <= due_at THEN 1 ELSE 0 END),"
            " 0),"
            " coalesce(sum(CASE WHEN status = 'done' AND closed_at > due_at THEN 1 ELSE 0 END),"
            " 0),"
            f" coalesce(sum(CASE WHEN {pending} AND due_at < :now THEN 1 ELSE 0 END), 0),"
            f" coalesce(sum(CASE WHEN {pending} THEN 1 ELSE 0 END), 0)"
            f" FROM callbacks WHERE {where}"
        )
        return CallbackFigures(*(int(v) for v in self.rows(sql)[0]))


def _grouped(
    q: ReportQuery, name: str, group_by: Collection[str]
) -> tuple[tuple[str | None, Counts], ...]:
    """Counts per value of GROUP_KEYS[name] when asked for; unknown (None) last."""
    if name not in group_by:
        return ()
    found = q.counts(GROUP_KEYS[name])
    return tuple(sorted(found.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def build_report(
    store: SqlStore,
    period: Period,
    *,
    now: datetime,
    targets: Targets | None = None,
    agent_id: str | None = None,
    breakdowns: bool = True,
    grid: SurveyGrid | None = None,
    hours_per_post: float = DEFAULT_HOURS_PER_POST,
    group_by: Collection[str] = (),
) -> Report:
    """Every figure of a period in one read transaction.

    Args:
        store: the call log.
        period: local days, both included.
        now: the report time (decides which call-backs are overdue).
        targets: the service level threshold and the targets (default: 75/30, 65 %).
        agent_id: only this agent's calls (what an agent may see of the figures).
        breakdowns: False skips per queue and per agent (the live screen's agent view).
        grid: the survey's weekdays and time windows (default: the ring's, Mo-Fr 08-18).
        hours_per_post: net hours a full-time post works in a year (cases per post).
        group_by: further breakdowns, keys of GROUP_KEYS (`municipality`, `language`).

    Ratings are left out of a report on one agent (`comparison.satisfaction` is None).
    """
    targets = targets or Targets()
    unknown = sorted(set(group_by) - GROUP_KEYS.keys())
    if unknown:
        raise ValueError(f"cannot group a report by {', '.join(unknown)}")
    with store.read() as read:
        q = ReportQuery(read, period, targets, agent_id, now)
        totals, per_queue, per_agent = q.groups(breakdowns)
        report = Report(
            period=period,
            generated_at=now,
            targets=targets,
            totals=totals,
            agent_id=agent_id,
            per_queue=tuple(sorted(per_queue.items(), key=lambda kv: str(kv[0]))),
            per_agent=tuple(sorted(per_agent.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))),
            per_municipality=_grouped(q, "municipality", group_by),
            per_language=_grouped(q, "language", group_by),
            transfer_targets=q.ranked("transferred"),
            referrals=q.ranked("not_responsible"),
            callbacks=q.callbacks(),
            topics=q.topics(),
            unanswered_searches=q.searches(),
            heatmap=q.heatmap(),
            trend=q.trend(),
            comparison=kpi_comparison.comparison(
                q, grid or SurveyGrid(), hours_per_post, ratings=agent_id is None
            ),
        )
    return report
