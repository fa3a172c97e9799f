"""The mock clock (GET and POST /__admin/clock) and another seed (POST /__admin/seed), on every worker: what follows
the clock (tokens expire, online due dates pass, scheduled iSpring deactivations take effect) and what does not (a
reset). Oracles: README "Drive the world"; the token lifetimes of README's Configuration (Ruangkerja 43199 s,
iSpring 1800 s); the seeded John Doe (EMPLY001) of the docs, in every world.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from mockserver.app import create_app, world_identity
from mockserver.config import Config
from mockserver.context import Runtime
from mockserver.contracts.admin import ClockSchema, SeedSchema
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.apps import SEED, TOKEN, conforms
from .helpers.ispring_wire import CLIENT_FORM, LEGACY_HEADERS

CREDENTIALS = {"clientID": "example", "clientSecret": "example_secret", "grantType": "client_credentials"}
DASHBOARD = "/ruangkerja/dashboard"


def clock(client, status=200, **body):
    response = client.post("/__admin/clock", json=body) if body else client.get("/__admin/clock")
    if status != 200:
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()
    return conforms(response, ClockSchema)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_real_time_by_default(client):
    body = clock(client)
    assert list(body) == ["now", "real", "frozen", "offsetSeconds"]
    assert (body["real"], body["frozen"], body["offsetSeconds"]) == (True, False, 0)
    assert body["now"].endswith("Z") and abs(moment(body["now"]) - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_set_runs_on_freeze_stands_still_advance_adds_and_real_returns(client, other):
    running = clock(client, set="2030-01-01T09:00:00+07:00")
    assert (running["real"], running["frozen"]) == (False, False)
    assert abs(moment(running["now"]) - datetime(2030, 1, 1, 2, tzinfo=timezone.utc)) < timedelta(seconds=5)
    assert running["offsetSeconds"] > 0
    frozen = clock(client, set="2030-01-01T00:00:00Z", freeze=True)
    assert (frozen["now"], frozen["frozen"]) == ("2030-01-01T00:00:00Z", True)
    for step, expected in [("1d2h", "2030-01-02T02:00:00Z"), (90, "2030-01-02T02:01:30Z"),
                           ("-30m", "2030-01-02T01:31:30Z"), ("1w", "2030-01-09T01:31:30Z"),
                           (0.5, "2030-01-09T01:31:30.500000Z")]:
        assert clock(client, advance=step)["now"] == expected  # a frozen clock moves, and stays frozen
    assert clock(other)["now"] == "2030-01-09T01:31:30.500000Z"  # the other worker, at its next request
    assert clock(other, advance="1h")["now"] == "2030-01-09T02:31:30.500000Z"  # advances add up across workers
    assert clock(client)["now"] == "2030-01-09T02:31:30.500000Z"
    unfrozen = clock(client, advance="0s", freeze=False)
    assert unfrozen["frozen"] is False and moment(unfrozen["now"]) >= datetime(2030, 1, 9, 2, 31, tzinfo=timezone.utc)
    back = clock(other, real=True)
    assert (back["real"], back["offsetSeconds"]) == (True, 0)
    assert clock(client)["real"] is True


def test_a_reset_leaves_the_clock(client):
    clock(client, set="2031-05-05T05:05:05Z", freeze=True)
    assert client.post("/__admin/reset").status_code == 200
    assert clock(client)["now"] == "2031-05-05T05:05:05Z"


@pytest.mark.parametrize("body, words", [
    ({}, ["exactly one of set, advance or real"]),
    ({"set": "2030-01-01T00:00:00Z", "advance": "1d"}, ["exactly one"]),
    ({"set": "tomorrow"}, ["set", "ISO 8601"]),
    ({"set": 5}, ["set", "expected string"]),
    ({"advance": "3x"}, ["advance", "3d, 2h, 90s"]),
    ({"advance": True}, ["advance"]),
    ({"advance": "9999999d"}, ["year 9999"]),
    ({"real": False}, ["real", "only true"]),
    ({"real": True, "freeze": True}, ["freeze"]),
    ({"advance": "1d", "tick": 1}, ["tick", "unexpected field"]),
])
def test_a_wrong_clock_body_is_a_400_and_moves_nothing(app, client, body, words):
    head = app.extensions["mockserver"].state.head()
    answer = clock(client, 400, **body) if body else client.post("/__admin/clock", json={}).get_json()
    assert list(answer) == ["errorCode", "message", "detail"] and answer["errorCode"] == 400
    for word in words:
        assert word in answer["detail"], answer["detail"]
    assert app.extensions["mockserver"].state.head() == head and clock(client)["real"] is True


def test_tokens_expire_by_the_clock(client, other):
    rk = client.post("/oauth/token", json=CREDENTIALS).get_json()["data"]["accessToken"]
    isp = client.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]
    users = f"{DASHBOARD}/users/EMPLY001/activity-summary"
    assert other.get(users, headers={"Authorization": rk}).status_code == 200
    assert other.get("/user", headers={"Authorization": f"Bearer {isp}"}).status_code == 200
    clock(client, advance=1800 + 5)  # past iSpring's lifetime (1800 s), within Ruangkerja's (43199 s)
    assert other.get("/user", headers={"Authorization": f"Bearer {isp}"}).status_code == 401
    assert other.get(users, headers={"Authorization": rk}).status_code == 200
    clock(client, advance="12h")
    assert other.get(users, headers={"Authorization": rk}).status_code == 403
    assert other.get(users, headers=TOKEN).status_code == 200  # a static token never expires
    clock(client, real=True)
    assert other.get(users, headers={"Authorization": rk}).status_code == 200  # real time again: valid again


def test_an_online_due_date_passes_by_the_clock(app, client, other):
    w = app.extensions["mockserver"].world
    course = next(c for c in w.courses if c.category == "Online")
    taken = {o.employee_id for o in w.online_assignments_by_course[course.serial]}
    person = next(p for p in w.people if p.employee_id not in taken)
    response = client.post(f"/ruangkerja/courses/online/{course.serial}/assignment", headers=TOKEN, json={
        "employeeIDs": [person.employee_id], "isMandatory": True, "dueDate": "2030-01-31T17:00:00Z",
        "formSetting": []})
    assert response.status_code == 200, response.get_data(as_text=True)

    def status(c):
        data = c.get(f"{DASHBOARD}/courses/{course.serial}/online/users?page=1&pageSize=100",
                     headers=TOKEN).get_json()["data"]
        rows = data if isinstance(data, list) else data["items"]
        return next(r["status"] for r in rows if r["user"]["employeeID"] == person.employee_id)

    def expired_count(c):
        return c.get(f"{DASHBOARD}/users/{person.employee_id}/activity-summary",
                     headers=TOKEN).get_json()["data"]["numberOfCoursesExpired"]

    clock(client, set="2030-01-31T16:59:59Z", freeze=True)
    assert status(other) == "not_started" and expired_count(other) == 0
    clock(client, advance=2)
    assert status(other) == "expired" and expired_count(other) == 1
    clock(client, real=True)  # the clock back: the due date is ahead again
    assert status(other) == "not_started"


def test_a_scheduled_deactivation_and_termination_take_effect_on_their_day(app, client, other):
    w = app.extensions["mockserver"].world
    active = [u.user_id for u in w.learners if u.status == 1][:2]
    clock(client, set="2030-03-01T12:00:00Z", freeze=True)
    for uid, what, day in [(active[0], "scheduled_deactivation", "2030-03-02"),
                           (active[1], "scheduled_termination", "2030-03-05")]:
        response = client.post(f"/user/{uid}/{what}", data=f"<request><date>{day}</date></request>",
                               headers={**LEGACY_HEADERS, "Content-Type": "application/xml"})
        assert response.status_code == 200, response.get_data(as_text=True)

    def status(uid):
        return other.get(f"/user/{uid}", headers={**LEGACY_HEADERS, "Accept": "application/json"}).get_json()["response"]["status"]

    assert (status(active[0]), status(active[1])) == (1, 1)
    clock(client, advance="1d")  # 2030-03-02: the deactivation's day
    assert (status(active[0]), status(active[1])) == (3, 1)
    clock(client, advance="3d")  # 2030-03-05: the termination's day
    assert (status(active[0]), status(active[1])) == (3, 5)


# --- another seed -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_json():
    """A small world: another seed regenerates it on every worker, so a small one keeps these tests fast."""
    return World.build(SEED, 30, 6).to_json()


def test_another_seed_on_every_worker_and_a_reset_keeps_it(app, second_app, small_json, tmp_path):
    for one in (app, second_app):  # two workers of the small world on one state file
        one.extensions["mockserver"] = Runtime(Config(check_contracts=True), World.from_json(small_json),
                                               SharedState(str(tmp_path / "small.sqlite3")))
    client, other = app.test_client(), second_app.test_client()
    w = app.extensions["mockserver"].world
    before = [p.serial for p in w.people]
    head = app.extensions["mockserver"].state.head()
    answer = conforms(client.post("/__admin/seed", json={"seed": 7}), SeedSchema)
    assert answer == {"status": "ok", "seed": 7, "seq": head + 1}
    assert [p.serial for p in w.people] != before and len(w.people) == 30  # the world's sizes stay
    assert w.person_by_employee_id["EMPLY001"].name == "John Doe"  # the docs' people are in every world
    assert other.get("/__admin/health").get_json()["seed"] == 7
    assert [p.serial for p in other.application.extensions["mockserver"].world.people] == [p.serial for p in w.people]
    client.post("/__admin/reset")
    assert other.get("/__admin/health").get_json()["seed"] == 7  # reset: the pristine world of the new seed


def test_a_restart_on_the_state_file_after_another_seed_serves_that_seed(second_app, small_json, tmp_path):
    """The state file still belongs to the world the server was started with; its log says it was seeded again."""
    def start():
        world = World.from_json(small_json)
        state = SharedState(str(tmp_path / "kept.sqlite3"), belongs_to=world_identity(world))
        second_app.extensions["mockserver"] = Runtime(Config(check_contracts=True), world, state)
        return second_app.test_client()

    assert start().post("/__admin/seed", json={"seed": 7}).status_code == 200
    assert start().get("/__admin/health").get_json()["seed"] == 7


@pytest.mark.parametrize("body, words", [({}, ["seed", "required"]), ({"seed": "7"}, ["seed", "integer"]),
                                         ({"seed": -1}, ["seed", "0 to"])])
def test_a_wrong_seed_is_a_400(client, body, words):
    answer = client.post("/__admin/seed", json=body)
    assert answer.status_code == 400
    for word in words:
        assert word in answer.get_json()["detail"]


# --- --fixtures is watched --------------------------------------------------------------------------------------------


@pytest.fixture
def fixtures_file(small_json, tmp_path):
    path = tmp_path / "world.json"
    path.write_text(json.dumps(small_json), encoding="utf-8")
    return path


def test_an_edit_of_the_fixtures_reloads_every_worker(fixtures_file, tmp_path, caplog):
    def worker():
        config = Config(fixtures=str(fixtures_file), check_contracts=True)
        return create_app(config, state=SharedState(str(tmp_path / "state.sqlite3"))).test_client()

    a, b = worker(), worker()
    assert a.get("/__admin/health").status_code == 200 and b.get("/__admin/health").status_code == 200
    head = a.application.extensions["mockserver"].state.head()
    assert head == 0  # the file as the workers loaded it: nothing to record
    refused = a.post("/__admin/seed", json={"seed": 7})
    assert refused.status_code == 400 and "--fixtures" in refused.get_json()["detail"]

    a.post("/oauth/token", json=CREDENTIALS)  # a write before the reload...
    edited = json.loads(fixtures_file.read_text())
    edited["people"][0]["first_name"] = "Johnny"
    fixtures_file.write_text(json.dumps(edited))
    os.utime(fixtures_file, ns=(1, 1))  # a stamp of its own, whatever the file system's time resolution
    summary = f"{DASHBOARD}/users/EMPLY001/activity-summary"
    assert b.get(summary, headers=TOKEN).get_json()["data"]["user"]["name"] == "Johnny Doe"
    assert a.get(summary, headers=TOKEN).get_json()["data"]["user"]["name"] == "Johnny Doe"
    assert a.application.extensions["mockserver"].state.head() == head + 1  # one event, recorded once

    caplog.clear()
    fixtures_file.write_text("{not json")
    os.utime(fixtures_file, ns=(2, 2))
    assert a.get(summary, headers=TOKEN).get_json()["data"]["user"]["name"] == "Johnny Doe"  # the old world stays
    lines = [r.getMessage() for r in caplog.records if "--fixtures" in r.getMessage()]
    assert len(lines) == 1 and "not JSON" in lines[0] and "the world stays as it was" in lines[0]
    a.get(summary, headers=TOKEN)
    assert len([r for r in caplog.records if "--fixtures" in r.getMessage()]) == 1  # one line per bad edit
