"""The search package is usable without the TUI."""

from __future__ import annotations

import subprocess
import sys


def test_search_does_not_import_textual() -> None:
    code = "import sys, search, search.searcher; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
