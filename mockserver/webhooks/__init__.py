"""iSpring webhooks that fire: which log events become which webhook events (events.py, a table), and the delivery
thread of each worker that sends them from the shared outbox (delivery.py). The subscribers are world records
(world/webhooks.py), the outbox is the shared state's (state.py), the /webhook/* rows are iSpring's
(ispring/webhooks.py) and GET /__admin/webhooks is the admin table's."""

from . import events  # noqa: F401  (registers the watcher that queues deliveries with each write)
from .delivery import init_app

__all__ = ["events", "init_app"]
