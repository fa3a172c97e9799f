"""The request journal's entries: what was called, with the secrets masked, as `GET /__admin/requests` lists them;
and what the console shows besides: the answer (masked, cut) and the shared-log events the call committed."""

from __future__ import annotations

import functools
import json
import os
import re
import time
from datetime import datetime, timezone

from flask import Response, g, has_request_context, request

MASK = "***"
EXCERPT = 2000  # characters of a request body kept
ANSWER_EXCERPT = 20_000  # characters of an answer kept
SECRET_HEADERS = ("authorization", "x-auth-password", "cookie", "proxy-authorization")
# In bodies and answers: JSON keys, form fields, XML elements (SOAP credentials) naming a secret, password or token
# (client_secret, access_token, X-Auth-Password ...).
SECRET_FIELDS = r"[\w.-]*(?:secret|password|token)[\w.-]*"
_JSON_SECRET = re.compile(rf'("{SECRET_FIELDS}"\s*:\s*")((?:[^"\\]|\\.)*)(")', re.IGNORECASE)
_FORM_SECRET = re.compile(rf"((?:^|&){SECRET_FIELDS}=)([^&]*)()", re.IGNORECASE)
_XML_SECRET = re.compile(rf"(<((?:[\w.-]+:)?{SECRET_FIELDS})(?:\s[^>]*)?>)([^<]*)(</\2\s*>)", re.IGNORECASE)
EVENTS_KEY = "journal_events"  # flask.g: the seqs of the shared-log events this request committed


def masked_headers() -> dict[str, str]:
    found = {}
    for name, value in request.headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value.strip() and name.lower().endswith("authorization") else ""
            value = f"{scheme} {MASK}" if scheme else MASK
        found[name] = value
    return found


def masked(data: bytes, limit: int) -> str:
    """A body's first `limit` characters with the secrets it names masked (JSON, XML or a form)."""
    return _masked(data[:limit * 2], limit)


@functools.lru_cache(maxsize=32)  # a cached answer (api/cache.py) is the same bytes each time: masked once
def _masked(data: bytes, limit: int) -> str:
    text = data.decode("utf-8", "replace")
    text = _JSON_SECRET.sub(lambda m: m[1] + MASK + m[3], text)
    text = _XML_SECRET.sub(lambda m: m[1] + MASK + m[4], text)
    if "=" in text and "<" not in text and not text.lstrip().startswith(("{", "[")):
        text = _FORM_SECRET.sub(lambda m: m[1] + MASK, text)
    return text[:limit]


def note_event(world, state, seq: int, kind: str, payload: dict) -> None:
    """A World.commit watcher: the events a request commits are its own (another worker's are never counted)."""
    if has_request_context():
        g.setdefault(EVENTS_KEY, []).append(seq)


def entry(vendor: str, operation: str | None, path: str, body: bytes, response: Response | None, ms: float,
          stubbed: bool, fault: str | None) -> tuple:
    """The journal row (store.COLUMNS without id); `response` None: the connection was dropped."""
    answer = "" if response is None or response.is_streamed else masked(response.get_data(), ANSWER_EXCERPT)
    return (time.time(), os.getpid(), vendor, operation, request.method, path,
            request.query_string.decode("latin-1"), json.dumps(masked_headers(), separators=(",", ":")),
            masked(body, EXCERPT), None if response is None else response.status_code, round(ms, 2), int(stubbed),
            fault, None if response is None else response.content_type, answer, json.dumps(g.get(EVENTS_KEY, [])))


def as_wire(row: dict) -> dict:
    """A stored row as the journal lists it."""
    moment = datetime.fromtimestamp(row["time"], timezone.utc)
    return {
        "id": row["id"],
        "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "worker": row["worker"],
        "vendor": row["vendor"],
        "operation": row["operation"],
        "method": row["method"],
        "path": row["path"],
        "query": row["query"],
        "headers": json.loads(row["headers"]),
        "body": row["body"],
        "status": row["status"],
        "ms": row["ms"],
        "stubbed": bool(row["stubbed"]),
        "fault": row["fault"],
    }
