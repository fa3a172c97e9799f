"""What all worker processes share, in one SQLite file (WAL): the write log and the issued access tokens.

The file remembers the world it belongs to (seed, sizes, mockserver version) in `meta`, and refuses another: a
token or write of one world means nothing in another, and an old version's log may not apply to a new world.

Each worker keeps the seeded world in memory and applies the log's events it has not seen before answering
(World.catch_up), so a write on one worker shows on the very next read on any worker. Connections are per
process and thread: gunicorn forks after the app is built, and a SQLite connection must not cross a fork.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from .config import SettingError
from .state_files import TEMPORARY_PREFIX, create_private, remove_stale_temporaries

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, vendor TEXT NOT NULL, expires_at REAL);
CREATE INDEX IF NOT EXISTS tokens_by_expiry ON tokens (expires_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _describe(meta: dict[str, str]) -> str:
    sizes = ", ".join(f"{v} {k}" for k, v in json.loads(meta.get("sizes", "{}")).items())
    return f"seed {meta.get('seed')}, {sizes}, mockserver {meta.get('version')}"


class SharedState:
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
            with self._connection() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
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

    def _claim(self, belongs_to: dict[str, str]) -> None:
        """A fresh file takes the world's identity; a file of another world, or of an unknown one, is refused."""
        db = self._connection()
        with self.locked():
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if not meta:
                used = db.execute("SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM tokens)").fetchone()[0]
                if used:
                    raise SettingError("state", self.path, "was written by an older mockserver that did not record "
                                       "its world: remove it, or name another file")
                db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(belongs_to.items()))
            elif meta != belongs_to:
                raise SettingError("state", self.path, f"belongs to another world ({_describe(meta)}), not this one "
                                   f"({_describe(belongs_to)}): remove it, or name another file")

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE in `locked`).
            local.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            local.db.execute("PRAGMA synchronous=NORMAL")
            local.pid = os.getpid()
        return local.db

    # --- the write log ----------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time across every process; rolled back if the body raises."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def append(self, kind: str, payload: dict) -> int:
        cursor = self._connection().execute(
            "INSERT INTO events (kind, payload) VALUES (?, ?)", (kind, json.dumps(payload, separators=(",", ":")))
        )
        return cursor.lastrowid

    def head(self) -> int:
        return self._connection().execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]

    def events_after(self, seq: int) -> list[tuple[int, str, dict]]:
        rows = self._connection().execute("SELECT seq, kind, payload FROM events WHERE seq > ? ORDER BY seq", (seq,))
        return [(s, kind, json.loads(payload)) for s, kind, payload in rows]

    # --- access tokens ------------------------------------------------------------------------------------

    def add_token(self, vendor: str, token: str, ttl_seconds: float | None) -> None:
        now = time.time()
        expires_at = None if ttl_seconds is None else now + ttl_seconds
        db = self._connection()
        db.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))  # by its index: the table holds live ones only
        db.execute("INSERT OR REPLACE INTO tokens (token, vendor, expires_at) VALUES (?, ?, ?)",
                   (token, vendor, expires_at))

    def token_valid(self, vendor: str, token: str) -> bool:
        row = self._connection().execute(
            "SELECT expires_at FROM tokens WHERE token = ? AND vendor = ?", (token, vendor)
        ).fetchone()
        return row is not None and (row[0] is None or row[0] > time.time())

    def remove(self) -> None:
        """Delete a temporary state file (and its WAL companions) when the server stops."""
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(self.path + suffix)
                except FileNotFoundError:
                    pass
