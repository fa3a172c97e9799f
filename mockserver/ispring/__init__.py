"""The iSpring Learn wing: REST (XML by default, JSON on Accept) and SOAP (Spyne), over the one shared world, all
read from operations.py.

operations.py  THE TABLE: one row per operation, REST and SOAP
items.py       world entities -> wire payloads
handlers.py    the operations that are not a generic list (REST, then SOAP)
inputs.py      request bodies (XML or JSON) and PHP-style query arrays
auth.py        tokens and the legacy login, for REST and SOAP
responses.py   XML or JSON answers and the generic paging
errors.py      REST failures in the vendor's shape (SOAP faults: soap/wire.py)
soap/          the Spyne service, its types, the vendor's SOAP wire, the fast result writer
"""

from __future__ import annotations

from flask import Flask, Response, request

from ..errors import MockError
from .auth import authorize
from .errors import render_rest_error
from .operations import NAME, OPENAPI, OPERATIONS, SOAP_PATHS
from .responses import list_payload, respond
from .soap import service as soap

__all__ = ["NAME", "OPENAPI", "OPERATIONS", "authorize", "list_payload", "respond", "render_error", "owns", "describe",
           "init_app", "route_prefixes", "ROUTE_PREFIXES"]

# Base paths real clients put in front of every REST path (vendor notes 2.1): the account host's /api/v2 (sync-org.mjs
# /api/v2/user/list, the Kotlin client's /api/v2/users), the Laravel package's {account_url}/index.php/api/v2, and
# /api/v3 (the new docs' GET /api/v3/content/{id}; a base URL ending in /api/v3, as the Kortasfa README sets it).
ROUTE_PREFIXES = ("/api/v2", "/index.php/api/v2", "/api/v3")


def owns(path: str) -> bool:
    """Every path of the root that is not Ruangkerja's or the mock's own is iSpring's, as on the real hosts."""
    return True


def route_prefixes(path: str) -> tuple[str, ...]:
    """Every REST row is served under ROUTE_PREFIXES too (api/routing.py PrefixedPaths), but a row already under /api/
    (the token call keeps its one path: clients ask {account}/api/v3/token). /api/v2/soap/2.0 stays the SOAP
    endpoint: a path that is a route as it stands is never cut."""
    return () if path.startswith("/api/") else ROUTE_PREFIXES


def render_error(error: MockError) -> Response:
    return soap.render_fault(error) if request.path in SOAP_PATHS else render_rest_error(error)


def describe(config, base: str) -> list[str]:
    """Console lines: where the wing lives and which credentials work."""
    clients = ", ".join(c.replace(":", " / ") for c in config.ispring_clients)
    logins = ", ".join(" / ".join(login.split(":")[:2]) for login in config.ispring_logins)
    return [
        f"  iSpring      REST {base}/enrollment...  token: POST {base}/api/v3/token with client {clients}",
        f"               SOAP {base}{SOAP_PATHS[0]} (WSDL: ?wsdl)  login (X-Auth-*, SOAP credentials): {logins}",
    ]


def init_app(app: Flask) -> None:
    """The SOAP endpoint; the REST rows are mounted by app.py like every wing's."""
    soap.init_app(app, app.extensions["mockserver"])
