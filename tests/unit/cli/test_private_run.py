"""A test run's own folders: two suites on one machine share no index, call log or settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from agent_console.config import cache_dir, data_dir, load_settings


def test_the_run_keeps_index_and_call_log_in_folders_of_its_own() -> None:
    home = Path(os.environ["XDG_DATA_HOME"]).parent
    assert home.name.startswith("lotse-tests-") and home.parent == Path(tempfile.gettempdir())
    assert cache_dir().is_relative_to(home) and data_dir().is_relative_to(home)
    settings = load_settings()
    assert settings.search.index_dir.is_relative_to(home)
    assert settings.calllog.url == f"sqlite:///{data_dir() / 'calls.db'}"
    assert settings.console.drafts_dir.is_relative_to(home)


def test_no_lotse_setting_of_the_caller_reaches_the_tests() -> None:
    assert [
        n for n in os.environ if n.startswith("LOTSE_") and not n.startswith("LOTSE_TEST_")
    ] == []
