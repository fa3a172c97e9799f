"""Who may reach the mock, checked before any route: the Host (DNS rebinding), the Origin (cross-site writes), the
admin API's switch and token; and the CORS headers on the way out (cors.py).

A refusal is an error like any other, so it takes the shape of the wing that owns the path (app.py): 403 for a
foreign Host or Origin, 401 for a missing or wrong admin token, 404 for the admin API switched off. Requests without
an Origin (curl, a server-side client) are never refused for it.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from . import admin, console, cors
from .context import runtime
from .errors import RefusedError, RouteNotFoundError, UnauthorizedError

HEALTH = f"{admin.PREFIX}/health"  # always answers: the Docker HEALTHCHECK and the pytest plugin wait on it


class UnknownHostError(RefusedError):
    """A Host that is not a loopback name on a loopback bind: a page whose DNS name was rebound to 127.0.0.1."""


class CrossSiteError(RefusedError):
    """A write, or any admin call, from a browser page whose origin is not trusted with it."""


def init_app(app: Flask) -> None:
    app.before_request(guard)
    app.after_request(finish)


def guard() -> Response | None:
    config = runtime().config
    check_host(config)
    origin = request.headers.get("Origin")
    is_admin = admin.owns(request.path)
    if cors.is_preflight():
        method = request.headers["Access-Control-Request-Method"].strip().upper()
        check_origin(config, origin, method, is_admin)
        return cors.preflight_answer(cors.policy(config).may_write(origin))
    if origin is not None:
        check_origin(config, origin, request.method, is_admin)
    if is_admin and request.path != HEALTH:
        check_admin(config, page=console.is_page(request.path))
    return None


def check_host(config) -> None:
    """On a loopback bind only loopback names: elsewhere the Host is whatever name the team gave the machine."""
    if not cors.is_loopback_name(config.host):
        return
    host = request.host  # name[:port], an IPv6 address in brackets
    if not cors.is_loopback_name(urlsplit("//" + host).hostname or ""):  # both cached: urlsplit since 3.11
        raise UnknownHostError(f"Host {host!r} refused: this server listens on {config.host} and answers loopback "
                               "names only (localhost, 127.0.0.1, [::1]), so that a rebound DNS name cannot reach it")


def check_origin(config, origin: str | None, method: str, is_admin: bool) -> None:
    if origin is None or (method in cors.READS and not is_admin) or is_same_origin(origin):
        return
    if not cors.policy(config).may_write(origin):
        what = "the admin API" if is_admin else f"{method} (a write)"
        raise CrossSiteError(f"cross-site request refused: Origin {origin} may not use {what}; list it in "
                             "--cors-origins (under `*` only loopback origins may)")


def is_same_origin(origin: str) -> bool:
    """A page the mock served itself (the console): its Origin is the URL the request was sent to. Cross-site rules
    are about other sites; a rebound DNS name is Host-checked (check_host) on a loopback bind, and elsewhere the
    admin token is what keeps a foreign page out."""
    return cors.normal_origin(origin) == cors.normal_origin(request.host_url)


def check_admin(config, page: bool = False) -> None:
    """`page`: a console page, a static shell with no data of its own: it asks for the token itself."""
    if config.admin == "off":
        raise RouteNotFoundError(f"no route for {request.method} {request.path}: the admin API is off (--admin off)")
    if config.admin_token is None or page:
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), config.admin_token.encode()):
        g.admin_refused = True
        raise UnauthorizedError("the admin API needs `Authorization: Bearer <token>` with the server's "
                                "MOCKSERVER_ADMIN_TOKEN")


def finish(response: Response) -> Response:
    if g.get("admin_refused"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="mockserver admin"'
    return cors.add_headers(runtime().config, response)


def describe(config) -> list[str]:
    """Console warnings: an admin API that anyone on the network can use."""
    if config.admin == "on" and config.admin_token is None and not cors.is_loopback_name(config.host):
        return [f"  Warning      the admin API (/__admin/*: reset, faults, stubs ...) is open to anyone who reaches "
                f"{config.host}: set MOCKSERVER_ADMIN_TOKEN, or --admin off"]
    return []
