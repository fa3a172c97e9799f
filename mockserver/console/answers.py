"""What the console shows of a vendor call besides its journal entry: the answer (secrets masked, cut at a size)
and the world events (shared-log writes) the call committed, kept in `journal_answers` beside the journal's ring.

The events are known exactly: a watcher of World.commit (world/store.py WATCHERS) notes, in the request that
commits them, each event's seq; another worker's writes in the meantime are never attributed to this call.
"""

from __future__ import annotations

import json
import re

from flask import Response, g, has_request_context
from lxml import etree

from ..api.xml import parse_xml
from ..control import plane, store as control_store
from ..errors import BadRequestError
from ..world.store import WATCHERS

EXCERPT = 20_000  # characters of an answer kept
MASK = "***"
_SECRET = r"[\w.-]*(?:secret|password|token)[\w.-]*"
_JSON_SECRET = re.compile(rf'("{_SECRET}"\s*:\s*")((?:[^"\\]|\\.)*)(")', re.IGNORECASE)
_XML_SECRET = re.compile(rf"(<((?:[\w.-]+:)?{_SECRET})(?:\s[^>]*)?>)([^<]*)(</\2\s*>)", re.IGNORECASE)


def mask(text: str) -> str:
    """Credentials in a JSON or XML text (access_token, password, clientSecret ...) replaced by ***."""
    text = _JSON_SECRET.sub(lambda m: m[1] + MASK + m[3], text)
    return _XML_SECRET.sub(lambda m: m[1] + MASK + m[4], text)


def pretty(text: str) -> str:
    """JSON indented by two, XML by lxml's pretty printer; anything else as it is."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text
    if stripped.startswith("<"):
        try:
            root = parse_xml(text.encode())
        except BadRequestError:
            return text
        for element in root.iter():  # drop the whitespace between elements, so pretty_print indents afresh
            if len(element) and element.text is not None and not element.text.strip():
                element.text = None
            if element.tail is not None and not element.tail.strip():
                element.tail = None
        return etree.tostring(root, pretty_print=True, encoding="unicode")
    return text


def _noted(world, state, seq: int, kind: str, payload: dict) -> None:
    if has_request_context():
        g.setdefault("console_events", []).append(seq)


def _record(state, size: int, journal_id: int, response: Response) -> None:
    body = "" if response.is_streamed else mask(response.get_data(as_text=True)[:EXCERPT])
    state.execute("INSERT INTO journal_answers (journal_id, status, content_type, body, events) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (journal_id) DO UPDATE SET status = excluded.status, content_type = "
                  "excluded.content_type, body = excluded.body, events = excluded.events",
                  (journal_id, response.status_code, response.content_type, body,
                   json.dumps(g.get("console_events", []))))
    if journal_id % control_store.TRIM_EVERY == 0:
        state.execute("DELETE FROM journal_answers WHERE journal_id <= ?", (journal_id - size,))


def answer(state, journal_id: int) -> tuple[dict | None, list[dict]]:
    """(the answer, the events it caused) of a journal entry; (None, []) when none was kept."""
    row = state.execute("SELECT status, content_type, body, events FROM journal_answers WHERE journal_id = ?",
                     (journal_id,)).fetchone()
    if row is None:
        return None, []
    status, content_type, body, events = row
    seqs = json.loads(events)
    found = state.execute(f"SELECT seq, kind, payload FROM events WHERE seq IN ({', '.join('?' * len(seqs))}) "
                       "ORDER BY seq", seqs).fetchall() if seqs else []
    return ({"status": status, "contentType": content_type, "body": pretty(body)},
            [{"seq": s, "kind": k, "payload": json.loads(p)} for s, k, p in found])


def init() -> None:
    """Once per process: watch commits, and keep each journal entry's answer."""
    if _noted not in WATCHERS:
        WATCHERS.append(_noted)
    if _record not in plane.RECORDED:
        plane.RECORDED.append(_record)
