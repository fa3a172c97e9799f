"""A table's rows as Flask routes: one generic view per row.

The view runs the same steps for every row of every vendor: the wing's auth gate (unless the row is public), the
row's handler, or for a list the row's world query and the wing's generic paging, then the wing's answer. A wing
(ruangkerja/, ispring/, admin.py) is a module with NAME, OPERATIONS, authorize, list_payload, respond, render_error
and owns, and optionally route_prefixes (a row's path -> the base paths it is also served under); app.py picks the
wing that owns a path to render its errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from flask import Blueprint, Flask, request

from ..context import Runtime, runtime
from .operation import Operation, flask_path


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
    def answer(**path: str):
        call = Call(op, runtime(), path)
        if not op.public:
            wing.authorize(call)
        payload = wing.list_payload(call) if op.is_list else op.handler(call)
        return wing.respond(call, payload)

    answer.__name__ = op.name
    return answer


def mount(app: Flask, wing: ModuleType) -> None:
    """Every REST row of the wing's table as a route (SOAP rows are the SOAP service's)."""
    blueprint = Blueprint(wing.NAME, wing.__name__)
    rows = app.extensions.setdefault("mockserver.endpoints", {})  # Flask endpoint -> row, for the access log
    for op in wing.OPERATIONS:
        if op.soap is not None:
            continue
        answer = view(wing, op)
        for method, path in op.routes():
            # The same row under the base paths clients put in front (a wing's route_prefixes, e.g. iSpring's
            # /api/v2): served, not documented (the OpenAPI document reads the rows, not these rules).
            for prefix in ("", *getattr(wing, "route_prefixes", lambda _: ())(path)):
                endpoint = f"{op.name}:{method}:{prefix.replace('.', '_')}{path}"
                blueprint.add_url_rule(flask_path(prefix + path), endpoint, answer, methods=[method])
                rows[f"{blueprint.name}.{endpoint}"] = op.qualified
    app.register_blueprint(blueprint)
