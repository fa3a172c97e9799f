"""`mockserver fixtures export` and `serve --fixtures`: a world written out is served back exactly."""

import json
import subprocess

import pytest
import requests
from click.testing import CliRunner

from mockserver.app import create_app
from mockserver.cli import main
from mockserver.config import Config
from mockserver.state import SharedState

from .helpers.servers import BIN, running_server

OFFLINE = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=2&pageSize=10"
TOKEN = {"Authorization": "access_token"}


def export(out, *args):
    """`mockserver fixtures export` in this process; what it printed."""
    result = CliRunner().invoke(main, ["fixtures", "export", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow  # a real server process: the slow suite
def test_export_is_deterministic_and_served_back_exactly(tmp_path):
    # Once by the installed command, in a process of its own (another hash seed), once in this process.
    out = tmp_path / "world.json"
    printed = subprocess.run([BIN / "mockserver", "fixtures", "export", "--out", out, "--seed", "11", "--employees",
                              "60"], capture_output=True, text=True, check=True, timeout=60).stdout
    assert printed.startswith(f"wrote {out}: seed 11, 60 people, 30 courses, ")
    world = json.loads(out.read_text())
    assert world["format"] == "lms-mockserver-world/1" and world["seed"] == 11
    assert {p["employee_id"] for p in world["people"]} >= {"EMPLY001", "EMPLY005", "EMPLY006"}
    again = tmp_path / "again.json"
    export(again, "--seed", "11", "--employees", "60")
    assert again.read_bytes() == out.read_bytes()

    # The app on the exported file answers byte for byte as the app that generates the world.
    generated = create_app(Config(seed=11, employees=60), state=SharedState(str(tmp_path / "g.sqlite3")))
    exported = create_app(Config(fixtures=str(out)), state=SharedState(str(tmp_path / "e.sqlite3")))
    for path in (OFFLINE, "/ruangkerja/dashboard/courses?page=2&pageSize=10",
                 "/ruangkerja/dashboard/users/EMPLY005/courses/webinar?page=1&pageSize=10", "/__admin/health"):
        answers = [app.test_client().get(path, headers=TOKEN) for app in (generated, exported)]
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[0].get_data() == answers[1].get_data(), path
    assert exported.test_client().get("/__admin/health").get_json()["seed"] == 11


@pytest.mark.slow  # a real server process: the slow suite
def test_edited_fixtures_are_served_as_edited(tmp_path):
    out = tmp_path / "world.json"
    export(out, "--employees", "20")
    world = json.loads(out.read_text())
    world["people"][0]["first_name"] = "Johan"
    out.write_text(json.dumps(world))
    with running_server("--workers", "1", "--fixtures", str(out)) as (base, _):
        body = requests.get(base + OFFLINE.replace("page=2", "page=1"), headers=TOKEN).json()
    assert body["data"]["items"][0]["user"]["name"] == "Johan Doe"


def test_unreadable_fixtures_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seed": 1}')
    result = subprocess.run([BIN / "mockserver", "serve", "--fixtures", bad], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"Error: --fixtures={bad}: written in format None; this mockserver 0.1.0 "
                                          "reads 'lms-mockserver-world/1': export it again with `mockserver fixtures "
                                          "export`"]
