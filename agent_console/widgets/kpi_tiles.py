"""KPI tiles: one headline figure each, coloured against the service promise's targets.

Labels, values and colours come from `calllog.tiles` (shared with the wallboard); the third
row, the KGSt comparison ring's figures, from `calllog.comparison_formats`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from calllog.comparison_formats import comparison_tiles
from calllog.reports import Report
from calllog.tiles import tile_values

__all__ = ["TILE_IDS", "KpiTile", "KpiTiles", "tile_values"]

#: Tile ids in display order (three rows of eight; the last row: the comparison ring's).
TILE_IDS = (
    "offered", "answered", "no-outcome", "service-level", "fcr", "abandoned", "transfers",
    "referrals", "callbacks-overdue", "avg-wait", "p90-wait", "avg-talk", "avg-wrapup", "aht",
    "callbacks-promised", "callbacks-in-time", "callbacks-pending", "satisfaction",
    "qualified", "settled", "staffed", "occupancy", "cases-per-hour", "cases-per-post",
)  # fmt: skip


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
        for tile_id, (label, value, state) in {
            **tile_values(report),
            **comparison_tiles(report),
        }.items():
            self.query_one(f"#tile-{tile_id}", KpiTile).show(label, value, state)
