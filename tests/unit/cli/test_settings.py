"""Settings: TOML file plus LOTSE_ environment, merged key by key; bad input is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.cli import main
from agent_console.config import SettingsError, load_settings


def test_environment_overrides_one_key_and_keeps_the_rest_of_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "lotse.toml"
    config.write_text('[pbx]\nhost = "10.0.0.5"\nport = 5039\n', encoding="utf-8")
    monkeypatch.setenv("LOTSE_PBX__PORT", "6000")
    settings = load_settings(config)
    assert (settings.pbx.host, settings.pbx.port) == ("10.0.0.5", 6000)


def test_secret_from_environment_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_PBX__SECRET", "geheim")
    settings = load_settings()
    assert settings.pbx.secret.get_secret_value() == "geheim"
    assert "geheim" not in repr(settings)


def test_defaults_without_file() -> None:
    assert load_settings().pbx.port == 5038


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pbx\n", "invalid TOML"),
        ('[pbx]\nport = "viele"\n', "setting pbx.port: Input should be a valid integer"),
    ],
)
def test_bad_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "lotse.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(config)


def test_cli_reports_a_missing_config_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["--config", str(missing), "kb", "lint"]) == 2
    assert capsys.readouterr().err == (
        f"lotse: {missing}: cannot read settings: No such file or directory\n"
    )
