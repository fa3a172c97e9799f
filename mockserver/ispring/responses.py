"""REST answers: XML by default (`<response>...`), JSON when the client's Accept prefers application/json.

A row's handler (or its list) gives the JSON payload; the XML twin is derived from it (the row's `XmlShape` names
the wrapper and how each list is written). The JSON body is checked against the row's first contract, the XML one
against its last. With --check-contracts a body that breaks its contract becomes a 500 naming the violation.
Lists are generic: `items_key` holds the items, and `paging="token"` pages them (pageSize, pageToken).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, current_app, request
from lxml import etree

from mockserver.contracts.xml import xml_data

from ..api.checking import check
from ..api.paging import token_page
from ..api.xml import xml_text
from ..context import runtime
from .inputs import query_int

JSON_TYPE, XML_TYPE = "application/json", "application/xml"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class XmlShape:
    wrap: str | None = None  # put the payload inside this element first (GET /enrollment/{id}: <enrollment>)
    # list key -> (item element, wrapped?): wrapped <enrollments><enrollment/>..., else <enrollment/> repeated
    lists: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # A payload that is a bare JSON array (the spec's `type: array`, e.g. GET /group, GET /user): in XML each item is
    # this element under <response>. A payload that is a bare string (POST /group's 201) is <response>'s text.
    array: str | None = None
    # keys XML writes under another name (GET /user/{id}: JSON `{"response": User}`, XML <userProfile>)
    rename: dict[str, str] = field(default_factory=dict)
    # the root element, where the spec names another than <response> (GET /certificate/{id}: <attachment>)
    root: str = "response"


# The docs' token example answers JSON, and token clients parse JSON: there XML is only for who asks for it.
JSON_FIRST_PATHS = ("/api/v3/token",)


def wants_json() -> bool:
    offered = [JSON_TYPE, XML_TYPE] if request.path.startswith(JSON_FIRST_PATHS) else [XML_TYPE, JSON_TYPE]
    return request.accept_mimetypes.best_match(offered, default=offered[0]) == JSON_TYPE


def list_payload(call) -> dict:
    op = call.op
    rows = op.rows(call)
    if op.paging == "token":
        rows, next_token = token_page(rows, op.cursor, query_int("pageSize"), request.args.get("pageToken"))
        return {op.items_key: [op.item(call.world, r) for r in rows], "nextPageToken": next_token}
    return {op.items_key: [op.item(call.world, r) for r in rows]}


def respond(call, payload: dict | None) -> Response:
    """The row's answer; a row with no contract answers its status with an empty body (200 or 204, as the spec)."""
    op = call.op
    if not op.contracts:
        return empty(op.status)
    shape = op.xml(call.config) if callable(op.xml) else op.xml  # a setting may name the XML elements
    return represent(payload, op.contracts[0], op.contracts[-1], op.status, shape or XmlShape())


def represent(payload: dict | list | str, json_contract, xml_contract, status: int = 200, xml: XmlShape = XmlShape()) -> Response:
    if wants_json():
        _check(json_contract, payload)
        response = current_app.json.response(_without_none(payload))
    else:
        element = to_xml(payload, xml)
        _check(xml_contract, element)
        response = Response(etree.tostring(element, xml_declaration=True, encoding="UTF-8"),
                            content_type=XML_CONTENT_TYPE)
    response.status_code = status
    return response


def _check(contract, body) -> None:
    if runtime().config.check_contracts:
        check(contract, xml_data(body, contract) if isinstance(body, etree._Element) else _without_none(body))


def _without_none(value):
    """None means "not set": the key is left out, as the vendor does (dueDate, certificate, nextPageToken ...)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def to_xml(payload: dict | list | str, shape: XmlShape) -> etree._Element:
    """`<response>` holding the payload: an object's keys, a bare array's entries as `shape.array`, or a bare
    value as its text (`<response>{uuid}</response>`)."""
    root = etree.Element(shape.root)
    if isinstance(payload, list):
        for entry in payload:
            _element(root, shape.array, entry, shape.lists)
        return root
    if not isinstance(payload, dict):
        root.text = xml_text(payload)
        return root
    if shape.rename:  # top-level keys only
        payload = {shape.rename.get(key, key): value for key, value in payload.items()}
    _fill(etree.SubElement(root, shape.wrap) if shape.wrap else root, payload, shape.lists)
    return root


def _fill(parent: etree._Element, payload: dict, lists: dict) -> None:
    for key, value in payload.items():
        if value is None:
            continue
        if isinstance(value, list):
            item, wrapped = lists[key]
            holder = etree.SubElement(parent, key) if wrapped else parent
            for entry in value:
                _element(holder, item, entry, lists)
        else:
            _element(parent, key, value, lists)


def _element(parent: etree._Element, tag: str, value, lists: dict) -> None:
    element = etree.SubElement(parent, tag)
    if isinstance(value, dict):
        _fill(element, value, lists)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = xml_text(value)


def empty(status: int) -> Response:
    """200 with no body (POST /enrollment/{id}) or 204 (POST /enrollment/delete), as the spec has them."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response
