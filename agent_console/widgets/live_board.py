"""The "jetzt" panel: callers waiting, the longest wait and every agent's state, from the PBX.

Agent ids, queue names and pause reasons come from the PBX: they are shown as plain,
terminal-safe text (`widgets.plain`), never read as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from agent_console.widgets.plain import PlainTable, plain
from recorder.live import STATE_LABELS, AgentNow, LiveSnapshot, duration

__all__ = ["LiveBoardPanel", "agent_row", "duration", "summary"]


def summary(snapshot: LiveSnapshot) -> str:
    """One line: who waits how long, per queue when there are several (German)."""
    if not snapshot.connected:
        return "Jetzt: Telefonanlage nicht erreichbar – keine Live-Werte"
    if not snapshot.waiting:
        head = "Jetzt: niemand wartet"
    else:
        callers = "1 Anrufer wartet" if snapshot.waiting == 1 else f"{snapshot.waiting} warten"
        head = f"Jetzt: {callers}, am längsten {duration(snapshot.longest_wait_s)}"
    if len(snapshot.queues) > 1:
        head += " · " + ", ".join(
            f"{q.queue} {q.waiting}" + (f" ({duration(q.longest_wait_s)})" if q.waiting else "")
            for q in snapshot.queues
        )
    return head


def agent_row(agent: AgentNow) -> tuple[str, str, str, str]:
    """Agent, state, time in state ("≥" when it began before the panel watched), reason."""
    since = duration(agent.seconds_in_state)
    return (
        agent.agent_id,
        STATE_LABELS[agent.state],
        since if agent.since_known else f"≥ {since}",
        agent.pause_reason,
    )


class LiveBoardPanel(Vertical):
    """Shows a `LiveSnapshot`; the screen owning it feeds new ones."""

    def compose(self) -> ComposeResult:
        """A summary line over the agents' table."""
        yield Label("Jetzt: …", id="now-summary")
        yield PlainTable(id="now-agents", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        """The table's columns."""
        self.query_one(PlainTable).add_columns("Agent", "Zustand", "seit", "Grund")

    def show(self, snapshot: LiveSnapshot) -> None:
        """Put a snapshot on screen."""
        self.query_one("#now-summary", Label).update(plain(summary(snapshot)))
        table = self.query_one(PlainTable)
        table.clear()
        for agent in snapshot.agents if snapshot.connected else ():
            table.add_row(*agent_row(agent))
