"""The console's call-log writes, one at a time in the order they were asked for."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


class OrderedWriter:
    """Runs blocking writes on one thread: the record written at a call's end can never
    overtake (and so never overwrite) the wrap-up saved after it."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calllog-write")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` after every write asked for before it; returns its result."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(fn, *args))

    def close(self) -> None:
        """Let queued writes finish in the background; accept no more."""
        self._pool.shutdown(wait=False)
