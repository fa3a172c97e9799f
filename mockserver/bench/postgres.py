"""A temporary PostgreSQL server on a data directory of its own and a free loopback port: the benchmark's database
for one replica on `--state postgresql://` (and the slow tests' through tests/helpers/postgres.py).

Debian's `postgresql` package (.ci/postgres-setup installs it) puts initdb and pg_ctl in
/usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user
the package creates (runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from .processes import free_port

USER, DATABASE = "mock", "mockstate"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else the newest of Debian's versions."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


class PostgresServer:
    """initdb'd into a temporary folder, started with pg_ctl; `url` reaches the database the mock uses."""

    def __init__(self, folder: Path):
        self.bin = folder
        self.root = Path(tempfile.mkdtemp(prefix="mockserver-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql://{USER}:secret@127.0.0.1:{self.port}/{DATABASE}"
        self._as = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self._as, *command], capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> "PostgresServer":
        if not self.data.exists():
            password = self.root / "password"
            password.write_text("secret\n")
            if self._as:
                os.chown(password, pwd.getpwnam("postgres").pw_uid, -1)
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, "--pwfile", str(password),
                      "-A", "scram-sha-256", "--no-sync", "-E", "UTF8")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{self.root}' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                  "-w", "-t", "60", "start")
        if not getattr(self, "_created", False):
            self._createdb()
            self._created = True
        return self

    def _createdb(self) -> None:
        import psycopg

        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def query(self, sql: str, *args):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, args).fetchall()

    def version(self) -> str:
        return self._run(str(self.bin / "postgres"), "--version", check=False).stdout.strip()

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""
