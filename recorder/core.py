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
from recorder.facts import (
    Extras,
    call_facts,
    completed_facts,
    utc,
    with_completion,
    with_survey,
)
from telephony import events as ev
from telephony.calls import Agent, Call
from telephony.origin import Routing

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

    def __init__(
        self,
        agent_ids: Mapping[str, str],
        queues: Iterable[str] = (),
        survey_context: str = "",
        routing: Routing | None = None,
    ) -> None:
        """`agent_ids` maps queue member interfaces to agent ids; `queues` limits the queues
        recorded (empty: every queue); `survey_context` is the caller survey's dialplan
        context (a blind transfer there is no transfer); `routing` maps the number dialled,
        the queue and the channel language to a municipality and a language."""
        self.routing = routing or Routing()
        self.agent_ids = dict(agent_ids)
        self.queues = frozenset(queues)
        self.survey_context = survey_context
        self._extras: OrderedDict[str, Extras] = OrderedDict()
        self._written: OrderedDict[str, CallRecord] = OrderedDict()
        self._tracked: OrderedDict[str, None] = OrderedDict()
        """Calls the tracker has reported: their AgentComplete needs no estimate."""
        self._answered_by: dict[str, str] = {}
        """Queue member interface -> the call it answered last."""

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
        if isinstance(event, ev.AgentComplete):
            return self._completed(event, at)
        linkedid = getattr(event, "linkedid", "")
        if linkedid and not isinstance(event, ev.OtherEvent):
            self._extra(linkedid).note(event, at, self.survey_context)
        if isinstance(event, ev.SurveyRated) and (last := self._written.get(linkedid)):
            return self._emit(with_survey(last, self._extras[linkedid]), at)  # after the call
        return []

    def _completed(self, event: ev.AgentComplete, at: float) -> list[CallRecord]:
        """The queue's word on how the agent's part ended.

        Asterisk sends AgentComplete without the call's fields when both legs are gone
        already; the call is then the one the member answered last, and the tracker cannot
        apply the event, so the record is completed here.
        """
        linkedid = event.linkedid or self._answered_by.get(event.interface, "")
        if not linkedid or not self._wanted(event.queue):
            return []
        extras = self._extra(linkedid)
        if not event.linkedid and extras.completed_at is not None:
            return []  # that call was completed already: not this event's call
        extras.note(event, at, self.survey_context)
        if linkedid not in self._tracked:
            return self._emit(completed_facts(event, linkedid, at, extras, self.agent_id), at)
        last = self._written.get(linkedid)
        if event.linkedid or last is None:
            return []  # the tracker applies it; on_changes writes the record
        return self._emit(with_completion(last, extras), at)

    def in_flight(self) -> dict[str, str]:
        """Member interface -> the call it answered and the queue has not completed yet.

        A recorder stopped mid-call hands this to the next one (`remember`): Asterisk may
        send that call's AgentComplete without the call's fields, and only this names it.
        """
        return {
            iface: call_id
            for iface, call_id in self._answered_by.items()
            if (x := self._extras.get(call_id)) is None or x.completed_at is None
        }

    def remember(self, in_flight: Mapping[str, str]) -> None:
        """Take over what a previous recorder had in flight (see `in_flight`)."""
        for iface, call_id in in_flight.items():
            self._answered_by.setdefault(iface, call_id)

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
            if change.answered_at is not None and change.agent_interface:
                self._answered_by[change.agent_interface] = change.call_id
            out += self._emit(call_facts(change, extras, self.agent_id, self.routing), at)
        return out

    def _emit(self, record: CallRecord | None, at: float) -> list[CallRecord]:
        if record is None or self._written.get(record.call_id) == record:
            return []
        self._written[record.call_id] = record
        _keep(self._written, record.call_id)
        return [replace(record, pbx_updated_at=utc(at))]
