"""A throwaway PostgreSQL cluster for tests that need a real server.

It listens on a unix socket in its own temp dir and on no TCP port at all, so no port is ever
chosen before the server binds it and nothing else on the machine can take it or connect to it.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin "
    "or on PATH; install them (Debian: apt-get install -y postgresql). These tests never skip."
)


def find_bindir(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """Return the directory of the newest installed initdb/pg_ctl, or fail the test run."""

    def version(initdb: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", initdb.parent.parent.name))

    candidates = sorted(root.glob("*/bin/initdb"), key=version)
    if candidates:
        return candidates[-1].parent
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    pytest.fail(MISSING, pytrace=False)


class PostgresCluster:
    """Start a private cluster in a temp dir, hand out databases, and remove it all at the end."""

    def __init__(self) -> None:
        """Find the binaries and make the directory; nothing runs until `start`."""
        self.bindir = find_bindir()
        # Short on purpose: a socket path must fit in 107 bytes (`/tmp/pg-xxxxxxxx/.s.PGSQL.5432`).
        self.root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
        self.data = self.root / "data"
        # initdb and pg_ctl refuse to run as root, so run them as the postgres user then.
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, *args: str) -> None:
        """Run one server tool, as postgres when we are root, failing loudly with its output."""
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)

    def start(self) -> None:
        """Create the cluster and start the server, listening on its unix socket only."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        """Stop the server at once and delete every file of the cluster."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """Return the SQLAlchemy URL of one of the cluster's databases, through the socket."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.root}"

    def conninfo(self, database: str) -> str:
        """Return the libpq connection string of one of the cluster's databases."""
        return f"host={self.root} user=postgres dbname={database}"

    def create_database(self, name: str, *, template: str = "template1") -> str:
        """Create a database (copying `template`) and return its URL."""
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as connection:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}")
            connection.execute(statement.format(sql.Identifier(name), sql.Identifier(template)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open to it."""
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as connection:
            statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            connection.execute(statement.format(sql.Identifier(name)))
