"""Files and folders with personal data: only their owner may read them, whatever the umask.

Call logs, outboxes, their `-wal`/`-shm` companions, logs and drafts hold callers' numbers
and names. Lotse creates their folders 0700 and the files 0600; a file it finds wider
(created by an older version) is narrowed when Lotse opens it and owns it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

#: Mode of a folder Lotse creates for personal data: the owner only.
PRIVATE_DIR = 0o700
#: Mode of a file with personal data: the owner may read and write it.
PRIVATE_FILE = 0o600


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """Create `path` (0700; missing parents as usual) unless it exists.

    With `tighten`, an existing folder of the current user is narrowed to 0700 as well
    (for Lotse's own data and cache folders, which older versions created 0755).
    """
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        _narrow(path, PRIVATE_DIR)
    elif tighten:
        _narrow(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty (0600) unless it exists; narrow it to 0600 if it is ours and wider."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.close(fd)
    _narrow(path, PRIVATE_FILE)
    return path


def narrow_existing(*paths: Path) -> None:
    """Narrow files that exist (e.g. SQLite's `-wal` and `-shm`) to 0600; skip the others."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            _narrow(path, PRIVATE_FILE)


def _narrow(path: Path, mode: int) -> None:
    """chmod to `mode` when the current user owns `path` and its mode differs."""
    info = path.stat()
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != mode:
        os.chmod(path, mode)
