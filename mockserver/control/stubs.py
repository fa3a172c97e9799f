"""Stubs: one answer a test wants exactly, on top of the world (`POST /__admin/stubs`).

    {"match": {"vendor"?, "operation"?, "method"?, "path"?, "query"?: {...}, "body"?: "substring" | {JSON subset}},
     "response": {"status"?, "headers"?, "body"?: "text" | JSON, "contentType"?}, "priority"?}

A stub is tried before anything else of the call, its vendor's token check included (WireMock's order): a stub is
the answer, whoever asks. Order: `priority` 1 first (default 5, as WireMock's), newest first among equals.
"""

from __future__ import annotations

import json

from flask import Response, request

from ..errors import BadRequestError
from .incoming import Incoming, check_match, targets

MATCH_KEYS = ("vendor", "operation", "method", "path", "query", "body")
RESPONSE_KEYS = ("status", "headers", "body", "contentType")
DEFAULT_PRIORITY = 5


def refuse(message: str) -> BadRequestError:
    return BadRequestError(f"stub: {message}")


def parse_stub(body) -> dict:
    """A stub as POSTed -> its spec in the order it is written back; a 400 naming the field when it is wrong."""
    if not isinstance(body, dict):
        raise refuse("send a JSON object with `match` and `response`")
    unknown = set(body) - {"match", "response", "priority"}
    if unknown:
        raise refuse(f"unknown field(s) {', '.join(sorted(unknown))}")
    priority = body.get("priority", DEFAULT_PRIORITY)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 1000:
        raise refuse(f"`priority` must be 1 (first) to 1000 (not {priority!r})")
    return {"priority": priority, "match": _match(body.get("match")), "response": _response(body.get("response"))}


def _match(match) -> dict:
    if not isinstance(match, dict) or not match:
        raise refuse("`match` must be an object naming at least one of " + ", ".join(MATCH_KEYS))
    check_match(match, MATCH_KEYS, refuse)
    query = match.get("query", {})
    if not isinstance(query, dict) or not all(isinstance(v, str) for v in query.values()):
        raise refuse("`match.query` must be an object of strings (parameter -> value)")
    if "body" in match and not isinstance(match["body"], (str, dict, list)):
        raise refuse("`match.body` must be a string (a substring of the body) or JSON (a subset of a JSON body)")
    found = {name: match[name] for name in MATCH_KEYS if name in match}
    if "method" in found:
        found["method"] = found["method"].upper()
    return found


def _response(response) -> dict:
    if not isinstance(response, dict):
        raise refuse("`response` must be an object (status, headers, body, contentType)")
    unknown = set(response) - set(RESPONSE_KEYS)
    if unknown:
        raise refuse(f"`response` has unknown field(s) {', '.join(sorted(unknown))} "
                     f"(it takes {', '.join(RESPONSE_KEYS)})")
    status = response.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise refuse(f"`response.status` must be an HTTP status, 100 to 599 (not {status!r})")
    headers = response.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise refuse("`response.headers` must be an object of strings")
    body = response.get("body", "")
    content_type = response.get("contentType")
    if content_type is not None and not (isinstance(content_type, str) and content_type):
        raise refuse("`response.contentType` must be a media type")
    if content_type is None:
        content_type = "application/json" if not isinstance(body, str) else \
            "text/xml; charset=utf-8" if body.lstrip().startswith("<") else "text/plain; charset=utf-8"
    return {"status": status, "headers": headers, "body": body, "contentType": content_type}


def matches(match: dict, incoming: Incoming) -> bool:
    if not targets(match, incoming) or ("method" in match and match["method"] != incoming.method):
        return False
    if any(request.args.get(name) != value for name, value in match.get("query", {}).items()):
        return False
    if "body" in match:
        wanted = match["body"]
        if isinstance(wanted, str):
            return wanted in incoming.body.decode("utf-8", "replace")
        return incoming.json is not None and subset(wanted, incoming.json)
    return True


def subset(wanted, found) -> bool:
    """Every key of `wanted` in `found` with a subset value, recursively; lists and scalars equal."""
    if isinstance(wanted, dict):
        return isinstance(found, dict) and all(k in found and subset(v, found[k]) for k, v in wanted.items())
    return wanted == found


def answer(spec: dict) -> Response:
    given = spec["response"]
    body = given["body"]
    data = body.encode("utf-8") if isinstance(body, str) else json.dumps(body, separators=(",", ":")).encode()
    response = Response(data, status=given["status"], content_type=given["contentType"])
    for name, value in given["headers"].items():
        response.headers[name] = value
    return response
