"""GET /__admin/webhooks: what a test reads to see its webhooks. The subscribers as the world holds them, with the
confirmation code last sent (the same code the CONFIRMATION delivery carried to the callbackUrl), and every
delivery kept, oldest first, with its outcome."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ..state import dropped_webhooks, webhook_deliveries


def _moment(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def webhooks(call) -> dict:
    subscribers = [{"subscriberName": s.subscriber_name, "callbackUrl": s.callback_url, "enabled": s.enabled,
                    "confirmed": s.confirmed, "confirmationCode": s.code,
                    "subscriptions": [{"subscriptionType": sub["subscriptionType"], "params": sub["params"]}
                                      for sub in s.subscriptions]}
                   for s in list(call.world.subscribers)]
    deliveries = [{"id": d["id"], "eventSeq": d["event_seq"], "eventType": d["event_type"],
                   "subscriberName": d["subscriber"], "url": d["url"], "payload": json.loads(d["body"]),
                   "status": d["status"], "attempts": d["attempts"], "statusCode": d["status_code"],
                   "error": d["last_error"], "createdAt": _moment(d["created_at"]),
                   "nextTry": _moment(d["next_try"]) if d["status"] in ("pending", "sending") else None,
                   "finishedAt": _moment(d["finished_at"])}
                  for d in webhook_deliveries(call.state)]
    return {"subscribers": subscribers, "dropped": dropped_webhooks(call.state), "deliveries": deliveries}
