"""The QA console: `GET /__admin/` in a browser. Calls, World, Steer, Status.

Each page is a static shell (Jinja: the layout, the forms, the table heads) with no data of its own; console.js
fills it from the admin rows with fetch(), sending the admin token from sessionStorage as `Authorization: Bearer`,
so a page does nothing a script could not do with the same routes. The shells answer without the token (it is
asked for in the page) but not with `--admin off`; everything they fetch is token-checked as usual (access.py).
Nothing is fetched from elsewhere: the CSS and JS are this package's (a Content-Security-Policy says so).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, render_template

from ..context import runtime

PREFIX = "/__admin/console"
PAGES = {"calls": "Calls", "world": "World", "steer": "Steer", "status": "Status"}
HOME = "/__admin/"
SECURITY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

blueprint = Blueprint("console", __name__, url_prefix=PREFIX, template_folder="templates",
                      static_folder="static", static_url_path="/static")


def is_page(path: str) -> bool:
    """A page or static file of the console (not one of the admin rows its pages call)."""
    return path in ("/__admin", HOME) or path.startswith(PREFIX + "/")


def page(name: str = "calls") -> Response:
    if name not in PAGES:
        abort(404)
    config = runtime().config
    html = render_template(f"console/{name}.html", page=name, pages=PAGES, home=HOME, prefix=PREFIX,
                           needs_token=config.admin_token is not None)
    return Response(html, headers=SECURITY, mimetype="text/html")


blueprint.add_url_rule("/<name>", "page", page, methods=["GET"])


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.add_url_rule(HOME, "console.home", page, methods=["GET"])
