"""The caller's earlier calls in the last 30 days: a repeat caller is visible at once."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from agent_console.labels import outcome_label
from agent_console.screens.session import HISTORY_DAYS
from calllog.models import CallRecord
from kb.safe_text import terminal_safe

_BERLIN = ZoneInfo("Europe/Berlin")


def history_text(records: Sequence[CallRecord], titles: dict[str, str]) -> Text:
    """German summary of earlier calls, newest first."""
    text = Text()
    if not records:
        text.append(f"Keine früheren Anrufe in den letzten {HISTORY_DAYS} Tagen.", style="dim")
        return text
    text.append(f"Wiederholter Anrufer: {len(records)} Anruf(e) in {HISTORY_DAYS} Tagen\n",
                style="bold yellow")  # fmt: skip
    for record in records[:5]:
        when = record.offered_at.astimezone(_BERLIN).strftime("%d.%m. %H:%M")
        outcome = outcome_label(record.outcome)
        topics = ", ".join(titles.get(t.article_id, t.article_id) for t in record.topics)
        text.append(f" {when}  {outcome}")
        if topics:
            text.append(f" – {terminal_safe(topics)}", style="italic")
        text.append("\n")
    return text


class CallerHistory(Static):
    """Shows `history_text` for the current caller; hidden between calls."""

    def show(self, records: Sequence[CallRecord], titles: dict[str, str]) -> None:
        """Display the earlier calls."""
        self.update(history_text(records, titles))
        self.set_class(bool(records), "-repeat")
        self.display = True

    def show_loading(self) -> None:
        """Placeholder while the call log is asked."""
        self.update(Text("Frühere Anrufe werden gesucht …", style="dim"))
        self.set_class(False, "-repeat")
        self.display = True
