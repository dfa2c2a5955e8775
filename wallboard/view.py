"""What the wall shows, as JSON-ready data (pure): live PBX state, today's figures, health.

The page only puts these values on screen (German text, colours and durations are decided
here, tested without a browser). Nothing personal: the live board carries no caller, and
of the call log only counts are used. Live figures are left out (`null`) while the PBX is
not connected, since they could not be current; today's figures stay, marked `stale` with
the time they were read, while the database cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from calllog.report_formats import pct
from calllog.reports import abandonment_rate, fcr_rate, service_level
from calllog.tiles import overdue_state, tile_values
from recorder.live import STATE_LABELS, AgentNow, LiveSnapshot, duration
from telephony.calls import AgentState
from telephony.protocol import ConnectionState
from wallboard.today import Today

#: The wall's tiles in order; the report's ones with labels and colours as on the supervisor
#: screen (`calllog.tiles`), "abandoned" with its rate apart as `detail` (to fit the wall).
TILES = (
    "offered", "answered", "abandoned", "service-level", "fcr", "callbacks-due",
    "callbacks-overdue",
)  # fmt: skip
#: Agent states in the order the wall counts them.
STATE_ORDER = (
    AgentState.AVAILABLE,
    AgentState.RINGING,
    AgentState.ON_CALL,
    AgentState.WRAP_UP,
    AgentState.PAUSED,
    AgentState.UNAVAILABLE,
)
PBX_TEXT = {
    ConnectionState.CONNECTED: "Telefonanlage verbunden",
    ConnectionState.CONNECTING: "Verbinde mit der Telefonanlage …",
}
PBX_GONE = "Telefonanlage nicht erreichbar – keine Live-Werte"
DB_NEVER = "Datenbank nicht erreichbar – keine Tageswerte"


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    """Whether the last read of the call log worked."""

    ok: bool = True
    since: datetime | None = None
    """When it stopped working (None while it works)."""


def board(
    *,
    now: datetime,
    zone: ZoneInfo,
    live: LiveSnapshot | None,
    today: Today | None,
    database: DatabaseHealth,
    stale_after: float = 30.0,
) -> dict[str, Any]:
    """Everything on the wall at `now`; keys are documented in docs/wallboard.md.

    Args:
        live: the PBX right now (None: not known at all).
        today: the last figures read from the call log (None: none yet).
        database: whether the last read worked.
        stale_after: figures read longer ago than this (seconds) count as stale even while
            the database seems fine (a read that hangs).
    """
    pbx_ok = live is not None and live.connected
    today_part = _today(today, database, now, zone, stale_after)
    alerts = [] if pbx_ok else [_pbx_text(live)]
    if today_part is None:
        alerts.append(DB_NEVER)
    elif today_part["stale"]:
        alerts.append(f"Datenbank nicht erreichbar – Tageswerte von {today_part['as_of_local']}")
    return {
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "clock": now.astimezone(zone).strftime("%H:%M"),
        "pbx": {
            "ok": pbx_ok,
            "state": str(live.connection) if live is not None else "unknown",
            "text": PBX_TEXT[ConnectionState.CONNECTED] if pbx_ok else _pbx_text(live),
        },
        "database": {
            "ok": database.ok,
            "since": _iso(database.since),
        },
        "alerts": alerts,
        **_live(live if pbx_ok else None),
        "today": today_part,
    }


def _pbx_text(live: LiveSnapshot | None) -> str:
    if live is not None and live.connection == ConnectionState.CONNECTING:
        return PBX_TEXT[ConnectionState.CONNECTING]
    return PBX_GONE


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _live(live: LiveSnapshot | None) -> dict[str, Any]:
    if live is None:
        return {"waiting": None, "queues": None, "agent_counts": None, "agents": None}
    counts = {state: 0 for state in STATE_ORDER}
    for agent in live.agents:
        counts[agent.state] = counts.get(agent.state, 0) + 1
    return {
        "waiting": {
            "callers": live.waiting,
            "longest_wait_s": _r(live.longest_wait_s, 1),
            "longest_wait": duration(live.longest_wait_s),
        },
        "queues": [
            {
                "queue": q.queue,
                "waiting": q.waiting,
                "longest_wait_s": _r(q.longest_wait_s, 1),
                "longest_wait": duration(q.longest_wait_s),
            }
            for q in live.queues
        ],
        "agent_counts": [
            {"state": str(state), "label": STATE_LABELS[state], "agents": n}
            for state, n in counts.items()
        ],
        "agents": [_agent(a) for a in live.agents],
    }


def _agent(agent: AgentNow) -> dict[str, Any]:
    since = duration(agent.seconds_in_state)
    return {
        "agent": agent.agent_id,
        "state": str(agent.state),
        "label": STATE_LABELS[agent.state],
        "seconds_in_state": _r(agent.seconds_in_state, 1),
        "in_state": since if agent.since_known else f"≥ {since}",
        "since_known": agent.since_known,
        "pause_reason": agent.pause_reason,
        "state_text": state_text(agent),
        "queue": agent.queue,
    }


def state_text(agent: AgentNow) -> str:
    """The state as the wall writes it: "Pause · Mittag" (a break called "Pause" stays "Pause")."""
    label, reason = STATE_LABELS[agent.state], agent.pause_reason
    return f"{label} · {reason}" if reason and reason.casefold() != label.casefold() else label


def _today(
    today: Today | None,
    database: DatabaseHealth,
    now: datetime,
    zone: ZoneInfo,
    stale_after: float,
) -> dict[str, Any] | None:
    if today is None:
        return None
    report, due = today.report, today.due
    totals, targets = report.totals, report.targets
    stale = not database.ok or (now - today.read_at).total_seconds() > stale_after
    return {
        "day": report.period.start.isoformat(),
        "as_of": _iso(today.read_at),
        "as_of_local": today.read_at.astimezone(zone).strftime("%H:%M:%S"),
        "stale": stale,
        "service_level_seconds": targets.service_level_seconds,
        "targets": {"service_level": targets.service_level, "fcr": targets.fcr},
        "offered": totals.offered,
        "answered": totals.answered,
        "abandoned": totals.abandoned,
        "service_level": _r(service_level(totals), 4),
        "fcr_rate": _r(fcr_rate(totals), 4),
        "callbacks_due_today": due.due_today,
        "callbacks_overdue": due.overdue,
        "tiles": _tiles(today),
    }


def _tiles(today: Today) -> list[dict[str, str]]:
    """The tiles in TILES order: id, German label, value, state (and a detail)."""
    totals, due = today.report.totals, today.due
    found: dict[str, dict[str, str]] = {
        tile_id: {"label": label, "value": value, "state": state}
        for tile_id, (label, value, state) in tile_values(today.report).items()
    }
    targets = today.report.targets
    found["abandoned"].update(value=str(totals.abandoned), detail=pct(abandonment_rate(totals)))
    found["service-level"]["detail"] = _target(targets.service_level)
    found["fcr"]["detail"] = _target(targets.fcr)
    found["callbacks-due"] = {"label": "Rückrufe fällig", "value": str(due.due_today),
                              "state": "none"}  # fmt: skip
    found["callbacks-overdue"] = {"label": "Rückrufe überfällig", "value": str(due.overdue),
                                  "state": overdue_state(due.overdue)}  # fmt: skip
    return [{"id": tile_id, **found[tile_id]} for tile_id in TILES]


def _target(share: float) -> str:
    """`Ziel 75 %` (German decimals, no needless zeros)."""
    return f"Ziel {share * 100:.4g} %".replace(".", ",")
