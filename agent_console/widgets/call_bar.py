"""The call bar: agent state, PBX connection, caller, call timer and the queue at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from agent_console.screens.session import clock_text
from kb.safe_text import terminal_safe


@dataclass(frozen=True)
class CallBarView:
    """Everything the call bar shows; the screen builds it and sets `CallBar.view`."""

    agent: str = "Unbekannt"
    agent_class: str = "idle"
    """`idle`, `ringing`, `talking`, `wrapup`, `paused`."""
    pbx_ok: bool = False
    pbx_text: str = "Telefonanlage: verbinde …"
    caller: str = ""
    waited: int | None = None
    """Seconds the current caller waited in the queue."""
    talk: float | None = None
    """Seconds since the call was answered (or wrap-up began)."""
    timer_label: str = "Gespräch"
    waiting: int = 0
    longest: float | None = None
    callbacks_due: int = 0
    extra: str = ""
    """A running action, e.g. "Rückfrage mit 2002"."""
    place: str = ""
    """Whose call it is and the caller's language, e.g. "Beispielheim · Sprache: Türkisch"
    (without a call: the municipality the console serves; "" for a one-town KB)."""


class CallBar(Widget):
    """Two lines at the top of the console; purely a view of `view`."""

    view: reactive[CallBarView] = reactive(CallBarView, layout=False)
    """What to show (set by the screen)."""

    def watch_view(self, old: CallBarView, new: CallBarView) -> None:
        """Switch the state class so the TCSS colours the bar."""
        self.set_class(True, f"-{new.agent_class}")
        if old.agent_class != new.agent_class:
            self.set_class(False, f"-{old.agent_class}")

    def render(self) -> Text:
        """Line 1: state, caller, timers. Line 2: PBX, queue, call-backs.

        Caller, agent state (with the PBX's pause reason) and the running action come from
        outside and are shown terminal-safe.
        """
        v = self.view
        line = Text()
        line.append(f" {terminal_safe(v.agent)} ", style="bold reverse")
        if v.caller:
            line.append(f"  {terminal_safe(v.caller)}", style="bold")
            if v.waited is not None:
                line.append(f"  ·  gewartet {clock_text(v.waited)}")
        if v.place:
            line.append(f"  ·  {terminal_safe(v.place)}", style="bold cyan")
        if v.talk is not None:
            line.append(f"  ·  {v.timer_label} {clock_text(v.talk)}", style="bold")
        if v.extra:
            line.append(f"  ·  {terminal_safe(v.extra)}", style="bold italic")
        line.append("\n")
        line.append(" ● " if v.pbx_ok else " ✖ ", style="green" if v.pbx_ok else "red bold")
        line.append(terminal_safe(v.pbx_text))
        longest = f", längste Wartezeit {clock_text(v.longest)}" if v.longest is not None else ""
        line.append(f"  ·  Warteschlange: {v.waiting} wartend{longest}")
        if v.callbacks_due:
            line.append(f"  ·  Rückrufe fällig: {v.callbacks_due}", style="bold")
        return line
