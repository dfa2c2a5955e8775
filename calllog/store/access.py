"""Who the database says the user is, and the logins of a PostgreSQL call log (admins).

On PostgreSQL each person connects as their own login, named after their agent id and a
member of one of the database's group roles (migration 0008): the role comes from the
database, not from a workstation's settings. A SQLite call log has no logins: its file
belongs to one user, who may do everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from calllog.exceptions import InvalidRecord, SchemaOutdated, StoreError
from calllog.store.base import StoreBase

#: The roles a login can be given.
ROLES = ("agent", "supervisor", "editor")
#: What a login name may look like: it is also the agent id stored with each call.
LOGIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.@-]{0,62}")


@dataclass(frozen=True, slots=True)
class Access:
    """The database's answer to "who am I here?"."""

    login: str | None
    """The login (PostgreSQL); None for a local SQLite file."""
    role: str | None
    """`agent`, `supervisor`, `editor`, `admin` (owns the tables) or `none`; None: not
    enforced by the database (SQLite), so the settings decide."""

    @property
    def enforced(self) -> bool:
        """True when the database decides the role (PostgreSQL)."""
        return self.role is not None


def check_login_name(name: str) -> str:
    """`name` if it can be a login and an agent id; raises InvalidRecord otherwise."""
    if not LOGIN_NAME.fullmatch(name) or name.lower().startswith("pg_"):
        raise InvalidRecord(
            f"not a login name: {name!r} (a letter, then letters, digits, _ . @ -; at most"
            " 63; not pg_...)"
        )
    return name


class LoginAdmin(StoreBase):
    """Creating, listing and removing logins (needs CREATEROLE; run by an admin)."""

    def _groups(self, cur: Any) -> dict[str, str]:
        if not self._has_table(cur, "access_groups"):
            raise SchemaOutdated("the call log has no roles yet; run `lotse db upgrade`")
        cur.execute("SELECT role, group_name FROM access_groups")
        return {role: group for role, group in cur.fetchall()}

    def add_login(self, name: str, role: str) -> bool:
        """Create login `name` with `role` (or give an existing login that role here).

        Returns True when the login was created. A login has one role per call log: its
        other roles here are revoked.
        """
        from psycopg import sql

        check_login_name(name)
        if role not in ROLES:
            raise InvalidRecord(f"unknown role {role!r} (agent, supervisor or editor)")
        with self._transaction() as cur:
            groups = self._groups(cur)
            if name in groups.values():
                raise InvalidRecord(f"{name!r} is one of the group roles, not a person")
            cur.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (name,))
            found = cur.fetchone()
            if found is not None and not found[0]:
                raise InvalidRecord(f"{name!r} exists as a role that cannot log in")
            if found is None:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            for other, group in groups.items():
                verb = "GRANT {} TO {}" if other == role else "REVOKE {} FROM {}"
                cur.execute(sql.SQL(verb).format(sql.Identifier(group), sql.Identifier(name)))
        return found is None

    def logins(self) -> list[tuple[str, str]]:
        """(login, role) of everyone with a role in this call log, by name."""
        with self._transaction(write=False) as cur:
            self._groups(cur)
            cur.execute(
                "SELECT m.rolname, g.role FROM access_groups g"
                " JOIN pg_roles gr ON gr.rolname = g.group_name"
                " JOIN pg_auth_members am ON am.roleid = gr.oid"
                " JOIN pg_roles m ON m.oid = am.member ORDER BY m.rolname, g.role"
            )
            return [(str(n), str(r)) for n, r in cur.fetchall()]

    def remove_login(self, name: str) -> bool:
        """Take every role in this call log from `name`, then drop the login.

        Returns False when the login was kept because it still has rights elsewhere
        (another call log, objects it owns); it can do nothing here any more.
        """
        import psycopg
        from psycopg import sql

        check_login_name(name)
        with self._transaction() as cur:
            groups = self._groups(cur)
            cur.execute(
                "SELECT rolsuper, rolname = session_user FROM pg_roles WHERE rolname = %s",
                (name,),
            )
            found = cur.fetchone()
            if found is None:
                raise InvalidRecord(f"no login {name!r}")
            if found[0] or found[1]:
                raise InvalidRecord(f"{name!r} is a superuser or yourself: not removed")
            for group in groups.values():
                cur.execute(
                    sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), sql.Identifier(name))
                )
            cur.execute(
                "SELECT count(*) FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member"
                " WHERE m.rolname = %s",
                (name,),
            )
            if cur.fetchone()[0]:
                return False  # a member of other roles (another call log): keep the login
            try:
                with cur.connection.transaction():
                    cur.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
            except psycopg.errors.DependentObjectsStillExist:
                return False
            except psycopg.Error as exc:
                raise StoreError(f"cannot drop login {name!r}: {exc.diag.message_primary}") from exc
        return True
