"""What all worker processes share, in one SQLite file (WAL): the write log and the issued access tokens.

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

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, vendor TEXT NOT NULL, expires_at REAL);
"""


class SharedState:
    def __init__(self, path: str | None = None):
        if path is None:
            handle, path = tempfile.mkstemp(prefix="mockserver-state-", suffix=".sqlite3")
            os.close(handle)
            self.temporary = True
        else:
            self.temporary = False
        self.path = path
        self._local = threading.local()
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

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
        expires_at = None if ttl_seconds is None else time.time() + ttl_seconds
        self._connection().execute(
            "INSERT OR REPLACE INTO tokens (token, vendor, expires_at) VALUES (?, ?, ?)", (token, vendor, expires_at)
        )

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
