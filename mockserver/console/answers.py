"""What the console shows of a vendor call besides its journal entry: the answer (secrets masked, cut at a size)
and the world events (shared-log writes) the call committed, both kept in its journal row (control/journal.py), and
the pretty-printing of bodies."""

from __future__ import annotations

import json

from lxml import etree

from ..api.xml import parse_xml
from ..errors import BadRequestError


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


def answer(state, entry: dict) -> tuple[dict | None, list[dict]]:
    """(the answer, the events it caused) of a journal entry (control/store.py's row); (None, []) when the connection
    was dropped before any answer."""
    if entry["status"] is None:
        return None, []
    seqs = json.loads(entry["events"])
    found = state.execute(f"SELECT seq, kind, payload FROM events WHERE seq IN ({', '.join('?' * len(seqs))}) "
                       "ORDER BY seq", seqs).fetchall() if seqs else []
    return ({"status": entry["status"], "contentType": entry["content_type"], "body": pretty(entry["answer"])},
            [{"seq": s, "kind": k, "payload": json.loads(p)} for s, k, p in found])
