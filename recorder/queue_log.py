"""Asterisk's queue_log read into call records (pure): the PBX's own accounting of queue calls.

Each line is `time|callid|queue|agent|event|data1|data2|...` (epoch seconds; callid is the
caller channel's Uniqueid). The events of a call:

    ENTERQUEUE|url|callerid|position          CONNECT|holdtime|agent uniqueid|ringtime
    ABANDON|position|origposition|waittime    EXITWITHTIMEOUT|position|origposition|waittime
    EXITEMPTY|position|origposition|waittime  EXITWITHKEY|key|position|origposition|waittime
    COMPLETECALLER|holdtime|calltime|origpos  COMPLETEAGENT|holdtime|calltime|origpos
    BLINDTRANSFER|exten|context|holdtime|calltime|origpos
    ATTENDEDTRANSFER|BRIDGE|bridge|holdtime|calltime|origpos (or APP|app|..., LINK|a|b|...)
    SURVEY|rating                              (the survey dialplan's QueueLog, docs/survey.md)

A blind transfer into the survey's context is no transfer: the call ended there, by the
agent's choice, and the caller went on to the survey.

Others (RINGNOANSWER, PAUSE, ADDMEMBER, QUEUESTART, ...) carry nothing for the record. A
line that is not in this format, or whose fields do not fit its event, is reported with its
line number and skipped; the other lines are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from calllog.models import CallRecord, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source

_EVENT = re.compile(r"[A-Z][A-Z_]*")


@dataclass(frozen=True, slots=True)
class LogLine:
    """One well-formed line."""

    number: int
    time: int
    callid: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that was skipped, and why (English, for `file:line: reason`)."""

    number: int
    reason: str


def parse_line(number: int, text: str) -> LogLine | BadLine | None:
    """One line of the file (None: an empty line)."""
    text = text.rstrip("\r\n")
    if not text.strip():
        return None
    fields = text.split("|")
    if len(fields) < 5:
        return BadLine(number, f"expected time|callid|queue|agent|event, got {text[:60]!r}")
    stamp, callid, queue, agent, event, *data = fields
    if not stamp.isdigit():
        return BadLine(number, f"time is not epoch seconds: {stamp[:30]!r}")
    if not _EVENT.fullmatch(event):
        return BadLine(number, f"not an event name: {event[:30]!r}")
    return LogLine(number, int(stamp), callid, queue, agent, event, tuple(data))


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _int(data: tuple[str, ...], index: int) -> int:
    """A whole number field; ValueError (with the field) when missing or not a number."""
    try:
        return int(data[index])
    except (IndexError, ValueError):
        raise ValueError(f"field {index + 1} is not a whole number") from None


@dataclass
class _Call:
    """What the lines of one call said so far (epoch seconds)."""

    callid: str
    queue: str
    offered: int | None = None
    number: str = ""
    entry_position: int | None = None
    answered: int | None = None
    agent: str = ""
    ended: int | None = None
    ended_by: EndedBy | None = None
    exit: QueueExit | None = None
    exit_position: int | None = None
    transfer: TransferMode | None = None
    target: str = ""
    survey_at: int | None = None
    rating: int | None = None
    done: bool = False
    again: bool = False
    """Entered a queue again after leaving it: the lines of the later entry are left out."""


@dataclass
class QueueLogCalls:
    """Folds lines into calls; `records()` gives them as the call log keeps them."""

    agent_id: Callable[[str], str | None] = lambda agent: agent or None
    """Maps the log's agent field (member name or interface) to an agent id."""
    survey_context: str = ""
    """The caller survey's dialplan context: a blind transfer there is no transfer."""
    bad: list[BadLine] = field(default_factory=list)
    reentries: int = 0
    """Calls that entered a queue again after leaving it (the record keeps the first entry)."""
    _calls: dict[str, _Call] = field(default_factory=dict)

    def read(self, lines: Iterable[str]) -> None:
        """Fold every line (numbered from 1); bad ones are kept in `bad`."""
        for number, text in enumerate(lines, 1):
            parsed = parse_line(number, text)
            if isinstance(parsed, BadLine):
                self.bad.append(parsed)
            elif parsed is not None and parsed.callid not in ("", "NONE"):
                handler = _HANDLERS.get(parsed.event)
                if handler is None:
                    continue
                call = self._calls.setdefault(parsed.callid, _Call(parsed.callid, parsed.queue))
                if call.again:
                    continue
                try:
                    handler(self, call, parsed)
                except ValueError as exc:
                    self.bad.append(BadLine(number, f"{parsed.event}: {exc}"))

    def _enter(self, c: _Call, line: LogLine) -> None:
        position = _int(line.data, 2)
        if c.offered is not None:  # a second entry (or a first one after its CONNECT)
            self.reentries += 1
            c.again = c.done
            return
        c.offered, c.queue, c.entry_position = line.time, line.queue, position
        c.number = line.data[1] if len(line.data) > 1 else ""

    def _connect(self, c: _Call, line: LogLine) -> None:
        hold = _int(line.data, 0)
        c.answered, c.agent = line.time, line.agent
        c.offered = c.offered if c.offered is not None else line.time - hold

    def _left(self, c: _Call, line: LogLine) -> None:
        shift = 1 if line.event == "EXITWITHKEY" else 0
        position, original, wait = (_int(line.data, i + shift) for i in range(3))
        abandoned = line.event == "ABANDON"
        c.exit = QueueExit.ABANDONED if abandoned else QueueExit.EXITED
        c.exit_position, c.ended, c.done = position, line.time, True
        c.ended_by = EndedBy.CALLER if abandoned else None
        c.entry_position = c.entry_position or original
        c.offered = c.offered if c.offered is not None else line.time - wait

    def _completed(self, c: _Call, line: LogLine, hold: int, talk: int) -> None:
        # After a Redirect into the survey, COMPLETE* comes when the caller leaves it.
        c.ended, c.done = min(line.time, c.survey_at or line.time), True
        c.agent = c.agent or line.agent
        c.answered = c.answered if c.answered is not None else line.time - talk
        c.offered = c.offered if c.offered is not None else c.answered - hold

    def _complete(self, c: _Call, line: LogLine) -> None:
        self._completed(c, line, _int(line.data, 0), _int(line.data, 1))
        c.ended_by = EndedBy.CALLER if line.event == "COMPLETECALLER" else EndedBy.AGENT
        if c.survey_at is not None:
            c.ended_by = EndedBy.AGENT

    def _blind(self, c: _Call, line: LogLine) -> None:
        self._completed(c, line, _int(line.data, 2), _int(line.data, 3))
        if self.survey_context and line.data[1:2] == (self.survey_context,):
            c.survey_at, c.ended_by = c.survey_at or line.time, EndedBy.AGENT
        else:
            c.transfer, c.target = TransferMode.BLIND, line.data[0]

    def _survey(self, c: _Call, line: LogLine) -> None:
        rating = _int(line.data, 0)
        if not 1 <= rating <= 5:
            raise ValueError(f"rating {rating} is not 1 to 5")
        c.survey_at, c.rating = c.survey_at or line.time, rating

    def _attended(self, c: _Call, line: LogLine) -> None:
        last = len(line.data) - 1  # BRIDGE|id, APP|app or LINK|a|b, then hold|call|position
        self._completed(c, line, _int(line.data, last - 2), _int(line.data, last - 1))
        c.transfer = TransferMode.ATTENDED

    def records(self) -> Iterator[CallRecord]:
        """Every call with a known offer time, as a record of the PBX's facts."""
        for c in self._calls.values():
            if c.offered is None or not c.queue:
                continue
            answered = c.answered is not None
            survey = answered and c.survey_at is not None
            yield CallRecord(
                call_id=c.callid, queue=c.queue, offered_at=_utc(c.offered),
                agent_id=self.agent_id(c.agent) if answered else None,
                caller_number=c.number or None,
                answered_at=_utc(c.answered) if c.answered is not None else None,
                ended_at=_utc(c.ended) if c.ended is not None else None,
                queue_exit=None if answered else c.exit, ended_by=c.ended_by,
                entry_position=c.entry_position or None,
                exit_position=None if answered else c.exit_position,
                pbx_transfer=c.transfer, pbx_transfer_target=c.target or None,
                caller_uniqueid=c.callid, source=Source.QUEUE_LOG,
                survey_at=_utc(c.survey_at) if survey and c.survey_at else None,
                survey_rating=c.rating if survey else None,
            )  # fmt: skip

    def __len__(self) -> int:
        return len(self._calls)


_HANDLERS: dict[str, Callable[[QueueLogCalls, _Call, LogLine], None]] = {
    "ENTERQUEUE": QueueLogCalls._enter,
    "CONNECT": QueueLogCalls._connect,
    "ABANDON": QueueLogCalls._left,
    "EXITWITHTIMEOUT": QueueLogCalls._left,
    "EXITEMPTY": QueueLogCalls._left,
    "EXITWITHKEY": QueueLogCalls._left,
    "COMPLETECALLER": QueueLogCalls._complete,
    "COMPLETEAGENT": QueueLogCalls._complete,
    "BLINDTRANSFER": QueueLogCalls._blind,
    "ATTENDEDTRANSFER": QueueLogCalls._attended,
    "SURVEY": QueueLogCalls._survey,
}


def with_ids(records: Iterable[CallRecord], known: dict[str, str]) -> Iterator[CallRecord]:
    """Records keyed by the stored call id where the call is known by its caller's Uniqueid."""
    for record in records:
        stored = known.get(record.call_id)
        yield record if stored in (None, record.call_id) else replace(record, call_id=stored)
