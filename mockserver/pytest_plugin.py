"""pytest plugin for consumers' test suites: one mockserver per session, cleared before each test.

    def test_sync_users(lms_mockserver):
        client = MyRuangkerjaClient(base_url=lms_mockserver.ruangkerja_url, token="access_token")
        lms_mockserver.fault(operation="course", status=503)
        ...
        assert lms_mockserver.journal(operation="ruangkerja.course")

The server is `mockserver serve` itself (gunicorn, one worker) on a free loopback port; MOCKSERVER_* environment
variables configure it as they configure `serve`, and the `lms_mockserver_config` fixture ({"seed": 7,
"ispring_user_shape": "spec"}) adds flags. Before each test it is cleared through its admin API: faults, stubs and
scenarios off, the clock back to real time, the world reset (switched to `lms_mockserver_seed` first when that
differs), the journal emptied.

MOCKSERVER_URL=http://host:port uses a server that is already running instead (the Docker image, say): the plugin
starts none, checks that one answers /__admin/health, and clears it before each test all the same.
MOCKSERVER_IN_PROCESS=1 (or the `lms_mockserver_in_process` fixture returning True) serves the app from a thread of
the test process (Werkzeug, one request at a time): no subprocess, faster to start, less like production.
MOCKSERVER_ADMIN_TOKEN (or the config's `admin_token`) is sent with every admin call.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import threading
import time
import typing
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
import requests

ADMIN = "/__admin"
SOAP_PATH = "/api/v2/soap/2.0"  # the account host's SOAP endpoint (ispring/operations.py SOAP_PATHS)
SCENARIOS = ("token_expired", "rate_limited", "maintenance", "slow_upstream")  # the named scenarios of the admin API


class AdminCallError(AssertionError):
    """An admin call the server refused: the method, path, status and body, so a failing fixture says why."""


FAULT_MATCH_KEYS = ("vendor", "operation", "path", "credentialed")  # control/faults.py MATCH_KEYS


@dataclass(eq=False)
class RunningMockServer:
    url: str
    process: subprocess.Popen | None = None  # None: a server started elsewhere (MOCKSERVER_URL) or in this process
    admin_token: str | None = None
    started_seed: int | None = None  # the seed it was started with (its health says)
    seed: int | None = None  # the seed its world is built from now
    _http: requests.Session = field(default_factory=requests.Session, repr=False)

    # Where a client points. Both vendors live on their real paths at the root, as on their hosts.
    @property
    def ruangkerja_url(self) -> str:
        """Ruangkerja's base (api.ruangkerja.id): /oauth/token and /ruangkerja/... under it."""
        return self.url

    @property
    def ispring_url(self) -> str:
        """iSpring Learn REST's base (api-learn.ispring.com, the spec's server): /api/v3/token, /user ..."""
        return self.url

    @property
    def soap_url(self) -> str:
        return self.url + SOAP_PATH

    @property
    def wsdl_url(self) -> str:
        return self.soap_url + "?wsdl"

    # The admin API.
    def admin(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
              missing_ok: bool = False) -> Any:
        """`METHOD /__admin{path}`: its JSON answer (None for an empty one); any other status than 2xx raises
        AdminCallError (a 404 too, unless `missing_ok`)."""
        headers = {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}
        response = self._http.request(method, self.url + ADMIN + path, json=json, params=params, headers=headers,
                                      timeout=60)
        if missing_ok and response.status_code == 404:
            return None
        if not response.ok:
            raise AdminCallError(f"{method} {ADMIN}{path} answered {response.status_code}: {response.text[:1000]}")
        return response.json() if response.content else None

    def reset(self) -> None:
        """Every write undone, on every worker."""
        self.admin("POST", "/reset")

    def journal(self, **filters) -> list:
        """The requests it answered, newest first: GET /__admin/requests with these filters (vendor, operation, path,
        status, since, limit)."""
        return _the_list(self.admin("GET", "/requests", params=filters))

    def count(self, **filters) -> int:
        """How many requests match (GET /__admin/requests/count): `count(operation="ruangkerja.course") == 1`."""
        return self.admin("GET", "/requests/count", params=filters)["count"]

    def fault(self, kind: str | None = None, **spec) -> dict:
        """A fault (POST /__admin/faults): the fault as the server keeps it, its id included.

        `fault(operation="ruangkerja.course", status=503, times=1)`: what to match (vendor, operation, path) may stand
        beside the fault's values instead of in `match`, and the kind goes without saying for a `status` or an `ms`
        delay."""
        match = {**spec.pop("match", {}), **{k: spec.pop(k) for k in FAULT_MATCH_KEYS if k in spec}}
        kind = kind or ("status" if "status" in spec else "delay" if "ms" in spec else None)
        return self.admin("POST", "/faults", json={**({"kind": kind} if kind else {}), "match": match, **spec})

    def stub(self, **spec) -> dict:
        """A stub over the world (POST /__admin/stubs): `stub(match={...}, response={...})`."""
        return self.admin("POST", "/stubs", json=spec)

    def activity(self, **spec) -> Any:
        """A learner's progress (POST /__admin/activity)."""
        return self.admin("POST", "/activity", json=spec)

    def clock(self, **spec) -> Any:
        """The mock clock: `clock()` reads it (GET), `clock(...)` sets or advances it (POST)."""
        return self.admin("POST", "/clock", json=spec) if spec else self.admin("GET", "/clock")

    def scenario(self, name: str, on: bool = True) -> Any:
        """A named scenario (token_expired, rate_limited, maintenance, slow_upstream) switched on or off."""
        return self.admin("POST" if on else "DELETE", f"/scenarios/{name}")

    def use_seed(self, seed: int) -> None:
        """The world rebuilt from another seed, on every worker (POST /__admin/seed)."""
        self.admin("POST", "/seed", json={"seed": seed})
        self.seed = seed

    def clear(self) -> None:
        """As a test should find it: no fault, stub or scenario, real time, the pristine world, an empty journal."""
        for name in SCENARIOS:
            self.admin("DELETE", f"/scenarios/{name}", missing_ok=True)  # 404: that scenario was not on
        self.admin("DELETE", "/faults")
        self.admin("DELETE", "/stubs")
        self.admin("POST", "/clock", json={"real": True})
        self.reset()
        self.admin("DELETE", "/requests")


def _the_list(body: Any) -> list:
    """A list route's answer is the list, or an object holding it as its one list."""
    if isinstance(body, list):
        return body
    lists = [value for value in (body or {}).values() if isinstance(value, list)]
    if len(lists) != 1:
        raise AdminCallError(f"expected a list, or an object with one list, not {body!r}")
    return lists[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str, timeout: float = 1) -> dict | None:
    try:
        response = requests.get(url + ADMIN + "/health", timeout=timeout)
    except requests.ConnectionError:
        return None
    return response.json() if response.status_code == 200 else None


@contextmanager
def running_server(*args: str, env: dict | None = None, timeout: float = 30,
                   admin_token: str | None = None) -> Iterator[RunningMockServer]:
    """`mockserver serve ARGS` on a free loopback port, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while (health := _health(url)) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"mockserver did not come up on {url}:\n{process.communicate()[0]}")
            time.sleep(0.1)
        yield RunningMockServer(url, process, admin_token, health["seed"], health["seed"])
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def external_server(url: str, admin_token: str | None = None) -> RunningMockServer:
    """A server that runs already, at MOCKSERVER_URL."""
    url = url.rstrip("/")
    try:
        health = _health(url, timeout=10)
    except requests.RequestException as error:
        raise pytest.UsageError(f"MOCKSERVER_URL={url}: no mockserver answers there ({error})") from None
    if health is None:
        raise pytest.UsageError(f"MOCKSERVER_URL={url}: /__admin/health does not answer 200: is it a mockserver?")
    return RunningMockServer(url, None, admin_token, health["seed"], health["seed"])


def cli_args(settings: dict) -> list[str]:
    """{"seed": 7, "check_contracts": True, "cors_origins": [...]} -> the flags of `mockserver serve`."""
    from .config import Config

    fields = {f.name: f for f in dataclasses.fields(Config)}
    kinds = typing.get_type_hints(Config)
    args: list[str] = []
    for key, value in settings.items():
        name = key.replace("-", "_")
        if name not in fields or name in ("host", "port"):
            raise pytest.UsageError(f"lms_mockserver_config: {key!r} is no setting of `mockserver serve` the plugin "
                                    "takes (the plugin chooses host and port)")
        flag = "--" + name.replace("_", "-")
        if kinds[name] is bool:
            args.append(flag if value else "--no-" + flag[2:])
        elif fields[name].metadata["multiple"]:
            for item in ([value] if isinstance(value, str) else value):
                args += [flag, str(item)]
        else:
            args += [flag, str(value)]
    return args


class OneAtATime:
    """The app as a gunicorn worker of one thread runs it: one request at a time, since a request applies the shared
    writes to the world in place (serving.py). Werkzeug's threaded server still accepts connections meanwhile."""

    def __init__(self, app):
        self.app, self.lock = app, threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            answer = self.app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                getattr(answer, "close", lambda: None)()


@contextmanager
def in_process_server(settings: dict, admin_token: str | None = None) -> Iterator[RunningMockServer]:
    """The app served by Werkzeug in a thread of this process, configured as `serve` would be (flags, MOCKSERVER_*)."""
    import click
    from werkzeug.serving import WSGIRequestHandler, make_server

    from .app import create_app
    from .cli import serve
    from .config import Config, SettingError

    try:
        with serve.make_context("serve", ["--host", "127.0.0.1", *cli_args(settings)]) as ctx:
            config = Config(**ctx.params).replace(access_log="off")
        app = create_app(config)
    except (click.ClickException, SettingError) as error:
        message = error.format_message() if isinstance(error, click.ClickException) else str(error)
        raise pytest.UsageError(f"lms_mockserver (in process): {message}") from None

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, OneAtATime(app), threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        seed = app.extensions["mockserver"].world.seed
        yield RunningMockServer(f"http://127.0.0.1:{server.server_port}", None, admin_token, seed, seed)
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["mockserver"].state.remove()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


@pytest.fixture(scope="session")
def lms_mockserver_config() -> dict:
    """Settings of the session's server beyond MOCKSERVER_*: Config field names (or their flags without `--`) to
    values, e.g. {"seed": 7, "ispring_user_shape": "spec", "cors_origins": ["http://localhost:3000"]}. Override it in
    your conftest.py (session scope). Not applied to a MOCKSERVER_URL server, which is configured where it runs."""
    return {}


@pytest.fixture(scope="session")
def lms_mockserver_in_process() -> bool:
    """True: the app in a thread of the test process instead of a `mockserver serve` subprocess (MOCKSERVER_IN_PROCESS
    by default)."""
    return _flag("MOCKSERVER_IN_PROCESS")


@pytest.fixture(scope="session")
def lms_mockserver_session(lms_mockserver_config, lms_mockserver_in_process) -> Iterator[RunningMockServer]:
    """The session's server, as it is: writes of earlier tests included."""
    token = lms_mockserver_config.get("admin_token") or os.environ.get("MOCKSERVER_ADMIN_TOKEN") or None
    if os.environ.get("MOCKSERVER_URL"):
        yield external_server(os.environ["MOCKSERVER_URL"], token)
        return
    if lms_mockserver_in_process:
        with in_process_server(lms_mockserver_config, token) as server:
            yield server
        return
    workers = ["--workers", os.environ.get("MOCKSERVER_WORKERS", "1")]
    with running_server(*workers, *cli_args(lms_mockserver_config), admin_token=token) as server:
        yield server


@pytest.fixture
def lms_mockserver_seed(lms_mockserver_session) -> int:
    """The seed of this test's world: by default the one the server started with (MOCKSERVER_SEED, the config's
    `seed`, else the default). Override it (in a module, a class, a conftest) for another world."""
    return lms_mockserver_session.started_seed


@pytest.fixture
def lms_mockserver(lms_mockserver_session, lms_mockserver_seed) -> RunningMockServer:
    """The session's server, cleared for this test, on the world of `lms_mockserver_seed`."""
    server = lms_mockserver_session
    if lms_mockserver_seed != server.seed:
        server.use_seed(lms_mockserver_seed)
    server.clear()
    return server
