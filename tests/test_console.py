"""The QA console without a browser: its pages render as shells of the admin rows, its reads answer from the world,
a vendor call's journal entry opens with its answer and the world events it caused; the console is 404 with
`--admin off`, and with a token it asks for it while its data stays token-protected. (The browser: test_console_browser.py.)"""

from __future__ import annotations

import dataclasses
import json

import pytest

from .helpers.ruangkerja_docs import USERS

ISPRING = {"Authorization": "Bearer p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE", "Accept": "application/json"}
PAGES = {"/__admin/": "Calls", "/__admin/console/world": "World", "/__admin/console/steer": "Steer",
         "/__admin/console/status": "Status"}


@pytest.fixture
def configured(app):
    """`app` under other settings (same world and state): the access checks read them at each request."""
    original = app.extensions["mockserver"]

    def configure(**settings):
        app.extensions["mockserver"] = dataclasses.replace(original, config=original.config.replace(**settings))
        return app.test_client()

    yield configure
    app.extensions["mockserver"] = original


def test_pages_are_shells_of_the_admin_rows(client):
    for path, title in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert f"<title>{title} · LMS mockserver console</title>" in html
        assert '<script src="/__admin/console/static/console.js"></script>' in html
        assert 'data-needs-token="no"' in html and '<form id="login" class="panel" hidden>' in html
        assert "http://" not in html and "https://" not in html  # nothing from elsewhere
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    script = client.get("/__admin/console/static/console.js").get_data(as_text=True)
    for route in ("/__admin/requests", "/__admin/world/", "/__admin/faults", "/__admin/stubs", "/__admin/activity",
                  "/__admin/clock", "/__admin/reset", "/__admin/seed", "/__admin/status"):
        assert route in script
    assert client.get("/__admin/console/static/console.css").status_code == 200
    assert client.get("/__admin/console/nope").get_json()["errorCode"] == 404


def test_world_views_search_both_faces(app, client):
    w = app.extensions["mockserver"].world
    person = w.people[0]
    learner = w.learner_by_id[person.user_id]
    found = client.get(f"/__admin/world/people?q={person.email.upper()}").get_json()
    [row] = [r for r in found["rows"] if r["employeeId"] == person.employee_id]
    assert (row["userId"], row["login"], row["email"]) == (learner.user_id, learner.login, person.email)
    assert row["enrollments"] == sum(e.learner_id == learner.user_id for e in w.enrollments.values())
    mine = client.get(f"/__admin/world/enrollments?q={learner.user_id}&limit=1000").get_json()
    assert mine["total"] == row["enrollments"] and {r["vendor"] for r in mine["rows"]} == {"ispring"}
    batch = w.batches[0]
    [course] = client.get(f"/__admin/world/courses?q={batch.serial}").get_json()["rows"]
    assert course["serial"] == batch.course_serial and batch.serial in [b["serial"] for b in course["batches"]]
    page = client.get("/__admin/world/content?limit=2").get_json()
    assert page["total"] == len(w.content_items) and len(page["rows"]) == 2
    assert client.get("/__admin/world/people?limit=0").status_code == 400


def test_a_call_opens_with_its_answer_and_the_events_it_caused(app, client):
    w = app.extensions["mockserver"].world
    e = next(iter(w.enrollments.values()))
    assert client.get(f"/enrollment/{e.enrollment_id}", headers=ISPRING).status_code == 200
    doc = next(d for d in USERS if d.operation == "create_user")
    written = client.post("/ruangkerja/users", headers={"Authorization": "access_token"}, json={
        **json.loads(doc.body), "employeeID": "EMPLY9002", "email": "console.probe@example.com",
        "password": "Hunter2-secret"})
    assert written.status_code in (200, 201), written.get_data(as_text=True)
    write, read = client.get("/__admin/requests?limit=2").get_json()["requests"]
    detail = client.get(f"/__admin/requests/{read['id']}").get_json()
    assert detail["answer"]["status"] == 200 and detail["answer"]["contentType"] == "application/json"
    assert f'\n  "enrollmentId": "{e.enrollment_id}",\n' in detail["answer"]["body"]  # pretty-printed
    assert detail["events"] == [] and detail["headers"]["Authorization"] == "Bearer ***"
    detail = client.get(f"/__admin/requests/{write['id']}").get_json()
    assert detail["answer"]["status"] == written.status_code and '"password": "***"' in detail["body"]
    [event] = detail["events"]
    assert (event["seq"], event["kind"]) == (w.seq, "ruangkerja.users_written")
    assert [p["employee_id"] for p in event["payload"]["people"]] == ["EMPLY9002"]
    assert client.get("/__admin/requests/999999").status_code == 404


def test_status_counts_the_world(app, client):
    w = app.extensions["mockserver"].world
    status = client.get("/__admin/status").get_json()
    assert (status["seed"], status["counts"]["people"], status["counts"]["enrollments"]) == \
        (w.seed, len(w.people), len(w.enrollments))
    assert status["links"] == {"openapi": "/__admin/openapi.json", "wsdl": "/api/v2/soap/2.0?wsdl"}


def test_off_it_is_gone_and_with_a_token_it_asks_for_it(configured):
    off = configured(admin="off")
    for path in PAGES:
        assert off.get(path).status_code == 404
    locked = configured(admin_token="console-token-1")
    html = locked.get("/__admin/").get_data(as_text=True)
    assert 'data-needs-token="yes"' in html and '<form id="login" class="panel">' in html
    assert '<input id="token" name="token" type="password"' in html
    assert locked.get("/__admin/status").status_code == 401
    assert locked.get("/__admin/status", headers={"Authorization": "Bearer console-token-1"}).status_code == 200


def test_a_page_of_the_mock_itself_may_write_off_loopback(configured):
    """Bound to 0.0.0.0 with no CORS origins, the console's own fetch (same origin) still writes; another may not."""
    qa = configured(host="0.0.0.0", cors_origins=())
    own = qa.post("/__admin/faults", json={"kind": "status", "status": 503}, headers={"Origin": "http://localhost"},
                  base_url="http://localhost")
    assert own.status_code == 201, own.get_data(as_text=True)
    assert qa.delete("/__admin/faults", headers={"Origin": "http://evil.example"}).status_code == 403


@pytest.mark.parametrize("path, status", [("/__admin/world/people?limit=%C2%B2", 400),
                                          ("/__admin/world/people?limit=" + "9" * 5000, 200),
                                          ("/__admin/requests/%C2%B2", 404),
                                          ("/__admin/requests/" + "9" * 30, 404)])
def test_numbers_no_integer_holds_are_answered_not_500(client, path, status):
    """int("²") fails, and SQLite's integers end at 2**63 (the fuzzer found the journal's twin of these)."""
    response = client.get(path)
    assert response.status_code == status and list(response.get_json())[0] in ("total", "errorCode"), response.data
