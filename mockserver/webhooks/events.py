"""THE TABLE of webhook events: a log event kind -> function(world, payload) -> the notices it causes, each a webhook
event type and its payloads. A new event is one row. The functions see the world as it was before the event.

A notice goes to every subscriber that is enabled, confirmed and subscribed to its type, each payload kept where the
subscription's filters (params userIds, courseIds) let it through; a CONFIRMATION goes to its one subscriber.
The body is the vendor's envelope `{"type": ..., "payloads": [...]}` (the docs: "Events are sent sequentially as a
list"; Pipedream's iSpring sources read `body.type` and `body.payloads`), decided here, in the write's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import current_app, has_app_context

from ..config import Config
from ..state import cancel_webhooks, enqueue_webhooks
from ..world import ispring
from ..world import webhooks as subscribers
from ..world.store import RESET, WATCHERS, World
from .delivery import wake

COMPLETED = ("complete", "passed")  # COURSE_COMPLETED_SUCCESSFULLY: the course completed, or passed


@dataclass(frozen=True)
class Notice:
    event_type: str
    payloads: list
    to: str | None = None  # one subscriber by name (CONFIRMATION), else whoever is subscribed to event_type


def _enrolled(world: World, payload: dict) -> list[Notice]:
    """LEARNERS_ENROLLED_IN_COURSE: one payload per course, its newly enrolled learners (Pipedream's test event)."""
    by_course: dict[str, list[str]] = {}
    for row in payload["enrollments"]:  # only the pairs the write created: an existing enrollment is kept, not new
        by_course.setdefault(row["course_id"], []).append(row["learner_id"])
    found = [{"courseId": course, "learnerIds": learners} for course, learners in by_course.items()]
    return [Notice("LEARNERS_ENROLLED_IN_COURSE", found)] if found else []


def _registered(world: World, payload: dict) -> list[Notice]:
    """USER_REGISTERED: the new user (Pipedream's test event: userId, departmentId, login, email)."""
    user = payload["learner"]
    return [Notice("USER_REGISTERED", [{"userId": user["user_id"], "departmentId": user["department_id"],
                                        "login": user["login"], "email": user["email"]}])]


def _completed(world: World, payload: dict) -> list[Notice]:
    """COURSE_COMPLETED_SUCCESSFULLY: each learner whose enrollment became complete or passed (not one that already
    was), per course (Pipedream's test event: courseId, learnerId, enrollmentIds, completionDate in nanoseconds)."""
    found: dict[tuple[str, str], dict] = {}
    for row in payload["enrollments"]:
        before = world.enrollments.get(row["enrollment_id"])
        if row["status"] not in COMPLETED or before is None or before.status in COMPLETED:
            continue
        entry = found.setdefault((row["course_id"], row["learner_id"]), {
            "courseId": row["course_id"], "learnerId": row["learner_id"], "enrollmentIds": [],
            "completionDate": _nanoseconds(row["completion_date"])})
        entry["enrollmentIds"].append(row["enrollment_id"])
    return [Notice("COURSE_COMPLETED_SUCCESSFULLY", list(found.values()))] if found else []


def _nanoseconds(moment: str) -> int:
    return int(datetime.fromisoformat(moment).timestamp()) * 1_000_000_000


def _confirmation(world: World, payload: dict) -> list[Notice]:
    """The code, to the subscriber's URL: payloads[0] is the JSON text `{"code": ...}` (Pipedream's source reads
    `JSON.parse(body.payloads[0])` and posts what it holds to /webhook/confirm)."""
    sent = payload["subscriber"]
    return [Notice("CONFIRMATION", [json.dumps({"code": sent["code"]})], to=sent["subscriber_name"])]


NOTICES: dict[str, Callable[[World, dict], list[Notice]]] = {
    ispring.CREATED: _enrolled,
    ispring.USER_ADDED: _registered,
    ispring.PROGRESS_SET: _completed,
    subscribers.CODE_SENT: _confirmation,
}

# The filters a subscription's params apply, by name: which payload key holds the IDs they choose among.
FILTERED_KEYS = {"userIds": ("learnerIds", "learnerId", "userId"), "courseIds": ("courseId",)}


def _filtered(payloads: list, params: list[dict]) -> list:
    """The payloads a subscription's filters let through; a payload listing learners keeps only those chosen."""
    return [kept for kept in (_let_through(entry, params) for entry in payloads) if kept is not None]


def _let_through(entry: dict, params: list[dict]) -> dict | None:
    for param in params:
        wanted = set(json.loads(param["value"]))  # a JSON array of IDs, checked when subscribing
        for key in FILTERED_KEYS.get(param["name"], ()):
            if isinstance(entry.get(key), list):
                entry = {**entry, key: [v for v in entry[key] if v in wanted]}
                if not entry[key]:
                    return None
            elif key in entry and entry[key] not in wanted:
                return None
    return entry


def deliveries(world: World, kind: str, payload: dict) -> list[dict]:
    """The outbox rows a log event causes: one per notice and subscriber, its body final."""
    found = []
    for notice in NOTICES.get(kind, lambda w, p: [])(world, payload):
        if notice.to is not None:
            targets = [(subscribers.subscriber(world, notice.to), {"params": []})]
        else:
            targets = subscribers.receivers(world, notice.event_type)
        for subscriber, subscription in targets:
            payloads = _filtered(notice.payloads, subscription.get("params") or [])
            if payloads:
                body = json.dumps({"type": notice.event_type, "payloads": payloads}, separators=(",", ":"))
                found.append({"subscriber": subscriber.subscriber_name, "event_type": notice.event_type,
                              "url": subscriber.callback_url, "secret": subscriber.secret, "body": body})
    return found


def _watch(world: World, state, seq: int, kind: str, payload: dict) -> None:
    """World.commit's watcher: the deliveries a write causes, queued in its transaction (exactly once, whichever
    worker committed it); pending ones a write makes pointless, cancelled with it."""
    if kind == RESET:
        cancel_webhooks(state, "the world was reset (POST /__admin/reset)")
        return
    if kind == subscribers.SUBSCRIBER_REMOVED:
        cancel_webhooks(state, "the subscriber was removed", payload["subscriber_name"])
    elif kind in (subscribers.SUBSCRIBER_SAVED, subscribers.CODE_SENT):
        saved = payload["subscriber"]
        before = next((s for s in world.subscribers if s.subscriber_name == saved["subscriber_name"]), None)
        name = saved["subscriber_name"]
        if before is not None and not saved["enabled"]:
            cancel_webhooks(state, "the subscriber was disabled", name)
        elif before is not None and saved["callback_url"] != before.callback_url:
            cancel_webhooks(state, "the subscriber's callbackUrl changed", name)
        elif kind == subscribers.CODE_SENT:  # "The code(s) sent previously will not work"
            cancel_webhooks(state, "a new confirmation code was sent", name, "CONFIRMATION")
        elif saved["confirmed"] and before is not None and not before.confirmed:
            cancel_webhooks(state, "the subscriber is confirmed", name, "CONFIRMATION")
    found = deliveries(world, kind, payload)
    if found:
        enqueue_webhooks(state, seq, found, _queue_limit())
        wake()


def _queue_limit() -> int:
    """The committing server's --webhook-queue (a write made outside a request: the default)."""
    if has_app_context():
        return current_app.extensions["mockserver"].config.webhook_queue
    return Config().webhook_queue


WATCHERS.append(_watch)
