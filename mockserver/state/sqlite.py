"""The shared state in one SQLite file (WAL), for the workers of one machine: the embedded default.

Connections are per process and thread: gunicorn forks after the app is built, and a SQLite connection must not
cross a fork. One writer at a time is SQLite's own: BEGIN IMMEDIATE takes the file's write lock.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from typing import Iterator

from ..config import SettingError
from ..state_files import TEMPORARY_PREFIX, create_private, remove_stale_temporaries
from .base import SharedState


class SqliteState(SharedState):
    BACKEND = "sqlite"

    def __init__(self, path: str | None = None, belongs_to: dict[str, str] | None = None):
        """The state file at `path` (a fresh temporary one if None); `belongs_to` claims it for one world."""
        if path is None:
            remove_stale_temporaries()
            # the creating process's pid in the name: a later start can tell the file of a killed server (0600)
            handle, path = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=".sqlite3")
            os.close(handle)
            self.temporary = True
        else:
            self.temporary = False
            create_private(path)
        self.path = path
        self._local = threading.local()
        self._check_writable()
        try:
            self._connection().execute("PRAGMA journal_mode=WAL")
            with self.locked():
                self._create_schema("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL")
            if belongs_to is not None:
                self._claim(belongs_to)
        except sqlite3.Error as error:
            raise SettingError("state", path, f"not a state file this mockserver can use ({error})") from None

    def _check_writable(self) -> None:
        """SQLite in WAL mode writes the file and, beside it, `-wal` and `-shm`: the folder must be writable too."""
        folder = os.path.dirname(os.path.abspath(self.path))
        if os.path.isdir(self.path):
            problem = "a folder, not a file: name a file in it, e.g. " + os.path.join(self.path, "state.sqlite")
        elif not os.path.isdir(folder):
            problem = f"its folder {folder} does not exist"
        elif not os.access(folder, os.W_OK | os.X_OK):
            problem = (f"its folder {folder} is not writable by uid {os.getuid()}: give that uid the folder (for a "
                       f"host folder mounted into the image: `chown {os.getuid()}` it, podman's `:U`, or `docker run "
                       "--user \"$(id -u)\"`), or name a file elsewhere")
        elif os.path.exists(self.path) and not os.access(self.path, os.W_OK):
            problem = f"not writable by uid {os.getuid()}: make it writable for that user, or name a file elsewhere"
        else:
            return
        raise SettingError("state", self.path, problem)

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE in `locked`).
            local.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            local.db.execute("PRAGMA synchronous=NORMAL")
            local.pid = os.getpid()
        return local.db

    def execute(self, sql, args=()):
        return self._connection().execute(sql, tuple(args))

    def executemany(self, sql, rows) -> None:
        self._connection().executemany(sql, rows)

    @contextmanager
    def locked(self) -> Iterator[None]:
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def glob(self, column: str, pattern: str) -> tuple[str, str]:
        return f"{column} GLOB ?", pattern

    def remove(self) -> None:
        """Delete a temporary state file (and its WAL companions) when the server stops."""
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(self.path + suffix)
                except FileNotFoundError:
                    pass
