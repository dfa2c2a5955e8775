"""Synthetic staffed time for demos and benchmarks, around the synthetic calls (pure).

An agent is logged in around the calls they took: from a few minutes before a call to a few
minutes after its wrap-up, staying logged in across gaps of up to an hour (longer ones: logged
out, not staffed). Each call is ringing, talking and wrap-up; the gaps are available, except a
lunch pause in the first long gap after 11:30 and now and then a short break. Calls the
generator gave one agent at overlapping times are clipped, so an agent is in one state at a
time.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from calllog.models import CallRecord
from calllog.staffed import StaffedSpan, StaffedState

#: A gap this long after 11:30 becomes the lunch pause (at most LUNCH long).
LUNCH_GAP = timedelta(minutes=20)
LUNCH = timedelta(minutes=30)
#: Share of other long gaps (over BREAK_GAP) in which the agent takes a short break.
BREAK_SHARE = 0.3
BREAK_GAP = timedelta(minutes=15)
BREAK = timedelta(minutes=10)
#: A longer gap between two calls: the agent logs out (a few minutes after the last one).
LOGGED_OUT_GAP = timedelta(hours=1)


def _margin(rng: random.Random) -> timedelta:
    """Logged in before a call (or after a wrap-up): 2 to 10 minutes."""
    return timedelta(seconds=rng.randrange(120, 600))


def _spans_of_day(
    agent: str, calls: list[CallRecord], zone: ZoneInfo, rng: random.Random
) -> Iterator[StaffedSpan]:
    first = calls[0].answered_at
    assert first is not None
    cursor = first - _margin(rng)
    lunch_from = datetime.combine(first.astimezone(zone).date(), time(11, 30), zone)
    lunch_taken = False
    for call in calls:
        answered, ended = call.answered_at, call.ended_at
        assert answered is not None and ended is not None
        ring = answered - timedelta(seconds=rng.randrange(2, 10))
        wrapped = max(call.wrapup_end_at or ended, ended)
        gap = max(ring, cursor) - cursor
        if gap > LOGGED_OUT_GAP:  # logs out after the last call, in again before this one
            yield StaffedSpan(agent, StaffedState.AVAILABLE, cursor, cursor + _margin(rng))
            cursor = ring - _margin(rng)
            gap = ring - cursor
        if gap > timedelta(0):
            if not lunch_taken and cursor >= lunch_from and gap >= LUNCH_GAP:
                lunch_taken = True
                yield from _gap(agent, cursor, ring, min(gap, LUNCH), "Mittagspause")
            elif gap >= BREAK_GAP and rng.random() < BREAK_SHARE:
                yield from _gap(agent, cursor, ring, BREAK, "Pause")
            else:
                yield StaffedSpan(agent, StaffedState.AVAILABLE, cursor, ring)
        for state, start, end in ((StaffedState.RINGING, ring, answered),
                                  (StaffedState.TALKING, answered, ended),
                                  (StaffedState.WRAP_UP, ended, wrapped)):  # fmt: skip
            start = max(start, cursor)
            if end > start:
                yield StaffedSpan(agent, state, start, end)
                cursor = end
    yield StaffedSpan(agent, StaffedState.AVAILABLE, cursor, cursor + _margin(rng))


def _gap(
    agent: str, start: datetime, end: datetime, pause: timedelta, reason: str
) -> Iterator[StaffedSpan]:
    """A gap: paused first (for `pause`), then available again until `end`."""
    paused_until = min(end, start + pause)
    yield StaffedSpan(agent, StaffedState.PAUSED, start, paused_until, reason)
    if end > paused_until:
        yield StaffedSpan(agent, StaffedState.AVAILABLE, paused_until, end)


def answered_into(calls: Iterable[CallRecord], taken: list[CallRecord]) -> Iterator[CallRecord]:
    """The calls as they come (to a bulk insert); the answered ones also go into `taken`."""
    for call in calls:
        if call.answered_at is not None:
            taken.append(call)
        yield call


def generate_staffed(
    calls: Iterable[CallRecord], *, zone: ZoneInfo, seed: int = 115
) -> Iterator[StaffedSpan]:
    """Staffed time of every agent and day with answered calls; the same seed, the same spans."""
    days: dict[tuple[str, object], list[CallRecord]] = defaultdict(list)
    for call in calls:
        if call.agent_id and call.answered_at is not None and call.ended_at is not None:
            days[(call.agent_id, call.answered_at.astimezone(zone).date())].append(call)
    rng = random.Random(f"{seed}:staffed")
    for (agent, _), taken in sorted(days.items(), key=lambda kv: (str(kv[0][1]), kv[0][0])):
        taken.sort(key=lambda c: c.answered_at or c.offered_at)
        yield from _spans_of_day(agent, taken, zone, rng)
