"""Charts for the supervisor screen: calls per day as bars, weekday x hour as a heat map."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from calllog.report_formats import WEEKDAYS
from calllog.reports import Day, HeatCell, heat_grid, hours_span, service_level

BARS = " ▁▂▃▄▅▆▇█"
#: Heat map shades, from no calls to the busiest hour.
SHADES = ("#1c2530", "#17324d", "#1a4a73", "#1f6199", "#2b7bc0", "#4a98dc", "#7db7ec", "#b9d8f6")


def bar_line(values: list[int]) -> str:
    """One block character per value, scaled to the largest."""
    top = max(values, default=0)
    if not top:
        return " " * len(values)
    return "".join(BARS[round(v / top * (len(BARS) - 1))] for v in values)


class TrendChart(Static):
    """Calls offered per day (bars) with the first and last day and the busiest day."""

    def show(self, days: tuple[Day, ...]) -> None:
        """Draw the trend of a report."""
        if not days:
            self.update("Anrufe pro Tag\n(keine Anrufe im Zeitraum)")
            return
        width = max(1, self.size.width - 2) if self.size.width else 60
        shown = days[-width:]
        busiest = max(shown, key=lambda d: d.offered)
        text = Text("Anrufe pro Tag\n", style="bold")
        text.append(bar_line([d.offered for d in shown]) + "\n", style="#4a98dc")
        sl = [service_level(d) or 0.0 for d in shown]
        text.append(bar_line([round(v * 100) for v in sl]) + "\n", style="#66bb6a")
        text.append(
            f"{shown[0].day:%d.%m.} – {shown[-1].day:%d.%m.} · blau: Anrufe · grün: SL · "
            f"Spitze {busiest.offered} am {busiest.day:%d.%m.}",
            style="dim",
        )
        self.update(text)


class HeatMap(Static):
    """Calls by weekday (rows) and hour (columns); brighter = more calls."""

    def show(self, cells: tuple[HeatCell, ...]) -> None:
        """Draw the heat map of a report."""
        grid = heat_grid(cells)
        hours = hours_span(cells)
        top = max(grid.values(), default=0)
        text = Text("Wochentag × Stunde\n", style="bold")
        text.append("    " + "".join(f"{h:>3}" for h in hours) + "\n", style="dim")
        for row, name in enumerate(WEEKDAYS, start=1):
            text.append(f"{name:<4}")
            for hour in hours:
                n = grid.get((row, hour), 0)
                shade = SHADES[0] if not n else SHADES[1 + round(n / top * (len(SHADES) - 2))]
                text.append("   ", style=f"on {shade}")
            text.append("\n")
        text.append(f"Spitze: {top} Anrufe pro Stunde", style="dim")
        self.update(text)
