"""Benchmark: AMI events over TCP into the bridge: frame-to-loop latency and throughput.

The simulator runs in a child process and floods QueueMemberStatus events.
  paced      5,000 events/s for 3 s into AmiBridge: latency from the reader
             thread's recv() of a frame to its event being applied on the asyncio
             loop (p50/p95/p99/max), and whether every event arrived;
  saturated  the simulator sends as fast as it can; throughput of a bare asyncio
             client that only splits frames (baseline) vs. AmiBridge (parse,
             state machine, updates), in the same run.

Run:  .venv/bin/python bench/telephony_latency.py [--rate 5000 --seconds 3 --burst 30000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

from telephony.bridge import AmiBridge, BridgeConfig
from telephony.events import AmiEvent
from telephony.parse import encode_action, split_frames
from telephony.sim import PbxSimulator

SECRET = "s3cret"


async def serve(port: int, rate: int, seconds: float) -> None:
    """Child process: flood every newly logged-in session once."""
    sim = PbxSimulator(port=port, secret=SECRET)
    await sim.start()
    served: set[int] = set()
    while True:
        fresh = [s for s in sim.sessions if s.authenticated and id(s) not in served]
        if fresh:
            served.update(id(s) for s in fresh)
            await asyncio.sleep(0.3)
            await sim.start_flood(rate, seconds)
        await asyncio.sleep(0.02)


def child(port: int, rate: int, seconds: float) -> subprocess.Popen[bytes]:
    """Start the flooding simulator in a child process."""
    args = [sys.executable, __file__, "--serve", str(port), "--rate", str(rate)]
    proc = subprocess.Popen([*args, "--seconds", str(seconds)])
    time.sleep(0.8)
    return proc


async def bare_client(port: int, expected: int) -> float:
    """Baseline: an asyncio stream client that only splits frames; returns frames/s."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    login = {"ActionID": "1", "Username": "agentconsole", "Secret": SECRET}
    writer.write(encode_action("Login", login))
    buffer, count, first = b"", 0, 0.0
    while count < expected:
        data = await asyncio.wait_for(reader.read(65536), 10)
        buffer += data
        frames, buffer = split_frames(buffer)
        for frame in frames:
            if frame.startswith(b"Event: QueueMemberStatus"):
                count += 1
                first = first or time.perf_counter()
    took = time.perf_counter() - first
    writer.close()
    return count / took


async def bridge_client(port: int, expected: int, timeout: float) -> tuple[float, list[float]]:
    """AmiBridge; returns (events/s, latencies in seconds)."""
    latencies: list[float] = []
    stamps: list[float] = []

    def on_event(event: AmiEvent, arrived: float) -> None:
        now = time.perf_counter()
        if type(event).__name__ == "MemberStatus":
            latencies.append(now - arrived)
            stamps.append(now)

    bridge = AmiBridge(BridgeConfig(port=port, secret=SECRET, ping_interval=30), on_event)
    await bridge.start()
    await bridge.wait_connected(5)
    lag = 0.0
    deadline = time.monotonic() + timeout
    while len(latencies) < expected and time.monotonic() < deadline:
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        lag = max(lag, time.perf_counter() - before - 0.01)
    await bridge.stop()
    took = (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")
    print(f"  (max event-loop lag while receiving: {lag * 1000:.1f} ms)")
    return len(stamps) / took, latencies


def pct(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds."""
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


async def run(args: argparse.Namespace) -> None:
    """Both measurements."""
    expected = int(args.rate * args.seconds)
    proc = child(args.port, args.rate, args.seconds)
    try:
        _, lat = await bridge_client(args.port, expected, args.seconds + 10)
    finally:
        proc.terminate()
        proc.wait()
    print(f"paced {args.rate}/s for {args.seconds:g} s: {len(lat)}/{expected} events applied")
    print(
        f"  frame-to-loop latency ms: p50 {pct(lat, 50):.2f}  p95 {pct(lat, 95):.2f}  "
        f"p99 {pct(lat, 99):.2f}  max {max(lat) * 1000:.2f}"
    )
    burst_rate = 10_000_000
    seconds = args.burst / burst_rate
    proc = child(args.port + 1, burst_rate, seconds)
    try:
        base = await bare_client(args.port + 1, args.burst)
    finally:
        proc.terminate()
        proc.wait()
    proc = child(args.port + 2, burst_rate, seconds)
    try:
        rate, _ = await bridge_client(args.port + 2, args.burst, 30)
    finally:
        proc.terminate()
        proc.wait()
    print(f"saturated burst of {args.burst} events:")
    print(f"  baseline (bare asyncio client, split only) {base:>10,.0f} events/s")
    print(f"  AmiBridge (parse + state machine)          {rate:>10,.0f} events/s")
    print(f"  ratio bridge/baseline {rate / base:.2f}")


def main() -> None:
    """Entry point (also the child's, with --serve)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=25038)
    parser.add_argument("--rate", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--burst", type=int, default=30000)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.rate, args.seconds))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
