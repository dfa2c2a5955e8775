"""Small dialogs: confirm a question, choose a pause, flag an article for the editors.

A dialog opened for a call is `CallBound`: when its call ends it closes (or, when
closing would lose what the agent typed, says the call is gone) and can do nothing
to the next caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from agent_console.widgets.field import Field
from agent_console.widgets.plain import plain


class CallBound(ModalScreen[Any]):
    """A modal dialog that belongs to one call (`call_id`)."""

    def __init__(self, call_id: str = "") -> None:
        super().__init__()
        self.call_id = call_id
        """The call this dialog acts on ("" for none)."""
        self.gone = False
        """The call has ended: the dialog acts on nothing any more."""

    def call_gone(self) -> None:
        """The call ended: close now when on top, else as soon as the agent gets back to it."""
        self.gone = True
        if self.app.screen is self:
            self.close_gone()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back on top after the call ended (e.g. after its wrap-up): close."""
        if self.gone:
            self.close_gone()

    def close_gone(self) -> None:
        """Close without a result (dialogs holding typed text override this)."""
        self.dismiss(None)


class ConfirmDialog(CallBound):
    """A yes/no question; Enter or J confirms, Esc or N declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,j", "answer(True)", "Ja"),
        Binding("escape,n", "answer(False)", "Nein"),
    ]

    def __init__(self, question: str, call_id: str = "") -> None:
        super().__init__(call_id)
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys."""
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(plain(self.question, multiline=True), id="confirm-question")
            yield Label("Enter/J: Ja   ·   Esc/N: Nein", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer (no once the call it asked about is gone)."""
        self.dismiss(yes and not self.gone)


class PauseDialog(ModalScreen[str | None]):
    """Choose a pause reason (from the settings); during a call it applies after the call."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f8", "cancel", "Abbrechen")]

    def __init__(self, reasons: Sequence[str], after_call: bool) -> None:
        super().__init__()
        self.reasons = list(reasons)
        self.after_call = after_call

    def compose(self) -> ComposeResult:
        """The reasons and the keys."""
        title = "Pause nach diesem Gespräch – Grund:" if self.after_call else "Pause – Grund:"
        with Vertical(classes="dialog", id="pause-dialog"):
            yield Label(title, classes="dialog-title")
            yield OptionList(*(Option(r, id=f"reason-{n}") for n, r in enumerate(self.reasons)),
                             id="pause-reasons")  # fmt: skip
            yield Label("Enter: wählen   ·   Esc: abbrechen", classes="dialog-keys")

    def on_mount(self) -> None:
        """The first reason is highlighted."""
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter chooses the reason."""
        event.stop()
        self.dismiss(self.reasons[event.option_index])

    def action_cancel(self) -> None:
        """No pause."""
        self.dismiss(None)


#: Feedback kinds: id, German label.
FEEDBACK_KINDS: tuple[tuple[str, str], ...] = (
    ("outdated", "Veraltet"),
    ("wrong", "Fehlerhaft"),
    ("missing", "Es fehlt etwas"),
)


class FeedbackDialog(CallBound):
    """Flag the open article as outdated or wrong with a comment; returns (kind, comment).

    When the call it was opened in ends, an empty dialog closes; one with a comment stays
    (it is the agent's text) and says so; the flag keeps the call it was raised in.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "send", "Senden"),
        Binding("escape", "cancel", "Abbrechen"),
    ]

    def __init__(self, title: str, call_id: str = "") -> None:
        super().__init__(call_id)
        self.article_title = title

    def compose(self) -> ComposeResult:
        """Kind, comment, keys."""
        with Vertical(classes="dialog", id="feedback-dialog"):
            yield Label(plain(f"Artikel melden: {self.article_title}"), classes="dialog-title")
            with RadioSet(id="feedback-kind"):
                for n, (kind, label) in enumerate(FEEDBACK_KINDS):
                    yield RadioButton(label, value=n == 0, id=f"kind-{kind}")
            yield Field(placeholder="Was stimmt nicht? (Pflicht)", id="feedback-comment")
            yield Static("", id="feedback-error", classes="error")
            yield Label("Enter/Strg+S: Senden   ·   Esc: Abbrechen", classes="dialog-keys")

    def on_mount(self) -> None:
        """Start in the comment field."""
        self.query_one("#feedback-comment", Input).focus()

    def close_gone(self) -> None:
        """Close when nothing was typed; else keep the comment and say the call has ended."""
        if not self.query_one("#feedback-comment", Input).value.strip():
            self.dismiss(None)
            return
        title = self.query_one(".dialog-title", Label)
        title.update(f"Artikel melden: {self.article_title} (Anruf beendet)")

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
