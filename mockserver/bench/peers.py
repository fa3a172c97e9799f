"""The peers our server is compared with, started by the benchmark on free loopback ports:

- WireMock 3 standalone (the npm package `wiremock` carries its jar; run with java), serving a static stub of the
  very bytes our server answered (status, content type, body), loaded through its admin API before each route;
- Prism 5 (`@stoplight/prism-cli`), twice, on an OpenAPI document of the same routes (ours, from
  /__admin/openapi.json, cut to those routes, plus the SOAP endpoint): static, its examples being our captured
  answers (a `Prefer: example=...` header picks a request's own), and dynamic (`-d`, answers generated from the
  schema). Prism reads every request body as JSON and answers an XML one 400, so its document gives XML bodies
  no schema; and it logs at warn level, as it would in a load test.

The npm packages are installed on first use, at pinned versions, into a cache folder (not into the project). A peer
that cannot be started (no java, no npm, no network) is returned with the reason, and the run goes on without it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import requests

from .load import WRITE, Request
from .processes import Processes, free_port
from .routes import SOAP_PATH, Answer, Route

WIREMOCK, PRISM = "wiremock", "@stoplight/prism-cli"
PACKAGES = {WIREMOCK: "3.13.2", PRISM: "5.16.0"}
PEER_NAMES = ("wiremock", "prism-static", "prism-dynamic")
LABELS = {"ours": "mockserver", "ours-postgres": "mockserver, PostgreSQL state", "wiremock": "WireMock static",
          "prism-static": "Prism static", "prism-dynamic": "Prism dynamic"}


@dataclass
class Server:
    """One column of the comparison: where it listens, and what it needs before a route."""

    name: str
    url: str | None = None
    problem: str | None = None  # why it does not run
    version: str = ""
    stateful: bool = False  # ours: reset before a write route, every acknowledged write checked afterwards
    serves_our_bytes: bool = False  # its answers are compared with ours, byte for byte
    prepare: Callable[[Route], None] = lambda route: None
    adapt: Callable[[Request, int], Request] = lambda request, kind: request
    details: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mockserver-bench"


def installed_version(folder: Path, package: str) -> str | None:
    try:
        return json.loads((folder / "node_modules" / package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def install(folder: Path, echo: Callable[[str], None]) -> str | None:
    """The pinned npm packages in `folder` (installed when missing); None, or why they are not there."""
    if all(installed_version(folder, p) == v for p, v in PACKAGES.items()):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "no npm on PATH: WireMock and Prism come from npm (Node.js 18+ with npm; Debian: apt-get install npm)"
    folder.mkdir(parents=True, exist_ok=True)
    specs = [f"{p}@{v}" for p, v in PACKAGES.items()]
    echo(f"installing {' '.join(specs)} into {folder} (once)")
    try:
        done = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error",
                               *specs], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "npm install took over 10 minutes (no network?)"
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        return f"npm install failed: {lines[-1] if lines else f'exit {done.returncode}'}"
    return None


def _listening(url: str) -> bool:
    host, port = url.rsplit("//", 1)[1].split(":")
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def _wait(server: Server, process: subprocess.Popen, log: Path, ready: Callable[[], bool],
          timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            tail = [line for line in log.read_text(errors="replace").splitlines() if line.strip()][-3:]
            how = f"exited {process.returncode}" if process.poll() is not None else "timed out"
            server.problem = f"did not start ({how}): {' | '.join(tail)[-300:]}"
            server.url = None
            return
        time.sleep(0.1)


# --- WireMock -------------------------------------------------------------------------------------------------------

def wiremock_mappings(route: Route) -> list[dict]:
    """One stub per request of the route: method, URL (path and query) and Accept matched, our answer's bytes sent."""
    mappings, seen = [], set()
    for kind in route.load.pattern:
        request = route.load.first(kind)
        accept = dict(request.headers).get("Accept")
        if (request.method, request.path, accept) in seen:
            continue
        seen.add((request.method, request.path, accept))
        answer = route.answers[kind]
        match: dict = {"method": request.method, "url": request.path}
        if accept:
            match["headers"] = {"Accept": {"equalTo": accept}}
        mappings.append({"request": match,
                         "response": {"status": answer.status, "headers": {"Content-Type": answer.content_type},
                                      "base64Body": base64.b64encode(answer.body).decode()}})
    return mappings


def start_wiremock(processes: Processes, folder: Path, modules: Path) -> Server:
    server = Server("wiremock", serves_our_bytes=True, version=installed_version(modules, WIREMOCK) or "")
    java = shutil.which("java")
    if java is None:
        server.problem = "no java on PATH (WireMock needs Java 11+; Debian: apt-get install default-jre-headless)"
        return server
    jars = sorted((modules / "node_modules" / WIREMOCK / "build").glob("wiremock-standalone-*.jar"))
    if not jars:
        server.problem = f"no wiremock-standalone jar in {modules / 'node_modules' / WIREMOCK}"
        return server
    port = free_port()
    server.url = f"http://127.0.0.1:{port}"
    log = folder / "wiremock.log"
    process = processes.start([java, "-jar", str(jars[-1]), "--port", str(port), "--bind-address", "127.0.0.1",
                               "--disable-banner", "--no-request-journal", "--disable-request-logging",
                               "--disable-gzip"], log)
    server.details = {"process": process, "log": log}

    def prepare(route: Route) -> None:
        body = {"mappings": wiremock_mappings(route),
                "importOptions": {"duplicatePolicy": "OVERWRITE", "deleteAllNotInImport": True}}
        requests.post(f"{server.url}/__admin/mappings/import", json=body, timeout=30).raise_for_status()

    server.prepare = prepare
    return server


def wait_wiremock(server: Server) -> None:
    def ready() -> bool:
        try:
            return requests.get(f"{server.url}/__admin/mappings", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    _wait(server, server.details["process"], server.details["log"], ready)


# --- Prism ----------------------------------------------------------------------------------------------------------

def example_name(request: Request, kind: int) -> str:
    """The name of a request's example in Prism's document: every write shares one, the rest one each."""
    if kind == WRITE:
        return "write"
    accept = dict(request.headers).get("Accept", "")
    digest = hashlib.sha1(repr((request.method, request.path, accept, request.body)).encode()).hexdigest()
    return "r" + digest[:10]


def _template(paths: dict, path: str) -> str | None:
    if path in paths:
        return path
    for template in paths:
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            return template
    return None


def _media(answer: Answer) -> str:
    return answer.content_type.split(";")[0].strip() or "application/octet-stream"


def _example_value(answer: Answer):
    if _media(answer).endswith("json"):
        return json.loads(answer.body)
    return answer.body.decode("utf-8")


def prism_document(ours: dict, routes: list[Route]) -> dict:
    """Our OpenAPI document cut to the routes' operations, each answer ours as a named example; SOAP added."""
    paths: dict = {}
    for route in routes:
        for kind in dict.fromkeys(route.load.pattern):
            request, answer = route.load.first(kind), route.answers[kind]
            path = request.path.split("?")[0]
            if path == SOAP_PATH:
                operation = paths.setdefault(SOAP_PATH, {}).setdefault("post", {
                    "summary": "SOAP 1.1 (document/literal)", "operationId": "soap",
                    "requestBody": {"content": {"text/xml": {"schema": {"type": "string"}}}},
                    "responses": {"200": {"description": "a SOAP answer",
                                          "content": {_media(answer): {"schema": {"type": "string"}}}}}})
            else:
                template = _template(ours["paths"], path)
                if template is None:
                    raise RuntimeError(f"our OpenAPI document has no path for {path}")
                method = request.method.lower()
                operation = paths.setdefault(template, {}).setdefault(
                    method, json.loads(json.dumps(ours["paths"][template][method])))
                for media, body in operation.get("requestBody", {}).get("content", {}).items():
                    if not media.endswith("json"):  # Prism reads every body as JSON: an XML one would be a 400
                        body["schema"] = {}
            content = operation["responses"][str(answer.status)]["content"][_media(answer)]
            content.setdefault("examples", {})[example_name(request, kind)] = {"value": _example_value(answer)}
    return {"openapi": ours["openapi"], "info": ours["info"], "paths": paths,
            "components": ours.get("components", {})}


def start_prism(processes: Processes, folder: Path, modules: Path, document: Path, dynamic: bool) -> Server:
    name = "prism-dynamic" if dynamic else "prism-static"
    server = Server(name, serves_our_bytes=not dynamic, version=installed_version(modules, PRISM) or "")
    node = shutil.which("node")
    if node is None:
        server.problem = "no node on PATH (Prism needs Node.js 18+)"
        return server
    port = free_port()
    server.url = f"http://127.0.0.1:{port}"
    log = folder / f"{name}.log"
    cli = modules / "node_modules" / PRISM / "dist" / "index.js"
    process = processes.start([node, str(cli), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn",
                               *(["-d"] if dynamic else []), str(document)], log)
    server.details = {"process": process, "log": log}
    if not dynamic:
        server.adapt = lambda request, kind: request.with_header("Prefer", f"example={example_name(request, kind)}")
    return server


def wait_prism(server: Server) -> None:
    def ready() -> bool:  # logging at warn level (as fast as Prism goes), it says nothing when it listens
        if not _listening(server.url):
            return False
        try:
            requests.get(f"{server.url}/", timeout=2)
            return True
        except requests.RequestException:
            return False

    _wait(server, server.details["process"], server.details["log"], ready)


def start(processes: Processes, folder: Path, names: tuple[str, ...], ours_url: str, routes: list[Route],
          echo: Callable[[str], None], modules: Path | None = None) -> list[Server]:
    """The peers named, running (or each with its problem), in PEER_NAMES order."""
    if not names:
        return []
    modules = modules or cache_folder()
    problem = install(modules, echo)
    if problem:
        return [Server(name, problem=problem) for name in PEER_NAMES if name in names]
    servers = []
    if "wiremock" in names:
        servers.append(start_wiremock(processes, folder, modules))
    prisms = [name for name in ("prism-static", "prism-dynamic") if name in names]
    if prisms:
        ours = requests.get(f"{ours_url}/__admin/openapi.json", timeout=60).json()
        document = folder / "prism-openapi.json"
        document.write_text(json.dumps(prism_document(ours, routes), indent=1), encoding="utf-8")
        servers += [start_prism(processes, folder, modules, document, name == "prism-dynamic") for name in prisms]
    for server in servers:
        if server.problem is None:
            (wait_wiremock if server.name == "wiremock" else wait_prism)(server)
    return servers
