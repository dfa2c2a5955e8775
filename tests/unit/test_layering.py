"""The core packages are usable without the TUI: importing all their modules loads no Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import importlib, pkgutil, sys
package = importlib.import_module({name!r})
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
print(sorted(m for m in sys.modules if m.split(".")[0] in {{"textual", "rich"}}))
"""


@pytest.mark.parametrize("name", ["kb", "search", "telephony", "calllog", "recorder", "wallboard"])
def test_core_package_never_imports_textual(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(name=name)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "[]"
