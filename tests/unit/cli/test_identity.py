"""The database login decides agent id and role on PostgreSQL, whatever the settings claim."""

from __future__ import annotations

import pytest

from agent_console.cli import CommandError
from agent_console.config import AgentIdentity, Settings
from agent_console.identity import apply_access, effective_settings
from calllog.exceptions import StoreUnavailable
from calllog.store import Access


def claims(agent: str = "anna", role: str = "supervisor") -> Settings:
    """Settings in which `agent` claims `role` (a user can write anything there)."""
    return Settings(
        agent_id=agent,
        agents={agent: AgentIdentity(interfaces=[f"PJSIP/{agent}"], role=role)},
    )


def role(settings: Settings) -> str:
    """The role the settings now give their agent."""
    return settings.agents[settings.agent_id].role


def test_sqlite_leaves_the_settings_alone() -> None:
    settings = claims()
    assert apply_access(settings, Access(None, None)) is settings


def test_a_login_overrides_the_claimed_agent_and_role() -> None:
    settings = apply_access(claims("agent1", "supervisor"), Access("anna", "agent"))
    assert (settings.agent_id, role(settings)) == ("anna", "agent")
    lead = apply_access(claims("sue", "agent"), Access("sue", "supervisor"))
    assert (lead.agent_id, role(lead), lead.agents["sue"].interfaces) == (
        "sue", "supervisor", ["PJSIP/sue"],
    )  # fmt: skip


def test_the_owner_of_the_tables_is_a_supervisor_under_the_settings_agent_id() -> None:
    settings = apply_access(claims("lead", "agent"), Access("postgres", "admin"))
    assert (settings.agent_id, role(settings)) == ("lead", "supervisor")


@pytest.mark.parametrize(
    ("access", "requested", "message"),
    [
        (Access("mallory", "none"), None, "no role in this call log"),
        (Access("anna", "agent"), "ben", "--agent ben is not the database login 'anna'"),
    ],
)
def test_no_role_or_another_agent_is_refused(
    access: Access, requested: str | None, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        apply_access(claims(), access, requested)


class Down:
    """A store whose database cannot be reached."""

    def access(self) -> Access:
        raise StoreUnavailable("connection refused")


def test_offline_the_console_runs_as_the_url_login_with_the_least_role() -> None:
    settings = effective_settings(claims("anna", "supervisor"), Down(), offline_login="anna")
    assert (settings.agent_id, role(settings)) == ("anna", "agent")
    with pytest.raises(StoreUnavailable):  # reports and the supervisor screen need the answer
        effective_settings(claims(), Down())
