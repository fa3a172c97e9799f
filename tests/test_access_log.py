"""The access log: one console line per request, naming the table row that answered."""

from __future__ import annotations

import io
import json
import re

import pytest

from mockserver.config import Config
from mockserver.serving import with_access_log_default

from .helpers.apps import TOKEN, make_app
from .helpers.ispring_wire import call

COURSES = "/ruangkerja/dashboard/courses?page=1&pageSize=2"


def logged(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_text_line_per_request_names_the_operation(world_json, tmp_path, capsys):
    client = make_app(world_json, tmp_path, access_log="text").test_client()
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    assert client.get("/ruangkerja/dashboard/courses?page=0&pageSize=2", headers=TOKEN).status_code == 400
    assert client.get("/nope").status_code == 404
    assert client.post("/__admin/reset").status_code == 200
    call(client, "getDepartments")
    lines = logged(capsys)
    assert len(lines) == 5, lines
    pattern = r"\d\d:\d\d:\d\d (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) \d+\.\d ms (?P<operation>\S+)"
    found = [re.fullmatch(pattern, line).groupdict() for line in lines]
    assert found == [
        {"method": "GET", "path": COURSES, "status": "200", "operation": "ruangkerja.course"},
        {"method": "GET", "path": "/ruangkerja/dashboard/courses?page=0&pageSize=2", "status": "400",
         "operation": "ruangkerja.course"},
        {"method": "GET", "path": "/nope", "status": "404", "operation": "-"},
        {"method": "POST", "path": "/__admin/reset", "status": "200", "operation": "admin.reset"},
        {"method": "POST", "path": "/api/v2/soap/2.0", "status": "200", "operation": "ispring.soap.getDepartments"},
    ]


def test_json_lines(world_json, tmp_path, capsys):
    client = make_app(world_json, tmp_path, access_log="json").test_client()
    client.get("/enrollment/not-an-id", headers={"Authorization": "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"})
    (line,) = logged(capsys)
    entry = json.loads(line)
    assert {k: entry[k] for k in ("method", "path", "status", "operation")} == {
        "method": "GET", "path": "/enrollment/not-an-id", "status": 400, "operation": "ispring.GetEnrollment"}
    assert isinstance(entry["ms"], float) and entry["worker"] > 0 and entry["time"]


def test_off_writes_nothing(world_json, tmp_path, capsys):
    client = make_app(world_json, tmp_path, access_log="off").test_client()
    client.get(COURSES, headers=TOKEN)
    assert logged(capsys) == []


class Console(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("given, tty, expected", [
    (None, True, "text"), (None, False, "off"), ("json", True, "json"), ("off", True, "off"), ("text", False, "text"),
])
def test_serve_logs_by_default_on_a_terminal_only(given, tty, expected):
    assert with_access_log_default(Config(access_log=given), Console(tty)).access_log == expected
