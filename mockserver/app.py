"""create_app(config): settings, world, shared state, each wing's table as routes, and one error path for all of
them: an error takes the shape of the wing that owns the request's path."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from . import __version__, access, access_log, admin, console, control, fixtures_watch, ispring, webhooks
from .api.routing import mount
from .config import Config, SettingError
from .context import Runtime, runtime
from .errors import (
    BadRequestError,
    MethodNotAllowedError,
    MockError,
    PayloadTooLargeError,
    RouteNotFoundError,
    StateUnavailableError,
    clip_message,
    echo,
)
from .unhandled import unhandled
from .state import SharedState
from .wings import WINGS
from .world import World

log = logging.getLogger("mockserver")

WORLD_FORMAT = "lms-mockserver-world/1"  # what World.to_json writes and this version reads


def load_world(config: Config) -> World:
    """The generated world, or the --fixtures file's; a file that is not a world of this version is refused."""
    if not config.fixtures:
        return World.build(config.seed, config.employees, config.courses)
    content = read_fixtures(config.fixtures)
    world = parse_fixtures(config.fixtures, content)[0]
    world.loaded_sha256 = hashlib.sha256(content).hexdigest()  # fixtures_watch.py: reload when the file differs
    return world


def read_fixtures(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SettingError("fixtures", path, f"cannot read it ({error.strerror or error})") from None


def parse_fixtures(path: str, content: bytes) -> tuple[World, dict]:
    """The world of a --fixtures file's content, and its JSON; SettingError when it is not a world of this version."""
    def refuse(reason: str) -> SettingError:
        return SettingError("fixtures", path, reason)

    try:
        data = json.loads(content.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError too
        raise refuse(f"not JSON ({error})") from None
    found = data.get("format") if isinstance(data, dict) else None
    if found != WORLD_FORMAT:
        by = f" by mockserver {data['generator']}" if isinstance(data, dict) and data.get("generator") else ""
        raise refuse(f"written in format {found!r}{by}; this mockserver {__version__} reads {WORLD_FORMAT!r}: "
                     "export it again with `mockserver fixtures export`")
    try:
        return World.from_json(data), data
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise refuse(f"not a world as `mockserver fixtures export` writes it ({type(error).__name__}: {error})") \
            from None


def world_identity(world: World) -> dict[str, str]:
    """What a state file remembers of the world it belongs to."""
    return {"seed": str(world.seed), "sizes": json.dumps(world.sizes, sort_keys=True), "version": __version__}


class MockServerApp(Flask):
    def ensure_sync(self, func):
        """Every hook and view here is synchronous: Flask would ask inspect so of each of ~10 hooks on every call."""
        return func


def create_app(config: Config | None = None, *, world: World | None = None, state: SharedState | None = None) -> Flask:
    config = config or Config()
    app = MockServerApp(__name__)
    app.json.sort_keys = False  # vendor key order (DESIGN.md decision 6)
    app.json.compact = True
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    # No redirects: a vendor API answers `//` or a stray slash with its error shape, not an HTML 308.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.extensions["mockserver.wings"] = WINGS
    world = world or load_world(config)
    state = state or SharedState(config.state, belongs_to=world_identity(world))
    app.extensions["mockserver"] = Runtime(config, world, state)

    access_log.init_app(app, config.access_log)  # first: it times the whole request
    access.init_app(app)  # then who may ask at all: Host, Origin, admin token; CORS headers on every answer
    app.before_request(_refuse_large_bodies)
    if config.fixtures:
        fixtures_watch.init_app(app, config.fixtures)  # before catching up: a reload is an event like a write
    app.before_request(_catch_up)
    control.init_app(app)  # faults, stubs and the journal, before any row's handler
    app.register_error_handler(Exception, _render_error)

    for wing in WINGS:
        mount(app, wing)
    ispring.init_app(app)  # the SOAP endpoint
    admin.init_app(app)  # the OpenAPI document
    console.init_app(app)  # the QA console's pages (GET /__admin/)
    webhooks.init_app(app)  # each worker's webhook delivery thread, started by its first request
    return app


def _refuse_large_bodies() -> None:
    limit = runtime().config.max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLargeError(f"request body of {request.content_length} bytes exceeds the limit of {limit}")


def _catch_up() -> None:
    rt = runtime()
    rt.world.catch_up(rt.state)


def as_mock_error(error: Exception) -> MockError:
    if isinstance(error, MockError):
        return error
    if isinstance(error, NotFound):
        return RouteNotFoundError(f"no route for {request.method} {echo(request.path)}")
    if isinstance(error, MethodNotAllowed):
        found = MethodNotAllowedError(f"method {echo(request.method, 20)} is not allowed on "
                                      f"{echo(request.script_root + request.path)}")
        found.allowed = error.valid_methods or []
        return found
    if isinstance(error, RequestEntityTooLarge):
        return PayloadTooLargeError(f"request body exceeds the limit of {runtime().config.max_body_bytes} bytes")
    if isinstance(error, HTTPException) and error.code == 400:
        return BadRequestError(error.description or "bad request")
    if isinstance(error, HTTPException):
        found = MockError(error.description or error.name)
        found.status = error.code or 500
        return found
    return unhandled(error)


def render_server_error(app: Flask, environ: dict, status: int, message: str) -> Response:
    """An answer of the server's own, for a request it could not read whole (408, 414, 431, a bad chunked body ...):
    in the shape of the wing that owns the request's path (serving's worker, http_worker.py)."""
    error = MockError(message)
    error.status = status
    with app.request_context(environ):
        return _render_error(error)


def _render_error(error: Exception) -> Response:
    found = as_mock_error(error)
    if isinstance(found, StateUnavailableError):
        g.state_unavailable = True  # the journal writes no entry of it (control/plane.py)
    if found.status < 500:  # a client's error: an echo of its input nobody cut is cut here (500s name no input)
        found.detail = clip_message(found.detail)
    wing = next(w for w in WINGS if w.owns(request.path))
    response = wing.render_error(found)
    allowed = getattr(found, "allowed", None)
    if allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response

