"""The telephony package is usable without the TUI."""

from __future__ import annotations

import subprocess
import sys


def test_importing_telephony_does_not_import_textual_or_rich() -> None:
    code = (
        "import sys, telephony.bridge, telephony.simulator, telephony.fake, telephony.protocol\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
