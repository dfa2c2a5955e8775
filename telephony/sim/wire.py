"""Asterisk-shaped events for channel operations of the simulated PBX (no call logic)."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable

from telephony.sim.model import Chan, Member, SimCall, next_epoch

#: emit(event name, privilege class, headers in wire order; names may repeat).
Emit = Callable[[str, str, list[tuple[str, str]]], None]
_PRES = "0 (Presentation Allowed, Not Screened)"


class Wire:
    """Creates and hangs up channels and bridges, emitting the events Asterisk 22 emits."""

    def __init__(self, emit: Emit, queue: str) -> None:
        self.emit = emit
        self.queue = queue
        self._epoch = next_epoch(int(time.time()))
        self._uid = itertools.count()
        self._local = itertools.count(0)
        self.channels: dict[str, tuple[SimCall, str]] = {}
        """Live channels: name -> (call, role such as caller1 or agent2)."""

    def _ev(self, name: str, priv: str, *blocks: dict[str, str], **extra: str) -> None:
        headers = [("Privilege", f"{priv},all")]
        for block in blocks:
            headers.extend(block.items())
        headers.extend(extra.items())  # appended, as Asterisk does (UserEvent repeats Exten)
        self.emit(name, priv, headers)

    def _pair(self, call: SimCall, base: str, context: str, exten: str, role: str) -> list[Chan]:
        sfx = f"{next(self._local):08x}"
        chans = []
        for half, state in ((1, 0), (2, 4)):
            uid = f"{self._epoch}.{next(self._uid)}"
            chan = Chan(f"{base}-{sfx};{half}", uid, call.linkedid or uid, context, exten, state)
            if not call.linkedid:
                call.linkedid = uid
            self.channels[chan.name] = (call, f"{role}{half}")
            chans.append(chan)
            self._ev("Newchannel", "call", chan.block())
        return chans

    def _set_cid(self, chan: Chan, num: str, name: str, conn: bool = True) -> None:
        chan.cid_num, chan.cid_name = num, name
        self._ev("NewCallerid", "call", chan.block(), **{"CID-CallingPres": _PRES})
        if conn:
            chan.conn_num, chan.conn_name = num, name
            self._ev("NewConnectedLine", "call", chan.block())

    def _state(self, chan: Chan, state: int) -> None:
        chan.state = state
        self._ev("Newstate", "call", chan.block())

    def _local_bridge(self, one: Chan, two: Chan) -> None:
        self._ev(
            "LocalBridge",
            "call",
            one.block("LocalOne"),
            two.block("LocalTwo"),
            Context=one.context,
            Exten=one.exten,
            LocalOptimization="No",
        )

    def _bridge_block(self, bridge: str, count: int) -> dict[str, str]:
        return {
            "BridgeUniqueid": bridge,
            "BridgeType": "basic",
            "BridgeTechnology": "simple_bridge",
            "BridgeCreator": "<unknown>",
            "BridgeName": "<unknown>",
            "BridgeNumChannels": str(count),
            "BridgeVideoSourceMode": "none",
        }

    def _bridge_create(self) -> str:
        bridge = str(uuid.uuid4())
        self._ev("BridgeCreate", "call", self._bridge_block(bridge, 0))
        return bridge

    def _enter(self, bridge: str, chan: Chan, count: int) -> None:
        self._ev("BridgeEnter", "call", self._bridge_block(bridge, count), chan.block())

    def _leave(self, bridge: str, chan: Chan, count: int) -> None:
        self._ev("BridgeLeave", "call", self._bridge_block(bridge, count), chan.block())

    def _destroy(self, bridge: str) -> None:
        self._ev("BridgeDestroy", "call", self._bridge_block(bridge, 0))

    def _request(self, chan: Chan | None, soft: bool = True) -> None:
        if chan is None or chan.name not in self.channels or (soft and chan.requested):
            return
        chan.requested = chan.requested or soft
        name = "SoftHangupRequest" if soft else "HangupRequest"
        self._ev(name, "call", chan.block(), Cause="16")

    def _gone(self, chan: Chan) -> None:
        self._ev("Hangup", "call", chan.block(), Cause="16", **{"Cause-txt": "Normal Clearing"})
        del self.channels[chan.name]

    def _hangup_pair(self, legs: list[Chan | None]) -> None:
        """Hang up Local pairs as Asterisk does: request ;2, Hangup ;1, then ;2."""
        for i in range(0, len(legs), 2):
            one, two = legs[i], legs[i + 1] if i + 1 < len(legs) else None
            live_one = one is not None and one.name in self.channels
            live_two = two is not None and two.name in self.channels
            if live_two:
                self._request(two, soft=False)
            if live_one and one is not None:
                self._gone(one)
            if live_two and two is not None:
                self._request(two)
                self._gone(two)

    def member_event(self, member: Member, name: str = "QueueMemberStatus") -> None:
        """Emit the member's state (QueueMemberStatus or QueueMemberPause)."""
        self._ev("QueueMemberStatus" if name == "" else name, "agent", self.member_block(member))

    def member_block(self, m: Member, location: bool = False) -> dict[str, str]:
        """The member fields Asterisk prints (QueueMember uses Name/Location instead)."""
        ident = (
            {"Name": m.name, "Location": m.interface}
            if location
            else {"MemberName": m.name, "Interface": m.interface}
        )
        block = {"Queue": self.queue, **ident, "StateInterface": m.interface}
        block.update(
            Membership="static",
            Penalty="0",
            CallsTaken=str(m.calls_taken),
            LastCall=str(m.last_call),
            LastPause=str(m.last_pause),
            LoginTime=str(m.login_time),
            InCall="1" if m.in_call else "0",
            Status=str(m.status),
            Paused="1" if m.paused else "0",
            PausedReason=m.reason,
        )
        if not location:
            block["Ringinuse"] = "0"
        block["Wrapuptime"] = str(m.wrapuptime)
        return block

    def _originate_response(
        self, action_id: str, chan: Chan, context: str, exten: str, reason: int = 4
    ) -> None:
        """OriginateResponse: Success with reason 4 (answered), else Failure (3: no answer)."""
        status = "Success" if reason == 4 else "Failure"
        self._ev(
            "OriginateResponse",
            "call",
            {"ActionID": action_id, "Response": status, "Channel": chan.name},
            Context=context,
            Exten=exten,
            Reason=str(reason),
            Uniqueid=chan.uniqueid,
            CallerIDNum=chan.cid_num or "<unknown>",
            CallerIDName=chan.cid_name or "<unknown>",
        )

    def _prefixed(self, prefix: str, bridge: str) -> dict[str, str]:
        return {prefix + k: v for k, v in self._bridge_block(bridge, 2).items()}
