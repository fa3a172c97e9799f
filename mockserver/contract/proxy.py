"""`mockserver proxy`: forward every request to the real API unchanged, check each answer against its contract on
the way back, keep the drift, and (with --record) save the answers as samples.

The client sees exactly what the upstream sent (status, headers, body bytes); only hop-by-hop headers are dropped.
GET /__admin/drift shows what drifted (DELETE clears it); every other path, /__admin/* included, is forwarded.
One process keeps the drift log, so gunicorn runs one worker with threads.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import requests
from flask import Flask, Response, jsonify, request

from ..api.operation import Operation
from .catalogue import Vendor
from .runner import _reason

log = logging.getLogger("mockserver.proxy")

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length"}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
EXTENSIONS = {"json": ".json", "xml": ".xml"}


class DriftLog:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries: list[dict] = []
        self.checked = 0
        self.unmatched = 0

    def note(self, entry: dict | None) -> None:
        with self._lock:
            if entry is None:
                self.unmatched += 1
                return
            self.checked += 1
            if entry["differences"]:
                self.entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self.entries, self.checked, self.unmatched = [], 0, 0

    def snapshot(self) -> dict:
        with self._lock:
            return {"checked": self.checked, "drifted": len(self.entries), "unmatched": self.unmatched,
                    "drift": list(self.entries)}


class Recorder:
    """Writes `<dir>/<vendor>/<operation>/<time>-<n>.<ext>`; failures go to the `error` folder."""

    def __init__(self, root: Path):
        self.root = root
        self._count = itertools.count(1)
        self._stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")

    def save(self, op: Operation, status: int, body: bytes, content_type: str) -> Path:
        folder = self.root / op.vendor / (op.name if 200 <= status < 300 else "error")
        folder.mkdir(parents=True, exist_ok=True)
        media = content_type.split(";")[0].strip().lower()
        ext = next((e for key, e in EXTENSIONS.items() if key in media), ".txt")
        path = folder / f"{self._stamp}-{next(self._count):04d}{ext}"
        path.write_bytes(body)
        return path


def decoded(body: bytes, encoding: str) -> bytes | None:
    """The body without its Content-Encoding (gzip, deflate), None for one this proxy cannot read."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)
    return None


def _raw_uri() -> str:
    """The path and query exactly as the client wrote them (percent-escapes kept), as gunicorn and werkzeug pass it."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        return raw
    query = request.query_string.decode("latin-1")
    return quote(request.path) + (f"?{query}" if query else "")


def create_proxy(vendor: Vendor, upstream: str, *, record: str | Path | None = None, ordered: bool = False,
                 timeout: float = 60.0, session: requests.Session | None = None) -> Flask:
    upstream = upstream.rstrip("/")
    app = Flask("mockserver.proxy")
    app.json.sort_keys = False
    drift = DriftLog()
    recorder = Recorder(Path(record)) if record else None
    session = session or requests.Session()
    session.trust_env = False  # forward to the upstream named, never through an environment proxy
    app.extensions["drift"] = drift

    @app.route("/__admin/drift", methods=["GET", "DELETE"])
    def drift_report():
        if request.method == "DELETE":
            drift.clear()
            return Response(status=204)
        return jsonify({"vendor": vendor.name, "upstream": upstream, **drift.snapshot()})

    @app.route("/", defaults={"path": ""}, methods=METHODS)
    @app.route("/<path:path>", methods=METHODS)
    def forward(path: str):
        body = request.get_data()
        target = upstream + _raw_uri()
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        try:
            answer = session.request(request.method, target, data=body, headers=dict(headers), stream=True,
                                     allow_redirects=False, timeout=timeout)
            raw = answer.raw.read(decode_content=False)
        except requests.RequestException as error:
            why = _reason(error)
            log.error("upstream %s unreachable for %s %s: %s", upstream, request.method, request.full_path, why)
            return jsonify({"error": f"upstream {upstream} unreachable: {why}"}), 502
        inspect(request.method, request.full_path.rstrip("?"), body, answer, raw)
        kept = [(k, v) for k, v in answer.raw.headers.items() if k.lower() not in HOP_BY_HOP]
        response = Response(raw, status=answer.status_code, headers=kept)
        if not any(k.lower() == "content-type" for k, _ in kept):
            del response.headers["Content-Type"]  # the upstream sent none: add none
        return response

    def inspect(method: str, full_path: str, body: bytes, answer: requests.Response, raw: bytes) -> None:
        op = vendor.match(method, full_path.split("?")[0], body)
        if op is None:
            drift.note(None)
            log.info("no contract for %s %s (%s): forwarded unchecked", method, full_path, answer.status_code)
            return
        content_type = answer.headers.get("Content-Type", "")
        text = decoded(raw, answer.headers.get("Content-Encoding", ""))
        if text is None:
            contract = op.contract_names()
            differences = [f"$: cannot read a body in Content-Encoding {answer.headers['Content-Encoding']}"]
        else:
            contract, differences = vendor.judge(op, answer.status_code, text, content_type, ordered=ordered)
            if recorder is not None:
                recorder.save(op, answer.status_code, text, content_type)
        drift.note({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "operation": op.qualified,
                    "method": method, "path": full_path, "status": answer.status_code, "contract": contract,
                    "differences": differences})
        for line in differences:
            log.warning("drift: %s %s %s -> %s: %s", op.qualified, method, full_path, answer.status_code, line)

    return app


def serve_proxy(vendor: Vendor, upstream: str, *, host: str, port: int, record: str | None, ordered: bool,
                timeout: float, threads: int = 8) -> None:
    from gunicorn.app.base import BaseApplication

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    app = create_proxy(vendor, upstream, record=record, ordered=ordered, timeout=timeout)
    base = f"http://{host}:{port}"
    banner = "\n".join([
        f"mockserver proxy: {vendor.title} requests to {base} go to {upstream.rstrip('/')}, each answer checked "
        "against its contract",
        f"  Drift        {base}/__admin/drift",
        f"  Recording    {Path(record).resolve()}" if record else "  Recording    off (--record DIR to keep answers)",
    ])

    class ProxyServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)  # one drift log
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", int(timeout) + 30)
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("when_ready", lambda server: print(banner, file=sys.stderr, flush=True))

        def load(self):
            return app

    ProxyServer().run()
