"""A municipality's own number and the caller's language choice reach the queue's events.

Against a real Asterisk the dialplan of language_dialplan.py is added at run time; the
simulator serves the same. The citizen's key goes to the `;2` half with PlayDTMF, as the
survey's does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from agent_console.commands.telephony import _describe
from telephony.bridge import AmiBridge
from telephony.calls import CallState
from telephony.parse import Frame, read_trace
from telephony.protocol import CallChanged
from tests.integration.telephony.conftest import Driver, Target, call_from, until
from tests.integration.telephony.language_dialplan import add_language_dialplan
from tests.integration.telephony.test_wire_fidelity import TRACES, Recorder, recorder

__all__ = ["recorder"]  # the fixture


@pytest.fixture
async def dialplan(pbx: Target, recorder: Recorder) -> AsyncIterator[None]:
    """The municipalities' numbers on a real Asterisk (the simulator has them built in)."""
    if pbx.sim is None:
        await add_language_dialplan(recorder.session)
    yield


def _joined(number: str) -> object:
    return lambda f: f.name == "QueueCallerJoin" and f.get("CallerIDNum") == number


async def _caller_in_choice(recorder: Recorder, number: str) -> str:
    """The caller's `;1` channel once it runs the language choice (its Newchannel)."""
    created = await recorder.wait(
        lambda f: f.name == "Newchannel" and f.get("Channel").startswith(f"Local/{number}@")
        and f.get("Channel").endswith(";1")
    )  # fmt: skip
    return created.get("Channel")


async def test_a_key_in_the_language_choice_sets_the_language_of_the_queue_call(
    recorder: Recorder, dialplan: None
) -> None:
    number = "02341150201"
    await recorder.act(
        "Originate", Channel=f"Local/{number}@citizen-phone/n", Context="inbound",
        Exten="1150002", Priority="1", CallerID=f'"Ayşe Yılmaz" <{number}>', Async="true",
    )  # fmt: skip
    caller = await _caller_in_choice(recorder, number)
    await recorder.wait(lambda f: f.name == "Newstate" and f.get("Channel") == caller
                        and f.get("ChannelState") == "6")  # fmt: skip
    await recorder.act("PlayDTMF", Channel=caller[:-1] + "2", Digit="2", Duration="120")
    join: Frame = await recorder.wait(_joined(number))  # type: ignore[arg-type]
    assert (join.get("Exten"), join.get("Language"), join.get("Context")) == (
        "1150002", "tr", "inbound",
    )  # fmt: skip
    _, recorded = read_trace((TRACES / "abandoned_in_queue.ami").read_bytes())
    wanted = next(f for f in recorded if f.name == "QueueCallerJoin")
    assert [k for k, _ in join.pairs] == [k for k, _ in wanted.pairs]  # Asterisk 22's fields
    await recorder.act("Hangup", Channel=caller)


async def test_without_a_key_the_channel_keeps_the_pbx_default_language(
    recorder: Recorder, dialplan: None
) -> None:
    number = "02341150202"
    await recorder.act(
        "Originate", Channel=f"Local/{number}@citizen-phone/n", Context="inbound",
        Exten="1150003", Priority="1", CallerID=f'"Max Still" <{number}>', Async="true",
    )  # fmt: skip
    join: Frame = await recorder.wait(_joined(number), timeout=20)  # type: ignore[arg-type]
    assert (join.get("Exten"), join.get("Language")) == ("1150003", "en")
    await recorder.act("Hangup", Channel=join.get("Channel"))


async def test_the_bridge_keeps_the_number_dialled_and_the_language_on_the_call(
    bridge: AmiBridge, driver: Driver, recorder: Recorder, dialplan: None
) -> None:
    await driver.place_call("02341150203", "Olena Kovalenko", exten="1150002")
    caller = await _caller_in_choice(recorder, "02341150203")
    await recorder.wait(lambda f: f.name == "Newstate" and f.get("Channel") == caller
                        and f.get("ChannelState") == "6")  # fmt: skip
    await driver.press(caller, "3")
    call = await until(bridge, call_from(bridge, "02341150203", CallState.CONNECTED))
    assert (call.dialled, call.language) == ("1150002", "uk")
    await driver.place_call("02341150204", "Erika Haupt")
    main = await until(bridge, call_from(bridge, "02341150204"))
    assert (main.dialled, main.language) == ("115", "en")
    for channel in (call.caller_channel, main.caller_channel):
        await driver.hangup(channel)


async def test_pbx_monitor_names_the_number_dialled_and_the_language(
    bridge: AmiBridge, driver: Driver, recorder: Recorder, dialplan: None
) -> None:
    await driver.place_call("02341150205", "Zeynep Kaya", exten="1150003")
    caller = await _caller_in_choice(recorder, "02341150205")
    await recorder.wait(lambda f: f.name == "Newstate" and f.get("Channel") == caller
                        and f.get("ChannelState") == "6")  # fmt: skip
    await driver.press(caller, "4")
    call = await until(bridge, call_from(bridge, "02341150205"))
    line = _describe(CallChanged(call))
    assert "Zeynep Kaya <02341150205> an 1150003 [ar]" in line
    await driver.hangup(call.caller_channel)
