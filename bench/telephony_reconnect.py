"""Benchmark: how long the bridge takes to be back (logged in and resynced) after a PBX fault.

  drop     the simulator aborts every connection, its listener stays up;
  restart  the simulator stops and a new one starts on the same port after a gap;
           measured from the new listener being up to CONNECTED (includes the
           backoff wait, login and the QueueStatus resync).
Baseline in the same run: a bare TCP connect + banner to the same simulator.
Default bridge settings (backoff 0.2 s doubling, with jitter, up to 10 s).

Run:  .venv/bin/python bench/telephony_reconnect.py [--repeat 10 --gap 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import time

from telephony.bridge import AmiBridge, BridgeConfig
from telephony.protocol import ConnectionState
from telephony.sim import PbxSimulator


def summary(label: str, values: list[float]) -> None:
    """Print median and max in milliseconds."""
    ms = [v * 1000 for v in values]
    print(f"{label:<32} median {statistics.median(ms):8.1f} ms   max {max(ms):8.1f} ms")


async def bare_connect(port: int) -> float:
    """Baseline: TCP connect and read the banner."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    writer.close()
    return time.perf_counter() - started


async def main(repeat: int, gap: float) -> None:
    """Run the measurements."""
    sim = PbxSimulator(port=0)
    await sim.start()
    port = sim.port
    bridge = AmiBridge(BridgeConfig(port=port, secret="s3cret"))
    await bridge.start()
    await bridge.wait_connected(5)
    base = [await bare_connect(port) for _ in range(repeat)]
    drops: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        sim.drop_connections()
        await bridge.wait_for(lambda: bridge.state != ConnectionState.CONNECTED, 5)
        await bridge.wait_connected(10)
        drops.append(time.perf_counter() - started)
    restarts: list[float] = []
    for _ in range(repeat):
        await sim.stop()
        await asyncio.sleep(gap)
        sim = PbxSimulator(port=port)
        await sim.start()
        started = time.perf_counter()
        await bridge.wait_connected(30)
        restarts.append(time.perf_counter() - started)
    await bridge.stop()
    await sim.stop()
    summary("baseline: connect + banner", base)
    summary("drop -> connected", drops)
    summary(f"restart ({gap:g} s gap) -> connected", restarts)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--gap", type=float, default=1.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the bridge logs each refused connect
    asyncio.run(main(args.repeat, args.gap))
