"""`lotse db user add|list|remove`: the PostgreSQL logins of a call log and their roles (admins)."""

from __future__ import annotations

import argparse
from typing import Any

from agent_console.cli import CommandError
from agent_console.commands import settings_for
from calllog.store import ROLES, PostgresStore, SqlStore


def register_users(db_commands: Any) -> None:
    """Add `user` with `add`, `list` and `remove` under `lotse db`."""
    user = db_commands.add_parser("user", help="logins and their roles (PostgreSQL; admins)")
    sub = user.add_subparsers(dest="user_command", metavar="USER_COMMAND", required=True)
    add = sub.add_parser("add", help="create a login (named after the agent id) with a role")
    add.add_argument("name", help="the login: the person's agent id")
    add.add_argument("--role", choices=ROLES, required=True)
    listing = sub.add_parser("list", help="every login with a role in this call log")
    remove = sub.add_parser("remove", help="take the login's role and drop the login")
    remove.add_argument("name")
    for parser, handler in ((add, _add), (listing, _list), (remove, _remove)):
        parser.add_argument("--db", metavar="URL", help="postgresql://admin@host/db")
        parser.set_defaults(handler=handler)


def _postgres(store: SqlStore) -> PostgresStore:
    if not isinstance(store, PostgresStore):
        raise CommandError(
            "logins exist only on PostgreSQL; a SQLite call log belongs to the owner of its"
            " file, who is its only user"
        )
    return store


def _add(args: argparse.Namespace) -> int:
    from agent_console.commands.calllog import store_from_args

    with store_from_args(args, settings_for(args), migrate=False) as store:
        created = _postgres(store).add_login(args.name, args.role)
    if created:
        print(
            f"Login {args.name} angelegt, Rolle {args.role}. Anmeldung nach den Regeln des"
            f" Servers (pg_hba.conf), z. B. mit Passwort: psql -c '\\password {args.name}'"
        )
    else:
        print(f"Login {args.name} hat jetzt die Rolle {args.role}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from agent_console.commands.calllog import store_from_args

    with store_from_args(args, settings_for(args), migrate=False) as store:
        found = _postgres(store).logins()
    if not found:
        print("Keine Logins mit einer Rolle (lotse db user add NAME --role agent).")
        return 0
    width = max(len("Login"), *(len(name) for name, _ in found))
    print(f"{'Login'.ljust(width)}  Rolle")
    for name, role in found:
        print(f"{name.ljust(width)}  {role}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from agent_console.commands.calllog import store_from_args

    with store_from_args(args, settings_for(args), migrate=False) as store:
        dropped = _postgres(store).remove_login(args.name)
    if dropped:
        print(f"Login {args.name} entfernt.")
    else:
        print(f"{args.name} hat hier keine Rolle mehr; der Login bleibt (Rechte anderswo).")
    return 0
