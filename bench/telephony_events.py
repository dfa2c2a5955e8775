"""Benchmark: AMI events parsed and applied per second, against the library's own parser.

Replays the recorded Asterisk 22 traces (tests/fixtures/ami/*.ami), with fresh
Uniqueid/Linkedid per round, through
  baseline  asterisk-ami 0.1.7's Event.read (what the library does per frame),
  parse     telephony.parse.parse_frame,
  pipeline  parse_frame + to_event + CallTracker.apply (what the bridge does per frame),
all in this process on one core; prints events/s and the ratio to the baseline.

Run:  .venv/bin/python bench/telephony_events.py [--rounds 400]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from asterisk.ami.event import Event

from telephony.calls import CallTracker
from telephony.parse import parse_frame, read_trace, to_event

TRACES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "ami"
CALL_TRACES = ("answered_then_caller_hangs_up", "blind_transfer", "redirect_transfer",
               "attended_transfer", "abandoned_in_queue")  # fmt: skip


def event_frames(rounds: int) -> list[str]:
    """Every event frame of the call traces, `rounds` times, ids made unique per round."""
    base: list[str] = []
    for name in CALL_TRACES:
        data = (TRACES / f"{name}.ami").read_bytes()
        _, body = data.split(b"\r\n", 1)
        base += [f for f in body.decode("utf-8").split("\r\n\r\n") if f.startswith("Event:")]
    return [f.replace("1795296", str(3000000 + r)) for r in range(rounds) for f in base]


def best_rates(frames: list[str], works: dict[str, Callable[[str], object]]) -> dict[str, float]:
    """Events per second for each work function, best of 5, runs interleaved (shared machine)."""
    best = dict.fromkeys(works, float("inf"))
    for _ in range(5):
        for label, work in works.items():
            started = time.perf_counter()
            for frame in frames:
                work(frame)
            best[label] = min(best[label], time.perf_counter() - started)
    return {label: len(frames) / seconds for label, seconds in best.items()}


def main() -> None:
    """Run the three measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    frames = event_frames(args.rounds)
    assert read_trace((TRACES / "blind_transfer.ami").read_bytes())[1]  # fixtures present
    tracker = CallTracker()
    clock = time.time

    def pipeline(frame: str) -> object:
        return tracker.apply(to_event(parse_frame(frame)), clock())

    rates = best_rates(frames, {"baseline": Event.read, "parse": parse_frame, "pipeline": pipeline})
    for label, rate in rates.items():
        print(f"{label:<10} {rate:>12,.0f} events/s  ({len(frames)} events per run, best of 5)")
    print(f"parse/baseline    {rates['parse'] / rates['baseline']:.2f}x")
    print(f"pipeline/baseline {rates['pipeline'] / rates['baseline']:.2f}x")
    print(f"calls tracked (ended ones pruned to {tracker.keep_ended}): {len(tracker.calls)}")


if __name__ == "__main__":
    main()
