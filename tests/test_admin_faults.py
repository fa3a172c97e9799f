"""Faults and named scenarios: matched by vendor, operation or path; each kind as a client sees it, in the vendor's
own shape; rate and expiry counted in the shared state; one request's fault by header."""

from __future__ import annotations

import socket
import time

import pytest
from lxml import etree

from mockserver.contracts.admin import DeletedSchema, FaultSchema, FaultsSchema, ScenarioSchema, ScenariosSchema
from mockserver.contracts.ruangkerja import ErrorSchema as RuangkerjaErrorSchema

from .helpers.apps import TOKEN, conforms
from .helpers.ispring_wire import DOC_TOKEN, SOAP_ENV, call, rest_error, soap_fault

COURSES = "/ruangkerja/dashboard/courses?page=1&pageSize=2"
ISPRING = {"Authorization": f"Bearer {DOC_TOKEN}"}
ISPRING_JSON = {**ISPRING, "Accept": "application/json"}


def add(client, **fault) -> dict:
    return conforms(client.post("/__admin/faults", json=fault), FaultSchema, 201)


def ruangkerja_error(response, status: int) -> dict:
    return conforms(response, RuangkerjaErrorSchema, status)


def server_fault(response, status: int) -> tuple[str, str]:
    assert response.status_code == status and response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.get_data())
    (fault,) = root.find(f"{{{SOAP_ENV}}}Body")
    assert fault.tag == f"{{{SOAP_ENV}}}Fault" and [c.tag for c in fault] == ["faultcode", "faultstring"]
    return fault[0].text, fault[1].text


def test_the_fault_is_answered_back_with_its_id_and_counters(client):
    fault = add(client, kind="status", status=503, match={"vendor": "ispring", "path": "/group*"}, rate=0.5,
                times=3, seconds=60)
    assert list(fault) == ["id", "kind", "match", "status", "rate", "times", "seconds", "scenario", "calls", "fired",
                           "active"]
    assert fault == {"id": 1, "kind": "status", "match": {"vendor": "ispring", "path": "/group*"}, "status": 503,
                     "rate": 0.5, "times": 3, "seconds": 60, "scenario": None, "calls": 0, "fired": 0,
                     "active": True}
    assert conforms(client.get("/__admin/faults"), FaultsSchema) == {"faults": [fault]}


def test_status_in_each_vendors_shape(client):
    add(client, kind="status", status=503)
    body = ruangkerja_error(client.get(COURSES, headers=TOKEN), 503)
    assert body == {"errorCode": 503, "message": "SERVICE_UNAVAILABLE", "detail": "Service Unavailable"}
    assert rest_error(client.get("/groups", headers=ISPRING), 503) == "Service Unavailable"
    assert rest_error(client.get("/groups", headers=ISPRING_JSON), 503, json=True) == "Service Unavailable"
    assert server_fault(call(client, "getEnrollments"), 503) == ("server", "Service Unavailable")


def test_429_carries_retry_after(client):
    add(client, kind="status", status=429, match={"vendor": "ruangkerja"})
    response = client.get(COURSES, headers=TOKEN)
    assert ruangkerja_error(response, 429)["message"] == "TOO_MANY_REQUESTS"
    assert response.headers["Retry-After"] == "1"
    add(client, kind="status", status=429, retryAfter=7, match={"vendor": "ispring"})
    assert client.get("/groups", headers=ISPRING).headers["Retry-After"] == "7"


def test_match_by_operation_qualified_or_bare_and_by_path(client):
    add(client, kind="status", status=500, match={"operation": "ListGroups"})
    add(client, kind="status", status=502, match={"operation": "ispring.soap.getEnrollments"})
    add(client, kind="status", status=504, match={"path": "/ruangkerja/dashboard/*"})
    assert client.get("/groups", headers=ISPRING).status_code == 500
    assert client.get("/api/v2/groups", headers=ISPRING).status_code == 500  # a client's base path: the same row
    assert client.get("/departments", headers=ISPRING).status_code == 200
    assert call(client, "getEnrollments").status_code == 502
    assert call(client, "getGroups").status_code == 200
    assert client.get(COURSES, headers=TOKEN).status_code == 504


def test_times_expires_it_and_the_counters_say_so(client):
    fault = add(client, kind="status", status=503, times=2)
    assert [client.get(COURSES, headers=TOKEN).status_code for _ in range(3)] == [503, 503, 200]
    [listed] = conforms(client.get("/__admin/faults"), FaultsSchema)["faults"]
    assert (listed["id"], listed["calls"], listed["fired"], listed["active"]) == (fault["id"], 2, 2, False)


def test_seconds_expires_it(client):
    add(client, kind="status", status=503, seconds=0.2)
    assert client.get(COURSES, headers=TOKEN).status_code == 503
    time.sleep(0.25)
    assert client.get(COURSES, headers=TOKEN).status_code == 200


def test_rate_breaks_that_share_of_calls_the_same_way_each_run(client, app):
    add(client, kind="status", status=503, rate=0.3)
    first = [client.get(COURSES, headers=TOKEN).status_code for _ in range(40)]
    [listed] = conforms(client.get("/__admin/faults"), FaultsSchema)["faults"]
    assert (listed["calls"], listed["fired"]) == (40, first.count(503))
    assert 4 <= first.count(503) <= 20
    client.delete("/__admin/faults")
    add(client, kind="status", status=503, rate=0.3)  # id 2: its own sequence, as deterministic
    again = [client.get(COURSES, headers=TOKEN).status_code for _ in range(40)]
    assert 4 <= again.count(503) <= 20


def test_delay_waits_then_answers_as_usual(client):
    add(client, kind="delay", ms=80)
    started = time.perf_counter()
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    assert time.perf_counter() - started >= 0.08


@pytest.mark.parametrize("fault", [{"minMs": 30, "maxMs": 60}, {"medianMs": 40, "sigma": 0.1}])
def test_random_delay(client, fault):
    add(client, kind="random_delay", **fault)
    started = time.perf_counter()
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    assert time.perf_counter() - started >= 0.025


def test_empty_body(client):
    add(client, kind="empty")
    response = client.get("/groups", headers=ISPRING)
    assert (response.status_code, response.get_data(), response.headers["Content-Length"]) == (200, b"", "0")


def test_truncated_body_promises_more_than_it_sends(client):
    add(client, kind="truncated")
    response = client.get("/groups", headers=ISPRING)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > len(response.get_data()) > 0


def test_dropped_connection(app):
    client = app.test_client()
    add(client, kind="drop", match={"vendor": "ruangkerja"})
    with pytest.raises(ConnectionAbortedError):  # no socket under the test client: the WSGI call fails
        client.get(COURSES, headers=TOKEN)
    ours, theirs = socket.socketpair()
    with ours, theirs:  # under a server: the socket is shut without a byte sent
        client.get(COURSES, headers=TOKEN, environ_base={"gunicorn.socket": ours})
        theirs.settimeout(2)
        assert theirs.recv(100) == b""
    entry = client.get("/__admin/requests?limit=1").get_json()["requests"][0]
    assert (entry["status"], entry["fault"]) == (None, "drop")


def test_soap_fault_on_soap_calls_only(client):
    add(client, kind="soap_fault", faultstring="Temporary failure")
    assert server_fault(call(client, "getEnrollments"), 500) == ("server", "Temporary failure")
    assert client.get("/groups", headers=ISPRING).status_code == 200


def test_the_header_breaks_only_its_request(client):
    response = client.get(COURSES, headers={**TOKEN, "X-Mockserver-Fault": "status=503"})
    assert ruangkerja_error(response, 503)["message"] == "SERVICE_UNAVAILABLE"
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    response = client.get("/groups", headers={**ISPRING, "X-Mockserver-Fault": "status=429, retryAfter=5"})
    assert (response.status_code, response.headers["Retry-After"]) == (429, "5")
    started = time.perf_counter()
    assert client.get(COURSES, headers={**TOKEN, "X-Mockserver-Fault": "delay=50ms"}).status_code == 200
    assert time.perf_counter() - started >= 0.05
    assert conforms(client.get("/__admin/faults"), FaultsSchema) == {"faults": []}
    entry = client.get("/__admin/requests?limit=1").get_json()["requests"][0]
    assert entry["fault"] == "delay"


def test_an_unreadable_header_is_a_400_in_the_vendors_shape(client):
    response = client.get(COURSES, headers={**TOKEN, "X-Mockserver-Fault": "explode"})
    assert ruangkerja_error(response, 400)["detail"].startswith("fault: X-Mockserver-Fault: cannot read 'explode'")


@pytest.mark.parametrize("fault, names", [
    ({"kind": "boom"}, "`kind`"),
    ({"kind": "delay"}, "`ms`"),
    ({"kind": "delay", "ms": -1}, "`ms`"),
    ({"kind": "status", "status": 200}, "`status`"),
    ({"kind": "status", "status": 503, "rate": 2}, "`rate`"),
    ({"kind": "status", "status": 503, "times": 0}, "`times`"),
    ({"kind": "random_delay", "minMs": 5}, "`minMs` and `maxMs`"),
    ({"kind": "drop", "ms": 5}, "`ms`"),
    ({"kind": "drop", "match": {"vendor": "moodle"}}, "`match.vendor`"),
    ({"kind": "drop", "match": {"host": "x"}}, "unknown field(s) host"),
])
def test_a_bad_fault_is_a_400_naming_the_field(client, fault, names):
    response = client.post("/__admin/faults", json=fault)
    assert response.status_code == 400
    body = response.get_json()
    assert list(body) == ["errorCode", "message", "detail"] and names in body["detail"]


def test_delete_one_and_all(client):
    first, second = add(client, kind="empty"), add(client, kind="drop")
    assert conforms(client.delete(f"/__admin/faults/{first['id']}"), DeletedSchema) == {"deleted": 1}
    assert [f["id"] for f in client.get("/__admin/faults").get_json()["faults"]] == [second["id"]]
    assert client.delete(f"/__admin/faults/{first['id']}").status_code == 404
    assert client.delete("/__admin/faults/abc").status_code == 404
    assert conforms(client.delete("/__admin/faults"), DeletedSchema) == {"deleted": 1}
    assert client.get("/groups", headers=ISPRING).status_code == 200


def test_reset_keeps_faults(client):
    add(client, kind="status", status=503)
    client.post("/__admin/reset")
    assert client.get(COURSES, headers=TOKEN).status_code == 503


def test_admin_routes_are_never_broken(client):
    add(client, kind="status", status=503)
    assert client.get("/__admin/health").status_code == 200


def test_the_journal_marks_the_fault(client):
    add(client, kind="status", status=503)
    client.get(COURSES, headers=TOKEN)
    entry = client.get("/__admin/requests").get_json()["requests"][0]
    assert (entry["status"], entry["fault"], entry["stubbed"]) == (503, "status", False)


# --- scenarios -------------------------------------------------------------------------------------------------------


def test_scenarios_are_listed_off_by_default(client):
    body = conforms(client.get("/__admin/scenarios"), ScenariosSchema)
    assert [(s["name"], s["active"], s["fault"]) for s in body["scenarios"]] == [
        ("token_expired", False, None), ("rate_limited", False, None), ("maintenance", False, None),
        ("slow_upstream", False, None)]


def test_token_expired_answers_each_vendors_token_error_on_credentialed_calls(client):
    on = conforms(client.post("/__admin/scenarios/token_expired"), ScenarioSchema, 201)
    assert on["active"] is True and isinstance(on["fault"], int)
    assert ruangkerja_error(client.get(COURSES, headers=TOKEN), 403)["errorCode"] == 123
    assert rest_error(client.get("/groups", headers=ISPRING_JSON), 401, json=True)
    soap_fault(call(client, "getEnrollments"), "Authorization failed")
    token = client.post("/oauth/token", json={"clientID": "example", "clientSecret": "example_secret",
                                                      "grantType": "client_credentials"})
    assert token.status_code == 200  # the token call itself needs no token: untouched
    assert conforms(client.delete("/__admin/scenarios/token_expired"), DeletedSchema) == {"deleted": 1}
    assert client.get(COURSES, headers=TOKEN).status_code == 200


def test_maintenance_and_rate_limited_and_switching_on_twice(client):
    client.post("/__admin/scenarios/maintenance", json={"vendor": "ispring"})
    client.post("/__admin/scenarios/maintenance", json={"vendor": "ispring"})  # again: replaced, not doubled
    assert len(client.get("/__admin/faults").get_json()["faults"]) == 1
    assert rest_error(client.get("/groups", headers=ISPRING), 503) == "Service Unavailable"
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    client.post("/__admin/scenarios/rate_limited", json={"vendor": "ruangkerja", "retryAfter": 3})
    response = client.get(COURSES, headers=TOKEN)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "3")
    listed = {s["name"]: s["active"] for s in client.get("/__admin/scenarios").get_json()["scenarios"]}
    assert listed == {"token_expired": False, "rate_limited": True, "maintenance": True, "slow_upstream": False}
    assert client.get("/__admin/faults").get_json()["faults"][0]["scenario"] == "maintenance"


def test_slow_upstream_delays(client):
    client.post("/__admin/scenarios/slow_upstream", json={"ms": 60})
    started = time.perf_counter()
    assert client.get(COURSES, headers=TOKEN).status_code == 200
    assert time.perf_counter() - started >= 0.06


def test_unknown_scenario_is_404(client):
    assert client.post("/__admin/scenarios/meltdown").status_code == 404
    assert client.delete("/__admin/scenarios/meltdown").status_code == 404
    assert client.post("/__admin/scenarios/maintenance", json={"colour": "red"}).status_code == 400


# --- a real server: two workers, real sockets ------------------------------------------------------------------------


@pytest.mark.slow
def test_on_a_real_two_worker_server(real_server):
    """A fault and a stub set through one worker act on the other; truncated and drop as a real client sees them."""
    import requests

    url = real_server.url
    fresh = {"Connection": "close"}  # a new connection each call: gunicorn hands them to either worker
    try:
        made = requests.post(f"{url}/__admin/faults", json={"kind": "status", "status": 503,
                                                             "match": {"path": "/ruangkerja/tags"}})
        stub = requests.post(f"{url}/__admin/stubs", json={"match": {"path": "/groups"},
                                                           "response": {"status": 299}})
        assert (made.status_code, stub.status_code) == (201, 201)
        setter = {"/ruangkerja/tags": made.headers["X-Mockserver-Worker"],
                  "/groups": stub.headers["X-Mockserver-Worker"]}
        for _ in range(30):
            tags = requests.get(f"{url}/ruangkerja/tags?page=1&pageSize=1", headers={**TOKEN, **fresh}, timeout=10)
            groups = requests.get(f"{url}/groups", headers={**ISPRING, **fresh}, timeout=10)
            assert (tags.status_code, groups.status_code) == (503, 299)
            elsewhere = {e["path"] for e in requests.get(f"{url}/__admin/requests?limit=200").json()["requests"]
                         if e["path"] in setter and str(e["worker"]) != setter[e["path"]]}
            if elsewhere == set(setter):
                break
        assert elsewhere == set(setter), "the fault and the stub each acted on the worker that did not set it"

        requests.post(f"{url}/__admin/faults", json={"kind": "truncated", "match": {"path": "/departments"}})
        with pytest.raises(requests.exceptions.ChunkedEncodingError):  # urllib3's IncompleteRead
            requests.get(f"{url}/departments", headers=ISPRING, timeout=10)
        requests.post(f"{url}/__admin/faults", json={"kind": "drop", "match": {"path": "/group"}})
        with pytest.raises(requests.exceptions.ConnectionError):  # RemoteDisconnected: no answer at all
            requests.get(f"{url}/group", headers=ISPRING, timeout=10)
        assert requests.get(f"{url}/__admin/health", timeout=10).status_code == 200  # the workers live on
    finally:
        requests.delete(f"{url}/__admin/faults", timeout=10)
        requests.delete(f"{url}/__admin/stubs", timeout=10)
