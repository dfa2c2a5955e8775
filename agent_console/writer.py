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

    def run(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Queue `fn(*args)` now, behind every write asked for before; await it for the result.

        The write takes its place in the queue when `run` is called, not when the
        returned future is awaited, so the order is the order of the calls.
        """
        return asyncio.wrap_future(self._pool.submit(partial(fn, *args)))

    def close(self) -> None:
        """Finish the queued writes (nothing typed is lost on exit); accept no more."""
        self._pool.shutdown(wait=True)
