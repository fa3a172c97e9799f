"""The request journal's entries: what was called, with the secrets masked, as `GET /__admin/requests` lists them."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime, timezone

from flask import request

MASK = "***"
EXCERPT = 2000  # characters of a request body kept
SECRET_HEADERS = ("authorization", "x-auth-password", "cookie", "proxy-authorization")
SECRET_FIELDS = "client_?secret|password|token"  # in bodies: JSON keys, form fields, XML elements (SOAP credentials)
_JSON_SECRET = re.compile(rf'("(?:{SECRET_FIELDS})"\s*:\s*")((?:[^"\\]|\\.)*)(")', re.IGNORECASE)
_FORM_SECRET = re.compile(rf"((?:^|&)(?:{SECRET_FIELDS})=)([^&]*)()", re.IGNORECASE)
_XML_SECRET = re.compile(rf"(<((?:[\w.-]+:)?(?:{SECRET_FIELDS}))(?:\s[^>]*)?>)([^<]*)(</\2\s*>)", re.IGNORECASE)


def masked_headers() -> dict[str, str]:
    found = {}
    for name, value in request.headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value.strip() and name.lower().endswith("authorization") else ""
            value = f"{scheme} {MASK}" if scheme else MASK
        found[name] = value
    return found


def masked_body(data: bytes) -> str:
    text = data[:EXCERPT * 2].decode("utf-8", "replace")
    text = _JSON_SECRET.sub(lambda m: m[1] + MASK + m[3], text)
    text = _XML_SECRET.sub(lambda m: m[1] + MASK + m[4], text)
    if "=" in text and "<" not in text and not text.lstrip().startswith(("{", "[")):
        text = _FORM_SECRET.sub(lambda m: m[1] + MASK, text)
    return text[:EXCERPT]


def entry(vendor: str, operation: str | None, path: str, body: bytes, status: int | None, ms: float, stubbed: bool,
          fault: str | None) -> tuple:
    """The journal row (store.COLUMNS without id)."""
    return (time.time(), os.getpid(), vendor, operation, request.method, path,
            request.query_string.decode("latin-1"), json.dumps(masked_headers(), separators=(",", ":")),
            masked_body(body), status, round(ms, 2), int(stubbed), fault)


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
