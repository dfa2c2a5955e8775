"""Who is at the keyboard: on PostgreSQL the database login decides agent id and role.

A workstation's settings (TOML, `LOTSE_*`) are the user's own to edit, so they cannot be
trusted with a role. On PostgreSQL each person connects as their own login, named after
their agent id, and the database says what that login is (`calllog.store.Access`); the
console, `lotse report` and `lotse supervisor` take agent id and role from there. A
SQLite call log belongs to one workstation and its file to one user, who may do
everything: there the settings decide.
"""

from __future__ import annotations

from typing import Protocol

from agent_console.cli import CommandError
from agent_console.config import AgentIdentity, Settings
from calllog.exceptions import SchemaOutdated, StoreUnavailable
from calllog.store import Access


class KnowsAccess(Protocol):
    """A store that can say who its login is (both backends)."""

    def access(self) -> Access:
        """The login and its role (SQLite: none, the settings decide)."""
        ...


def apply_access(
    settings: Settings, access: Access, requested_agent: str | None = None
) -> Settings:
    """The settings with the agent id and role the database gives (pure).

    Raises CommandError for a login without a role here, or an `--agent` that is not it.
    """
    if not access.enforced:
        return settings
    login = access.login or ""
    if access.role == "admin":  # owns the tables: sees everything anyway
        return _with_role(settings, settings.agent_id, "supervisor")
    if access.role not in ("agent", "supervisor", "editor"):
        raise CommandError(
            f"the database login {login!r} has no role in this call log; an admin gives it"
            f" one: lotse db user add {login} --role agent"
        )
    if requested_agent not in (None, login):
        raise CommandError(f"--agent {requested_agent} is not the database login {login!r}")
    return _with_role(settings, login, str(access.role))


def effective_settings(
    settings: Settings,
    store: KnowsAccess,
    requested_agent: str | None = None,
    *,
    offline_login: str | None = None,
) -> Settings:
    """`apply_access` with the store's answer.

    With `offline_login` (the console, which must start while the database is down) an
    unreachable or not yet upgraded database makes that login an agent, the least role,
    until the console is started again.
    """
    try:
        access = store.access()
    except (StoreUnavailable, SchemaOutdated):
        if offline_login is None:
            raise
        access = Access(offline_login, "agent")
    return apply_access(settings, access, requested_agent)


def _with_role(settings: Settings, agent_id: str, role: str) -> Settings:
    identity = settings.agents.get(agent_id) or AgentIdentity()
    agents = {**settings.agents, agent_id: identity.model_copy(update={"role": role})}
    return settings.model_copy(update={"agent_id": agent_id, "agents": agents})
