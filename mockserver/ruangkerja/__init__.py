"""The Ruangkerja wing: JSON routes under the vendor's own paths (api.ruangkerja.id)."""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("ruangkerja", __name__)

from . import auth, dashboard  # noqa: E402,F401  (the views register themselves on the blueprint)
from .responses import render_error  # noqa: E402

PATH_PREFIXES = ("/ruangkerja", "/oauth", "/__admin")


def describe(config, base: str) -> list[str]:
    """Console lines: where the wing lives and which credentials work."""
    clients = ", ".join(c.replace(":", " / ") for c in config.ruangkerja_clients)
    return [
        f"  Ruangkerja   {base}/ruangkerja/...  token: POST {base}/oauth/token with client {clients}",
        f"               or send `Authorization: {config.ruangkerja_static_tokens[0]}`"
        if config.ruangkerja_static_tokens else "               (no static token)",
    ]


def init_app(app: Flask) -> None:
    from ..app import add_error_renderer

    app.register_blueprint(blueprint)
    add_error_renderer(app, PATH_PREFIXES, render_error)
