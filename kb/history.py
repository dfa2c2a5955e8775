"""The versions of a KB file from git (date, author, message, content); the package's git I/O.

Works on any KB folder inside a git work tree; follows renames. The working copy counts as a
version when it differs from the last commit. Without git (not installed, not a repository,
file never committed) `HistoryUnavailable` says why in one German line.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kb import files, yaml_strict
from kb.exceptions import KbError

#: Seconds one git command may take.
GIT_TIMEOUT = 30.0
#: Marks a version whose text is not valid KB YAML.
UNREADABLE: Any = object()
_RECORD, _UNIT = "\x1e", "\x1f"


class HistoryUnavailable(KbError):
    """No git history for a file; the message says why (German)."""


@dataclass(frozen=True)
class Version:
    """One version of a file, newest first in a history."""

    commit: str | None
    """The commit id; None for uncommitted changes in the working copy."""
    date: datetime | None
    author: str
    message: str
    data: Any
    """Parsed content; None when the file did not exist; UNREADABLE when it did not parse."""


def versions(path: Path, limit: int = 50) -> list[Version]:
    """The committed versions of `path` (newest first), led by the working copy if it differs.

    Raises:
        HistoryUnavailable: git is missing, the folder is no repository, or the file was
            never committed.
    """
    folder = path.parent
    out = _git(folder, "log", "--follow", f"--max-count={limit}", "--name-only",
               f"--format={_RECORD}%H{_UNIT}%aI{_UNIT}%an{_UNIT}%s", "--", path.name)  # fmt: skip
    top = _git(folder, "rev-parse", "--show-toplevel").strip()
    found = []
    for record in out.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, date, author, message = head.split(_UNIT, 3)
        name = next((n for n in names.splitlines() if n.strip()), "")
        text = _show(top, commit, name)
        found.append(Version(commit, datetime.fromisoformat(date), author, message, _parse(text)))
    if not found:
        raise HistoryUnavailable(f"{path.name} ist noch nicht in Git eingecheckt")
    try:
        current = _parse(files.read_bytes(path))
    except files.FileRefused:
        current = None
    if current != found[0].data:
        found.insert(0, Version(None, None, "", "Arbeitskopie (nicht eingecheckt)", current))
    return found


def _show(top: str, commit: str, name: str) -> bytes | None:
    try:
        result = subprocess.run(
            ["git", "-C", top, "show", f"{commit}:{name}"],
            capture_output=True, timeout=GIT_TIMEOUT, env=_env(), check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _parse(raw: bytes | None) -> Any:
    if raw is None:
        return None
    if len(raw) > files.MAX_FILE_BYTES:
        return UNREADABLE
    try:
        return yaml_strict.parse(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml_strict.YamlError):
        return UNREADABLE


def _git(folder: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
            capture_output=True, timeout=GIT_TIMEOUT, env=_env(), check=False,
        )  # fmt: skip
    except FileNotFoundError as exc:
        raise HistoryUnavailable("git ist nicht installiert") from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HistoryUnavailable(f"git antwortet nicht: {exc}") from exc
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in error:
            raise HistoryUnavailable(f"{folder} liegt in keinem Git-Repository")
        first = error.splitlines()[0] if error else f"Status {result.returncode}"
        raise HistoryUnavailable(f"git: {first}")
    return result.stdout.decode("utf-8", "replace")


def _env() -> dict[str, str]:
    # Plain English output for parsing, no pager, no prompts.
    return {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
