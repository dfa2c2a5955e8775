"""The call log is reachable without the TUI: importing it loads neither textual nor rich."""

from __future__ import annotations

import subprocess
import sys


def test_calllog_imports_without_textual() -> None:
    code = (
        "import sys, calllog.store, calllog.outbox, calllog.callbacks, calllog.seed;"
        "print(sorted(m for m in ('textual', 'rich', 'psycopg') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # psycopg is imported lazily too: a SQLite-only workstation never loads it.
    assert result.stdout.strip() == "[]"
