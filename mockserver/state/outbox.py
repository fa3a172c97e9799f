"""The webhook outbox: one row per delivery (an event of one type, for one subscriber), written in the transaction of
the write that caused it (World.commit's watchers) under a unique key, so it exists exactly once whichever worker
committed it. Any worker's delivery thread claims due rows under the write lock (`locked()`), so each is sent by one
worker only. Times here are real time (time.time()): retries wait in real seconds whatever the mock clock.
Tables: base.py's webhooks section; the SQL runs on both backends.
"""

from __future__ import annotations

import time

from .base import SharedState

PENDING, SENDING, DELIVERED, FAILED, DROPPED, REFUSED, CANCELLED = (
    "pending", "sending", "delivered", "failed", "dropped", "refused", "cancelled")
FINISHED_KEPT = 1000  # finished deliveries kept for GET /__admin/webhooks, the newest; older ones are forgotten
_DELIVERY_COLUMNS = ("id", "event_seq", "subscriber", "event_type", "url", "secret", "body", "status", "attempts",
                     "next_try", "status_code", "last_error", "created_at", "finished_at")


def enqueue_webhooks(state: SharedState, seq: int, deliveries: list[dict], queue_limit: int) -> None:
    """Add deliveries (subscriber, event_type, url, secret, body) caused by log event `seq`; call it inside the
    write's transaction. Past `queue_limit` pending deliveries the oldest pending ones are dropped (and counted)."""
    now = time.time()
    state.executemany(
        "INSERT INTO webhook_deliveries (event_seq, subscriber, event_type, url, secret, body, next_try, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(seq, d["subscriber"], d["event_type"], d["url"], d["secret"], d["body"], now, now) for d in deliveries])
    # the pending rows older than the newest `queue_limit` ones: at or below the (queue_limit + 1)-th newest's id
    dropped = state.execute(
        "UPDATE webhook_deliveries SET status = ?, last_error = ?, finished_at = ? WHERE status = ? AND id <= "
        "(SELECT id FROM webhook_deliveries WHERE status = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        (DROPPED, f"the queue was full ({queue_limit} pending deliveries, --webhook-queue)", now, PENDING, PENDING,
         queue_limit)).rowcount
    if dropped > 0:  # counted apart: the rows themselves are forgotten with the oldest history
        state.execute("INSERT INTO webhook_counters (name, value) VALUES ('dropped', ?) ON CONFLICT (name) "
                      "DO UPDATE SET value = webhook_counters.value + excluded.value", (dropped,))
    state.execute("DELETE FROM webhook_deliveries WHERE status NOT IN (?, ?) AND id <= (SELECT id FROM "
                  "webhook_deliveries WHERE status NOT IN (?, ?) ORDER BY id DESC LIMIT 1 OFFSET ?)",
                  (PENDING, SENDING, PENDING, SENDING, FINISHED_KEPT))


def cancel_webhooks(state: SharedState, reason: str, subscriber: str | None = None,
                    event_type: str | None = None) -> None:
    """Pending deliveries (of one subscriber, or all; of one event type, or all) will not be sent; call it inside the
    write's transaction."""
    state.execute(
        "UPDATE webhook_deliveries SET status = ?, last_error = ?, finished_at = ? WHERE status = ? "
        "AND (CAST(? AS TEXT) IS NULL OR subscriber = ?) AND (CAST(? AS TEXT) IS NULL OR event_type = ?)",
        (CANCELLED, reason, time.time(), PENDING, subscriber, subscriber, event_type, event_type))


def claim_webhooks(state: SharedState, stale_after: float, limit: int = 8) -> list[dict]:
    """Due deliveries, now this worker's to send (and those claimed over `stale_after` seconds ago, by a worker
    that died mid-send): for each subscriber only its oldest unfinished one, so a
    subscriber receives its events in order and, while one awaits a retry, the later ones wait behind it (the docs:
    events accumulate meanwhile and are sent in a row once it is back)."""
    now = time.time()
    with state.locked():
        state.execute("UPDATE webhook_deliveries SET status = ? WHERE status = ? AND claimed_at < ?",
                      (PENDING, SENDING, now - stale_after))
        rows = state.execute(
            f"SELECT {', '.join(_DELIVERY_COLUMNS)} FROM webhook_deliveries d WHERE status = ? AND next_try <= ? "
            "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscriber = d.subscriber AND e.id < d.id "
            "AND e.status IN (?, ?)) ORDER BY id LIMIT ?", (PENDING, now, PENDING, SENDING, limit)).fetchall()
        state.executemany("UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, claimed_at = ? "
                          "WHERE id = ?", [(SENDING, now, row[0]) for row in rows])
    return [{**dict(zip(_DELIVERY_COLUMNS, row)), "attempts": row[8] + 1} for row in rows]


def record_webhook(state: SharedState, delivery_id: int, status: str, status_code: int | None = None,
                   error: str | None = None, retry_in: float | None = None) -> None:
    """The outcome of an attempt: `status` final, or PENDING again in `retry_in` seconds."""
    now = time.time()
    with state.locked():
        state.execute(
            "UPDATE webhook_deliveries SET status = ?, status_code = ?, last_error = ?, next_try = ?, "
            "finished_at = ? WHERE id = ? AND status = ?",
            (status, status_code, error, now + (retry_in or 0), None if status == PENDING else now, delivery_id,
             SENDING))


def next_webhook_due(state: SharedState) -> float | None:
    """Seconds until the earliest pending delivery is due (0 if one is), or None when none is pending."""
    row = state.execute("SELECT MIN(next_try) FROM webhook_deliveries WHERE status IN (?, ?)",
                        (PENDING, SENDING)).fetchone()
    return None if row[0] is None else max(0.0, row[0] - time.time())


def webhook_deliveries(state: SharedState) -> list[dict]:
    """Every delivery kept, oldest first (the secret left out)."""
    rows = state.execute(f"SELECT {', '.join(_DELIVERY_COLUMNS)} FROM webhook_deliveries ORDER BY id").fetchall()
    return [{k: v for k, v in zip(_DELIVERY_COLUMNS, row) if k != "secret"} for row in rows]


def dropped_webhooks(state: SharedState) -> int:
    """How many deliveries were dropped from a full queue, ever (in this state)."""
    row = state.execute("SELECT value FROM webhook_counters WHERE name = 'dropped'").fetchone()
    return row[0] if row else 0


def suspended_subscribers(state: SharedState) -> set[str]:
    """Subscribers whose event delivery failed and awaits a retry (GET /webhook/subscriber/info: SUSPENDED)."""
    rows = state.execute(
        "SELECT DISTINCT subscriber FROM webhook_deliveries WHERE status IN (?, ?) AND last_error IS NOT NULL "
        "AND event_type != 'CONFIRMATION'", (PENDING, SENDING)).fetchall()
    return {row[0] for row in rows}
