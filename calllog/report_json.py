"""A report as JSON-ready data with stable keys (documented in the README; never renamed)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from calllog.comparison import comparison_json
from calllog.reports import (
    Counts,
    Report,
    abandonment_rate,
    aht_s,
    avg_talk_s,
    avg_wait_s,
    avg_wrapup_s,
    fcr_rate,
    p90_wait_s,
    service_level,
    transfer_rate,
)


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def figures(c: Counts) -> dict[str, Any]:
    """The headline figures of a set of calls, with stable keys."""
    return {
        "offered": c.offered,
        "answered": c.answered,
        "answered_no_outcome": c.no_outcome,
        "abandoned": c.abandoned,
        "abandoned_short": c.abandoned_short,
        "abandonment_rate": _r(abandonment_rate(c), 4),
        "service_level": _r(service_level(c), 4),
        "fcr_rate": _r(fcr_rate(c), 4),
        "transfer_rate": _r(transfer_rate(c), 4),
        "referrals_count": c.referrals,
        "callbacks_count": c.callbacks,
        "avg_wait_s": _r(avg_wait_s(c), 1),
        "p90_wait_s": _r(p90_wait_s(c), 1),
        "avg_talk_s": _r(avg_talk_s(c), 1),
        "avg_wrapup_s": _r(avg_wrapup_s(c), 1),
        "aht_s": _r(aht_s(c), 1),
    }


def to_json(report: Report, top: int = 10) -> dict[str, Any]:
    """The report as JSON-ready data; keys are documented in the README and never renamed."""
    cb = report.callbacks
    data: dict[str, Any] = {
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "generated_at": report.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "agent": report.agent_id,
        "service_level_seconds": report.targets.service_level_seconds,
        "targets": {"service_level": report.targets.service_level, "fcr": report.targets.fcr},
        **figures(report.totals),
        "top_transfer_targets": [{"target": t, "calls": n} for t, n in report.transfer_targets],
        "referrals": [{"authority": t, "calls": n} for t, n in report.referrals],
        "callbacks_promised": cb.promised,
        "callbacks_in_time": cb.in_time,
        "callbacks_late": cb.late,
        "callbacks_overdue": cb.overdue,
        "callbacks_pending": cb.pending,
        "top_topics": [
            {
                "article_id": t.article_id,
                "calls": t.calls,
                "outcomes": dict(sorted(t.outcomes.items())),
            }
            for t in report.topics[:top]
        ],
        "unanswered_searches": [{"query": q, "count": n} for q, n in report.unanswered_searches],
        "heatmap": [
            {"weekday": h.weekday, "hour": h.hour, "offered": h.offered, "answered": h.answered}
            for h in report.heatmap
        ],
        "trend": [
            {
                "day": d.day.isoformat(),
                "offered": d.offered,
                "answered": d.answered,
                "abandoned": d.abandoned,
                "service_level": _r(service_level(d), 4),
            }
            for d in report.trend
        ],
        "per_queue": [{"queue": q, **figures(c)} for q, c in report.per_queue],
        "per_agent": [{"agent": a, **figures(c)} for a, c in report.per_agent],
        "per_municipality": [{"municipality": m, **figures(c)} for m, c in report.per_municipality],
        "per_language": [{"language": lang, **figures(c)} for lang, c in report.per_language],
        **comparison_json(report.comparison, report.totals.answered, report.totals.qualified),
    }
    return data
