"""One console line per request: method, path, status, milliseconds and the vendor operation that answered.

    13:05:01 GET /ruangkerja/dashboard/courses?page=1&pageSize=10 200 3.1 ms ruangkerja.course

The operation is the table row that served the request (a Flask endpoint maps to its row, api/routing.py; a SOAP call
names its method, `ispring.soap.getEnrollments`); `-` when no row did (an unknown route). `--access-log json` writes
the same as one JSON object a line; `off` writes nothing. `serve` turns it on by default when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
import sys
import time

from flask import Flask, g, request
from flask.wrappers import Response

from .api.operation import OPERATION_KEY
from .api.routing import ENDPOINTS
from .unhandled import printable



def init_app(app: Flask, mode: str | None) -> None:
    if mode in (None, "off"):
        return
    rows = app.extensions.setdefault(ENDPOINTS, {})  # endpoint -> row (api/routing.py)

    def start() -> None:
        g.access_started = time.perf_counter()

    def finish(response: Response) -> Response:
        started = g.get("access_started")
        ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        row = rows.get(request.endpoint)
        operation = request.environ.get(OPERATION_KEY) or (row.qualified if row else request.endpoint) or "-"
        path = (request.script_root + request.full_path).rstrip("?")  # with a client's /api/v2 (api/routing.py)
        if mode == "json":
            line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "method": request.method, "path": path,
                               "status": response.status_code, "ms": round(ms, 1), "operation": operation,
                               "worker": os.getpid()}, separators=(",", ":"))
        else:
            # printable: a client's path may carry control characters (json.dumps escapes them in the other mode)
            line = (f"{time.strftime('%H:%M:%S')} {printable(request.method, 20)} {printable(path, 2000)} "
                    f"{response.status_code} {ms:.1f} ms {operation}")
        print(line, file=sys.stderr, flush=True)
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)
