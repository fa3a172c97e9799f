"""What all worker processes (and, on PostgreSQL, all replicas) share: the write log, the issued access tokens, the
control plane's rows and the webhook outbox. One interface, two backends (sqlite.py, postgres.py), chosen by
`--state`: a file path (SQLite, the default) or a `postgresql://` URL.

The state remembers the world it belongs to (seed, sizes, mockserver version) in `meta`, and refuses another: a
token or write of one world means nothing in another, and an old version's log may not apply to a new world.

Each worker keeps the seeded world in memory and applies the log's events it has not seen before answering
(World.catch_up), so a write on one worker shows on the very next read on any worker (of any replica).

The SQL of every module runs on both backends as written here, in the subset both engines speak: `?` parameters
(the PostgreSQL backend turns them into its own), `INSERT ... ON CONFLICT`, `RETURNING id` instead of a cursor's
last row id, and `CAST(? AS TEXT) IS NULL` where a parameter's type could not be inferred. What differs is the
backend's: column types of the schema (SCHEMA's `{id}` and `{real}`), how one writer at a time is made
(`locked`), and path patterns (`glob`).
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from typing import Any, Iterable

from ..config import SettingError

SCHEMA_VERSION = 1  # bump it with a migration in `_migrate` when a table changes
SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq {id}, kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, vendor TEXT NOT NULL, expires_at {real});
CREATE INDEX IF NOT EXISTS tokens_by_expiry ON tokens (expires_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _describe(meta: dict[str, str]) -> str:
    sizes = ", ".join(f"{v} {k}" for k, v in json.loads(meta.get("sizes", "{}")).items())
    return f"seed {meta.get('seed')}, {sizes}, mockserver {meta.get('version')}"


def is_postgres(location: str | None) -> bool:
    return location is not None and location.startswith(("postgresql://", "postgres://"))


class SharedState:
    """`SharedState(location, belongs_to)`: the backend `location` names (None: a fresh temporary SQLite file);
    `belongs_to` claims it for one world. `path` says where it is (a URL without its password on PostgreSQL)."""

    BACKEND = ""  # its name, as the console's status shows it

    path: str
    temporary: bool = False

    def __new__(cls, location: str | None = None, belongs_to: dict[str, str] | None = None):
        if cls is SharedState:  # the interface picks its backend; a backend's own class is built as asked
            if is_postgres(location):
                from .postgres import PostgresState as cls
            else:
                from .sqlite import SqliteState as cls
        return super().__new__(cls)

    # --- what each backend provides -----------------------------------------------------------------------

    def execute(self, sql: str, args: Iterable[Any] = ()):
        """One statement (`?` parameters); the result has fetchone(), fetchall(), rowcount and iterates its rows.
        Inside `locked()` it is part of that transaction, else it commits at once."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        raise NotImplementedError

    def insert(self, sql: str, args: Iterable[Any] = ()) -> int:
        """An INSERT ending in `RETURNING id`: the new row's id."""
        return self.execute(sql, args).fetchone()[0]

    def locked(self) -> AbstractContextManager[None]:
        """One transaction, one writer at a time across every process (and replica); rolled back if the body
        raises."""
        raise NotImplementedError

    def glob(self, column: str, pattern: str) -> tuple[str, Any]:
        """A WHERE clause matching `column` against a shell pattern (`*`, `?`, `[...]`), and its parameter."""
        raise NotImplementedError

    def remove(self) -> None:
        """Give back what this process holds (and delete a temporary state) when the server stops."""

    def verify(self, writing: bool = False) -> None:
        """Raise StateUnavailableError when the state this server started on is no longer there to write (checked
        before each request: a cheap look, not a query)."""

    # --- schema and claim ---------------------------------------------------------------------------------

    def _create_schema(self, id_column: str, real: str) -> None:
        """Every table, created if missing, and the schema's version checked: call it inside `locked()`."""
        for statement in SCHEMA.format(id=id_column, real=real).split(";"):
            if statement.strip():
                self.execute(statement)
        row = self.execute("SELECT MAX(version) FROM schema_version").fetchone()
        if row[0] is None:
            self.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif row[0] > SCHEMA_VERSION:
            raise SettingError("state", self.path, f"was made by a newer mockserver (schema {row[0]}, this one knows "
                               f"{SCHEMA_VERSION}): upgrade this one, or name another state")
        elif row[0] < SCHEMA_VERSION:
            self._migrate(row[0])

    def _migrate(self, found: int) -> None:
        """From schema `found` to SCHEMA_VERSION (no older schema exists yet)."""
        self.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    def _claim(self, belongs_to: dict[str, str]) -> None:
        """A fresh state takes the world's identity; a state of another world, or of an unknown one, is refused."""
        with self.locked():
            meta = dict(self.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                used = self.execute("SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM tokens)"
                                    ).fetchone()[0]
                if used:
                    raise SettingError("state", self.path, "was written by an older mockserver that did not record "
                                       "its world: remove it, or name another state")
                self.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(belongs_to.items()))
            elif meta != belongs_to:
                raise SettingError("state", self.path, f"belongs to another world ({_describe(meta)}), not this one "
                                   f"({_describe(belongs_to)}): remove it, or name another state")

    # --- the write log ----------------------------------------------------------------------------------

    def append(self, kind: str, payload: dict) -> int:
        return self.insert("INSERT INTO events (kind, payload) VALUES (?, ?) RETURNING seq",
                           (kind, json.dumps(payload, separators=(",", ":"))))

    def compact(self, start: int, standing: Iterable[Iterable[str]] = ()) -> int:
        """Delete the events before `start`, an epoch's start (a reset: World.commit, in its transaction), but the
        last of each group of `standing` kinds before it; the number deleted. Seqs are never reused (SQLite's
        AUTOINCREMENT, PostgreSQL's identity), so a worker's position stays meaningful."""
        kept = []
        for kinds in map(sorted, standing):
            row = self.execute(f"SELECT MAX(seq) FROM events WHERE seq < ? AND kind IN ({', '.join('?' * len(kinds))})",
                               (start, *kinds)).fetchone()
            if row[0] is not None:
                kept.append(row[0])
        spared = f" AND seq NOT IN ({', '.join('?' * len(kept))})" if kept else ""
        return self.execute(f"DELETE FROM events WHERE seq < ?{spared}", (start, *kept)).rowcount

    def head(self) -> int:
        return self.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]

    def events_after(self, seq: int) -> list[tuple[int, str, dict]]:
        rows = self.execute("SELECT seq, kind, payload FROM events WHERE seq > ? ORDER BY seq", (seq,)).fetchall()
        return [(s, kind, json.loads(payload)) for s, kind, payload in rows]

    # --- access tokens ------------------------------------------------------------------------------------

    def add_token(self, vendor: str, token: str, ttl_seconds: float | None, now: float | None = None) -> None:
        """`now`: the world's clock (epoch seconds), so a moved mock clock expires tokens; the machine's by default.
        Tokens expired by then are deleted (by their index), so the table holds live ones only."""
        now = time.time() if now is None else now
        expires_at = None if ttl_seconds is None else now + ttl_seconds
        self.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
        self.execute("INSERT INTO tokens (token, vendor, expires_at) VALUES (?, ?, ?) ON CONFLICT (token) DO UPDATE "
                     "SET vendor = excluded.vendor, expires_at = excluded.expires_at", (token, vendor, expires_at))

    def token_valid(self, vendor: str, token: str, now: float | None = None) -> bool:
        row = self.execute("SELECT expires_at FROM tokens WHERE token = ? AND vendor = ?", (token, vendor)).fetchone()
        return row is not None and (row[0] is None or row[0] > (time.time() if now is None else now))


# --- journal ---
# The control plane's tables (mockserver/control/store.py reads and writes them): the request journal (a ring of
# --journal-size entries, each with the call's masked answer and the events it committed, for the console), the
# faults and stubs every worker applies, and `control_version`, one row bumped by every change of faults or stubs
# so that a worker re-reads them only when they changed.
SCHEMA += """
CREATE TABLE IF NOT EXISTS journal (id {id}, time {real} NOT NULL, worker INTEGER NOT NULL,
    vendor TEXT NOT NULL, operation TEXT, method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL,
    headers TEXT NOT NULL, body TEXT NOT NULL, status INTEGER, ms {real} NOT NULL, stubbed INTEGER NOT NULL,
    fault TEXT, content_type TEXT, answer TEXT NOT NULL, events TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS faults (id {id}, spec TEXT NOT NULL, scenario TEXT,
    created {real} NOT NULL, expires_at {real}, times INTEGER, calls INTEGER NOT NULL DEFAULT 0,
    fired INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS stubs (id {id}, spec TEXT NOT NULL, priority INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS control_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO control_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING;
"""

# --- webhooks -----------------------------------------------------------------------------------------------------
# The webhook outbox (outbox.py): one row per delivery, unique per (event, subscriber, event type).
SCHEMA += """
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id {id}, event_seq INTEGER NOT NULL, subscriber TEXT NOT NULL,
    event_type TEXT NOT NULL, url TEXT NOT NULL, secret TEXT, body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_try {real} NOT NULL,
    claimed_at {real}, status_code INTEGER, last_error TEXT, created_at {real} NOT NULL, finished_at {real},
    UNIQUE (event_seq, subscriber, event_type));
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_try);
CREATE TABLE IF NOT EXISTS webhook_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
