"""One stream of updates per subscriber: what the bridge and the fake share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from telephony.protocol import Update


class Fanout:
    """Delivers every published update to each open subscription, on the event loop."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Update]] = set()

    def subscribe(self) -> AsyncIterator[Update]:
        """A new stream of every update published from now on; closing it unsubscribes."""
        queue: asyncio.Queue[Update] = asyncio.Queue()
        self._queues.add(queue)

        async def stream() -> AsyncIterator[Update]:
            try:
                while True:
                    yield await queue.get()
            finally:
                self._queues.discard(queue)

        return stream()

    def publish(self, update: Update) -> None:
        """Hand `update` to every subscription."""
        for queue in self._queues:
            queue.put_nowait(update)
