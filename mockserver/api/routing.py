"""A table's rows as Flask routes: one generic view per row.

The view runs the same steps for every row of every vendor: the wing's auth gate (unless the row is public), the
row's handler, or for a list the row's world query and the wing's generic paging, then the wing's answer. A wing
(ruangkerja/, ispring/, admin.py) is a module with NAME, OPERATIONS, authorize, list_payload, respond, render_error
and owns, and optionally ROUTE_PREFIXES with route_prefixes (a row's path -> those of the base paths it is also
served under; see PrefixedPaths); app.py picks the wing that owns a path to render its errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from flask import Blueprint, Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..context import Runtime, runtime
from .cache import answered
from .operation import Operation, flask_path


ENDPOINTS = "mockserver.endpoints"  # app.extensions: Flask endpoint -> the REST row it serves


def current_row() -> Operation | None:
    """The REST row the current request is routed to (None: no row, or a SOAP call)."""
    return current_app.extensions.get(ENDPOINTS, {}).get(request.endpoint)


@dataclass(frozen=True)
class Call:
    """One call of one operation: the row, this server's runtime, and the path values by their vendor names."""

    op: Operation
    rt: Runtime
    path: dict[str, str]

    @property
    def world(self):
        return self.rt.world

    @property
    def state(self):
        return self.rt.state

    @property
    def config(self):
        return self.rt.config

    def arg(self, name: str, default: str | None = None) -> str | None:
        return request.args.get(name, default)


def view(wing: ModuleType, op: Operation):
    # A read's answer may be served again while the log and the clock stand (api/cache.py); a write, a token call
    # (public) and what reads outside the log (a `fresh` row, a FRESH wing: the control plane's) are rendered each time.
    kept = not (op.write or op.public or op.fresh or getattr(wing, "FRESH", False))

    def answer(**path: str):
        call = Call(op, runtime(), path)
        if not op.public:
            wing.authorize(call)

        def render():
            payload = wing.list_payload(call) if op.is_list else op.handler(call)
            return wing.respond(call, payload)

        return answered(call.rt, render, lambda response: op.qualified) if kept else render()

    answer.__name__ = op.name
    return answer


def mount(app: Flask, wing: ModuleType) -> None:
    """Every REST row of the wing's table as a route (SOAP rows are the SOAP service's)."""
    blueprint = Blueprint(wing.NAME, wing.__name__)
    rows = app.extensions.setdefault(ENDPOINTS, {})
    for op in wing.OPERATIONS:
        if op.soap is not None:
            continue
        answer = view(wing, op)
        for method, path in op.routes():
            endpoint = f"{op.name}:{method}:{path}"
            blueprint.add_url_rule(flask_path(path), endpoint, answer, methods=[method])
            rows[f"{blueprint.name}.{endpoint}"] = op
    app.register_blueprint(blueprint)
    if getattr(wing, "ROUTE_PREFIXES", ()):
        app.wsgi_app = PrefixedPaths(app.wsgi_app, app, wing)


class PrefixedPaths:
    """WSGI: a request under one of a wing's ROUTE_PREFIXES (iSpring's /api/v2 ...) is routed as the row path it
    ends with, the prefix moved to SCRIPT_NAME, when that path is a route of the wing, the wing's
    route_prefixes(path) allows the prefix, and the whole path is no route of its own (/api/v2/soap/2.0 stays SOAP).
    No extra URL rules (Werkzeug compiles each one, milliseconds a rule, on every app built) and nothing for the
    OpenAPI document, which reads the rows: each operation is documented once."""

    def __init__(self, wsgi_app, app: Flask, wing: ModuleType):
        self.wsgi_app, self.app, self.wing = wsgi_app, app, wing
        self.prefixes = tuple(sorted(wing.ROUTE_PREFIXES, key=len, reverse=True))

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        prefix = next((p for p in self.prefixes if path.startswith(p + "/")), None)
        if prefix is not None and self._routes(environ, path[len(prefix):], prefix):
            environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + prefix,
                       "PATH_INFO": path[len(prefix):]}
        return self.wsgi_app(environ, start_response)

    def _routes(self, environ, rest: str, prefix: str) -> bool:
        wings = self.app.extensions.get("mockserver.wings", (self.wing,))
        if prefix not in self.wing.route_prefixes(rest) or next((w for w in wings if w.owns(rest)), None) is not \
                self.wing or _endpoint(self.app, environ, environ["PATH_INFO"]):
            return False
        found = _endpoint(self.app, environ, rest)
        return bool(found) and (found is True or found.startswith(self.wing.NAME + "."))


def _endpoint(app: Flask, environ, path: str):
    """The endpoint `path` routes to; True when it is a route, but not for this method (a 405 there); else None."""
    adapter = app.url_map.bind_to_environ(environ)
    try:
        return adapter.match(path)[0]
    except MethodNotAllowed:
        return True
    except HTTPException:
        return None
