"""`lotse pbx-sim` input checks and the settings -> bridge mapping (no server started)."""

from __future__ import annotations

import argparse

import pytest

from agent_console.cli import CommandError
from agent_console.commands import telephony as command
from agent_console.commands.telephony import bridge_config
from agent_console.config import Settings


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lotse")
    parser.add_argument("--config")
    command.register(parser.add_subparsers())
    return parser.parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["pbx-sim", "--port", "70000"], "ungültiger Port 70000"),
        (["pbx-sim", "--rate", "-1"], "--rate"),
        (["pbx-sim", "--agents", "0"], "--agents"),
    ],
)
def test_bad_input_raises_one_clear_command_error(argv: list[str], message: str) -> None:
    args = _parse(argv)
    with pytest.raises(CommandError, match=message):
        args.handler(args)


def test_bridge_config_from_settings_keeps_secret_out_of_repr() -> None:
    config = bridge_config(Settings())
    assert config.secret == "s3cret" and "s3cret" not in repr(config)
    assert config.agents["agent1"].interfaces == ("Local/agent1@agents/n",)
    assert config.transfer_context == "departments"


def test_agent_id_for_interface() -> None:
    config = bridge_config(Settings())
    assert config.agent_id_for("Local/agent2@agents/n") == "agent2"
    assert config.agent_id_for("PJSIP/unknown") is None


def test_unknown_silent_department_refused() -> None:
    args = _parse(["pbx-sim", "--silent-department", "2009"])
    with pytest.raises(CommandError, match="unbekannte Abteilung 2009"):
        args.handler(args)
