"""The request journal: every vendor call, newest first, with its row's name and the secrets masked; filters, count,
clear; bounded by --journal-size; admin calls never in it."""

from __future__ import annotations

import os
import time

import pytest

from mockserver.context import Runtime
from mockserver.contracts.admin import CountSchema, DeletedSchema, RequestsSchema
from mockserver.state import SharedState

from .helpers.apps import TOKEN, conforms
from .helpers.ispring_wire import envelope

COURSES = "/ruangkerja/dashboard/courses"
ISPRING_TOKEN = {"Authorization": "Bearer p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"}
SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"GetEnrollments"'}


def journal(client, query: str = "") -> list[dict]:
    return conforms(client.get(f"/__admin/requests{query}"), RequestsSchema)["requests"]


def test_an_entry_says_what_was_called(client):
    client.get(COURSES, query_string={"page": 1, "pageSize": 2}, headers=TOKEN)
    [entry] = journal(client)
    assert list(entry) == ["id", "time", "worker", "vendor", "operation", "method", "path", "query", "headers",
                           "body", "status", "ms", "stubbed", "fault"]
    assert entry["time"].endswith("Z") and entry["time"][:4].isdigit()
    assert (entry["worker"], entry["vendor"], entry["operation"], entry["method"], entry["path"], entry["query"]) == \
        (os.getpid(), "ruangkerja", "ruangkerja.course", "GET", COURSES, "page=1&pageSize=2")
    assert entry["headers"]["Authorization"] == "***"
    assert (entry["body"], entry["status"], entry["stubbed"], entry["fault"]) == ("", 200, False, None)
    assert entry["ms"] > 0


def test_admin_calls_are_not_journaled(client):
    client.get("/__admin/health")
    client.post("/__admin/reset")
    assert journal(client) == []


def test_newest_first_and_unknown_routes_have_no_operation(client):
    client.get(COURSES, query_string={"page": 1, "pageSize": 2}, headers=TOKEN)
    client.get("/ruangkerja/nope")
    client.get("/nope", headers={"Accept": "application/json"})
    entries = journal(client)
    assert [(e["vendor"], e["path"], e["status"], e["operation"]) for e in entries] == [
        ("ispring", "/nope", 404, None), ("ruangkerja", "/ruangkerja/nope", 404, None),
        ("ruangkerja", COURSES, 200, "ruangkerja.course")]
    assert entries[0]["id"] > entries[1]["id"] > entries[2]["id"]


def test_secrets_are_masked_in_headers_and_bodies(client):
    client.post("/api/v3/token", data={"client_id": "example", "client_secret": "example_secret",
                                       "grant_type": "client_credentials"})
    client.post("/oauth/token", json={"clientID": "example", "clientSecret": "example_secret",
                                      "grantType": "client_credentials", "password": "hunter2"})
    client.set_cookie("session", "abc")
    client.get("/groups", headers={"X-Auth-Account-Url": "https://x.ispringlearn.com", "X-Auth-Email": "a@b.c",
                                 "X-Auth-Password": "12345Q"})
    soap, oauth, form = journal(client)[0], journal(client)[1], journal(client)[2]
    assert form["body"] == "client_id=example&client_secret=***&grant_type=client_credentials"
    assert '"clientSecret":"***"' in oauth["body"].replace(" ", "") and "example_secret" not in oauth["body"]
    assert '"password":"***"' in oauth["body"].replace(" ", "") and "hunter2" not in oauth["body"]
    assert soap["headers"]["X-Auth-Password"] == "***" and soap["headers"]["Cookie"] == "***"
    assert soap["headers"]["X-Auth-Email"] == "a@b.c"  # not a secret


def test_a_soap_call_is_journaled_under_its_method(client):
    data = envelope("getEnrollments", credentials={"token": "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"})
    response = client.post("/api/v2/soap/2.0", data=data, headers=SOAP_HEADERS)
    assert response.status_code == 200
    [entry] = journal(client)
    assert entry["operation"] == "ispring.soap.getEnrollments"
    assert "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE" not in entry["body"] and ">***</" in entry["body"]


def test_filters_and_count(client):
    client.get(COURSES, query_string={"page": 1, "pageSize": 2}, headers=TOKEN)
    client.get(COURSES, query_string={"page": 1, "pageSize": 2})  # refused: 403
    client.get("/groups", headers={**ISPRING_TOKEN, "Accept": "application/json"})
    assert [e["status"] for e in journal(client, "?vendor=ruangkerja")] == [403, 200]
    assert [e["path"] for e in journal(client, "?vendor=ispring")] == ["/groups"]
    assert len(journal(client, "?operation=ruangkerja.course")) == 2
    assert len(journal(client, "?operation=course")) == 2  # the bare name
    assert len(journal(client, "?path=/ruangkerja/*")) == 2
    assert len(journal(client, "?status=403")) == 1
    assert len(journal(client, "?limit=1")) == 1
    assert journal(client, f"?since={time.time() + 60}") == []
    assert len(journal(client, "?since=2000-01-01T00:00:00Z")) == 3
    assert conforms(client.get("/__admin/requests/count?operation=ruangkerja.course"), CountSchema) == {"count": 2}
    assert conforms(client.get("/__admin/requests/count?operation=ListGroups&status=200"), CountSchema) == \
        {"count": 1}


@pytest.mark.parametrize("query", ["?status=abc", "?since=yesterday", "?limit=0", "?limit=000", "?limit=%C2%B2"])
def test_bad_filters_are_400(client, query):
    response = client.get(f"/__admin/requests{query}")
    assert response.status_code == 400
    assert list(response.get_json()) == ["errorCode", "message", "detail"]


@pytest.mark.parametrize("limit", ["294961336719581937664", "9" * 5000])
def test_a_limit_past_any_integer_is_the_whole_journal(client, limit):
    """Found by the fuzzer on another seed: SQLite's integers end at 2**63, so such a limit was a 500."""
    client.get("/ruangkerja/dashboard/courses", headers=TOKEN)
    found = conforms(client.get(f"/__admin/requests?limit={limit}"), RequestsSchema)
    assert len(found["requests"]) == 1


def test_delete_empties_it(client):
    client.get(COURSES, headers=TOKEN)
    client.get(COURSES, headers=TOKEN)
    assert conforms(client.delete("/__admin/requests"), DeletedSchema) == {"deleted": 2}
    assert journal(client) == []
    client.get(COURSES, headers=TOKEN)
    assert len(journal(client)) == 1


def test_reset_keeps_it(client):
    client.get(COURSES, headers=TOKEN)
    client.post("/__admin/reset")
    assert len(journal(client)) == 1


def _with_size(app, tmp_path, monkeypatch, size: int):
    """The session's app with another --journal-size for this test only (renew keeps the session app's config)."""
    rt = app.extensions["mockserver"]
    monkeypatch.setitem(app.extensions, "mockserver", Runtime(rt.config.replace(journal_size=size), rt.world,
                                                              SharedState(str(tmp_path / "sized.sqlite3"))))
    return app.extensions["mockserver"].state


def test_it_is_a_ring_of_journal_size(app, tmp_path, monkeypatch):
    state = _with_size(app, tmp_path, monkeypatch, 5)
    client = app.test_client()
    for page in range(1, 71):
        client.get("/nope", query_string={"page": page})
    entries = journal(client, "?limit=100")
    assert [e["query"] for e in entries] == [f"page={n}" for n in range(70, 65, -1)]
    assert conforms(client.get("/__admin/requests/count"), CountSchema) == {"count": 5}
    stored = state._connection().execute("SELECT COUNT(*) FROM journal").fetchone()[0]
    assert stored < 5 + 64  # the file stays flat: trimmed every 64 entries


def test_size_zero_switches_it_off(app, tmp_path, monkeypatch):
    _with_size(app, tmp_path, monkeypatch, 0)
    client = app.test_client()
    client.get(COURSES, headers=TOKEN)
    assert journal(client) == []
