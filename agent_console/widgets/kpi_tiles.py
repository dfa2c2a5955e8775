"""KPI tiles: one headline figure each, coloured against the service promise's targets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from calllog.report_formats import pct, secs
from calllog.reports import (
    Report,
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

#: Tile ids in display order (two rows of nine).
TILE_IDS = (
    "offered", "answered", "no-outcome", "service-level", "fcr", "abandoned", "transfers",
    "referrals", "callbacks-overdue", "avg-wait", "p90-wait", "avg-talk", "avg-wrapup", "aht",
    "callbacks-promised", "callbacks-in-time", "callbacks-pending",
)  # fmt: skip


def tile_values(report: Report) -> dict[str, tuple[str, str, str]]:
    """Tile id -> (German label, value, state `ok`/`warn`/`bad`/`none`)."""
    t, tg, cb = report.totals, report.targets, report.callbacks
    sl, fcr = service_level(t), fcr_rate(t)
    return {
        "offered": ("Angeboten", str(t.offered), "none"),
        "answered": ("Angenommen", str(t.answered), "none"),
        "no-outcome": ("ohne Ergebnis", str(t.no_outcome), "warn" if t.no_outcome else "none"),
        "service-level": (f"SL {tg.service_level_seconds} s", pct(sl),
                          target_state(sl, tg.service_level, tg.warn_margin)),
        "fcr": ("Erstlösung", pct(fcr), target_state(fcr, tg.fcr, tg.warn_margin)),
        "abandoned": ("Aufgelegt", f"{t.abandoned} ({pct(abandonment_rate(t))})", "none"),
        "transfers": ("Weiterleit.", pct(transfer_rate(t)), "none"),
        "referrals": ("Verweise", str(t.referrals), "none"),
        "callbacks-overdue": ("überfällig", str(cb.overdue),
                              "bad" if cb.overdue else "ok"),
        "avg-wait": ("Warten Ø", secs(avg_wait_s(t)), "none"),
        "p90-wait": ("Warten 90%", secs(p90_wait_s(t)), "none"),
        "avg-talk": ("Gespräch Ø", secs(avg_talk_s(t)), "none"),
        "avg-wrapup": ("Nacharb. Ø", secs(avg_wrapup_s(t)), "none"),
        "aht": ("AHT Ø", secs(aht_s(t)), "none"),
        "callbacks-promised": ("Rückrufe", str(cb.promised), "none"),
        "callbacks-in-time": ("rechtzeitig", str(cb.in_time), "none"),
        "callbacks-pending": ("offen", str(cb.pending), "none"),
    }  # fmt: skip


class KpiTile(Static):
    """One figure with its label; the `-ok`, `-warn` or `-bad` class colours it."""

    def show(self, label: str, value: str, state: str) -> None:
        """Show a figure and its state against the target."""
        self.update(f"{label}\n[b]{value}[/b]")
        for name in ("ok", "warn", "bad"):
            self.set_class(state == name, f"-{name}")


class KpiTiles(Grid):
    """The headline figures of a report as tiles."""

    def compose(self) -> ComposeResult:
        """One tile per figure."""
        for tile_id in TILE_IDS:
            yield KpiTile("", id=f"tile-{tile_id}", classes="kpi-tile")

    def show(self, report: Report) -> None:
        """Update every tile from a report."""
        for tile_id, (label, value, state) in tile_values(report).items():
            self.query_one(f"#tile-{tile_id}", KpiTile).show(label, value, state)
