"""`mockserver fixtures export` and `serve --fixtures`: a world written out is served back exactly."""

import json
import subprocess

import requests

from .helpers.servers import BIN, running_server

OFFLINE = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=2&pageSize=10"
TOKEN = {"Authorization": "access_token"}


def export(tmp_path, *args):
    out = tmp_path / "world.json"
    result = subprocess.run([BIN / "mockserver", "fixtures", "export", "--out", out, *args],
                            capture_output=True, text=True, check=True)
    return out, result.stdout


def test_export_is_deterministic_and_served_back_exactly(tmp_path):
    out, printed = export(tmp_path, "--seed", "11", "--employees", "60")
    assert printed.startswith(f"wrote {out}: seed 11, 60 people, 30 courses, ")
    world = json.loads(out.read_text())
    assert world["format"] == "lms-mockserver-world/1" and world["seed"] == 11
    assert {p["employee_id"] for p in world["people"]} >= {"EMPLY001", "EMPLY005", "EMPLY006"}
    again, _ = export(tmp_path / "..", "--seed", "11", "--employees", "60")
    assert again.read_bytes() == out.read_bytes()

    with running_server("--workers", "1", "--seed", "11", "--employees", "60") as (base, _):
        generated = requests.get(base + OFFLINE, headers=TOKEN).content
    with running_server("--workers", "1", "--fixtures", str(out)) as (base, _):
        served = requests.get(base + OFFLINE, headers=TOKEN).content
        assert requests.get(base + "/__admin/health").json()["seed"] == 11
    assert served == generated


def test_edited_fixtures_are_served_as_edited(tmp_path):
    out, _ = export(tmp_path, "--employees", "20")
    world = json.loads(out.read_text())
    world["people"][0]["first_name"] = "Johan"
    out.write_text(json.dumps(world))
    with running_server("--workers", "1", "--fixtures", str(out)) as (base, _):
        body = requests.get(base + OFFLINE.replace("page=2", "page=1"), headers=TOKEN).json()
    assert body["data"]["items"][0]["user"]["name"] == "Johan Doe"


def test_unreadable_fixtures_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seed": 1}')
    result = subprocess.run([BIN / "mockserver", "serve", "--fixtures", bad], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Error: {bad} is not a world exported by `mockserver fixtures export`: KeyError" in result.stderr
