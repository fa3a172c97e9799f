"""The iSpring Learn wing: REST (XML by default, JSON on Accept) and SOAP (Spyne), over the one shared world."""

from __future__ import annotations

from flask import Flask

from . import rest, soap
from .representation import render_error

REST_PREFIXES = ("/api/v3/token", "/enrollment")


def describe(config, base: str) -> list[str]:
    """Console lines: where the wing lives and which credentials work."""
    clients = ", ".join(c.replace(":", " / ") for c in config.ispring_clients)
    logins = ", ".join(" / ".join(login.split(":")[:2]) for login in config.ispring_logins)
    return [
        f"  iSpring      REST {base}/enrollment...  token: POST {base}/api/v3/token with client {clients}",
        f"               SOAP {base}{soap.SOAP_PATHS[0]} (WSDL: ?wsdl)  login (X-Auth-*, SOAP credentials): {logins}",
    ]


def init_app(app: Flask) -> None:
    from ..app import add_error_renderer

    app.register_blueprint(rest.blueprint)
    soap.init_app(app, app.extensions["mockserver"])
    add_error_renderer(app, REST_PREFIXES, render_error)
    add_error_renderer(app, soap.SOAP_PATHS, soap.render_fault)
