"""A cache of parsed KB files (plain data, before validation) keyed by path, mtime and size.

Parsing YAML dominates KB load time (libyaml composes, but PyYAML builds every node and
mark in Python). Files that did not change since the last load are taken from this cache,
a marshal file in the user's cache directory; validation still runs on every load.

It also keeps, per file, the data of the last version that validated ("last good"): when a
file breaks, the loader serves that version (kb.loader, `KnowledgeBase.last_good`), also after
a restart. A deleted file drops both entries.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Bumped when the parser's output for the same text could change (2: last-good entries).
FORMAT = 2


class ParseCache:
    """Plain data of files that parsed cleanly; unchanged files skip the YAML parser."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._old: dict[str, tuple[int, int, Any]] = {}
        self._new: dict[str, tuple[int, int, Any]] = {}
        self._old_good: dict[str, tuple[int, Any]] = {}
        self._good: dict[str, tuple[int, Any]] = {}
        try:
            stored = marshal.loads(file.read_bytes())
            if isinstance(stored, tuple) and stored[0] == FORMAT:
                self._old, self._old_good = stored[1], stored[2]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, TypeError, IndexError) as exc:
            log.warning("ignoring unreadable KB parse cache %s: %s", file, exc)

    def get(self, path: Path, stat: os.stat_result) -> Any | None:
        """The data parsed from `path`, if the file is unchanged since; else None."""
        key = os.fspath(path)
        entry = self._old.get(key)
        if entry is not None and entry[:2] == (stat.st_mtime_ns, stat.st_size):
            self._new[key] = entry
            return entry[2]
        return None

    def put(self, path: Path, stat: os.stat_result, data: Any) -> None:
        """Remember the data parsed from `path` as it was at `stat`."""
        self._new[os.fspath(path)] = (stat.st_mtime_ns, stat.st_size, data)

    def keep_good(self, path: Path, stat: os.stat_result, data: Any) -> None:
        """Remember `data` as the last version of `path` that validated."""
        self._good[os.fspath(path)] = (stat.st_mtime_ns, data)

    def last_good(self, path: Path) -> tuple[int, Any] | None:
        """(mtime_ns, data) of the last version of `path` that validated, kept for next time."""
        key = os.fspath(path)
        entry = self._good.get(key) or self._old_good.get(key)
        if entry is not None:
            self._good[key] = entry
        return entry

    def save(self) -> None:
        """Write the entries seen in this load (dropping deleted files), atomically."""
        if self._new == self._old and self._good == self._old_good:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((FORMAT, self._new, self._good)))
            tmp.replace(self.file)
        except OSError as exc:
            log.warning("cannot write KB parse cache %s: %s", self.file, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()
