"""Shared set-up for the call-log benchmarks: a throw-away database on each backend."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

#: The PostgreSQL maintenance database (override with LOTSE_BENCH_PG).
PG_ADMIN_URL = os.environ.get("LOTSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def scratch_url(backend: str) -> Iterator[str]:
    """A URL of a fresh, empty database on `backend`, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lotse-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'calls.db'}"
        return
    url = create_pg_database(f"lotse_bench_{uuid.uuid4().hex[:10]}")
    try:
        yield url
    finally:
        drop_pg_database(url.rsplit("/", 1)[1])


def create_pg_database(name: str) -> str:
    """Create an empty PostgreSQL database beside the admin one; returns its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def drop_pg_database(name: str) -> None:
    """Drop a database made by create_pg_database, even with sessions still open."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        # Its group roles (migration 0008: <name>_agent, ...) are cluster-wide.
        for role in ("agent", "supervisor", "editor"):
            admin.execute(f'DROP ROLE IF EXISTS "{name[:40]}_{role}"')  # type: ignore[arg-type]
