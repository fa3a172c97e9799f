"""`mockserver bench`: its pure parts fast (wrk's figures read, the Lua it is given, the stubs and the OpenAPI
document the peers serve, the table, Markdown and JSON, the targets checklist, refused options); and, slow, wrk
driving the generated Lua against a recording server, then `mockserver bench --quick` against our server alone."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response

from mockserver.bench import load, ours, peers, report, routes, targets
from mockserver.bench.command import masked
from mockserver.bench.postgres import binaries
from mockserver.bench.load import WRITE, Load, Request
from mockserver.bench.routes import Answer, Route
from mockserver.cli import main

from .helpers.servers import serving

# --- wrk's figures ----------------------------------------------------------------------------------------------

DONE_JSON = json.dumps({"requests": 3000, "duration_us": 2_000_000, "bytes": 123, "connect": 1, "read": 0,
                        "write": 0, "status": 2, "timeout": 3, "other": 4, "p50_us": 1500, "p99_us": 20250,
                        "mean_us": 1700.5, "max_us": 30000, "acknowledged": ["a-1", "b-2"]})


def test_done_hook_json_reads_as_figures():
    figures = load.parse(DONE_JSON)
    assert (figures.requests, figures.seconds, figures.rps) == (3000, 2.0, 1500.0)
    assert (figures.p50_ms, figures.p99_ms, figures.mean_ms, figures.max_ms) == (1.5, 20.25, 1.7, 30.0)
    assert figures.errors == 10  # socket errors, status >= 400 and the other non-2xx, all counted
    assert figures.error_detail == {"connect": 1, "read": 0, "write": 0, "timeout": 3, "status": 2, "other": 4}
    assert figures.acknowledged == ["a-1", "b-2"] and figures.as_json()["acknowledged"] == 2


# --- the Lua it is given ----------------------------------------------------------------------------------------

def test_lua_strings_escape_every_byte_lua_would_read_otherwise():
    assert load.lua_string('say "hi"\\') == '"say \\034hi\\034\\092"'
    assert load.lua_string(b"a\nb\x00\xff") == '"a\\010b\\000\\255"'
    assert load.lua_string("é") == '"\\195\\169"'  # UTF-8 bytes


def test_a_single_request_route_leaves_wrk_its_static_request():
    request = Request("POST", "/api/v2/soap/2.0", (("Content-Type", "text/xml"),), b"<x/>")
    lua = load.script(Load((request,)), "/tmp/out.json", threads=2)
    assert 'wrk.method = "POST"' in lua and 'wrk.body = "<x/>"' in lua
    assert 'wrk.headers["Content-Type"] = "text/xml"' in lua
    assert "function request" not in lua and "function response" not in lua  # wrk formats the request once
    assert 'io.open("/tmp/out.json", "w")' in lua


def test_writes_are_formatted_per_call_each_thread_taking_every_nth():
    reads = (Request("GET", "/a"), Request("GET", "/b"))
    writes = tuple(Request("POST", "/w", (), f"<n>{i}</n>".encode()) for i in range(3))
    lua = load.script(Load(reads, (0, 1, WRITE), writes), "/tmp/out.json", threads=4)
    assert "local pattern = {0, 1, -1}" in lua
    assert 'local raw_fixed = {{"GET", "/a", 1, nil}, {"GET", "/b", 1, nil}}' in lua
    assert [f'add("POST", "/w", 1, "<n>{i}</n>")' in lua for i in range(3)] == [True] * 3
    assert "next_write = next_write + 4" in lua and "next_write = id + 1" in lua
    assert "function response(status, headers, body)" in lua  # the acknowledged IDs and the non-2xx


# --- what the peers serve ---------------------------------------------------------------------------------------

XML_PAGE = Answer(200, "application/xml; charset=utf-8", b"<?xml version='1.0'?><response><a>\xc3\xa9</a></response>")
JSON_PAGE = Answer(200, "application/json", b'{"data": {"items": [1, 2]}}')
CREATED = Answer(201, "application/xml; charset=utf-8", b"<response><enrollmentIds><id>e-1</id></enrollmentIds>"
                                                        b"</response>")
READ = Request("GET", "/enrollments?pageSize=100", (("Accept", "application/xml"),))
BATCH = Request("GET", "/ruangkerja/dashboard/courses/C1/offline/B1/users?page=1&pageSize=10")
WRITES = tuple(Request("POST", "/enrollment", (), f"<request><n>{i}</n></request>".encode()) for i in range(2))
MIXED = Route("mixed", "Mixed", "mixed", Load((READ, BATCH), (0, 1, WRITE), WRITES),
              {0: XML_PAGE, 1: JSON_PAGE, WRITE: CREATED})
OURS_OPENAPI = {
    "openapi": "3.0.3", "info": {"title": "ours", "version": "1"}, "components": {"schemas": {}},
    "paths": {
        "/enrollments": {"get": {"responses": {"200": {"description": "page", "content": {
            "application/xml": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}}}}},
        "/enrollment": {"post": {
            "requestBody": {"content": {"application/xml": {"schema": {"type": "object", "required": ["courseIds"]}},
                                        "application/json": {"schema": {"type": "object"}}}},
            "responses": {"201": {"description": "made", "content": {"application/xml": {"schema": {}}}}}}},
        "/ruangkerja/dashboard/courses/{courseSerial}/offline/{batchSerial}/users": {"get": {"responses": {
            "200": {"description": "users", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/unused": {"get": {"responses": {}}},
    },
}


def test_wiremock_stubs_serve_our_bytes_for_each_request_of_a_route():
    mappings = peers.wiremock_mappings(MIXED)
    assert [m["request"] for m in mappings] == [
        {"method": "GET", "url": "/enrollments?pageSize=100", "headers": {"Accept": {"equalTo": "application/xml"}}},
        {"method": "GET", "url": BATCH.path},
        {"method": "POST", "url": "/enrollment"},  # one stub for every distinct write body
    ]
    first = mappings[0]["response"]
    assert first["status"] == 200 and first["headers"] == {"Content-Type": "application/xml; charset=utf-8"}
    assert base64.b64decode(first["base64Body"]) == XML_PAGE.body
    assert mappings[2]["response"]["status"] == 201


def test_wiremock_tells_the_same_url_apart_by_accept():
    as_json = Request("GET", "/enrollments?pageSize=100", (("Accept", "application/json"),))
    route = Route("both", "Both", "read", Load((READ, as_json), (0, 1)), {0: XML_PAGE, 1: JSON_PAGE})
    served = {m["request"]["headers"]["Accept"]["equalTo"]: base64.b64decode(m["response"]["base64Body"])
              for m in peers.wiremock_mappings(route)}
    assert served == {"application/xml": XML_PAGE.body, "application/json": JSON_PAGE.body}


def test_prism_document_has_the_routes_only_with_our_answers_as_named_examples():
    soap = Route("soap", "SOAP", "read", Load((Request("POST", routes.SOAP_PATH, (), b"<e/>"),)),
                 {0: Answer(200, "text/xml; charset=utf-8", b"<soap/>")})
    document = peers.prism_document(OURS_OPENAPI, [MIXED, soap])
    paths = document["paths"]
    assert set(paths) == {"/enrollments", "/enrollment", routes.SOAP_PATH,
                          "/ruangkerja/dashboard/courses/{courseSerial}/offline/{batchSerial}/users"}
    xml = paths["/enrollments"]["get"]["responses"]["200"]["content"]["application/xml"]["examples"]
    assert xml == {peers.example_name(READ, 0): {"value": XML_PAGE.body.decode()}}
    users = paths["/ruangkerja/dashboard/courses/{courseSerial}/offline/{batchSerial}/users"]["get"]
    assert list(users["responses"]["200"]["content"]["application/json"]["examples"].values()) == [
        {"value": {"data": {"items": [1, 2]}}}]  # JSON as data: Prism serialises it
    created = paths["/enrollment"]["post"]
    assert created["responses"]["201"]["content"]["application/xml"]["examples"] == {
        "write": {"value": CREATED.body.decode()}}
    body = created["requestBody"]["content"]
    assert body["application/xml"]["schema"] == {} and body["application/json"]["schema"] == {"type": "object"}
    assert OURS_OPENAPI["paths"]["/enrollment"]["post"]["requestBody"]["content"]["application/xml"]["schema"]
    soap_examples = paths[routes.SOAP_PATH]["post"]["responses"]["200"]["content"]["text/xml"]["examples"]
    assert list(soap_examples.values()) == [{"value": "<soap/>"}]


def test_prism_static_is_told_which_example_each_request_wants():
    names = {peers.example_name(READ, 0), peers.example_name(BATCH, 1),
             peers.example_name(Request("GET", "/enrollments?pageSize=100", (("Accept", "application/json"),)), 0)}
    assert len(names) == 3  # the same path with another Accept has an example of its own
    assert peers.example_name(WRITES[0], WRITE) == peers.example_name(WRITES[1], WRITE) == "write"


# --- the routes' inputs -----------------------------------------------------------------------------------------

def test_learners_are_chosen_so_their_enrollments_make_exactly_the_rows_wanted():
    rows = [{"learnerId": f"l{n}", "courseId": f"c{k}"} for n in range(40) for k in range(1 + n % 4)]
    chosen = routes.learners_for(rows, 100)
    assert sum(1 for row in rows if row["learnerId"] in chosen) == 100 and len(set(chosen)) == len(chosen)


def test_write_pairs_are_the_unenrolled_ones_each_once():
    rows = [{"learnerId": "l1", "courseId": "c1"}, {"learnerId": "l2", "courseId": "c2"}]
    pairs = routes.free_pairs(rows, ["l1", "l2", "l3"])
    assert sorted(pairs) == [("c1", "l2"), ("c1", "l3"), ("c2", "l1"), ("c2", "l3")]
    assert pairs[:2] == [("c2", "l1"), ("c1", "l2")]  # courses take turns


def test_soap_envelope_asks_for_the_learners_given():
    envelope = routes.soap_envelope(["l-1", "l-2"]).decode()
    assert "<ns1:learnerIds><ns1:id>l-1</ns1:id><ns1:id>l-2</ns1:id></ns1:learnerIds>" in envelope
    assert "learnerIds" not in routes.soap_envelope().decode()


# --- the report and the targets ---------------------------------------------------------------------------------

def result(**changes) -> dict:
    """A run's result as command.py assembles it."""
    table = [
        {"route": "soap-100", "title": "SOAP 100 rows", "kind": "read", "server": "ours", "label": "mockserver",
         "rps": 1200.0, "p50_ms": 5.0, "p99_ms": 18.0, "errors": 0},
        {"route": "soap-100", "title": "SOAP 100 rows", "kind": "read", "server": "wiremock",
         "label": "WireMock static", "rps": 1000.0, "p50_ms": 1.0, "p99_ms": 3.0, "errors": 0, "ratio": 1.2},
        {"route": "soap-100", "title": "SOAP 100 rows", "kind": "read", "server": "prism-dynamic",
         "label": "Prism dynamic", "problem": "no node on PATH"},
        {"route": "write", "title": "POST /enrollment", "kind": "write", "server": "ours", "label": "mockserver",
         "rps": 450.0, "p50_ms": 9.0, "p99_ms": 25.0, "errors": 0, "lost": 0, "acknowledged": 4500},
    ]
    base = {
        "date": "2026-11-22T21:00:00+00:00",
        "machine": {"cores": 2, "cpu": "AMD EPYC", "memory_gb": 8.0, "os": "Debian GNU/Linux 12", "python": "3.11.7",
                    "load_average": [0.1, 0.2, 0.3]},
        "settings": {"duration": 5, "rounds": 2, "threads": 2, "connections": 16, "workers": 2, "employees": 200},
        "versions": {"mockserver": "0.1.0", "wiremock": "3.13.2", "prism": "5.16.0", "wrk": "4.1.0"},
        "routes": [{"name": "soap-100", "title": "SOAP 100 rows", "kind": "read"},
                   {"name": "write", "title": "POST /enrollment", "kind": "write"}],
        "table": table,
        "startup": {"cold_starts": [{"first_200_s": 1.2}] * 3, "cold_start_s": 1.2, "build_s": 0.3,
                    "rss_mb_idle": [50.0, 51.0], "rss_mb_loaded": [60.0, 61.0]},
        "big_world": {"employees": 10_000, "first_200_s": 6.0, "build_s": 5.5, "rss_mb_idle": [150.0],
                      "rss_mb_loaded": [190.0, 185.0],
                      "deep_page": {"ruangkerja-users": {"page": 50, "first_ms": 10.0, "deep_ms": 11.0, "ratio": 1.1,
                                                         "samples": 5, "deep_path": "/ruangkerja/users?page=50"}}},
        "postgres": {"status": "skipped", "reason": "--postgres off"},
    }
    return base | changes


def verdicts(checks: list[dict]) -> dict[str, str]:
    return {check["target"]: check["status"] for check in checks}


def test_targets_are_checked_against_the_figures():
    found = verdicts(targets.evaluate(result()))
    assert found == {
        "every read route >= 1.0x WireMock's static stub of the same bytes": "met",
        "every read route >= 30x Prism dynamic": "not measured",
        "p99 <= 20 ms at 16 connections": "not met",  # the write's 25 ms
        "SOAP getEnrollments (100 rows) >= 1,000 rps": "met",
        "writes >= 500 rps with 0 lost": "not met",
        "cold start <= 1.5 s": "met",
        "a 10,000-employee world built in <= 5 s": "not met",
        "<= 200 MB RSS per worker (10,000 employees)": "met",
        "a deep page (page 50) <= 1.2x the first": "met",
    }
    prism = next(c for c in targets.evaluate(result()) if "Prism" in c["target"])
    assert prism["figure"] == "no node on PATH"


def test_targets_of_another_size_or_connection_count_are_not_measured():
    other = result(settings={**result()["settings"], "connections": 64},
                   big_world={**result()["big_world"], "employees": 2000})
    found = verdicts(targets.evaluate(other))
    assert found["p99 <= 20 ms at 16 connections"] == "not measured"
    assert found["a 10,000-employee world built in <= 5 s"] == "not measured"
    assert found["<= 200 MB RSS per worker (10,000 employees)"] == "not measured"
    nothing = verdicts(targets.evaluate({"table": [], "settings": {}}))
    assert set(nothing.values()) == {"not measured"}


def test_the_table_has_every_row_its_ratio_and_why_a_peer_did_not_run():
    text = report.text_table(result())
    lines = text.splitlines()
    assert lines[0].split() == ["route", "server", "rps", "p50", "ms", "p99", "ms", "errors", "ours/peer"]
    assert re.search(r"soap-100\s+WireMock static\s+1,000\s+1\.0\s+3\.0\s+0\s+1\.20$", text, re.M)
    assert re.search(r"soap-100\s+Prism dynamic\s+-\s+-\s+-\s+-\s+not run: no node on PATH$", text, re.M)
    assert re.search(r"write\s+mockserver\s+450\s+9\.0\s+25\.0\s+0, 0 lost of 4,500$", text, re.M)


def test_the_whole_report_names_the_machine_the_figures_and_the_checklist():
    checked = result()
    checked["targets"] = targets.evaluate(checked)
    text = report.text(checked)
    assert "2026-11-22T21:00:00+00:00, 2 cores (AMD EPYC), 8.0 GB, Debian GNU/Linux 12" in text
    assert "WireMock 3.13.2, Prism 5.16.0" in text and "wrk -t2 -c16" in text
    assert "cold start (process start to the first 200, 200 employees): 1.20 s, median of 3" in text
    assert "10,000 employees: first 200 after 6.00 s, world built in 5.50 s" in text
    assert "1.10x (median of 5, one request at a time)" in text
    assert "PostgreSQL state: comparison skipped (--postgres off)" in text
    assert "[x] cold start <= 1.5 s: met (1.20 s to the first 200 (median of 3))" in text
    assert "[ ] writes >= 500 rps with 0 lost: not met (450 rps, 0 lost of 4500 acknowledged, 0 errors)" in text


def test_writes_past_the_free_pairs_are_told():
    busy = result()
    busy["table"][-1]["repeated_writes"] = 1200
    assert ("write on mockserver: about 1,200 writes of a run went past the world's unenrolled (course, learner) "
            "pairs and repeated one (a shorter --duration keeps every write new)") in report.figure_lines(busy)
    assert not any("repeated one" in line for line in report.figure_lines(result()))


def test_markdown_is_a_table_readme_can_show():
    checked = result()
    checked["targets"] = targets.evaluate(checked)
    lines = report.markdown(checked).splitlines()
    assert lines[0].startswith("Measured 2026-11-22T21:00:00+00:00, 2 cores (AMD EPYC)")
    header = lines.index("| route | server | rps | p50 ms | p99 ms | errors | ours/peer |")
    assert lines[header + 1] == "|---|---|---:|---:|---:|---|---:|"
    assert lines[header + 2] == "| SOAP 100 rows | mockserver | 1,200 | 5.0 | 18.0 | 0 |  |"
    assert lines[header + 3] == "|  | WireMock static | 1,000 | 1.0 | 3.0 | 0 | 1.20 |"  # the route named once
    assert "- [x] SOAP getEnrollments (100 rows) >= 1,000 rps: met (1,200 rps)" in lines


def test_the_json_holds_the_whole_result(tmp_path):
    path = tmp_path / "bench-results" / "run.json"
    report.write_json(result(), path)
    assert json.loads(path.read_text()) == result()


# --- the command ------------------------------------------------------------------------------------------------

def test_no_wrk_is_one_line_saying_how_to_get_it(tmp_path):
    outcome = CliRunner().invoke(main, ["bench", "--quick"], env={"PATH": str(tmp_path)})
    assert outcome.exit_code == 2
    assert outcome.output == ("Error: wrk is not installed: the benchmark's load generator (Debian/Ubuntu: "
                              "apt-get install wrk; macOS: brew install wrk)\n")


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
@pytest.mark.parametrize("args, message", [
    (["--peers", "jmeter"], "Error: --peers/--routes: 'jmeter' is no peer (one of wiremock, prism-static, "
                            "prism-dynamic, or all / none)\n"),
    (["--routes", "none"], "Error: --routes: at least one route\n"),
    (["--postgres", "mysql://x"], "Error: --postgres=mysql://x: must be a postgresql:// URL, auto or off\n"),
])
def test_refused_options_are_one_line(args, message):
    outcome = CliRunner().invoke(main, ["bench", *args])
    assert (outcome.exit_code, outcome.output) == (2, message)


def test_every_option_has_its_environment_twin():
    outcome = CliRunner().invoke(main, ["bench", "--help"], terminal_width=200)
    for name in ("DURATION", "ROUNDS", "WARMUP", "THREADS", "CONNECTIONS", "WORKERS", "QUICK", "PEERS", "ROUTES",
                 "POSTGRES", "BIG_WORLD", "COLD_STARTS", "JSON", "MARKDOWN", "CACHE_DIR"):
        assert f"MOCKSERVER_BENCH_{name}" in outcome.output


class FailingStart:
    """Processes whose every start exits 1 at once, having written `boom`; what it was given is kept."""

    def start(self, argv, log, *, env=None, stop_signal=None):
        self.argv, self.env = argv, env
        log.write_text("boom\n")
        return type("Exited", (), {"poll": lambda self: 1, "returncode": 1})()

    def stop(self, process):
        pass


def test_our_server_runs_on_its_flags_alone_and_a_failed_start_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_STATE", "/data/state.sqlite")
    processes = FailingStart()
    with pytest.raises(ours.ServerFailed) as failed:
        ours.start(processes, tmp_path, "ours", workers=2)
    assert str(failed.value) == "`mockserver serve` (ours) exited 1:\n  boom"
    assert processes.argv[3:] == ["serve", "--host", "127.0.0.1", "--port", processes.argv[7], "--workers", "2",
                                  "--employees", "200", "--access-log", "off"]
    assert "MOCKSERVER_STATE" not in processes.env and processes.env["PATH"] == os.environ["PATH"]


def test_a_database_password_is_never_written():
    assert masked("postgresql://mock:s3cret@127.0.0.1:5432/db") == "postgresql://mock:***@127.0.0.1:5432/db"
    assert masked("postgresql://127.0.0.1/db") == "postgresql://127.0.0.1/db"


# --- slow: wrk itself, then the whole command -------------------------------------------------------------------

def children() -> list[int]:
    """The processes this one started that still run (or wait to be reaped)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


class Recorder:
    """Answers a POST 201 with a fresh `<id>`, `/moved` 302, anything else 200; keeps every body it got."""

    def __init__(self):
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = WsgiRequest(environ)
        if request.path == "/moved":
            response = Response(status=302, headers={"Location": "/"})
        elif request.method == "POST":
            with self.lock:
                self.bodies.append(request.get_data())
                number = len(self.bodies)
            response = Response(f"<response><enrollmentIds><id>id-{number}</id></enrollmentIds></response>",
                                status=201)
        else:
            response = Response("ok")
        return response(environ, start_response)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed: apt-get install wrk (.ci/bench-setup)")
def test_wrk_sends_distinct_writes_and_reports_what_was_acknowledged():
    recorder = Recorder()
    writes = tuple(Request("POST", "/enrollment", (("Content-Type", "application/xml"),), f"<n>{i}</n>".encode())
                   for i in range(100_000))
    with serving(recorder) as url:
        figures = load.run(url, Load((Request("GET", "/"), Request("GET", "/moved")), (0, WRITE, 1), writes),
                           seconds=1, threads=2, connections=4)
    assert figures.requests > 10
    assert len(recorder.bodies) == len(set(recorder.bodies))  # no two writes the same, across both threads
    assert set(figures.acknowledged) <= {f"id-{n}" for n in range(1, len(recorder.bodies) + 1)}
    assert len(figures.acknowledged) >= len(recorder.bodies) - 4  # all but those in flight when wrk stopped
    assert figures.error_detail["other"] >= figures.requests // 3 - 4  # the 302s: not 2xx
    assert figures.error_detail["status"] == 0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed: apt-get install wrk (.ci/bench-setup)")
def test_bench_quick_measures_every_route_on_our_server(tmp_path):
    out = tmp_path / "result.json"
    before = set(children())  # the session's own servers, if this process started any
    outcome = CliRunner().invoke(main, ["bench", "--quick", "--peers", "none", "--big-world", "5000",
                                        "--json", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert set(children()) <= before  # every server it started is stopped
    measured = json.loads(out.read_text())
    servers = ["ours"] + (["ours-postgres"] if binaries() else [])
    for server in servers:
        rows = {row["route"]: row for row in measured["table"] if row["server"] == server}
        assert set(rows) == set(routes.ROUTE_NAMES), server
        for name, row in rows.items():
            assert row["rps"] > 0 and row["errors"] == 0, (server, name, row)
        assert rows["write"]["lost"] == 0 and rows["write"]["acknowledged"] > 0
        assert rows["mixed"]["lost"] == 0
    assert measured["postgres"]["status"] == ("measured" if binaries() else "skipped")
    titles = {route["name"]: route["title"] for route in measured["routes"]}
    assert "10 items" in titles["ruangkerja-batch-users"] and "100 rows" in titles["soap-100"]
    assert measured["startup"]["cold_start_s"] > 0 and len(measured["startup"]["rss_mb_loaded"]) == 2
    assert measured["big_world"]["employees"] == 5000 and measured["big_world"]["build_s"] > 0
    assert set(measured["big_world"]["deep_page"]) == {"ispring-users", "ruangkerja-users"}
    assert len(measured["targets"]) == 9 and "Targets (issue 13):" in outcome.output
