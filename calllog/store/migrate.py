"""The schema migrations runner: the SQL files in calllog/migrations/<dialect>/, in order."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from calllog.store.base import StoreBase

#: Numbers that were given out but never became a migration, and why. No script may use
#: them, so a gap in the numbering is explained rather than mistaken for a lost file.
RETIRED: dict[int, str] = {
    4: "für die Kennzahlen reserviert, die ohne Schemaänderung auskamen; nie vergeben",
}


def _migration_scripts(dialect: str) -> list[tuple[int, str, str]]:
    folder = resources.files("calllog.migrations").joinpath(dialect)
    scripts = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            scripts.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(scripts)


def known_versions(dialect: str) -> list[tuple[int, str]]:
    """Every migration of a dialect as (version, name), in order."""
    return [(version, name) for version, name, _ in _migration_scripts(dialect)]


def gaps_explained(versions: list[int]) -> list[str]:
    """One line per retired number between the first and the last of `versions`."""
    if not versions:
        return []
    low, high = min(versions), max(versions)
    return [f"{n:04d}: stillgelegt ({why})" for n, why in sorted(RETIRED.items()) if low < n < high]


def latest_version(dialect: str) -> int:
    """The newest schema version this program knows for a dialect."""
    return max(version for version, _, _ in _migration_scripts(dialect))


class Migrations(StoreBase):
    """Schema version and migrations of a store."""

    def schema_version(self) -> int:
        """The newest migration applied (0 for an empty database)."""
        with self._transaction(write=False) as cur:
            return self._read_version(cur)

    def _read_version(self, cur: Any) -> int:
        return max(self._applied_versions(cur), default=0)

    def _applied_versions(self, cur: Any, *, create: bool = False) -> set[int]:
        """The versions recorded; only `migrate` creates the table (others may not)."""
        if create:
            self._exec(
                cur,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                " name text NOT NULL, applied_at text NOT NULL)",
            )
        elif not self._has_table(cur, "schema_migrations"):
            return set()
        rows = self._exec(cur, "SELECT version FROM schema_migrations").fetchall()
        return {int(row[0]) for row in rows}

    def pending_versions(self) -> list[int]:
        """The known migrations not applied yet, in order."""
        with self._transaction(write=False) as cur:
            applied = self._applied_versions(cur)
        return [v for v, _, _ in _migration_scripts(self.dialect.name) if v not in applied]

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending schema migrations in order (up to `target`); returns those applied.

        A migration is pending until it is recorded, so one numbered below the newest
        applied (e.g. merged later from another branch) is still applied.
        """
        applied = []
        with self._transaction() as cur:
            self._lock_schema(cur)
            done = self._applied_versions(cur, create=True)
            for version, name, script in _migration_scripts(self.dialect.name):
                if version in done or (target is not None and version > target):
                    continue
                self._run_script(cur, script)
                self._exec(
                    cur,
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (:version, :name, :at)",
                    {"version": version, "name": name, "at": datetime.now(UTC).isoformat()},
                )
                applied.append(version)
            if applied:
                self._after_migrations(cur)
        return applied

    def _after_migrations(self, cur: Any) -> None:
        """Run once after new migrations were applied (PostgreSQL renews the grants)."""

    def _lock_schema(self, cur: Any) -> None:
        """Serialise concurrent migrations (a no-op where the transaction already does)."""

    def _run_script(self, cur: Any, script: str) -> None:
        raise NotImplementedError
