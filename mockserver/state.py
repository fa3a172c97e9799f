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

    def add_token(self, vendor: str, token: str, ttl_seconds: float | None, now: float | None = None) -> None:
        """`now`: the world's clock (epoch seconds), so a moved mock clock expires tokens; the machine's by default.
        Tokens expired by then are deleted (by their index), so the table holds live ones only."""
        now = time.time() if now is None else now
        expires_at = None if ttl_seconds is None else now + ttl_seconds
        db = self._connection()
        db.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
        db.execute("INSERT OR REPLACE INTO tokens (token, vendor, expires_at) VALUES (?, ?, ?)",
                   (token, vendor, expires_at))

    def token_valid(self, vendor: str, token: str, now: float | None = None) -> bool:
        row = self._connection().execute(
            "SELECT expires_at FROM tokens WHERE token = ? AND vendor = ?", (token, vendor)
        ).fetchone()
        return row is not None and (row[0] is None or row[0] > (time.time() if now is None else now))

    def remove(self) -> None:
        """Delete a temporary state file (and its WAL companions) when the server stops."""
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(self.path + suffix)
                except FileNotFoundError:
                    pass


# --- journal ---
# The control plane's tables (mockserver/control/store.py reads and writes them): the request journal (a ring of
# --journal-size entries), the faults and stubs every worker applies, and `control_version`, one row bumped by every
# change of faults or stubs so that a worker re-reads them only when they changed.
SCHEMA += """
CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, worker INTEGER NOT NULL,
    vendor TEXT NOT NULL, operation TEXT, method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL,
    headers TEXT NOT NULL, body TEXT NOT NULL, status INTEGER, ms REAL NOT NULL, stubbed INTEGER NOT NULL,
    fault TEXT);
CREATE TABLE IF NOT EXISTS faults (id INTEGER PRIMARY KEY AUTOINCREMENT, spec TEXT NOT NULL, scenario TEXT,
    created REAL NOT NULL, expires_at REAL, times INTEGER, calls INTEGER NOT NULL DEFAULT 0,
    fired INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS stubs (id INTEGER PRIMARY KEY AUTOINCREMENT, spec TEXT NOT NULL, priority INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS control_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO control_version (id, version) VALUES (1, 0);
"""

# --- webhooks -----------------------------------------------------------------------------------------------------
# The webhook outbox: one row per delivery (an event of one type, for one subscriber), written in the transaction of
# the write that caused it (World.commit's watchers) under a unique key, so it exists exactly once whichever worker
# committed it. Any worker's delivery thread claims due rows under the write lock (BEGIN IMMEDIATE), so each is sent
# by one worker only. Times here are real time (time.time()): retries wait in real seconds whatever the mock clock.

SCHEMA += """
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, event_seq INTEGER NOT NULL, subscriber TEXT NOT NULL,
    event_type TEXT NOT NULL, url TEXT NOT NULL, secret TEXT, body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_try REAL NOT NULL,
    claimed_at REAL, status_code INTEGER, last_error TEXT, created_at REAL NOT NULL, finished_at REAL,
    UNIQUE (event_seq, subscriber, event_type));
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_try);
CREATE TABLE IF NOT EXISTS webhook_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
PENDING, SENDING, DELIVERED, FAILED, DROPPED, REFUSED, CANCELLED = (
    "pending", "sending", "delivered", "failed", "dropped", "refused", "cancelled")
FINISHED_KEPT = 1000  # finished deliveries kept for GET /__admin/webhooks, the newest; older ones are forgotten
_DELIVERY_COLUMNS = ("id", "event_seq", "subscriber", "event_type", "url", "secret", "body", "status", "attempts",
                     "next_try", "status_code", "last_error", "created_at", "finished_at")


def enqueue_webhooks(state: SharedState, seq: int, deliveries: list[dict], queue_limit: int) -> None:
    """Add deliveries (subscriber, event_type, url, secret, body) caused by log event `seq`; call it inside the
    write's transaction. Past `queue_limit` pending deliveries the oldest pending ones are dropped (and counted)."""
    db, now = state._connection(), time.time()
    db.executemany(
        "INSERT OR IGNORE INTO webhook_deliveries (event_seq, subscriber, event_type, url, secret, body, next_try, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(seq, d["subscriber"], d["event_type"], d["url"], d["secret"], d["body"], now, now) for d in deliveries])
    dropped = db.execute(
        "UPDATE webhook_deliveries SET status = ?, last_error = ?, finished_at = ? WHERE id IN (SELECT id FROM "
        "webhook_deliveries WHERE status = ? ORDER BY id DESC LIMIT -1 OFFSET ?)",
        (DROPPED, f"the queue was full ({queue_limit} pending deliveries, --webhook-queue)", now, PENDING,
         queue_limit)).rowcount
    if dropped > 0:  # counted apart: the rows themselves are forgotten with the oldest history
        db.execute("INSERT INTO webhook_counters (name, value) VALUES ('dropped', ?) "
                   "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value", (dropped,))
    db.execute("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE status NOT IN "
               "(?, ?) ORDER BY id DESC LIMIT -1 OFFSET ?)", (PENDING, SENDING, FINISHED_KEPT))


def cancel_webhooks(state: SharedState, reason: str, subscriber: str | None = None,
                    event_type: str | None = None) -> None:
    """Pending deliveries (of one subscriber, or all; of one event type, or all) will not be sent; call it inside the
    write's transaction."""
    state._connection().execute(
        "UPDATE webhook_deliveries SET status = ?, last_error = ?, finished_at = ? WHERE status = ? "
        "AND (? IS NULL OR subscriber = ?) AND (? IS NULL OR event_type = ?)",
        (CANCELLED, reason, time.time(), PENDING, subscriber, subscriber, event_type, event_type))


def claim_webhooks(state: SharedState, stale_after: float, limit: int = 8) -> list[dict]:
    """Due deliveries, now this worker's to send (and those claimed over `stale_after` seconds ago, by a worker
    that died mid-send): for each subscriber only its oldest unfinished one, so a
    subscriber receives its events in order and, while one awaits a retry, the later ones wait behind it (the docs:
    events accumulate meanwhile and are sent in a row once it is back)."""
    now = time.time()
    with state.locked():
        db = state._connection()
        db.execute("UPDATE webhook_deliveries SET status = ? WHERE status = ? AND claimed_at < ?",
                   (PENDING, SENDING, now - stale_after))
        rows = db.execute(
            f"SELECT {', '.join(_DELIVERY_COLUMNS)} FROM webhook_deliveries d WHERE status = ? AND next_try <= ? "
            "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscriber = d.subscriber AND e.id < d.id "
            "AND e.status IN (?, ?)) ORDER BY id LIMIT ?", (PENDING, now, PENDING, SENDING, limit)).fetchall()
        db.executemany("UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, claimed_at = ? "
                       "WHERE id = ?", [(SENDING, now, row[0]) for row in rows])
    return [{**dict(zip(_DELIVERY_COLUMNS, row)), "attempts": row[8] + 1} for row in rows]


def record_webhook(state: SharedState, delivery_id: int, status: str, status_code: int | None = None,
                   error: str | None = None, retry_in: float | None = None) -> None:
    """The outcome of an attempt: `status` final, or PENDING again in `retry_in` seconds."""
    now = time.time()
    with state.locked():
        state._connection().execute(
            "UPDATE webhook_deliveries SET status = ?, status_code = ?, last_error = ?, next_try = ?, "
            "finished_at = ? WHERE id = ? AND status = ?",
            (status, status_code, error, now + (retry_in or 0), None if status == PENDING else now, delivery_id,
             SENDING))


def next_webhook_due(state: SharedState) -> float | None:
    """Seconds until the earliest pending delivery is due (0 if one is), or None when none is pending."""
    row = state._connection().execute("SELECT MIN(next_try) FROM webhook_deliveries WHERE status IN (?, ?)",
                                      (PENDING, SENDING)).fetchone()
    return None if row[0] is None else max(0.0, row[0] - time.time())


def webhook_deliveries(state: SharedState) -> list[dict]:
    """Every delivery kept, oldest first (the secret left out)."""
    rows = state._connection().execute(
        f"SELECT {', '.join(_DELIVERY_COLUMNS)} FROM webhook_deliveries ORDER BY id").fetchall()
    return [{k: v for k, v in zip(_DELIVERY_COLUMNS, row) if k != "secret"} for row in rows]


def dropped_webhooks(state: SharedState) -> int:
    """How many deliveries were dropped from a full queue, ever (in this state file)."""
    row = state._connection().execute("SELECT value FROM webhook_counters WHERE name = 'dropped'").fetchone()
    return row[0] if row else 0


def suspended_subscribers(state: SharedState) -> set[str]:
    """Subscribers whose event delivery failed and awaits a retry (GET /webhook/subscriber/info: SUSPENDED)."""
    rows = state._connection().execute(
        "SELECT DISTINCT subscriber FROM webhook_deliveries WHERE status IN (?, ?) AND last_error IS NOT NULL "
        "AND event_type != 'CONFIRMATION'", (PENDING, SENDING))
    return {row[0] for row in rows}

# --- console ---
# What the QA console shows of a vendor call beside its journal entry (mockserver/console/answers.py): the answer
# (masked, cut) and the shared-log events the call committed; trimmed with the journal's ring.
SCHEMA += """
CREATE TABLE IF NOT EXISTS journal_answers (journal_id INTEGER PRIMARY KEY, status INTEGER, content_type TEXT,
    body TEXT NOT NULL, events TEXT NOT NULL);
"""
