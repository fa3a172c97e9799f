"""`/__admin/*`: the server's own routes: health, reset, and the OpenAPI document (journal and faults to come)."""

from __future__ import annotations

import os

from flask import Blueprint, Flask, jsonify

from contracts.admin import HealthSchema, ResetSchema

from . import __version__
from .context import runtime
from .ruangkerja.responses import respond

blueprint = Blueprint("admin", __name__, url_prefix="/__admin")


@blueprint.get("/health")
def health():
    response = respond({"status": "ok", "seed": runtime().world.seed, "version": __version__}, HealthSchema)
    response.headers["X-Mockserver-Worker"] = str(os.getpid())  # lets tests see which worker answered
    return response


@blueprint.post("/reset")
def reset():
    """Every write undone on every worker; issued tokens stay valid (they are credentials, not world)."""
    rt = runtime()
    return respond({"status": "ok", "seq": rt.world.reset(rt.state)}, ResetSchema)


@blueprint.get("/openapi.json")
def openapi():
    from .openapi import openapi_document

    return jsonify(openapi_document())


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
