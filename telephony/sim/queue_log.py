"""Asterisk's queue_log, written by the simulator from the events it emits.

One line per queue event, as app_queue writes it: `time|callid|queue|agent|event|data...`
(epoch seconds; callid = the caller channel's Uniqueid; agent = the member name, since
the reference queues.conf sets `log_membername_as_agent`; `NONE` where there is none):

    ENTERQUEUE|url|callerid|position          CONNECT|holdtime|agent uniqueid|ringtime
    RINGNOANSWER|ringtime ms                  ABANDON|position|origposition|waittime
    COMPLETECALLER|holdtime|calltime|origpos  COMPLETEAGENT|holdtime|calltime|origpos
    BLINDTRANSFER|exten|context|holdtime|calltime|origpos
    ATTENDEDTRANSFER|BRIDGE|bridge id|holdtime|calltime|origpos
    PAUSE|reason   UNPAUSE|                   QUEUESTART| (callid, queue, agent NONE)
    SURVEY|rating  (written by the survey dialplan's QueueLog, docs/survey.md)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass
class _Entry:
    """What the log needs to remember about one caller in the queue."""

    joined: int
    position: int
    agent: str = "NONE"
    connected: int | None = None


@dataclass
class QueueLogTranslator:
    """Turns the simulator's AMI events into queue_log lines (pure but for the clock)."""

    queue: str
    clock: Callable[[], float] = time.time
    _calls: dict[str, _Entry] = field(default_factory=dict)
    _by_member: dict[str, str] = field(default_factory=dict)
    """Member interface -> the caller Uniqueid it took last (AgentComplete without channels)."""

    def lines(self, name: str, headers: Sequence[tuple[str, str]]) -> list[str]:
        """The queue_log lines one event makes (most make none)."""
        h = dict(headers)
        handler = _EVENTS.get(name)
        return handler(self, h, int(self.clock())) if handler else []

    def start(self) -> str:
        """The line Asterisk writes when app_queue loads."""
        return self._line(int(self.clock()), "NONE", "NONE", "NONE", "QUEUESTART", "")

    def _line(
        self, now: int, callid: str, queue: str, agent: str, event: str, *data: object
    ) -> str:
        return "|".join([str(now), callid, queue, agent, event, *(str(d) for d in data)])

    def _join(self, h: dict[str, str], now: int) -> list[str]:
        uid, position = h["Uniqueid"], int(h.get("Position", "1"))
        self._calls[uid] = _Entry(now, position)
        number = h.get("CallerIDNum", "")
        number = "" if number == "<unknown>" else number
        return [self._line(now, uid, h["Queue"], "NONE", "ENTERQUEUE", "", number, position)]

    def _connect(self, h: dict[str, str], now: int) -> list[str]:
        entry = self._calls.get(h["Uniqueid"])
        if entry is None:
            return []
        entry.agent, entry.connected = h.get("MemberName") or "NONE", now
        self._by_member[h.get("Interface", "")] = h["Uniqueid"]
        data = (h.get("HoldTime", "0"), h.get("DestUniqueid", ""), h.get("RingTime", "0"))
        return [self._line(now, h["Uniqueid"], h["Queue"], entry.agent, "CONNECT", *data)]

    def _no_answer(self, h: dict[str, str], now: int) -> list[str]:
        ring_ms = int(h.get("RingTime", "0")) * 1000
        agent = h.get("MemberName") or "NONE"
        return [self._line(now, h["Uniqueid"], h["Queue"], agent, "RINGNOANSWER", ring_ms)]

    def _abandon(self, h: dict[str, str], now: int) -> list[str]:
        entry = self._calls.pop(h["Uniqueid"], None)
        joined = entry.joined if entry else now - int(h.get("HoldTime", "0"))
        data = (h.get("Position", "1"), h.get("OriginalPosition", "1"), now - joined)
        return [self._line(now, h["Uniqueid"], h["Queue"], "NONE", "ABANDON", *data)]

    def _complete(self, h: dict[str, str], now: int) -> list[str]:
        reason = h.get("Reason", "")
        uid = h.get("Uniqueid") or self._by_member.get(h.get("Interface", ""), "")
        entry = self._calls.pop(uid, None)  # after a transfer: logged already
        if entry is None or entry.connected is None or reason not in {"caller", "agent"}:
            return []
        event = "COMPLETECALLER" if reason == "caller" else "COMPLETEAGENT"
        data = (entry.connected - entry.joined, now - entry.connected, entry.position)
        return [self._line(now, uid, h["Queue"], entry.agent, event, *data)]

    def _survey(self, h: dict[str, str], now: int) -> list[str]:
        if h.get("UserEvent") != "SurveyRated":
            return []
        return [self._line(now, h.get("Uniqueid", ""), self.queue, "NONE", "SURVEY", h["Rating"])]

    def _transferred(self, uid: str, event: str, now: int, *target: str) -> list[str]:
        entry = self._calls.get(uid)
        if entry is None or entry.connected is None:
            return []
        data = (*target, entry.connected - entry.joined, now - entry.connected, entry.position)
        return [self._line(now, uid, self.queue, entry.agent, event, *data)]

    def _blind(self, h: dict[str, str], now: int) -> list[str]:
        if h.get("Result") != "Success":
            return []
        target = (h.get("Extension", ""), h.get("Context", ""))
        return self._transferred(h.get("TransfereeUniqueid", ""), "BLINDTRANSFER", now, *target)

    def _attended(self, h: dict[str, str], now: int) -> list[str]:
        if h.get("Result") != "Success":
            return []
        bridge = ("BRIDGE", h.get("DestBridgeUniqueid", ""))
        uid = h.get("TransfereeUniqueid", "")
        return self._transferred(uid, "ATTENDEDTRANSFER", now, *bridge)

    def _pause(self, h: dict[str, str], now: int) -> list[str]:
        paused = h.get("Paused") == "1"
        event, reason = ("PAUSE", h.get("PausedReason", "")) if paused else ("UNPAUSE", "")
        return [self._line(now, "NONE", h["Queue"], h.get("MemberName", "NONE"), event, reason)]


_EVENTS: dict[str, Callable[[QueueLogTranslator, dict[str, str], int], list[str]]] = {
    "QueueCallerJoin": QueueLogTranslator._join,
    "AgentConnect": QueueLogTranslator._connect,
    "AgentRingNoAnswer": QueueLogTranslator._no_answer,
    "QueueCallerAbandon": QueueLogTranslator._abandon,
    "AgentComplete": QueueLogTranslator._complete,
    "BlindTransfer": QueueLogTranslator._blind,
    "AttendedTransfer": QueueLogTranslator._attended,
    "QueueMemberPause": QueueLogTranslator._pause,
    "UserEvent": QueueLogTranslator._survey,
}


class QueueLogFile:
    """Appends the translator's lines to a file, flushed line by line (as Asterisk does)."""

    def __init__(self, path: Path, queue: str) -> None:
        self.path = path
        self.translator = QueueLogTranslator(queue)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO = path.open("a", encoding="utf-8")
        self._write([self.translator.start()])

    def observe(self, name: str, headers: Sequence[tuple[str, str]]) -> None:
        """Log what one emitted event means for the queue."""
        self._write(self.translator.lines(name, headers))

    def _write(self, lines: list[str]) -> None:
        for line in lines:
            self._file.write(line + "\n")
        if lines:
            self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
