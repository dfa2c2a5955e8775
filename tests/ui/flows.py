"""Pilot helpers for whole-shift tests: answer, search, wrap up, on the simulator over TCP."""

from __future__ import annotations

from typing import Any

from textual.widgets import RadioButton

from agent_console.app import AgentConsoleApp
from agent_console.screens.console import ConsoleScreen
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.widgets.article_view import ArticleView
from calllog.models import AttemptResult, Outcome
from telephony.protocol import ConnectionState
from telephony.sim import PbxSimulator

from .conftest import wait_until


def console(app: AgentConsoleApp) -> ConsoleScreen:
    """The main screen."""
    return app.console_screen


async def connected(pilot: Any, app: AgentConsoleApp) -> None:
    """Wait until the console talks to the PBX."""
    await wait_until(pilot, lambda: console(app).pbx_state == ConnectionState.CONNECTED)


async def answered(pilot: Any, app: AgentConsoleApp, sim: PbxSimulator, number: str,
                   name: str = "Max Mustermann") -> str:  # fmt: skip
    """Offer a call and wait until it is answered at this console; returns its id."""
    await connected(pilot, app)
    call = sim.offer_call(number, name)
    screen = console(app)
    await wait_until(pilot, lambda: screen.session is not None
                     and screen.session.call_id == call.linkedid
                     and screen.session.answered_at is not None)  # fmt: skip
    return call.linkedid


async def search_and_open(pilot: Any, app: AgentConsoleApp, text: str, article_id: str) -> None:
    """F2, type a query, wait for the hit, Enter."""
    screen = console(app)
    await pilot.press("f2", *text)
    await wait_until(pilot, lambda: bool(screen.hits) and screen.hits[0].id == article_id)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.query_one(ArticleView).article_id == article_id)


async def wrapup(pilot: Any, app: AgentConsoleApp) -> WrapUpScreen:
    """Wait for the wrap-up form."""
    await wait_until(pilot, lambda: isinstance(app.screen, WrapUpScreen)
                     and app.screen.is_mounted
                     and bool(app.screen.query("#outcome-not_responsible")))  # fmt: skip
    screen = app.screen
    assert isinstance(screen, WrapUpScreen)
    return screen


def choose(screen: WrapUpScreen, outcome: Outcome | None = None,
           attempt: AttemptResult | None = None) -> None:  # fmt: skip
    """Tick an outcome (and a call-back result) as a click would."""
    if attempt is not None:
        screen.query_one(f"#attempt-{attempt.value}", RadioButton).value = True
    if outcome is not None:
        screen.query_one(f"#outcome-{outcome.value}", RadioButton).value = True


async def save(pilot: Any, app: AgentConsoleApp) -> None:
    """F10 and wait until the form is gone."""
    await pilot.press("f10")
    await wait_until(pilot, lambda: not isinstance(app.screen, WrapUpScreen))
