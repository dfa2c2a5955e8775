"""A caller chooses their SIP display name: it crosses the AMI intact and is shown safely."""

from __future__ import annotations

from agent_console.commands.telephony import _describe
from telephony.bridge import AmiBridge
from telephony.protocol import CallChanged
from tests.hostile import HOSTILE, HOSTILE_SHOWN, assert_plain_safe
from tests.integration.telephony.conftest import Target, call_from, until


async def test_pbx_monitor_line_for_a_hostile_caller(pbx: Target, bridge: AmiBridge) -> None:
    sim = pbx.require_sim()
    sim.offer_call("0234555", HOSTILE)
    call = await until(bridge, call_from(bridge, "0234555"))
    assert call.caller_name == HOSTILE  # the data is kept as the PBX sent it
    line = _describe(CallChanged(call))
    assert_plain_safe(line)
    assert "\n" not in line and f"{HOSTILE_SHOWN} <0234555>" in line
