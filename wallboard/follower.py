"""The wallboard's own view of the PBX: a read-only AMI connection folded into a `LiveBoard`.

`lotse wallboard` runs one (the recorder keeps its own connection and its own job); the
demo passes its in-process recorder instead, which offers the same `live()`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace

from recorder.live import LiveBoard, LiveSnapshot
from telephony.bridge import AmiBridge, BridgeConfig


class LiveFollower:
    """Follows every queue of the PBX read-only; `live()` is the board right now."""

    def __init__(
        self, config: BridgeConfig, agent_ids: Mapping[str, str], queues: Iterable[str] = ()
    ) -> None:
        """`agent_ids` maps member interfaces to agent ids; `queues` are always listed."""
        self.board = LiveBoard(agent_ids, queues)
        self.bridge = AmiBridge(
            replace(config, read_only=True, queue=""), on_changes=self.board.apply
        )

    async def start(self) -> None:
        """Connect in the background (reconnects by itself)."""
        await self.bridge.start()

    async def stop(self) -> None:
        """Log off and stop reconnecting."""
        await self.bridge.stop()

    def live(self) -> LiveSnapshot:
        """Callers waiting and agents' states, with the connection's state."""
        self.board.connection_changed(self.bridge.state)
        return self.board.snapshot(time.time())
