"""`/__admin/*`: the mock's own routes (health, reset), a table like the vendors', and the OpenAPI document.

Failures here take the JSON error shape of Ruangkerja's (`{"errorCode","message","detail"}`): a JSON client of
the mock reads them like any other.
"""

from __future__ import annotations

import os

from flask import Flask, Response, current_app, jsonify

from mockserver.contracts.admin import HealthSchema, ResetSchema, WebhooksSchema
from mockserver.contracts.ruangkerja import ErrorSchema

from . import __version__
from .api.checking import check
from .api.operation import Operation
from .ruangkerja.errors import render_error
from .ruangkerja.responses import json_response
from .webhooks import report as webhook_report

NAME = "admin"
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
    # --- webhooks ---
    Operation(NAME, "webhooks", "GET", f"{PREFIX}/webhooks",
              "iSpring webhook subscribers (with the confirmation code sent) and deliveries with their outcome",
              (WebhooksSchema,), handler=webhook_report.webhooks, public=True),
]

__all__ = ["NAME", "OPERATIONS", "authorize", "list_payload", "respond", "render_error", "owns", "init_app"]


def owns(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def authorize(call) -> None:
    """Every admin route is open (a QA deployment's admin token is a later issue's)."""


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
