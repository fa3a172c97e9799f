"""Start-up refusals: every setting checked where it is read, one line naming the setting and its value, exit code
2, before a world is built or a port bound; the state file refuses another world."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.config import Config, SettingError
from mockserver.state import SharedState

from .helpers.servers import free_port

SMALL = ["--employees", "10", "--courses", "3", "--workers", "1"]


def serve(*args: str, env: dict | None = None):
    """`mockserver serve ARGS` in this process: (exit code, stderr lines). A refusal comes before gunicorn starts."""
    result = CliRunner().invoke(main, ["serve", *args], env=env, catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()


def assert_refused(args=(), env=None, *, says: str):
    code, lines = serve(*args, env=env)
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ") and says in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("args, says", [
    (["--port", "70000"], "--port=70000: must be a port number, 1 to 65535"),
    (["--port", "abc"], "--port=abc: must be a whole number"),
    (["--employees", "-5"], "--employees=-5: must be 1 to 100000"),
    (["--courses", "2"], "--courses=2: must be 3 to 10000"),
    (["--workers", "-1"], "--workers=-1: "),
    (["--max-body-bytes", "-1"], "--max-body-bytes=-1: must be a size in bytes, at least 1"),
    (["--ruangkerja-token-ttl", "-60"], "--ruangkerja-token-ttl=-60: must be a number of seconds, at least 1"),
    (["--ispring-token-ttl", "0"], "--ispring-token-ttl=0: must be a number of seconds"),
    (["--ruangkerja-clients", "nocolon"], "--ruangkerja-clients=nocolon: must be clientID:clientSecret"),
    (["--ispring-clients", ":secret"], "--ispring-clients=:secret: must be client_id:client_secret"),
    (["--ispring-logins", "a@b.c:pw:boss"], "--ispring-logins=a@b.c:pw:boss: must be email:password"),
    (["--ruangkerja-static-tokens", "two words"], "--ruangkerja-static-tokens='two words': must be a token"),
    (["--ispring-soap-namespace", "soap"], "--ispring-soap-namespace=soap: must be an http(s) URL"),
    (["--ruangkerja-user-activity", "table"], "--ruangkerja-user-activity=table: must be one of list, paginated"),
    (["--access-log", "loud"], "--access-log=loud: must be one of off, text, json"),
])
def test_a_bad_flag_is_one_line_naming_it(args, says):
    assert_refused(args, says=says)


@pytest.mark.parametrize("env, says", [
    ({"MOCKSERVER_MAX_BODY_BYTES": "-1"}, "MOCKSERVER_MAX_BODY_BYTES=-1: must be a size in bytes"),
    ({"MOCKSERVER_EMPLOYEES": "-5"}, "MOCKSERVER_EMPLOYEES=-5: must be 1 to 100000"),
    ({"MOCKSERVER_RUANGKERJA_CLIENTS": "good:one bad"}, "MOCKSERVER_RUANGKERJA_CLIENTS=bad: must be clientID"),
    ({"MOCKSERVER_PORT": "http"}, "MOCKSERVER_PORT=http: must be a whole number"),
])
def test_a_bad_variable_is_one_line_naming_it(env, says):
    assert_refused(env=env, says=says)


def test_config_in_code_refuses_too():
    with pytest.raises(SettingError, match=r"ispring_token_ttl=-1: must be a number of seconds"):
        Config(ispring_token_ttl=-1)
    assert Config(ruangkerja_clients=("a:b:c",)).ruangkerja_clients == ("a:b:c",)  # a secret may hold a colon


def test_port_in_use_is_one_line_at_once():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = assert_refused(["--port", str(port), *SMALL], says=f"--port={port}: 127.0.0.1:{port} is in use")
    assert "choose another port" in line


def test_unknown_host_is_one_line():
    assert_refused(["--host", "no-such-host.invalid", *SMALL], says="--host=no-such-host.invalid: cannot listen there")


def test_state_file_in_a_missing_or_unwritable_place(tmp_path):
    port = ["--port", str(free_port())]
    assert_refused(["--state", str(tmp_path / "nope" / "s.sqlite"), *port, *SMALL], says="its folder")
    assert_refused(["--state", str(tmp_path), *port, *SMALL], says="a folder, not a file")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not sqlite")
    assert_refused(["--state", str(junk), *port, *SMALL], says="not a state file this mockserver can use")


def test_state_file_of_another_world_is_refused(tmp_path):
    path = str(tmp_path / "state.sqlite")
    identity = {"seed": "1", "sizes": json.dumps({"courses": 3, "employees": 10}), "version": "0.1.0"}
    state = SharedState(path, belongs_to=identity)
    state.add_token("ruangkerja", "kept", None)
    assert SharedState(path, belongs_to=identity).token_valid("ruangkerja", "kept")  # the same world: taken back
    for other in ({**identity, "seed": "2"}, {**identity, "version": "0.0.9"},
                  {**identity, "sizes": json.dumps({"employees": 11, "courses": 3})}):
        with pytest.raises(SettingError, match="belongs to another world"):
            SharedState(path, belongs_to=other)
    # Through the CLI: a world of another seed.
    line = assert_refused(["--state", path, "--seed", "2", "--port", str(free_port()), *SMALL],
                          says=f"--state={path}: belongs to")
    assert "(seed 1, 3 courses, 10 employees, mockserver 0.1.0), not this one (seed 2," in line


def test_state_file_with_no_record_of_its_world_is_refused(tmp_path):
    path = str(tmp_path / "old.sqlite")
    SharedState(path).add_token("ispring", "t", None)  # as a version before the meta table left it
    with pytest.raises(SettingError, match="older mockserver that did not record its world"):
        SharedState(path, belongs_to={"seed": "1", "sizes": "{}", "version": "0.1.0"})


def test_fixtures_file_unreadable_or_of_a_future_format(tmp_path):
    assert_refused(["--fixtures", str(tmp_path / "none.json")], says="cannot read it (No such file or directory)")
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"format": "lms-mockserver-world/2", "generator": "9.0.0", "seed": 1}))
    line = assert_refused(["--fixtures", str(future)], says=f"--fixtures={future}: written in format")
    assert "'lms-mockserver-world/2' by mockserver 9.0.0; this mockserver 0.1.0 reads 'lms-mockserver-world/1'" in line
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"format": "lms-mockserver-world/1", "seed": 1}')
    assert_refused(["--fixtures", str(garbled)], says="not a world as `mockserver fixtures export` writes it")


def test_fixtures_export_makes_its_folder(tmp_path):
    out = tmp_path / "new" / "folder" / "world.json"
    result = CliRunner().invoke(main, ["fixtures", "export", "--employees", "10", "--courses", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["format"] == "lms-mockserver-world/1"
    bad = CliRunner().invoke(main, ["fixtures", "export", "--courses", "1", "--out", str(out)])
    assert bad.exit_code == 2 and bad.stderr.strip() == "Error: --courses=1: must be 3 to 10000"
