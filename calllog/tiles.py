"""The headline figures as tiles: German label, value and state against the targets (pure).

One rule for every screen that colours figures: the supervisor's tiles
(`agent_console.widgets.kpi_tiles`) and the wallboard (`wallboard.view`) both read it, so
green, orange and red mean the same everywhere (`calllog.reports.target_state`).
"""

from __future__ import annotations

from calllog.report_formats import pct, secs
from calllog.reports import (
    Report,
    State,
    abandonment_rate,
    aht_s,
    avg_talk_s,
    avg_wait_s,
    avg_wrapup_s,
    fcr_rate,
    p90_wait_s,
    service_level,
    target_state,
    transfer_rate,
)

#: A tile: (German label, value as shown, state `ok`/`warn`/`bad`/`none`).
Tile = tuple[str, str, State]


def overdue_state(overdue: int) -> State:
    """Call-backs past their due time: red as soon as there is one, else green."""
    return "bad" if overdue else "ok"


def no_outcome_state(no_outcome: int) -> State:
    """Answered calls nobody wrote a wrap-up for: orange when there are any."""
    return "warn" if no_outcome else "none"


def tile_values(report: Report) -> dict[str, Tile]:
    """Tile id -> (German label, value, state) of a report's headline figures."""
    t, tg, cb = report.totals, report.targets, report.callbacks
    sl, fcr = service_level(t), fcr_rate(t)
    return {
        "offered": ("Angeboten", str(t.offered), "none"),
        "answered": ("Angenommen", str(t.answered), "none"),
        "no-outcome": ("ohne Ergebnis", str(t.no_outcome), no_outcome_state(t.no_outcome)),
        "service-level": (f"SL {tg.service_level_seconds} s", pct(sl),
                          target_state(sl, tg.service_level, tg.warn_margin)),
        "fcr": ("Erstlösung", pct(fcr), target_state(fcr, tg.fcr, tg.warn_margin)),
        "abandoned": ("Aufgelegt", f"{t.abandoned} ({pct(abandonment_rate(t))})", "none"),
        "transfers": ("Weiterleit.", pct(transfer_rate(t)), "none"),
        "referrals": ("Verweise", str(t.referrals), "none"),
        "callbacks-overdue": ("überfällig", str(cb.overdue), overdue_state(cb.overdue)),
        "avg-wait": ("Warten Ø", secs(avg_wait_s(t)), "none"),
        "p90-wait": ("Warten 90%", secs(p90_wait_s(t)), "none"),
        "avg-talk": ("Gespräch Ø", secs(avg_talk_s(t)), "none"),
        "avg-wrapup": ("Nacharb. Ø", secs(avg_wrapup_s(t)), "none"),
        "aht": ("AHT Ø", secs(aht_s(t)), "none"),
        "callbacks-promised": ("Rückrufe", str(cb.promised), "none"),
        "callbacks-in-time": ("rechtzeitig", str(cb.in_time), "none"),
        "callbacks-pending": ("offen", str(cb.pending), "none"),
    }  # fmt: skip
