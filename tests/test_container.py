"""Smoke test of the QA Docker image (issue 5), built and run with podman.

CI machines have no Docker engine and no container registry: `.ci/container-setup`
installs podman, writes a containers.conf and imports a local Debian bookworm
base image; this test builds the Dockerfile on that base (the CA bundle handed
to pip as a build secret), runs it with --network=host on a free loopback port,
and checks health, a Ruangkerja doc example, the iSpring WSDL, the state volume
and the non-root user. The container is always removed at the end.

Environment (all optional; defaults are what .ci/container-setup makes):
  CONTAINERS_CONF        podman config (default /var/tmp/mockserver-base/containers.conf)
  MOCKSERVER_BASE_IMAGE  base image build ARG (default localhost/mockserver-base:bookworm)
  MOCKSERVER_CA_BUNDLE   PEM bundle given to pip in the build (default: the host's)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
import uuid
from xml.etree import ElementTree
from pathlib import Path
from typing import Iterator

import pytest

pytestmark = pytest.mark.container

REPO = Path(__file__).resolve().parents[1]
IMAGE = f"localhost/mockserver:container-test-{os.getpid()}"  # of this run: other runs may build beside it
SETUP_DIR = Path(os.environ.get("MOCKSERVER_CONTAINER_DIR", "/var/tmp/mockserver-base"))
DEFAULT_BASE = "localhost/mockserver-base:bookworm"
BUILD_TIMEOUT = 900  # seconds; a cold build took about 40 s here
START_TIMEOUT = 60  # seconds for /__admin/health to answer
REQUEST_TIMEOUT = 10

RUANGKERJA_EXAMPLE = (
    "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users"
    "?page=1&pageSize=10"
)
WSDL_PATH = "/api/v2/soap/2.0?wsdl"


def _env() -> dict[str, str]:
    env = os.environ.copy()
    conf = SETUP_DIR / "containers.conf"
    if not env.get("CONTAINERS_CONF") and conf.is_file():
        env["CONTAINERS_CONF"] = str(conf)
    return env


def _podman(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        ["podman", *args],
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f"podman {' '.join(args)} exited {proc.returncode}\n"
            f"stdout: {proc.stdout[-3000:]}\nstderr: {proc.stderr[-3000:]}\n"
            f"(CONTAINERS_CONF={_env().get('CONTAINERS_CONF')}; "
            "`.ci/container-setup` sets podman up for this machine)"
        )
    return proc


def _ca_bundle() -> str | None:
    for candidate in (
        os.environ.get("MOCKSERVER_CA_BUNDLE"),
        os.environ.get("PIP_CERT"),
        os.environ.get("SSL_CERT_FILE"),
        "/etc/ssl/certs/ca-certificates.crt",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project_name() -> str:
    with (REPO / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["name"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET http://127.0.0.1:port/path; returns (status, headers, body) for any status."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def base_image() -> str:
    if shutil.which("podman") is None:
        pytest.skip("podman is not installed (run `.ci/container-setup` as root to install it)")
    base = os.environ.get("MOCKSERVER_BASE_IMAGE")
    if base:
        return base
    if _podman("image", "exists", DEFAULT_BASE, check=False).returncode == 0:
        return DEFAULT_BASE
    message = (
        f"no local base image {DEFAULT_BASE} and MOCKSERVER_BASE_IMAGE is unset: "
        "run `.ci/container-setup` first"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def image(base_image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cmd = [
        "build",
        "--format", "docker",  # keeps HEALTHCHECK (the OCI format drops it)
        "--network", "host",
        "--build-arg", f"BASE_IMAGE={base_image}",
        "--tag", IMAGE,
        "--file", str(REPO / "Dockerfile"),
    ]
    bundle = _ca_bundle()
    if bundle:
        cmd += ["--secret", f"id=ca_bundle,src={bundle}"]
    cmd.append(str(REPO))
    log = tmp_path_factory.mktemp("podman-build") / "build.log"
    started = time.monotonic()
    with log.open("w") as out:
        try:
            proc = subprocess.run(
                ["podman", *cmd],
                env=_env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=BUILD_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"podman build took over {BUILD_TIMEOUT}s; log:\n{log.read_text()[-4000:]}")
    if proc.returncode != 0:
        pytest.fail(f"podman build exited {proc.returncode}; log:\n{log.read_text()[-4000:]}")
    print(f"podman build: {time.monotonic() - started:.1f}s")
    yield IMAGE
    _podman("rmi", "--force", IMAGE, check=False)  # the layers stay cached for the next build


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("state")


def _post_json(port: int, path: str, payload: dict) -> tuple[int, bytes]:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@contextlib.contextmanager
def _running(image: str, state_dir: Path):
    """Run the image on a free port until healthy; yield (name, port); always remove it."""
    port = _free_port()
    name = f"mockserver-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    run = _podman(
        "run", "--detach", "--name", name,
        "--network", "host",
        # Host network: listen on loopback only (the image's own default is 0.0.0.0).
        "--env", "MOCKSERVER_HOST=127.0.0.1",
        "--env", f"MOCKSERVER_PORT={port}",
        "--env", "MOCKSERVER_WORKERS=2",
        "--env", "MOCKSERVER_STATE=/data/state.sqlite",
        # :U gives the directory to the container's (non-root) user.
        "--volume", f"{state_dir}:/data:U",
        image,
        check=False,
    )
    try:
        if run.returncode != 0:
            pytest.fail(f"podman run exited {run.returncode}: {run.stderr[-3000:]}")
        deadline = time.monotonic() + START_TIMEOUT
        last_error = ""
        while True:
            try:
                status, _, body = _get(port, "/__admin/health")
                if status == 200:
                    break
                last_error = f"HTTP {status}: {body[:300]!r}"
            except OSError as err:
                last_error = repr(err)
            running = _podman("inspect", "--format", "{{.State.Running}}", name, check=False)
            if running.stdout.strip() != "true" or time.monotonic() > deadline:
                logs = _podman("logs", name, check=False)
                pytest.fail(
                    f"mockserver did not become healthy in {START_TIMEOUT}s "
                    f"(running={running.stdout.strip()}, last: {last_error})\n"
                    f"logs:\n{(logs.stdout + logs.stderr)[-4000:]}"
                )
            time.sleep(0.5)
        yield name, port
    finally:
        _podman("rm", "--force", "--time", "10", name, check=False, timeout=60)


@pytest.fixture(scope="module")
def server(image: str, state_dir: Path):
    with _running(image, state_dir) as running:
        yield running


def test_image_defaults(image: str) -> None:
    (data,) = json.loads(_podman("image", "inspect", image).stdout)
    config = data["Config"]
    env = dict(item.split("=", 1) for item in config.get("Env") or [])
    assert env.get("MOCKSERVER_HOST") == "0.0.0.0"
    assert env.get("MOCKSERVER_PORT") == "8080"
    assert "8080/tcp" in (config.get("ExposedPorts") or {})
    user = config.get("User") or ""
    assert user and user.split(":")[0] not in ("0", "root"), f"image user is {user!r}"
    # podman keeps HEALTHCHECK beside the OCI config (docker format images only).
    healthcheck = data.get("Healthcheck") or config.get("Healthcheck") or {}
    assert "/__admin/health" in " ".join(healthcheck.get("Test") or []), healthcheck
    # Probed every 2 s (nanoseconds here), so `compose up --wait` returns within 3 s of the server being up; the
    # start period forgives a slow start.
    assert 0 < healthcheck.get("Interval", 0) <= 2_000_000_000, healthcheck
    assert healthcheck.get("StartPeriod", 0) >= 30_000_000_000, healthcheck
    assert config.get("Entrypoint") == ["mockserver"] and config.get("Cmd") == ["serve"]


def test_fixtures_export_from_the_image(image: str, tmp_path: Path) -> None:
    # As docs/docker.md has it: the image runs any mockserver command; the folder under the mount is made.
    _podman("run", "--rm", "--network", "none", "--volume", f"{tmp_path}:/out:U", image,
            "fixtures", "export", "--employees", "20", "--out", "/out/qa-fixtures/world.json")
    world = json.loads((tmp_path / "qa-fixtures" / "world.json").read_text())
    assert world["format"] == "lms-mockserver-world/1" and world["seed"] == 20240601


def test_state_in_an_unwritable_host_folder_is_one_line(image: str, tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o755)  # root's: the image's uid 10001 may not write there
    proc = _podman("run", "--rm", "--network", "none", "--volume", f"{folder}:/data",
                   "--env", "MOCKSERVER_STATE=/data/state.sqlite", image, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    # podman's own complaints (no systemd to run health checks with) are not the container's.
    assert [line for line in proc.stderr.splitlines() if not line.startswith("time=")] == [
        "Error: MOCKSERVER_STATE=/data/state.sqlite: its folder /data is not writable by uid 10001: give that uid "
        "the folder (for a host folder mounted into the image: `chown 10001` it, podman's `:U`, or `docker run "
        '--user "$(id -u)"`), or name a file elsewhere']


def test_image_dependencies_are_locked(image: str) -> None:
    # Everything in the image's venv is pinned, at that version, by requirements.lock.
    locked = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split(";", 1)[0].split("==", 1)
            locked[_canonical(name)] = version.strip()
    script = (
        "import importlib.metadata as m; "
        "print('\\n'.join(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions())))"
    )
    proc = _podman("run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", script)
    installed = dict(line.split("==", 1) for line in proc.stdout.split())
    own = _canonical(_project_name())
    stray = {
        name: version
        for name, version in installed.items()
        if _canonical(name) != own and locked.get(_canonical(name)) != version
    }
    assert not stray, f"in the image but not at a locked version: {stray}"
    assert own in {_canonical(n) for n in installed}, sorted(installed)


def test_health(server: tuple[str, int]) -> None:
    _, port = server
    status, _, body = _get(port, "/__admin/health")
    assert status == 200
    payload = json.loads(body)
    assert payload["status"] == "ok"
    assert "version" in payload and "seed" in payload


def test_image_healthcheck_passes(server: tuple[str, int]) -> None:
    # Runs the Dockerfile's HEALTHCHECK command inside the container, on the
    # non-default port, so it must honour MOCKSERVER_PORT.
    name, _ = server
    proc = _podman("healthcheck", "run", name, check=False)
    assert proc.returncode == 0, f"HEALTHCHECK failed: {proc.stdout} {proc.stderr[-2000:]}"


def test_ruangkerja_doc_example(server: tuple[str, int]) -> None:
    _, port = server
    status, headers, body = _get(port, RUANGKERJA_EXAMPLE, {"Authorization": "access_token"})
    assert status == 200, body[:500]
    assert "json" in headers.get("Content-Type", "")
    payload = json.loads(body)
    assert isinstance(payload, dict) and payload.get("status") == "success", str(payload)[:500]
    assert payload.get("message") == "Success" and payload.get("data"), str(payload)[:500]
    assert "John Doe" in json.dumps(payload["data"], ensure_ascii=False)


def test_ispring_wsdl(server: tuple[str, int]) -> None:
    _, port = server
    status, _, body = _get(port, WSDL_PATH)
    if status == 404:
        pytest.skip(f"GET {WSDL_PATH} is 404: the iSpring SOAP service is not in this build yet")
    assert status == 200, body[:500]
    root = ElementTree.fromstring(body)
    assert root.tag == "{http://schemas.xmlsoap.org/wsdl/}definitions", root.tag
    assert root.find("{http://schemas.xmlsoap.org/wsdl/}service") is not None, body[:500]


def test_runs_as_non_root(server: tuple[str, int]) -> None:
    name, _ = server
    uid = _podman("exec", name, "id", "-u").stdout.strip()
    assert uid.isdigit() and int(uid) != 0, f"container process uid is {uid!r}"
    # The server process itself (PID 1) too, not just a fresh exec.
    status = _podman("exec", name, "cat", "/proc/1/status").stdout
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    assert all(u != "0" for u in uids), f"PID 1 uids: {uids}"


def test_state_persists_in_volume(image: str, server: tuple[str, int], state_dir: Path) -> None:
    # MOCKSERVER_STATE points into the /data volume: the SQLite file lands on the
    # host, and a token issued by one container is still valid in the next one.
    _, port = server
    status, body = _post_json(
        port, "/oauth/token",
        {"clientID": "example", "clientSecret": "example_secret", "grantType": "client_credentials"},
    )
    assert status == 200, body[:500]
    token = json.loads(body)["data"]["accessToken"]
    assert (state_dir / "state.sqlite").is_file(), sorted(p.name for p in state_dir.iterdir())
    with _running(image, state_dir) as (_, second_port):
        status, _, body = _get(second_port, RUANGKERJA_EXAMPLE, {"Authorization": token})
        assert status == 200, body[:500]
        status, _, _ = _get(second_port, RUANGKERJA_EXAMPLE, {"Authorization": "not-a-token"})
        assert status in (401, 403)
