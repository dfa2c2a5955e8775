"""The KB's file-system side: list a folder's YAML files and read one, bounded and never blocking.

Nothing a folder holds may stop a load: an unreadable folder, a symlink loop, a dangling link,
a directory or a FIFO named `*.yaml` is reported (one line each) and the rest loads. A file is
opened without blocking and read only when it is a regular file of at most MAX_FILE_BYTES.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: Files larger than this are refused (an article is a few KiB; this catches pasted dumps).
MAX_FILE_BYTES = 256 * 1024
#: The file endings read as YAML.
SUFFIXES = (".yaml", ".yml")

_ERRNO_TEXT = {
    errno.EACCES: "keine Leseberechtigung",
    errno.EPERM: "keine Leseberechtigung",
    errno.ELOOP: "Verweis-Schleife (der symbolische Link zeigt im Kreis)",
    errno.ENOENT: "Verweis ins Leere (das Ziel des Links fehlt)",
    errno.ENOTDIR: "kein Ordner",
    errno.EISDIR: "ist ein Ordner, keine Datei",
    errno.EIO: "Lesefehler des Datenträgers",
}


class FileRefused(Exception):
    """A KB file that cannot be read; the message is one German line."""


@dataclass
class Listing:
    """The YAML files of one folder, and the entries that look like KB files but are not."""

    files: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    """(path, German reason) of folders, FIFOs, dangling or looping links, unreadable folders."""


def describe_os_error(exc: OSError) -> str:
    """An OSError as a short German reason."""
    return _ERRNO_TEXT.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def list_folder(folder: Path, missing_ok: bool = True) -> Listing:
    """The `*.yaml`/`*.yml` entries of `folder`, by name; never raises."""
    listing = Listing()
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        if not missing_ok:
            listing.refused.append((folder, "Ordner fehlt"))
        return listing
    except OSError as exc:
        listing.refused.append((folder, f"Ordner nicht lesbar: {describe_os_error(exc)}"))
        return listing
    for entry in entries:
        if not entry.name.endswith(SUFFIXES):
            continue
        path = Path(entry.path)
        reason = _not_a_file(entry)
        if reason is None:
            listing.files.append(path)
        else:
            listing.refused.append((path, reason))
    return listing


def list_subfolders(folder: Path) -> Listing:
    """The sub-folders of `folder` by name (in `files`), none when it is missing; never raises.

    Hidden entries and other files are skipped (a README may live there); a YAML file is
    refused with a hint, as it was meant to load and would not.
    """
    listing = Listing()
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return listing
    except OSError as exc:
        listing.refused.append((folder, f"Ordner nicht lesbar: {describe_os_error(exc)}"))
        return listing
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError as exc:
            listing.refused.append((Path(entry.path), f"nicht lesbar: {describe_os_error(exc)}"))
            continue
        if is_dir:
            listing.files.append(Path(entry.path))
        elif entry.name.endswith(SUFFIXES):
            reason = "liegt nicht im Ordner einer Gemeinde (municipalities/<id>/): nicht geladen"
            listing.refused.append((Path(entry.path), reason))
    return listing


def _not_a_file(entry: os.DirEntry[str]) -> str | None:
    """Why a directory entry cannot be a KB file, or None when it is a regular file."""
    try:
        mode = entry.stat().st_mode  # follows links: a loop or a dangling link raises here
    except OSError as exc:
        return f"nicht lesbar: {describe_os_error(exc)}"
    if stat.S_ISREG(mode):
        return None
    return f"keine Datei, sondern {_kind(mode)}: wird nicht geladen"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "ein Ordner"
    if stat.S_ISFIFO(mode):
        return "eine Pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "ein Socket"
    return "ein Gerät"


def read_bytes(path: Path) -> bytes:
    """The content of a regular file of at most MAX_FILE_BYTES.

    Raises:
        FileRefused: the file cannot be read, is not a regular file, or is too large.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(f"Datei nicht lesbar: {describe_os_error(exc)}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"keine Datei, sondern {_kind(info.st_mode)}: wird nicht geladen")
        if info.st_size > MAX_FILE_BYTES:
            raise FileRefused(_too_large(info.st_size))
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_FILE_BYTES:  # grew while being read
            raise FileRefused(_too_large(total))
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"Datei nicht lesbar: {describe_os_error(exc)}") from exc
    finally:
        os.close(fd)


def _too_large(size: int) -> str:
    return f"Datei zu groß ({size:_} Bytes; höchstens {MAX_FILE_BYTES:_})".replace("_", ".")
