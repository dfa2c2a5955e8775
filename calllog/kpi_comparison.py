"""The comparison ring's aggregates in SQL: survey ratings and staffed time (both backends).

Counts and integer sums only, like `calllog.kpi`; `calllog.comparison` turns them into
figures. Ratings are summed by the local weekday and hour of the call's offer, never read
one by one; staffed time by agent, state and pause reason over the local days of the period.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from calllog.comparison import (
    Comparison,
    RatingCell,
    Satisfaction,
    StaffedTime,
    SurveyGrid,
    staffed_time,
)

if TYPE_CHECKING:
    from calllog.kpi import ReportQuery

_SATISFACTION = "SELECT count(survey_at), " + ", ".join(
    f"coalesce(sum(CASE WHEN survey_rating = {n} THEN 1 ELSE 0 END), 0)" for n in range(1, 6)
)


def satisfaction(q: ReportQuery) -> Satisfaction:
    """Calls handed to the survey and their ratings."""
    offered, *ratings = q.rows(f"{_SATISFACTION} FROM calls WHERE {q.where}")[0]
    return Satisfaction(int(offered), tuple(int(n) for n in ratings))


def rating_cells(q: ReportQuery) -> tuple[RatingCell, ...]:
    """Ratings per local weekday and hour of the offer."""
    sql = (
        "SELECT offered_dow, offered_hour, count(*), sum(survey_rating) FROM calls"
        f" WHERE {q.where} AND survey_rating IS NOT NULL GROUP BY offered_dow, offered_hour"
        " ORDER BY offered_dow, offered_hour"
    )
    return tuple(RatingCell(*(int(v) for v in r)) for r in q.rows(sql))


def staffed(q: ReportQuery) -> tuple[StaffedTime, tuple[tuple[str, StaffedTime], ...]]:
    """Staffed time of everyone (or the report's agent), and of each agent."""
    where = "day >= :first AND day <= :last"
    if "agent" in q.params:
        where += " AND agent_id = :agent"
    sql = (
        "SELECT agent_id, state, coalesce(reason, ''), coalesce(sum(ms), 0) FROM staffed_time"
        f" WHERE {where} GROUP BY agent_id, state, reason"
    )
    rows = q.rows(sql)
    per_agent: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for agent, state, reason, ms in rows:
        per_agent[str(agent)].append((str(state), str(reason), int(ms)))
    total = staffed_time([r for found in per_agent.values() for r in found])
    return total, tuple((a, staffed_time(r)) for a, r in sorted(per_agent.items()))


def comparison(
    q: ReportQuery, grid: SurveyGrid, hours_per_post: float, *, ratings: bool
) -> Comparison:
    """Every comparison figure of the report's period; ratings only when `ratings`."""
    total, per_agent = staffed(q)
    return Comparison(
        satisfaction=satisfaction(q) if ratings else None,
        ratings=rating_cells(q) if ratings else (),
        grid=grid,
        staffed=total,
        per_agent=per_agent,
        hours_per_post=hours_per_post,
    )
