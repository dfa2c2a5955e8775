"""Broken settings from the environment or a file: one clear line, no traceback, no secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.cli import main
from agent_console.config import SettingsError, load_settings

Capture = pytest.CaptureFixture[str]


def one_line_error(capsys: Capture, argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("lotse: ") and "Traceback" not in captured.err
    return captured.err


def test_pbx_table_that_is_not_json(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.setenv("LOTSE_PBX", '{"host": ')
    err = one_line_error(capsys, ["calllog", "list"])
    assert err.startswith("lotse: invalid LOTSE_ environment variable:") and '"pbx"' in err


def test_secret_with_bytes_that_are_not_utf8(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.setenv("LOTSE_PBX__SECRET", "gut\udcff\udcfegeheim")  # bytes ff fe in the variable
    err = one_line_error(capsys, ["pbx-monitor", "--seconds", "1"])
    assert (
        err
        == "lotse: setting pbx.secret: not valid UTF-8 (check the LOTSE_ environment variable)\n"
    )


def test_any_text_setting_with_bytes_that_are_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_AGENTS__AGENT1__NAME", "M\udcfcller")
    with pytest.raises(SettingsError, match=r"^setting agents\.agent1\.name: not valid UTF-8"):
        load_settings()


@pytest.mark.parametrize("field", ["secret", "username"])
def test_login_with_a_control_character(tmp_path: Path, capsys: Capture, field: str) -> None:
    config = tmp_path / "lotse.toml"
    config.write_text(f'[pbx]\n{field} = "geheim\\r\\nAction: Originate"\n', encoding="utf-8")
    err = one_line_error(capsys, ["--config", str(config), "pbx-monitor"])
    assert f"setting pbx.{field}: Value error, must not contain control characters" in err
    assert "geheim" not in err
