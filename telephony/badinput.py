"""Bad input from a peer, counted per kind and logged without flooding the log.

A PBX (or an AMI client of the simulator) that sends garbage sends a lot of it. Each kind
of bad input is logged once when it first occurs, then at most once per `interval` as one
line with the count since the last line; nothing is ever logged per frame.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

#: Seconds between two log lines about the same kind of bad input.
BAD_INPUT_LOG_INTERVAL = 60.0
#: Distinct kinds tracked; further kinds are counted as "other".
MAX_KINDS = 64


class BadInputLog:
    """Counts bad input per kind; logs the first of a kind and then one summary per interval."""

    def __init__(
        self,
        logger: logging.Logger,
        source: str,
        interval: float = BAD_INPUT_LOG_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.source = source
        self.interval = interval
        self.clock = clock
        self.counts: Counter[str] = Counter()
        """Bad input seen so far, per kind."""
        self._logged: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        """Every piece of bad input counted."""
        return sum(self.counts.values())

    def report(self, kind: str, detail: str = "", error: BaseException | None = None) -> None:
        """Count one piece of bad input; log it when its kind is new or its interval is over.

        `kind` is chosen by the caller's code (never taken from the input); `detail` may quote
        the input and is logged with repr(); `error`, an unexpected exception, is logged with
        its traceback the first time only.
        """
        now = self.clock()
        with self._lock:
            if kind not in self.counts and len(self.counts) >= MAX_KINDS:
                kind = "other"
            self.counts[kind] += 1
            count = self.counts[kind]
            last = self._logged.get(kind)
            if last is not None and now - last[0] < self.interval:
                return
            self._logged[kind] = (now, count)
        if last is None:
            self.logger.warning(
                "%s: %s%s; further ones are counted and reported at most every %g s",
                self.source, kind, f" ({detail!r})" if detail else "", self.interval,
                exc_info=error,
            )  # fmt: skip
        else:
            self.logger.warning(
                "%s: %d more of %s (%d in all)", self.source, count - last[1], kind, count
            )
