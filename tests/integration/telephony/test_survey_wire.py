"""The caller survey speaks like the recorded Asterisk 22 (tests/fixtures/ami/survey.ami).

Driven only through AMI actions, as the trace was recorded: against a real Asterisk this
needs the survey context of docs/survey.md in its dialplan (`lotse-survey`, extension 1).
"""

from __future__ import annotations

from dataclasses import replace

from telephony.parse import Frame
from tests.integration.telephony.conftest import Target
from tests.integration.telephony.test_wire_fidelity import Recorder, _compare, recorder

__all__ = ["recorder"]  # the fixture


def _user(name: str, channel: str) -> object:
    return lambda f: (
        f.name == "UserEvent" and f.get("UserEvent") == name and f.get("Channel") == channel
    )


def _gone(channel: str) -> object:
    return lambda f: f.name == "Hangup" and f.get("Channel") == channel


async def test_survey_after_blind_transfer_hang_up_and_redirect(
    recorder: Recorder, pbx: Target
) -> None:
    if pbx.sim is not None:  # the test presses the keys, as on Asterisk (however slowly)
        pbx.sim.pbx.survey_answers = False
        pbx.sim.pbx.timing = replace(pbx.sim.pbx.timing, survey_timeout=600)
    caller, agent = await recorder.call("02341110001", "Erika Umfrage")
    await recorder.act("BlindTransfer", Channel=agent, Exten="1", Context="lotse-survey")
    await recorder.wait(_user("SurveyStarted", caller))  # type: ignore[arg-type]
    await recorder.act("PlayDTMF", Channel=caller[:-1] + "2", Digit="4", Duration="120")
    rated: Frame = await recorder.wait(_user("SurveyRated", caller))  # type: ignore[arg-type]
    assert rated.get("Rating") == "4"
    await recorder.wait(_gone(caller))  # type: ignore[arg-type]

    caller, agent = await recorder.call("02341110002", "Max Auflegen")
    await recorder.act("BlindTransfer", Channel=agent, Exten="1", Context="lotse-survey")
    await recorder.wait(_user("SurveyStarted", caller))  # type: ignore[arg-type]
    await recorder.act("Hangup", Channel=caller[:-1] + "2")
    await recorder.wait(_gone(caller))  # type: ignore[arg-type]

    caller, _ = await recorder.call("02341110003", "Jürgen Umleitung")
    await recorder.act("Redirect", Channel=caller, Exten="1", Context="lotse-survey", Priority="1")
    await recorder.wait(_user("SurveyStarted", caller))  # type: ignore[arg-type]
    await recorder.act("PlayDTMF", Channel=caller[:-1] + "2", Digit="2", Duration="120")
    await recorder.wait(_user("SurveyRated", caller))  # type: ignore[arg-type]
    # After the Redirect the queue reports the agent's part only when the caller has gone;
    # Asterisk sends it with or without the caller's fields (it varies): the simulator without.
    await recorder.wait(lambda f: f.name == "AgentComplete" and f.get("Reason") == "caller")
    _compare("survey", recorder.frames)
    ratings = [f.get("Rating") for f in recorder.frames if f.get("UserEvent") == "SurveyRated"]
    assert ratings == ["4", "2"]


async def test_member_events_of_a_shift(recorder: Recorder, pbx: Target) -> None:
    """Log in (QueueAdd), pauses with reasons, a call, log out while paused (QueueRemove)."""
    agent3 = "Local/agent3@agents/n"
    await recorder.act("QueueAdd", Queue="service115", Interface=agent3, MemberName="Agent 3",
                       Paused="false")  # fmt: skip
    try:
        for n in (1, 2):
            await recorder.act("QueuePause", Queue="service115", Paused="true",
                               Interface=f"Local/agent{n}@agents/n", Reason="Schulung")  # fmt: skip
        await recorder.act(
            "Originate", Channel="Local/02342220001@citizen-phone/n", Context="inbound",
            Exten="115", Priority="1", CallerID='"Anna Besetzt" <02342220001>', Async="true",
        )  # fmt: skip
        connect = await recorder.wait(
            lambda f: f.name == "AgentConnect" and f.get("Interface") == agent3
        )
        caller = connect.get("Channel")
        await recorder.wait(lambda f: f.name == "BridgeEnter" and f.get("Channel") == caller)
        await recorder.act("QueuePause", Queue="service115", Interface=agent3, Paused="true",
                           Reason="Nachbearbeitung")  # fmt: skip
        await recorder.act("Hangup", Channel=caller)
        await recorder.wait(lambda f: f.name == "AgentComplete" and f.get("Interface") == agent3)
        await recorder.wait(_gone(caller))  # type: ignore[arg-type]
        await recorder.act("QueuePause", Queue="service115", Interface=agent3, Paused="false")
        await recorder.act("QueuePause", Queue="service115", Interface=agent3, Paused="true",
                           Reason="Mittagspause")  # fmt: skip
    finally:
        await recorder.act("QueueRemove", Queue="service115", Interface=agent3)
        for n in (1, 2):
            await recorder.act("QueuePause", Queue="service115", Paused="false",
                               Interface=f"Local/agent{n}@agents/n")  # fmt: skip
    await recorder.wait(lambda f: f.name == "QueueMemberRemoved")
    # Its AgentComplete happened to come without channels (the caller was gone already);
    # that varies from run to run, and the other traces cover both forms.
    _compare("member_events", recorder.frames, ignore=frozenset({"AgentComplete"}))
