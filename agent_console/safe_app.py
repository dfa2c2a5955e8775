"""SafeApp, the base of Lotse's Textual apps: plain notifications, crash reports without locals."""

from __future__ import annotations

import io
import sys

import rich
from rich.console import Console
from rich.text import Text
from rich.traceback import Traceback
from textual.app import App
from textual.notifications import SeverityLevel

from kb.safe_text import terminal_safe


class SafeApp(App[None]):
    """An App whose notifications are literal text and whose crash report shows no locals.

    Notifications often quote outside text (an office name, a PBX or database error), so they
    are never read as markup and pass the terminal-safe rule. Textual's own crash report shows
    every frame's local variables, which may hold the AMI secret, a database URL with its
    password or callers' data; `_fatal_error` (Textual's hook for it) is replaced by one
    without locals, as plain text.
    """

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification; `message` and `title` are shown literally (`markup` is ignored)."""
        super().notify(
            terminal_safe(message, multiline=True),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, reporting it without local variables."""
        error = sys.exception() or self._exception
        self.bell()
        if error is not None:
            report = Console(file=io.StringIO(), width=self.console.width or 100, color_system=None)
            report.print(
                Traceback.from_exception(
                    type(error), error, error.__traceback__, show_locals=False, suppress=[rich]
                )
            )
            text = report.file.getvalue()  # type: ignore[attr-defined]
            self._exit_renderables.append(Text(terminal_safe(text, multiline=True)))
        self._close_messages_no_wait()
