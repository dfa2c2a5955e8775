"""`lotse pbx-sim` input checks and the settings -> bridge mapping (no server started)."""

from __future__ import annotations

import pytest

from agent_console.cli import main
from agent_console.commands.telephony import bridge_config
from agent_console.config import Settings


@pytest.mark.parametrize(
    "argv",
    [["pbx-sim", "--port", "70000"], ["pbx-sim", "--rate", "-1"], ["pbx-sim", "--agents", "0"]],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lotse: ") and err.count("\n") == 1 and "Traceback" not in err


def test_bridge_config_from_settings_keeps_secret_out_of_repr() -> None:
    config = bridge_config(Settings())
    assert config.secret == "s3cret" and "s3cret" not in repr(config)
    assert config.agents["agent1"].interfaces == ("Local/agent1@agents/n",)
    assert config.transfer_context == "departments"
