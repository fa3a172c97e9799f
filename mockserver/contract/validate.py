"""One response body against its contract, as `path: reason` lines worded for people (contracts/wording.py)."""

from __future__ import annotations

import json

from lxml import etree

from mockserver.contracts.wording import explain

from ..api.xml import parse_xml
from ..errors import BadRequestError

def pick_contract(op, data):
    if len(op.contracts) == 1 or op.choose is None:
        return op.contracts[0]
    return op.choose(data)


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def judge_json(op, status: int, body: bytes, content_type: str | None, *, error_contract, ordered: bool = False):
    """(contract name, differences) of a JSON vendor's response: 2xx against the operation's contract, else the
    vendor's error contract. A body that is not JSON, or not sent as JSON, is a difference too."""
    found = []
    if content_type is not None and not is_json(content_type):
        found.append(f"Content-Type: expected application/json, got {content_type or 'none'}")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        contract = op.contracts[0] if 200 <= status < 300 else error_contract
        if isinstance(error, UnicodeDecodeError):
            return contract.__name__, found + [f"$: not JSON: not UTF-8 text ({error.reason} at byte {error.start})"]
        where = f"line {error.lineno}, column {error.colno}"
        return contract.__name__, found + [f"$: not JSON: {error.msg} ({where})" if body.strip() else "$: empty body"]
    contract = pick_contract(op, data) if 200 <= status < 300 else error_contract
    return contract.__name__, found + explain(contract, data, ordered=ordered)


def soap_body_element(body: bytes) -> str | None:
    """The local name of a SOAP envelope's first Body child (`GetEnrollmentsRequest`), or None if it is no envelope."""
    try:
        root = parse_xml(body)
    except BadRequestError:
        return None
    for child in root:
        if etree.QName(child).localname == "Body":
            for element in child:
                if isinstance(element.tag, str):
                    return etree.QName(element).localname
    return None
