"""Who may reach the mock (mockserver/access.py, cors.py): CORS for a browser frontend, cross-site writes and the
admin API refused to foreign origins, DNS-rebinding Hosts refused on a loopback bind, the admin switch and token.

Three apps: the `client` fixture's (the defaults: a loopback bind, so CORS `*`, admin on, no token), a QA server
(bound to every interface, one listed frontend, an admin token) and a locked one (every interface, admin off, CORS by
default, which there is none).
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from mockserver import access, admin
from mockserver.cli import main
from mockserver.config import Config
from mockserver.cors import policy
from mockserver.serving import MockServer

from .helpers.apps import TOKEN, make_app
from .helpers.ispring_wire import SMITH_ENROLLMENT, call, envelope, rest_error, soap_fault

EVIL = "https://evil.example"
DEV = "http://localhost:3000"  # a dev frontend on the developer's machine
QA_FRONTEND = "https://qa-frontend.example"
ADMIN_TOKEN = "s3cret-admin"
COURSES = "/ruangkerja/dashboard/courses?page=1&pageSize=1"


@pytest.fixture(scope="module")
def qa(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("qa"), host="0.0.0.0", cors_origins=(QA_FRONTEND,),
                    admin_token=ADMIN_TOKEN).test_client()


@pytest.fixture(scope="module")
def locked(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("locked"), host="0.0.0.0", admin="off").test_client()


def admin_error(response, status: int) -> str:
    """The admin wing's error shape (Ruangkerja's): exactly errorCode, message, detail."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert list(body) == ["errorCode", "message", "detail"] and body["errorCode"] == status
    return body["detail"]


def preflight(client, path: str, origin: str, method: str, headers: str | None = None):
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=asked)


# --- CORS ---

def test_preflight_is_answered_without_credentials(client):
    response = preflight(client, "/enrollment", DEV, "POST", "authorization, content-type")
    assert response.status_code == 204 and response.get_data() == b""
    assert "Content-Type" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == DEV
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, PUT, PATCH, DELETE"
    assert response.headers["Access-Control-Allow-Headers"] == "authorization, content-type"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert {"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} <= set(response.vary)


def test_preflight_naming_no_headers_allows_what_the_vendors_clients_send(client):
    allowed = preflight(client, "/api/v2/soap/2.0", DEV, "POST").headers["Access-Control-Allow-Headers"]
    assert {"Authorization", "Content-Type", "Accept", "SOAPAction", "X-Auth-Email"} <= set(allowed.split(", "))


def test_preflight_of_a_token_protected_admin_route_needs_no_token(qa):
    response = preflight(qa, "/__admin/reset", QA_FRONTEND, "POST", "authorization")
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == QA_FRONTEND


def test_any_origin_may_read_under_star_but_its_preflight_offers_reads_only(client):
    response = preflight(client, COURSES, EVIL, "GET", "authorization")
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    read = client.get(COURSES, headers={**TOKEN, "Origin": EVIL})
    assert read.status_code == 200 and read.headers["Access-Control-Allow-Origin"] == EVIL


def test_a_foreign_origins_preflight_for_a_write_is_refused_in_the_wings_shape(client):
    assert "cross-site" in rest_error(preflight(client, "/enrollment", EVIL, "POST"), 403)
    assert "cross-site" in admin_error(preflight(client, "/__admin/reset", EVIL, "POST"), 403)


@pytest.mark.parametrize("path, status", [
    (COURSES, 200),  # Ruangkerja
    ("/ruangkerja/nope", 404),
    ("/__admin/health", 200),
    ("/user", 401),  # iSpring, no credentials
    ("/nope", 404),
])
def test_an_allowed_origin_is_named_on_every_answer_errors_included(client, path, status):
    response = client.get(path, headers={**(TOKEN if path.startswith("/ruangkerja") else {}), "Origin": DEV})
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == DEV
    assert "Origin" in response.vary
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"].split(", ")


def test_without_origin_no_cors_header_but_caches_told_it_varies(client):
    response = client.get(COURSES, headers=TOKEN)
    assert "Access-Control-Allow-Origin" not in response.headers and "Origin" in response.vary


def test_a_listed_origin_may_read_and_an_unlisted_one_gets_no_cors_header(qa):
    listed = qa.get(COURSES, headers={**TOKEN, "Origin": QA_FRONTEND})
    assert listed.status_code == 200 and listed.headers["Access-Control-Allow-Origin"] == QA_FRONTEND
    unlisted = qa.get(COURSES, headers={**TOKEN, "Origin": EVIL})
    assert unlisted.status_code == 200 and "Access-Control-Allow-Origin" not in unlisted.headers


def test_no_cors_by_default_on_a_non_loopback_bind(locked):
    response = locked.get(COURSES, headers={**TOKEN, "Origin": DEV})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers and "Origin" not in response.vary


@pytest.mark.parametrize("settings, listed, any_origin", [
    ({}, set(), True),  # loopback bind: `*`
    ({"host": "localhost"}, set(), True),
    ({"host": "0.0.0.0"}, set(), False),
    ({"cors_origins": ("off",)}, set(), False),
    ({"host": "0.0.0.0", "cors_origins": ("HTTP://Front.example:80/", "*")}, {"http://front.example"}, True),
])
def test_which_origins_a_setting_allows(settings, listed, any_origin):
    rules = policy(Config(**settings))
    assert (set(rules.listed), rules.any) == (listed, any_origin)


def test_a_malformed_origin_setting_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--cors-origins", "localhost:3000"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: --cors-origins=localhost:3000: must be an origin (http://localhost:3000), `*` or `off`"]


# --- cross-site writes ---

def test_a_foreign_page_cannot_reset_the_mock(client):
    detail = admin_error(client.post("/__admin/reset", headers={"Origin": EVIL, "Content-Type": "text/plain"}), 403)
    assert EVIL in detail and "--cors-origins" in detail


def test_a_foreign_page_cannot_unenroll_through_soap_with_the_docs_token(app, client):
    """The issue's case: a SOAP unenroll sent cross-site as text/plain (no preflight) with the public doc token."""
    response = client.post("/api/v2/soap/2.0", data=envelope("unenroll", enrollmentId=SMITH_ENROLLMENT),
                           headers={"Content-Type": "text/plain", "Origin": EVIL})
    soap_fault(response, "Permission denied", status=403)
    assert SMITH_ENROLLMENT in app.extensions["mockserver"].world.enrollments


def test_a_foreign_page_cannot_write_through_either_vendors_rest(client):
    assert "cross-site" in rest_error(client.post("/enrollment", headers={"Origin": EVIL, "Accept":
                                                                           "application/json"}), 403, json=True)
    body = client.post("/oauth/token", json={"clientID": "example"}, headers={"Origin": EVIL}).get_json()
    assert body["errorCode"] == 403 and "PermissionDenied" in body["message"]


def test_a_foreign_page_cannot_even_read_the_admin_api(client):
    admin_error(client.get("/__admin/health", headers={"Origin": EVIL}), 403)


@pytest.mark.parametrize("origin", [DEV, "http://127.0.0.1:5173", "http://[::1]:8000", "http://app.localhost"])
def test_a_loopback_page_may_write_under_star(client, origin):
    response = client.post("/__admin/reset", headers={"Origin": origin})
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == origin


def test_requests_without_origin_are_unaffected(client):
    assert client.post("/__admin/reset").status_code == 200
    assert call(client, "unenroll", enrollmentId=SMITH_ENROLLMENT).status_code == 200


def test_a_listed_origin_may_write_and_loopback_ones_need_listing_there(qa):
    token = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert qa.post("/__admin/reset", headers={**token, "Origin": QA_FRONTEND}).status_code == 200
    admin_error(qa.post("/__admin/reset", headers={**token, "Origin": DEV}), 403)


# --- DNS rebinding ---

@pytest.mark.parametrize("host", ["localhost", "localhost:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]",
                                  "[::1]:8080", "app.localhost:3000", "LOCALHOST"])
def test_loopback_hosts_are_answered_on_a_loopback_bind(client, host):
    assert client.get("/__admin/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io",
                                  "10.0.0.5:8080"])
def test_other_hosts_are_refused_on_a_loopback_bind_in_each_wings_shape(client, host):
    headers = {"Host": host}
    assert "rebound DNS name" in rest_error(client.get("/user", headers=headers), 403)
    assert "rebound" in client.get(COURSES, headers={**TOKEN, **headers}).get_json()["detail"]
    admin_error(client.get("/__admin/health", headers=headers), 403)
    soap_fault(client.post("/api/v2/soap/2.0", data=b"", headers=headers), "Permission denied", status=403)


def test_any_host_is_answered_on_a_non_loopback_bind(locked):
    assert locked.get(COURSES, headers={**TOKEN, "Host": "mock.qa.example:8080"}).status_code == 200


# --- the admin API's switch and token ---

def admin_routes() -> list[tuple[str, str]]:
    """Every admin row but health, and the OpenAPI document: path parameters filled with a dummy value."""
    rows = [(m, p) for op in admin.OPERATIONS for m, p in op.routes() if p != access.HEALTH]
    return [(m, re.sub(r"\{\w+\}|:\w+", "x", p)) for m, p in rows] + [("GET", "/__admin/openapi.json")]


@pytest.mark.parametrize("method, path", admin_routes())
def test_every_admin_route_but_health_needs_the_token(qa, method, path):
    response = qa.open(path, method=method)
    assert "MOCKSERVER_ADMIN_TOKEN" in admin_error(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="mockserver admin"'
    for wrong in (f"Bearer {ADMIN_TOKEN}x", ADMIN_TOKEN, f"Basic {ADMIN_TOKEN}", "Bearer"):
        admin_error(qa.open(path, method=method, headers={"Authorization": wrong}), 401)


def test_the_admin_token_opens_the_admin_api(qa):
    assert qa.post("/__admin/reset", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200
    assert qa.get("/__admin/openapi.json", headers={"Authorization": f"bearer {ADMIN_TOKEN}"}).status_code == 200
    assert qa.get("/__admin/health").get_json()["status"] == "ok"  # always open: health checks carry no token


@pytest.mark.parametrize("method, path", admin_routes())
def test_admin_off_leaves_only_health(locked, method, path):
    assert "admin API is off" in admin_error(locked.open(path, method=method), 404)


def test_admin_off_still_answers_health_and_the_vendors(locked):
    assert locked.get("/__admin/health").status_code == 200
    assert locked.get(COURSES, headers=TOKEN).status_code == 200


def test_the_console_warns_of_an_open_admin_api_on_a_shared_bind():
    server = MockServer(Config(host="0.0.0.0", employees=10, courses=3))
    try:
        warnings = [line for line in server.banner().splitlines() if "Warning" in line]
    finally:
        server.application.extensions["mockserver"].state.remove()
    assert warnings == ["  Warning      the admin API (/__admin/*: reset, faults, stubs ...) is open to anyone who "
                        "reaches 0.0.0.0: set MOCKSERVER_ADMIN_TOKEN, or --admin off"]
    assert access.describe(Config(host="0.0.0.0", admin_token="t")) == []
    assert access.describe(Config(host="0.0.0.0", admin="off")) == []
    assert access.describe(Config()) == []
