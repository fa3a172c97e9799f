"""README's shell blocks run as written from a fresh clone.

Every command of every ```sh block runs, in README order, in a folder laid out like a fresh clone (the repository's
files, and `.venv` as the venv running this test), unless it cannot run offline or here: those are skipped for a
reason named below. A server command (`make serve`, `mockserver serve`, `mockserver proxy`) runs until the next one;
the `curl` commands after it talk to it. Ports 8080 and 8081 are replaced by free ones (MOCKSERVER_PORT for
`make serve`, which names none), as nothing else is changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .helpers.servers import free_port

# Slow (about 10 s: it starts real servers and runs the CLI as README writes it): run by .ci/run with the slow suite.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
VENV = Path(sys.prefix)


def shell_commands(text: str) -> list[str]:
    """Each command of the ```sh blocks, continuation lines joined, in order."""
    commands, block, pending = [], False, ""
    for line in text.splitlines():
        if line.strip() == "```sh":
            block = True
        elif block and line.strip() == "```":
            block = False
        elif block:
            pending += line
            if line.endswith("\\"):
                pending = pending[:-1]
                continue
            if pending.strip() and not pending.lstrip().startswith("#"):
                commands.append(pending.strip())
            pending = ""
    return commands


def make_python() -> str | None:
    """The interpreter scripts/venv made the venv running this test with, from these lock files; None if it did not
    (then `make` would make the venv again: never while it runs this test)."""
    stamp = VENV / ".mockserver-venv"
    if not stamp.is_file():
        return None
    python, _, digest = stamp.read_text().split("\n")[0].split(" ")
    locks = b"".join((REPO / name).read_bytes() for name in ("requirements.lock", "requirements-dev.lock",
                                                               "pyproject.toml"))
    same = digest == hashlib.sha256(locks).hexdigest()[:16]
    return python if same and Path(python).resolve() == Path(sys._base_executable).resolve() else None


def skip_reason(command: str) -> str | None:
    """Why a command is not run here; None: it is."""
    if command.startswith(("make test", "make lock", "make clean")):
        return "the test suite, a re-pin or a clean of the venv running it: CI and developers run them"
    if command.startswith("make serve") and make_python() is None:
        return "the venv running this test was not made by `make` from these lock files"
    if command.startswith(("make bench", ".venv/bin/mockserver bench")):
        return "minutes of load against servers it starts: tests/test_bench.py runs `mockserver bench --quick`"
    if command.startswith("docker "):
        return "needs a Docker engine: tests/test_container.py builds and runs the image with podman"
    if command.startswith("pip install"):
        return "installs into your own project's venv: .ci/wheel-check does it with the wheel"
    if command.startswith("MOCKSERVER_URL="):
        return "runs your own suite against the Docker image"
    if "contract verify" in command and "https://" in command:
        return "calls the real vendor API"
    if command.startswith("curl") and shutil.which("curl") is None:
        return "no curl on this machine"
    return None


def is_server(command: str) -> bool:
    return command.startswith("make serve") or re.match(r"\.venv/bin/mockserver (serve|proxy)\b", command) is not None


def fresh_clone(folder: Path) -> Path:
    """The repository's files as a clone has them (symlinked), no state or output of earlier runs, .venv this venv."""
    folder.mkdir()
    try:  # what git tracks: not world.json, recorded/ ... of an earlier run
        tracked = subprocess.run(["git", "-C", str(REPO), "ls-files"], capture_output=True, text=True, check=True)
        names = {path.split("/")[0] for path in tracked.stdout.splitlines()}
    except (OSError, subprocess.CalledProcessError):  # no git (a bare container): all but what runs leave
        names = {e.name for e in REPO.iterdir() if not e.name.startswith((".git", ".venv", "world.json", "recorded"))}
    for name in sorted(names):
        (folder / name).symlink_to(REPO / name)
    (folder / ".venv").symlink_to(VENV)
    # What `mockserver proxy --record recorded/` saves while an app talks to the real API (offline here, so as the
    # proxy lays it out: recorded/<vendor>/<operation>/<time>-<n>.json; tests/test_proxy.py holds it to that).
    operation = "course_offline_user_assignment"
    (folder / "recorded/ruangkerja" / operation).mkdir(parents=True)
    shutil.copy(REPO / "contracts/samples/ruangkerja" / operation / "doc-example.json",
                folder / "recorded/ruangkerja" / operation / "20260101T000000-1.json")
    return folder


class Server:
    def __init__(self, command: str, cwd: Path, env: dict, port: int):
        self.command, self.port = command, port
        self.log = cwd / f"server-{port}.log"
        self.process = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        path = "/__admin/drift" if " proxy " in self.command else "/__admin/health"
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}{path}", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"`{self.command}` did not come up:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def test_readme_commands_run_as_written(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    ports = {"8080": free_port(), "8081": free_port()}
    # make: the venv running this test (.venv in the clone), its interpreter, and no rebuild whatever happens.
    env = {**os.environ, "MOCKSERVER_PORT": str(ports["8080"]), "MOCKSERVER_WORKERS": "1", "VENV": ".venv",
           "PYTHON": make_python() or "", "MOCKSERVER_VENV_KEEP": "1"}
    env.pop("MAKEFLAGS", None)
    outcomes: dict[str, str] = {}
    server = None
    try:
        for command in shell_commands(README):
            reason = skip_reason(command)
            if reason and is_server(command) and server:
                server.stop()
                server = None
            if not reason and command.startswith("curl") and server is None:
                reason = "the server before it was not started here"
            if reason:
                outcomes[command] = "skipped: " + reason
                continue
            concrete = re.sub(r"\b(8080|8081)\b", lambda m: str(ports[m.group(1)]), command)
            if is_server(command):
                if server:
                    server.stop()
                port = ports["8081"] if "--port 8081" in command else ports["8080"]
                server = Server(concrete, clone, env, port)
                server.wait_until_up()
                outcomes[command] = "ran"
                continue
            done = subprocess.run(["bash", "-c", concrete], cwd=clone, env=env, capture_output=True, text=True,
                                  timeout=120, stdin=subprocess.DEVNULL)
            outcomes[command] = "ran" if done.returncode == 0 and done.stdout.strip() else \
                f"FAILED (exit {done.returncode}): {(done.stdout + done.stderr)[-1500:]}"
    finally:
        if server:
            server.stop()
    print("\n".join(f"{o[:60]:60}  $ {c[:100]}" for c, o in outcomes.items()))  # shown with -s, or on failure
    failed = {c: o for c, o in outcomes.items() if o.startswith("FAILED")}
    assert not failed, "\n\n".join(f"$ {c}\n{o}" for c, o in failed.items())
    ran = [c for c, o in outcomes.items() if o == "ran"]
    # The commands that matter most are among those run (a reword of README that skips them fails here).
    with_server = ["make serve"] if make_python() else []
    if with_server and shutil.which("curl"):
        with_server.append("curl 'http://127.0.0.1:8080/ruangkerja")
    for expected in (*with_server,
                     ".venv/bin/mockserver fixtures export",
                     ".venv/bin/mockserver serve --fixtures", ".venv/bin/mockserver contract check recorded/",
                     ".venv/bin/mockserver proxy"):
        assert any(c.startswith(expected) for c in ran), (expected, outcomes)


def test_every_skip_has_a_reason_and_servers_are_known():
    commands = shell_commands(README)
    assert "make serve   # the server on http://127.0.0.1:8080, on the embedded default world" in commands
    assert all(not c.startswith("mockserver ") for c in commands), "README's shell blocks write .venv/bin/mockserver"
