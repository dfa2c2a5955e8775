"""A SQLite-only workstation never loads psycopg (tests/unit/test_layering.py checks Textual)."""

from __future__ import annotations

import subprocess
import sys


def test_calllog_loads_psycopg_only_for_postgresql() -> None:
    code = (
        "import sys, calllog.store, calllog.outbox, calllog.callbacks, calllog.seed;"
        "print('psycopg' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
