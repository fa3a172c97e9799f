"""`/__admin/*`: the mock's own routes (health, reset), a table like the vendors', and the OpenAPI document.

Failures here take the JSON error shape of Ruangkerja's (`{"errorCode","message","detail"}`): a JSON client of
the mock reads them like any other.
"""

from __future__ import annotations

import os

from flask import Flask, Response, current_app, jsonify

from mockserver.contracts.admin import (
    ActivitySchema,
    ClockSchema,
    HealthSchema,
    ResetSchema,
    SeedSchema,
    WebhooksSchema,
)
from mockserver.contracts.ruangkerja import ErrorSchema

from . import __version__, admin_driving
from .api.checking import check
from .api.operation import Operation
from .ruangkerja.errors import render_error
from .ruangkerja.responses import json_response
from .webhooks import report as webhook_report

NAME = "admin"
FRESH = True  # its reads (journal, faults, stubs, webhook deliveries) live outside the log: never cached
PREFIX = "/__admin"


def health(call) -> dict:
    return {"status": "ok", "seed": call.world.seed, "version": __version__}


def reset(call) -> dict:
    """Every write undone on every worker; issued tokens stay valid (they are credentials, not world)."""
    return {"status": "ok", "seq": call.world.reset(call.state)}


OPENAPI = {"media_types": ("application/json",), "error": ErrorSchema}
OPERATIONS = [
    Operation(NAME, "health", "GET", f"{PREFIX}/health", "the server is up: its seed and version", (HealthSchema,),
              handler=health, public=True),
    Operation(NAME, "reset", "POST", f"{PREFIX}/reset", "back to the pristine world on every worker",
              (ResetSchema,), handler=reset, public=True),
    # --- driving ---
    Operation(NAME, "activity", "POST", f"{PREFIX}/activity", "a learner starts, completes, fails or lets expire a "
              "course assignment (Ruangkerja) or an enrollment (iSpring); attends or misses a batch",
              (ActivitySchema,), handler=admin_driving.activity, public=True, write=True, errors=(400,),
              body={"application/json": admin_driving.ActivityRequestSchema}),
    Operation(NAME, "clock", "GET", f"{PREFIX}/clock", "the world's clock: now, and whether it is real time",
              (ClockSchema,), handler=admin_driving.get_clock, public=True),
    Operation(NAME, "set_clock", "POST", f"{PREFIX}/clock", "set, advance or freeze the world's clock on every "
              "worker, or back to real time", (ClockSchema,), handler=admin_driving.set_clock, public=True,
              write=True, errors=(400,), body={"application/json": admin_driving.ClockRequestSchema}),
    Operation(NAME, "seed", "POST", f"{PREFIX}/seed", "rebuild the world from another seed on every worker",
              (SeedSchema,), handler=admin_driving.reseed, public=True, write=True, errors=(400,),
              body={"application/json": admin_driving.SeedRequestSchema}),

    # --- webhooks ---
    Operation(NAME, "webhooks", "GET", f"{PREFIX}/webhooks",
              "iSpring webhook subscribers (with the confirmation code sent) and deliveries with their outcome",
              (WebhooksSchema,), handler=webhook_report.webhooks, public=True),
]

__all__ = ["NAME", "OPERATIONS", "authorize", "list_payload", "respond", "render_error", "owns", "init_app"]


def owns(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def authorize(call) -> None:
    """No vendor credentials here: the admin token, when one is set, is checked before any route (access.py)."""


def list_payload(call):
    raise NotImplementedError("the admin table has no list")


def respond(call, payload) -> Response:
    if call.config.check_contracts:
        check(call.op.contracts[0], payload)
    response = json_response(payload, call.op.status)
    response.headers["X-Mockserver-Worker"] = str(os.getpid())  # lets tests see which worker answered
    return response


def openapi() -> Response:
    from .api.openapi import openapi_document

    return jsonify(openapi_document(current_app.extensions["mockserver.wings"]))


def init_app(app: Flask) -> None:
    """The OpenAPI document: the description of every table, itself outside them."""
    app.add_url_rule(f"{PREFIX}/openapi.json", "admin_openapi", openapi, methods=["GET"])


# --- journal ---
# The control plane's rows: the request journal, faults, scenarios and stubs (mockserver/control/routes.py).
from .control.routes import OPERATIONS as _CONTROL_ROWS  # noqa: E402

OPERATIONS.extend(_CONTROL_ROWS)

# --- console ---
# The QA console's reads (mockserver/console/views.py): what its pages show, for a script too. The pages themselves
# are a static shell outside the table (mockserver/console/__init__.py) whose data comes from these rows.
from mockserver.contracts.admin import (  # noqa: E402
    RequestDetailSchema,
    StatusSchema,
    WorldContentListSchema,
    WorldCoursesSchema,
    WorldEnrollmentsSchema,
    WorldPeopleSchema,
)

from .api.operation import Param  # noqa: E402
from .console import views as _console  # noqa: E402

_SEARCH = (Param("q", description="case-insensitive: a name, an email or any ID of the row"),
           Param("limit", {"type": "integer", "minimum": 1},
                 description=f"at most this many rows (default {_console.DEFAULT_LIMIT}); `total` counts all"))
OPERATIONS.extend([
    Operation(NAME, "request_detail", "GET", f"{PREFIX}/requests/:id", "one journal entry with its answer (masked, "
              "pretty-printed) and the world events it caused", (RequestDetailSchema,),
              handler=_console.request_detail, public=True, errors=(404,)),
    Operation(NAME, "world_people", "GET", f"{PREFIX}/world/people", "people, both faces: the Ruangkerja employee "
              "and the iSpring learner, with where each appears", (WorldPeopleSchema,), handler=_console.people,
              public=True, errors=(400,), params=_SEARCH),
    Operation(NAME, "world_courses", "GET", f"{PREFIX}/world/courses", "Ruangkerja courses with their batches",
              (WorldCoursesSchema,), handler=_console.courses, public=True, errors=(400,), params=_SEARCH),
    Operation(NAME, "world_content", "GET", f"{PREFIX}/world/content", "iSpring content items",
              (WorldContentListSchema,), handler=_console.content, public=True, errors=(400,), params=_SEARCH),
    Operation(NAME, "world_enrollments", "GET", f"{PREFIX}/world/enrollments", "iSpring enrollments and Ruangkerja "
              "assignments with their statuses", (WorldEnrollmentsSchema,), handler=_console.enrollments,
              public=True, errors=(400,), params=_SEARCH),
    Operation(NAME, "status", "GET", f"{PREFIX}/status", "seed, version, workers, uptime, state backend, counts",
              (StatusSchema,), handler=_console.status, public=True),
])
