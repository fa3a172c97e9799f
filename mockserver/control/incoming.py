"""What faults, stubs and the journal know of a vendor request before its handler runs: the vendor, the row it routes
to (REST: the Flask endpoint; SOAP: the envelope's request element), the path as the client sent it, its body."""

from __future__ import annotations

import fnmatch
import functools
import json

from flask import Flask, request
from lxml import etree

from ..api.routing import ENDPOINTS
from ..api.xml import parse_xml
from ..errors import BadRequestError
from ..wings import WINGS

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def row_index(app: Flask) -> dict:
    """Flask endpoint -> row for every REST row (api/routing.py's), and `soap:<request element>` -> row for every SOAP
    row (built once)."""
    found = app.extensions.get("mockserver.control.rows")
    if found is None:
        found = {**app.extensions.get(ENDPOINTS, {}), **{f"soap:{op.soap_request}": op for wing in WINGS
                                                         for op in wing.OPERATIONS if op.soap is not None}}
        app.extensions["mockserver.control.rows"] = found
    return found


def vendor_of(path: str) -> str:
    return next(w for w in WINGS if w.owns(path)).NAME



def check_match(match: dict, keys: tuple[str, ...], refuse) -> None:
    """What every `match` of a fault or a stub must be: only `keys`, a vendor of the wings, non-empty names.
    `refuse(message)` makes the 400 of the caller's kind."""
    unknown = set(match) - set(keys)
    if unknown:
        raise refuse(f"`match` has unknown field(s) {', '.join(sorted(unknown))} (it takes {', '.join(keys)})")
    vendors = [w.NAME for w in WINGS if w.NAME != "admin"]
    if "vendor" in match and match["vendor"] not in vendors:
        raise refuse(f"`match.vendor` must be one of {', '.join(vendors)} (not {match['vendor']!r})")
    for name in ("operation", "method", "path"):
        if name in match and not (isinstance(match[name], str) and match[name]):
            raise refuse(f"`match.{name}` must be a non-empty string")


def targets(match: dict, incoming: "Incoming") -> bool:
    """The request is of the vendor, path and operation a `match` names (those it names)."""
    return ("vendor" not in match or match["vendor"] == incoming.vendor) and \
        ("path" not in match or incoming.on_path(match["path"])) and \
        ("operation" not in match or incoming.is_operation(match["operation"]))

class Incoming:
    """The current request, as the control plane matches it. Costly parts (the SOAP envelope) only when asked."""

    def __init__(self, app: Flask):
        self.rows = row_index(app)
        self.vendor = vendor_of(request.path)
        self.method = request.method
        self.path = (request.script_root + request.path)  # with a client's /api/v2 (api/routing.py)
        self.soap = self.vendor == "ispring" and request.endpoint == "ispring_soap"

    @functools.cached_property
    def row(self):
        if not self.soap:
            return self.rows.get(request.endpoint)
        if self.method != "POST":
            return None
        return self.rows.get(f"soap:{soap_request_element(self.body)}")

    @property
    def operation(self) -> str | None:
        return self.row.qualified if self.row is not None else None

    @property
    def credentialed(self) -> bool:
        return self.row is not None and not self.row.public

    @functools.cached_property
    def body(self) -> bytes:
        return request.get_data(cache=True)

    @functools.cached_property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def is_operation(self, name: str) -> bool:
        """`name` is the row's qualified name (ispring.soap.getEnrollments) or its bare one (soap.getEnrollments)."""
        found = self.operation
        return found is not None and name in (found, found.partition(".")[2])

    def on_path(self, pattern: str) -> bool:
        """A glob on the path the client sent, or on the row's path without a client's base path (/api/v2)."""
        return fnmatch.fnmatchcase(self.path, pattern) or fnmatch.fnmatchcase(request.path, pattern)


def soap_request_element(body: bytes) -> str | None:
    """The local name of the SOAP Body's first element (GetEnrollmentsRequest), or None when it is no envelope."""
    try:
        envelope = parse_xml(body)
    except BadRequestError:
        return None
    for body_element in envelope:
        if isinstance(body_element.tag, str) and etree.QName(body_element).localname == "Body":
            child = next((c for c in body_element if isinstance(c.tag, str)), None)
            return etree.QName(child).localname if child is not None else None
    return None
