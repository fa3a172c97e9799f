"""The shared state: `SharedState(location, belongs_to)` is SQLite for a path (or None) and PostgreSQL for a
`postgresql://` URL (base.py says what both keep; outbox.py is the webhook outbox)."""

from .base import SharedState, is_postgres
from .outbox import (
    CANCELLED,
    DELIVERED,
    DROPPED,
    FAILED,
    FINISHED_KEPT,
    PENDING,
    REFUSED,
    SENDING,
    cancel_webhooks,
    claim_webhooks,
    dropped_webhooks,
    enqueue_webhooks,
    next_webhook_due,
    record_webhook,
    suspended_subscribers,
    webhook_deliveries,
)

__all__ = ["SharedState", "is_postgres", "CANCELLED", "DELIVERED", "DROPPED", "FAILED", "FINISHED_KEPT", "PENDING",
           "REFUSED", "SENDING", "cancel_webhooks", "claim_webhooks", "dropped_webhooks", "enqueue_webhooks",
           "next_webhook_due", "record_webhook", "suspended_subscribers", "webhook_deliveries"]
