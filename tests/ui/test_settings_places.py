"""Settings of issue 16: [municipalities], [languages], an agent's extension; the demo's."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.app import console_options
from agent_console.commands.console import demo_places
from agent_console.config import BUNDLED_KB, SettingsError, load_settings
from agent_console.origin import Colleague
from kb.loader import load

TOML = """
agent_id = "agent1"
[municipalities]
by_number = { "1150002" = "beispielheim" }
by_queue = { "ortsdorf" = "ortsdorf" }
default = "musterstadt"
[languages]
pbx_default = "de"
by_queue = { "service115-tr" = "tr" }
[languages.agents]
agent2 = ["de", "tr", "uk"]
[agents.agent1]
interfaces = ["PJSIP/agent1"]
[agents.agent2]
interfaces = ["PJSIP/agent2"]
name = "Berk Demir"
extension = "3002"
"""


def test_the_maps_reach_the_console_and_the_recorder(tmp_path: Path) -> None:
    path = tmp_path / "lotse.toml"
    path.write_text(TOML, encoding="utf-8")
    settings = load_settings(path)
    routing = settings.municipalities.routing(settings.languages)
    assert routing.municipality("1150002", "service115") == "beispielheim"
    assert routing.municipality("115", "ortsdorf") == "ortsdorf"
    assert routing.municipality("115", "service115") == "musterstadt"
    assert routing.language("en", "service115") == "en"  # pbx_default "de": a real choice
    assert routing.language("de", "service115-tr") == "tr"
    options = console_options(settings)
    assert options.routing == routing
    assert options.colleagues == (
        Colleague("agent1", "agent1", "", ("de",), ("PJSIP/agent1",)),
        Colleague("agent2", "Berk Demir", "3002", ("de", "tr", "uk"), ("PJSIP/agent2",)),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[languages.agents]\nagent2 = ["Türkisch"]\n',
         "setting languages.agents: Value error, agent2: 'Türkisch' is not a language code"),
        ('[languages]\nby_queue = { q = "TR" }\n',
         "setting languages.by_queue: Value error, q: 'TR' is not a language code"),
        ('[languages]\npbx_default = "english"\n', "setting languages.pbx_default: String"),
        ('[agents.agent2]\nextension = "30 02"\n', "setting agents.agent2.extension: String"),
    ],
)  # fmt: skip
def test_bad_values_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "lotse.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


def test_the_demo_maps_the_simulators_numbers_to_the_sample_districts_towns() -> None:
    settings = demo_places(load_settings(), load(BUNDLED_KB))
    places = settings.municipalities
    assert places.by_number == {"1150002": "beispielheim", "1150003": "ortsdorf"}
    assert places.default == "musterstadt"
    assert settings.languages.of("agent2") == ["de", "tr", "uk"]
    assert (settings.agents["agent1"].extension, settings.agents["agent2"].extension) == (
        "3001", "3002",
    )  # fmt: skip


def test_the_demo_keeps_what_the_settings_say(tmp_path: Path) -> None:
    path = tmp_path / "lotse.toml"
    path.write_text(TOML, encoding="utf-8")
    settings = demo_places(load_settings(path), load(BUNDLED_KB))
    assert settings.municipalities.by_number == {"1150002": "beispielheim"}
    assert settings.languages.of("agent1") == ["de"]  # the settings list agent2 only
    assert settings.agents["agent2"].extension == "3002"
    assert settings.agents["agent1"].extension == "3001"  # none set: the demo's
