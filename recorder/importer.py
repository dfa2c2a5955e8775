"""`lotse recorder --import-queue-log`: what Asterisk's queue_log knows and the call log lacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from calllog.store import SqlStore, WriteResult
from recorder.queue_log import BadLine, QueueLogCalls, with_ids


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import did."""

    calls: int
    """Calls found in the file with an offer time."""
    added: int
    """Calls the call log did not have."""
    present: int
    """Calls it had already (known by call id or by the caller's Uniqueid)."""
    completed: int
    """Of those, calls the file added facts to (e.g. the end of a call a recorder missed)."""
    bad: tuple[BadLine, ...]
    """Lines skipped, with their numbers."""
    reentries: int
    """Calls that entered a queue again after leaving it (only the first entry is kept)."""


def import_queue_log(
    path: Path, store: SqlStore, agent_id: Callable[[str], str | None], survey_context: str = ""
) -> ImportResult:
    """Read a queue_log file and merge its calls into the store; running it twice adds nothing.

    `survey_context`: the caller survey's dialplan context (a blind transfer there is none).
    Raises OSError when the file cannot be read and CallLogError when the store fails.
    """
    calls = QueueLogCalls(agent_id=agent_id, survey_context=survey_context)
    with path.open(encoding="utf-8", errors="replace", newline="") as lines:
        calls.read(lines)
    records = list(calls.records())
    known = store.resolve_call_ids([r.call_id for r in records])
    results = store.merge_calls(with_ids(records, known))
    added = results.count(WriteResult.ADDED)
    return ImportResult(
        calls=len(records),
        added=added,
        present=len(results) - added,
        completed=results.count(WriteResult.CHANGED),
        bad=tuple(calls.bad),
        reentries=calls.reentries,
    )
