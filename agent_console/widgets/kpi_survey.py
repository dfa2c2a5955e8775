"""The caller survey on the supervisor screen: mean rating by weekday and time window."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from calllog.comparison import Comparison
from calllog.comparison_formats import WEEKDAYS, num, percent

#: Colours of a cell's mean rating (5 = sehr zufrieden): good, middling, poor.
_GOOD, _MIDDLING, _POOR = "#66bb6a", "#ffca28", "#ef5350"


def _style(mean: float) -> str:
    return _GOOD if mean >= 4 else _MIDDLING if mean >= 3 else _POOR


class SatisfactionGrid(Static):
    """Mean rating (1-5) per weekday and window of the grid; a dot where nobody answered."""

    def show(self, comparison: Comparison) -> None:
        """Draw the grid of a report (a report on one agent has no ratings)."""
        s = comparison.satisfaction
        text = Text("Zufriedenheit (Umfrage)\n", style="bold")
        if s is None:
            text.append("nicht je Agent", style="dim")
            self.update(text)
            return
        windows = comparison.grid.windows
        text.append("    " + "".join(f"{w.label:>6}" for w in windows) + "\n", style="dim")
        rows = comparison.grid_rows()
        for day in comparison.grid.weekdays:
            text.append(f"{WEEKDAYS[day - 1]:<4}")
            for cell in (r for r in rows if r.weekday == day):
                if cell.mean is None:
                    text.append(f"{'·':>6}", style="dim")
                else:
                    text.append(f"{num(cell.mean, 1):>6}", style=_style(cell.mean))
            text.append("\n")
        mean = "–" if s.mean is None else num(s.mean, 1)
        text.append(f"Ø {mean} · {s.responses} Antworten · Quote {percent(s.response_rate)}",
                    style="dim")  # fmt: skip
        self.update(text)
