"""Small dialogs: confirm a question, and flag an article for the editors."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from agent_console.widgets.plain import plain


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Enter or J confirms, Esc or N declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,j", "answer(True)", "Ja"),
        Binding("escape,n", "answer(False)", "Nein"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(plain(self.question, multiline=True), id="confirm-question")
            yield Label("Enter/J: Ja   ·   Esc/N: Nein", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


#: Feedback kinds: id, German label.
FEEDBACK_KINDS: tuple[tuple[str, str], ...] = (
    ("outdated", "Veraltet"),
    ("wrong", "Fehlerhaft"),
    ("missing", "Es fehlt etwas"),
)


class FeedbackDialog(ModalScreen[tuple[str, str] | None]):
    """Flag the open article as outdated or wrong with a comment; returns (kind, comment)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "send", "Senden"),
        Binding("escape", "cancel", "Abbrechen"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.article_title = title

    def compose(self) -> ComposeResult:
        """Kind, comment, keys."""
        with Vertical(classes="dialog", id="feedback-dialog"):
            yield Label(plain(f"Artikel melden: {self.article_title}"), classes="dialog-title")
            with RadioSet(id="feedback-kind"):
                for n, (kind, label) in enumerate(FEEDBACK_KINDS):
                    yield RadioButton(label, value=n == 0, id=f"kind-{kind}")
            yield Input(placeholder="Was stimmt nicht? (Pflicht)", id="feedback-comment")
            yield Static("", id="feedback-error", classes="error")
            yield Label("Enter/Strg+S: Senden   ·   Esc: Abbrechen", classes="dialog-keys")

    def on_mount(self) -> None:
        """Start in the comment field."""
        self.query_one("#feedback-comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the comment sends."""
        event.stop()
        self.action_send()

    def action_send(self) -> None:
        """Close with the flag when a comment was written."""
        comment = self.query_one("#feedback-comment", Input).value.strip()
        if not comment:
            self.query_one("#feedback-error", Static).update("Bitte kurz beschreiben, was fehlt.")
            return
        pressed = self.query_one("#feedback-kind", RadioSet).pressed_button
        kind = (pressed.id or "kind-outdated").removeprefix("kind-") if pressed else "outdated"
        self.dismiss((kind, comment))

    def action_cancel(self) -> None:
        """Close without a flag."""
        self.dismiss(None)
