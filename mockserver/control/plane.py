"""The control plane in the request path of every vendor call (never of `/__admin/*`): faults first (delays, then
the first fault that replaces the answer), then stubs, then the row as usual; the journal entry on the way out; the
faults that need the socket (truncated, drop) in a WSGI wrapper around the app.

Faults and stubs are read from the shared state only when its control version moved (store.py), so a change made
through any worker is in force on every worker at its next request.
"""

from __future__ import annotations

import random
import socket
import time
import weakref

from flask import Flask, Response, current_app, g, request

from ..api.operation import OPERATION_KEY
from ..admin import owns as is_admin
from ..context import runtime
from ..errors import StateUnavailableError
from ..world.store import WATCHERS
from . import faults, journal, store, stubs
from .incoming import Incoming, vendor_of

_lists: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # state -> (version, faults, stubs) of this process


def current(state) -> tuple[list[store.Stored], list[store.Stored]]:
    version = store.version(state)
    cached = _lists.get(state)
    if cached is None or cached[0] != version:
        cached = (version, store.faults(state), store.stubs(state))
        _lists[state] = cached
    return cached[1], cached[2]


def init_app(app: Flask) -> None:
    if journal.note_event not in WATCHERS:  # once per process: which events each request commits
        WATCHERS.append(journal.note_event)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.before_request(_intercept)
    app.after_request(_record)
    app.wsgi_app = Breakage(app.wsgi_app)


def _start() -> None:
    g.control_started = time.perf_counter()


def _intercept() -> Response | None:
    if is_admin(request.path):
        return None
    rt = runtime()
    incoming = Incoming(current_app)
    g.control_incoming = incoming
    if rt.config.journal_size:
        incoming.body  # read now: the SOAP endpoint reads the stream without keeping it
    header = request.headers.get(faults.HEADER)
    active_faults, active_stubs = current(rt.state)
    chosen = faults.header_faults(header) if header else [
        f.spec for f in active_faults if faults.matches(f.spec["match"], incoming) and store.fires(rt.state, f,
                                                                                                    rt.world.seed)]
    delays = [spec for spec in chosen if spec["kind"] in faults.DELAYS]
    if delays:
        rng = random.Random()  # a delay's length need not repeat; whether a fault fires does (store.fires)
        for spec in delays:
            faults.wait(spec, rng)
    g.control_fault = ",".join(dict.fromkeys(spec["kind"] for spec in chosen)) or None
    for spec in chosen:
        if spec["kind"] not in faults.DELAYS:
            response = faults.answer(spec, incoming)
            if response is not None or request.environ.get(faults.BREAK_KEY):
                return response
    for stub in active_stubs:
        if stubs.matches(stub.spec["match"], incoming):
            g.control_stubbed = True
            return stubs.answer(stub.spec)
    return None


def _record(response: Response) -> Response:
    rt = runtime()
    if not rt.config.journal_size or is_admin(request.path) or g.get("state_unavailable"):
        return response  # (the state out of reach: this answer was its 503, and no entry can be written)
    incoming = g.get("control_incoming")
    started = g.get("control_started")
    ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    broken = request.environ.get(faults.BREAK_KEY)
    operation = request.environ.get(OPERATION_KEY)
    if incoming is not None:
        vendor, path, body = incoming.vendor, incoming.path, incoming.body
        operation = operation or (incoming.row.qualified if incoming.row is not None else None)
    else:  # refused before the control plane saw it (a body over the limit ...)
        vendor, path, body = vendor_of(request.path), request.script_root + request.path, b""
    try:
        store.record(rt.state, rt.config.journal_size, journal.entry(
            vendor, operation, path, body, None if broken == "drop" else response, ms,
            bool(g.get("control_stubbed")), g.get("control_fault")))
    except StateUnavailableError:
        pass  # the answer stands; its journal entry is lost with the connection
    return response


class Breakage:
    """WSGI: the faults a Flask response cannot express. `truncated`: the answer's first half under a Content-Length
    of the whole, then the socket is shut, so the client reads too few bytes; `drop`: the socket is shut before
    anything is sent. Without a socket (Flask's test client), drop raises ConnectionAbortedError to the caller."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        held: list = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers, exc_info]
            return lambda data: None  # Flask never writes through it

        body = self.wsgi_app(environ, hold)
        kind = environ.get(faults.BREAK_KEY)
        if kind is None:
            start_response(*held)
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
        if kind == "drop":
            if sock is None:
                raise ConnectionAbortedError("the connection was dropped by a fault")
            _shut(sock)
            start_response("500 Internal Server Error", [("Content-Length", "0")])  # never reaches the client
            return []
        status, headers, _ = held
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(data)))]
        start_response(status, headers)
        return _Cut(data[:len(data) // 2], sock)


class _Cut:
    """The body's first half; closing it shuts the socket (a kept-alive connection would wait for the rest)."""

    def __init__(self, part: bytes, sock):
        self.part, self.sock = part, sock

    def __iter__(self):
        yield self.part

    def close(self) -> None:
        if self.sock is not None:
            _shut(self.sock)


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
