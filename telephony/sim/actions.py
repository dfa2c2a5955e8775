"""The simulator's AMI actions on calls and queues, answered as Asterisk 22 does.

Each takes the server, the client's session and the action's frame; a `SimError` becomes
Asterisk's `Response: Error` with its message (`PbxSimulator.handle`).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from telephony.parse import Frame, encode_frame
from telephony.sim.language import MUNICIPALITY_NUMBER
from telephony.sim.model import Member
from telephony.sim.pbx import SimCall, SimError
from telephony.sim.survey import SURVEY_CONTEXT, SURVEY_EXTEN

if TYPE_CHECKING:
    from telephony.sim.server import PbxSimulator
    from telephony.sim.session import Session

_CITIZEN = re.compile(r"^Local/(\+?[0-9]{3,20})@citizen-phone/n\Z")
_CALLERID = re.compile(r'^"?([^"<]*)"?\s*<([^>]*)>\Z')


def _call_of(sim: PbxSimulator, frame: Frame, role: str) -> SimCall:
    call, found_role = sim.pbx.find_by_channel(frame.get("Channel"))
    if not found_role.startswith(role):
        raise SimError("Transfer invalid")
    return call


def _exten(sim: PbxSimulator, frame: Frame) -> str:
    exten = frame.get("Exten")
    if frame.get("Context") != "departments" or exten not in sim.pbx.departments:
        raise SimError("Extension does not exist")
    return exten


def _survey(frame: Frame) -> bool:
    """The action goes to the survey's context (its extension, or an error)."""
    if frame.get("Context") != SURVEY_CONTEXT:
        return False
    if frame.get("Exten") != SURVEY_EXTEN:
        raise SimError("Extension does not exist")
    return True


def blind(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """BlindTransfer of the agent's leg to a department, or into the survey."""
    call = _call_of(sim, frame, "agent")
    if _survey(frame):
        sim.pbx.survey_blind(call)
    else:
        sim.pbx.blind_transfer(call, _exten(sim, frame))
    session.respond(frame, Message="Transfer succeeded")


def atxfer(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """Atxfer: the agent consults a department while the caller waits."""
    call = _call_of(sim, frame, "agent")
    exten = _exten(sim, frame)
    session.respond(frame, Message="Atxfer successfully queued")
    sim.pbx.atxfer(call, exten)


def redirect(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """Redirect of the caller's channel to a department, or into the survey."""
    call = _call_of(sim, frame, "caller")
    if _survey(frame):
        session.respond(frame, Message="Redirect successful")
        sim.pbx.survey_redirect(call)
        return
    exten = _exten(sim, frame)
    session.respond(frame, Message="Redirect successful")
    sim.pbx.redirect(call, exten)


def play_dtmf(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """PlayDTMF on a channel of a call (heard by the survey)."""
    call, _ = sim.pbx.find_by_channel(frame.get("Channel"))
    digit = frame.get("Digit")
    if len(digit) != 1 or digit not in "0123456789*#ABCD":
        raise SimError("No digit specified")
    session.respond(frame, Message="DTMF successfully queued")
    sim.pbx.press(call, digit)  # heard by the survey, if the call is in it


def hangup(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """Hangup of any channel of a call."""
    sim.pbx.find_by_channel(frame.get("Channel"))
    session.respond(frame, Message="Channel Hungup")
    sim.pbx.hangup_channel(frame.get("Channel"))


def queue_pause(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """QueuePause of a member, with its reason."""
    member = sim.pbx.members.get(frame.get("Interface"))
    if member is None:
        raise SimError("Interface not found")
    paused = frame.get("Paused").lower() in {"true", "1", "yes"}
    member.paused, member.reason = paused, frame.get("Reason") if paused else ""
    member.last_pause = int(time.time())
    state = "paused" if paused else "unpaused"
    session.respond(frame, Message=f"Interface {state} successfully")
    sim.pbx.member_event(member, "QueueMemberPause")
    if not paused:
        sim.pbx.distribute()


def queue_add(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """QueueAdd of a Local-channel member, with its own wrap-up time."""
    interface = frame.get("Interface")
    if frame.get("Queue") != sim.pbx.queue or not interface.startswith("Local/"):
        raise SimError("Unable to add interface to queue: No such queue")
    if interface in sim.pbx.members:
        raise SimError("Unable to add interface: Already there")
    try:
        wrapuptime = max(0, int(frame.get("Wrapuptime") or 0))
    except ValueError:
        wrapuptime = 0
    member = Member(interface, frame.get("MemberName") or interface,
                    login_time=int(time.time()), wrapuptime=wrapuptime)  # fmt: skip
    member.paused = frame.get("Paused").lower() in {"true", "1", "yes"}
    member.reason = frame.get("Reason") if member.paused else ""
    sim.pbx.members[interface] = member
    session.respond(frame, Message="Added interface to queue")
    sim.pbx.member_event(member, "QueueMemberAdded")
    sim.pbx.distribute()


def queue_remove(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """QueueRemove of a member not on a call."""
    member = sim.pbx.members.get(frame.get("Interface"))
    if member is None or member.busy:
        raise SimError("Unable to remove interface: Not there")
    del sim.pbx.members[member.interface]
    session.respond(frame, Message="Removed interface from queue")
    sim.pbx.member_event(member, "QueueMemberRemoved")  # its last state, pause included


def queue_status(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """QueueStatus: the queue, its members and waiting callers as an event list."""
    aid = {"ActionID": frame.action_id} if frame.action_id else {}
    session.respond(frame, EventList="start", Message="Queue status will follow")
    items = [("QueueParams", {"Queue": sim.pbx.queue, "Max": "0", "Strategy": "rrmemory",
              "Calls": str(len(sim.pbx.waiting())), "Holdtime": "0", "TalkTime": "0",
              "Completed": str(sim.pbx.completed), "Abandoned": str(sim.pbx.abandoned),
              "ServiceLevel": "0", "ServicelevelPerf": "0.0", "ServicelevelPerf2": "0.0",
              "Weight": "0"})]  # fmt: skip
    items += [("QueueMember", sim.pbx.member_block(m, location=True))
              for m in sim.pbx.members.values()]  # fmt: skip
    now = time.monotonic()
    for pos, call in enumerate(sim.pbx.waiting(), 1):
        assert call.caller is not None
        items.append(("QueueEntry", {"Queue": sim.pbx.queue, "Position": str(pos),
                      "Channel": call.caller.name, "Uniqueid": call.caller.uniqueid,
                      "CallerIDNum": call.number, "CallerIDName": call.name,
                      "ConnectedLineNum": "<unknown>", "ConnectedLineName": "<unknown>",
                      "Wait": str(int(now - call.joined)), "Priority": "0"}))  # fmt: skip
    for name, fields in items:
        session.write(encode_frame(("Event", name), {**fields, **aid}))
    done = {**aid, "EventList": "Complete", "ListItems": str(len(items))}
    session.write(encode_frame(("Event", "QueueStatusComplete"), done))


def queue_summary(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """QueueSummary: counts and the longest wait as an event list."""
    aid = {"ActionID": frame.action_id} if frame.action_id else {}
    session.respond(frame, EventList="start", Message="Queue summary will follow")
    members = sim.pbx.members.values()
    free = sim.pbx.available()
    waiting = sim.pbx.waiting()
    now = time.monotonic()
    longest = max((int(now - c.joined) for c in waiting), default=0)
    summary = {"Queue": sim.pbx.queue, "LoggedIn": str(len(members)),
               "Available": str(len(free)), "Callers": str(len(waiting)), "HoldTime": "0",
               "TalkTime": "0", "LongestHoldTime": str(longest), **aid}  # fmt: skip
    session.write(encode_frame(("Event", "QueueSummary"), summary))
    done = {**aid, "EventList": "Complete", "ListItems": "1"}
    session.write(encode_frame(("Event", "QueueSummaryComplete"), done))


def originate(sim: PbxSimulator, session: Session, frame: Frame) -> None:
    """Originate of a citizen's call into the queue, or of a call-back (agent first)."""
    channel = frame.get("Channel")
    match = _CALLERID.match(frame.get("CallerID"))
    cid_name = match.group(1).strip() if match else ""
    citizen = _CITIZEN.match(channel)
    exten = frame.get("Exten")
    dialled = exten == "115" or MUNICIPALITY_NUMBER.match(exten)
    if citizen and frame.get("Context") == "inbound" and dialled:
        session.respond(frame, Message="Originate successfully queued")
        sim.pbx.offer_call(citizen.group(1), cid_name, frame.action_id, exten)
    elif channel in sim.pbx.members and frame.get("Context") == "citizen-phone":
        session.respond(frame, Message="Originate successfully queued")
        timeout = int(frame.get("Timeout") or 30000) / 1000
        call = sim.pbx.originate_agent_first(
            channel, frame.get("Exten"), cid_name, frame.action_id, timeout
        )
        if sim.rate_per_minute > 0:  # demo: the citizen ends the call-back after a while
            talk = 20 + sim.callers.gap(60 / 90)
            asyncio.get_running_loop().call_later(talk, sim.callback_over, call)
    else:
        raise SimError("Originate failed")


#: AMI actions on calls and queues, by lower-case name (Login, Logoff, Events and Ping are
#: the server's own).
ACTIONS: dict[str, Callable[[PbxSimulator, Session, Frame], None]] = {
    "blindtransfer": blind,
    "atxfer": atxfer,
    "redirect": redirect,
    "hangup": hangup,
    "queuepause": queue_pause,
    "queueadd": queue_add,
    "queueremove": queue_remove,
    "queuestatus": queue_status,
    "queuesummary": queue_summary,
    "originate": originate,
    "playdtmf": play_dtmf,
}
