"""REST answers: XML by default (`<response>...`), JSON when the client's Accept prefers application/json.

A view hands over the JSON payload and its contract; the XML twin is derived from it (an `XmlShape` names the
root element and how each list is written) and checked against its own contract. With --check-contracts a body
that breaks its contract becomes a 500 naming the violation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, current_app, request
from lxml import etree

from contracts.base import violations
from contracts.ispring import ErrorSchema
from contracts.xml import xml_data

from ..context import runtime
from ..errors import (
    BadRequestError,
    InvalidCredentialsError,
    InvalidTokenError,
    MockError,
    NotFoundError,
    PermissionDeniedError,
)

JSON_TYPE, XML_TYPE = "application/json", "application/xml"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class XmlShape:
    contract: type | None = None  # None: the JSON contract reads the XML too
    wrap: str | None = None  # put the payload inside this element first (GET /enrollment/{id}: <enrollment>)
    # list key -> (item element, wrapped?): wrapped <enrollments><enrollment/>..., else <enrollment/> repeated
    lists: dict[str, tuple[str, bool]] = field(default_factory=dict)


# The docs' token example answers JSON, and token clients parse JSON: there XML is only for who asks for it.
JSON_FIRST_PATHS = ("/api/v3/token",)


def wants_json() -> bool:
    offered = [JSON_TYPE, XML_TYPE] if request.path.startswith(JSON_FIRST_PATHS) else [XML_TYPE, JSON_TYPE]
    return request.accept_mimetypes.best_match(offered, default=offered[0]) == JSON_TYPE


def respond(payload: dict, contract, status: int = 200, xml: XmlShape = XmlShape()) -> Response:
    if wants_json():
        _check(contract, payload)
        response = current_app.json.response(_without_none(payload))
    else:
        element = to_xml(payload, xml)
        _check(xml.contract or contract, element)
        response = Response(etree.tostring(element, xml_declaration=True, encoding="UTF-8"),
                            content_type=XML_CONTENT_TYPE)
    response.status_code = status
    return response


def _check(contract, body) -> None:
    if not runtime().config.check_contracts:
        return
    data = xml_data(body, contract) if isinstance(body, etree._Element) else _without_none(body)
    found = violations(contract, data, ordered=True)
    if found:
        raise MockError(f"response breaks {contract.__name__}: " + "; ".join(found))


def _without_none(value):
    """None means "not set": the key is left out, as the vendor does (dueDate, certificate, nextPageToken ...)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def to_xml(payload: dict, shape: XmlShape) -> etree._Element:
    root = etree.Element("response")
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
        element.text = str(value)


def empty(status: int) -> Response:
    """200 with no body (POST /enrollment/{id}) or 204 (POST /enrollment/delete), as the spec has them."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response


# --- errors -------------------------------------------------------------------------------------------------


def status_of(error: MockError) -> int:
    if isinstance(error, (InvalidTokenError, InvalidCredentialsError)):
        return 401
    if isinstance(error, PermissionDeniedError):
        return 403
    if isinstance(error, (NotFoundError, BadRequestError)):
        return 400  # the spec's enrollment routes list 400, never 404, for an ID they do not know
    return error.status


def render_error(error: MockError) -> Response:
    """ErrorResponse: `<response><code>401</code><message>...</message></response>`, or its JSON twin."""
    status = status_of(error)
    message = error.detail or {401: "Unauthorized", 403: "Permission Denied"}.get(status, "Bad Request")
    return respond({"code": status, "message": message}, ErrorSchema, status)
