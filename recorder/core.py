"""The recorder's pure core: PBX events and call states in, call records to write out.

The shell (recorder.service) feeds it, synchronously and in order, each AMI event before
the call tracker applies it (`on_event`) and the calls the tracker changed (`on_changes`).
It returns the records whose PBX facts changed since last written, so a long call makes a
handful of writes (offered, answered, transferred, ended, completed) and a replayed or
repeated state none.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from calllog.models import CallRecord
from recorder.facts import Extras, call_facts, completed_facts, utc
from telephony import events as ev
from telephony.calls import Agent, Call

#: How many calls the core remembers (extras and last writes); older ones are forgotten.
KEEP_CALLS = 2000
V = TypeVar("V")


def _keep(table: OrderedDict[str, V], key: str) -> None:
    """Mark `key` as recently used; forget the oldest beyond KEEP_CALLS."""
    table.move_to_end(key)
    while len(table) > KEEP_CALLS:
        table.popitem(last=False)


class RecorderCore:
    """Turns the PBX's view of queue calls into call records (no I/O, no clock)."""

    def __init__(self, agent_ids: Mapping[str, str], queues: Iterable[str] = ()) -> None:
        """`agent_ids` maps queue member interfaces to agent ids; `queues` limits the queues
        recorded (empty: every queue)."""
        self.agent_ids = dict(agent_ids)
        self.queues = frozenset(queues)
        self._extras: OrderedDict[str, Extras] = OrderedDict()
        self._written: OrderedDict[str, CallRecord] = OrderedDict()
        self._tracked: OrderedDict[str, None] = OrderedDict()
        """Calls the tracker has reported: their AgentComplete needs no estimate."""

    def agent_id(self, interface: str) -> str:
        """The configured agent id of a queue member interface (else the interface)."""
        return self.agent_ids.get(interface, interface)

    def _extra(self, linkedid: str) -> Extras:
        extras = self._extras.get(linkedid)
        if extras is None:
            extras = self._extras[linkedid] = Extras()
        _keep(self._extras, linkedid)
        return extras

    def _wanted(self, queue: str) -> bool:
        return bool(queue) and (not self.queues or queue in self.queues)

    def on_event(self, event: ev.AmiEvent, at: float) -> list[CallRecord]:
        """Note one event before the tracker applies it; records for calls it never knew."""
        linkedid = getattr(event, "linkedid", "")
        if not linkedid or isinstance(event, ev.OtherEvent):
            return []
        extras = self._extra(linkedid)
        extras.note(event, at)
        unknown = linkedid not in self._tracked
        if isinstance(event, ev.AgentComplete) and unknown and self._wanted(event.queue):
            return self._emit(completed_facts(event, at, extras, self.agent_id), at)
        return []

    def on_changes(self, changes: Sequence[Call | Agent], at: float) -> list[CallRecord]:
        """Records for the calls whose PBX facts changed with these new states."""
        out: list[CallRecord] = []
        for change in changes:
            if not isinstance(change, Call) or not self._wanted(change.queue):
                continue
            self._tracked[change.call_id] = None
            _keep(self._tracked, change.call_id)
            extras = self._extra(change.call_id)
            extras.follow(change, at)
            out += self._emit(call_facts(change, extras, self.agent_id), at)
        return out

    def _emit(self, record: CallRecord | None, at: float) -> list[CallRecord]:
        if record is None or self._written.get(record.call_id) == record:
            return []
        self._written[record.call_id] = record
        _keep(self._written, record.call_id)
        return [replace(record, pbx_updated_at=utc(at))]
