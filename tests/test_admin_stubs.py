"""Stubs: exactly the answer a test asks for, REST and SOAP, over the world and before the token check; matched by
vendor, operation, method + path, query and body; priority, then newest first; journaled as stubbed."""

from __future__ import annotations

import pytest

from mockserver.contracts.admin import DeletedSchema, StubSchema, StubsSchema

from .helpers.apps import TOKEN, conforms
from .helpers.ispring_wire import DOC_TOKEN, call

COURSES = "/ruangkerja/dashboard/courses"
ISPRING = {"Authorization": f"Bearer {DOC_TOKEN}"}
ENVELOPE = ('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>'
            '<GetEnrollmentsResult/></SOAP-ENV:Body></SOAP-ENV:Envelope>')


def add(client, **stub) -> dict:
    return conforms(client.post("/__admin/stubs", json=stub), StubSchema, 201)


def test_the_stub_is_answered_back_with_its_id_and_defaults(client):
    stub = add(client, match={"method": "get", "path": COURSES}, response={"body": {"data": []}})
    assert stub == {"id": 1, "priority": 5, "match": {"method": "GET", "path": COURSES},
                    "response": {"status": 200, "headers": {}, "body": {"data": []},
                                 "contentType": "application/json"}}
    assert list(stub) == ["id", "priority", "match", "response"]
    assert conforms(client.get("/__admin/stubs"), StubsSchema) == {"stubs": [stub]}


def test_a_json_null_body_is_a_stub_too(client):
    """Found by the fuzzer on a new seed: a null body was stored, then its echo broke the stub's contract (a 500)."""
    stub = add(client, match={"method": "GET", "path": COURSES}, response={"body": None})
    assert stub["response"] == {"status": 200, "headers": {}, "body": None, "contentType": "application/json"}
    answer = client.get(COURSES)
    assert (answer.status_code, answer.headers["Content-Type"], answer.get_data()) == (200, "application/json", b"null")


def test_a_rest_stub_wins_over_the_world_and_the_token_check(client):
    add(client, match={"vendor": "ruangkerja", "method": "GET", "path": COURSES},
        response={"status": 418, "headers": {"X-Stubbed": "yes"}, "body": {"data": [], "note": "stubbed"}})
    for headers in (TOKEN, {}):  # no credentials: still the stub (WireMock's order)
        response = client.get(COURSES, query_string={"page": 1, "pageSize": 2}, headers=headers)
        assert (response.status_code, response.headers["X-Stubbed"], response.headers["Content-Type"]) == \
            (418, "yes", "application/json")
        assert response.get_data() == b'{"data":[],"note":"stubbed"}'
    assert client.get("/ruangkerja/tags", query_string={"page": 1, "pageSize": 2},
                      headers=TOKEN).status_code == 200


def test_a_soap_stub_matches_its_operation_and_returns_the_envelope(client):
    add(client, match={"operation": "soap.getEnrollments"}, response={"body": ENVELOPE})
    response = call(client, "getEnrollments")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/xml; charset=utf-8")
    assert response.get_data(as_text=True) == ENVELOPE
    assert b"GetGroupsResult" in call(client, "getGroups").get_data()  # another method: the world's answer


def test_xml_and_text_bodies_and_a_given_content_type(client):
    add(client, match={"path": "/groups"}, response={"body": "<response><code>7</code></response>"})
    add(client, match={"path": "/departments"}, response={"body": "plain", "contentType": "text/csv"})
    assert client.get("/groups", headers=ISPRING).headers["Content-Type"] == "text/xml; charset=utf-8"
    response = client.get("/departments", headers=ISPRING)
    assert (response.headers["Content-Type"], response.get_data()) == ("text/csv", b"plain")


def test_query_and_body_matches(client):
    add(client, match={"path": COURSES, "query": {"page": "2"}}, response={"status": 299})
    add(client, match={"path": "/oauth/token", "body": {"clientID": "stubbed"}}, response={"status": 298})
    add(client, match={"path": "/api/v3/token", "body": "client_id=stubbed"}, response={"status": 297})
    assert client.get(COURSES, query_string={"page": 2, "pageSize": 2}, headers=TOKEN).status_code == 299
    assert client.get(COURSES, query_string={"page": 1, "pageSize": 2}, headers=TOKEN).status_code == 200
    assert client.post("/oauth/token", json={"clientID": "stubbed", "x": {"y": 1}}).status_code == 298
    assert client.post("/oauth/token", json={"clientID": "other"}).status_code == 400
    assert client.post("/api/v3/token", data={"client_id": "stubbed"}).status_code == 297
    assert client.post("/api/v3/token", data={"client_id": "other"}).status_code != 297


def test_nested_json_subset(client):
    add(client, match={"path": "/oauth/token", "body": {"a": {"b": 1}}}, response={"status": 299})
    assert client.post("/oauth/token", json={"a": {"b": 1, "c": 2}, "d": 3}).status_code == 299
    assert client.post("/oauth/token", json={"a": {"b": 2}}).status_code != 299
    assert client.post("/oauth/token", data="not json").status_code != 299


def test_newest_first_unless_a_priority_says(client):
    add(client, match={"path": "/groups"}, response={"status": 201})
    add(client, match={"path": "/groups"}, response={"status": 202})
    assert client.get("/groups", headers=ISPRING).status_code == 202
    add(client, match={"path": "/groups"}, response={"status": 203}, priority=1)
    add(client, match={"path": "/groups"}, response={"status": 204})
    assert client.get("/groups", headers=ISPRING).status_code == 203
    assert [s["response"]["status"] for s in client.get("/__admin/stubs").get_json()["stubs"]] == \
        [203, 204, 202, 201]


def test_the_journal_shows_it_stubbed(client):
    add(client, match={"path": "/groups"}, response={"status": 200, "body": "[]"})
    client.get("/groups", headers=ISPRING)
    entry = client.get("/__admin/requests").get_json()["requests"][0]
    assert (entry["operation"], entry["stubbed"], entry["status"]) == ("ispring.ListGroups", True, 200)


def test_delete_one_and_all_and_reset_keeps_them(client):
    first = add(client, match={"path": "/groups"}, response={"status": 299})
    second = add(client, match={"path": "/departments"}, response={"status": 298})
    client.post("/__admin/reset")
    assert client.get("/groups", headers=ISPRING).status_code == 299
    assert conforms(client.delete(f"/__admin/stubs/{first['id']}"), DeletedSchema) == {"deleted": 1}
    assert client.get("/groups", headers=ISPRING).status_code == 200
    assert client.delete(f"/__admin/stubs/{first['id']}").status_code == 404
    assert conforms(client.delete("/__admin/stubs"), DeletedSchema) == {"deleted": 1}
    assert client.get("/departments", headers=ISPRING).status_code == 200
    assert second["id"] == 2


@pytest.mark.parametrize("stub, names", [
    ({"response": {}}, "`match`"),
    ({"match": {}, "response": {}}, "`match`"),
    ({"match": {"path": "/x"}}, "`response`"),
    ({"match": {"path": "/x"}, "response": {"status": 99}}, "`response.status`"),
    ({"match": {"path": "/x"}, "response": {"headers": {"a": 1}}}, "`response.headers`"),
    ({"match": {"query": {"a": 1}}, "response": {}}, "`match.query`"),
    ({"match": {"vendor": "moodle"}, "response": {}}, "`match.vendor`"),
    ({"match": {"path": "/x"}, "response": {}, "priority": 0}, "`priority`"),
    ({"match": {"path": "/x"}, "response": {}, "when": 1}, "unknown field(s) when"),
])
def test_a_bad_stub_is_a_400_naming_the_field(client, stub, names):
    response = client.post("/__admin/stubs", json=stub)
    assert response.status_code == 400
    body = response.get_json()
    assert list(body) == ["errorCode", "message", "detail"] and names in body["detail"]
