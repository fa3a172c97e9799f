"""Ruangkerja's numbers agree after any sequence of writes across two workers: a property test.

Hypothesis draws sequences of user, email, tag and assignment writes (conflicts and unknown names included), each
sent to one of two workers on one state file. After every write both workers answer every read alike, and the
pages agree with each other as the docs define them: a summary counts the user's three activity lists, its status
counters add up to the courses assigned, `overallProgress` is the completed share; a course's online users are the
users whose online activity lists it; `totalItems` is the number of items over all pages; a learning plan's counters
add up to its participants; an e-mail or employee ID belongs to one user only.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.context import Runtime
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.apps import TOKEN, make_app

pytestmark = pytest.mark.slow

EMPLOYEES = ["EMPLY001", "EMPLY002", "EMPLY005", "EMPLY150", "NEW001", "NEW002"]  # two not seeded
EMAILS = ["one@example.com", "two@example.com", "john.doe@ruangkerja-mock.id"]  # John Doe's is taken
TAG_NAMES = ["Intern", "Fulltime", "Bandung"]  # Bandung is seeded
COURSES = ["COURSE-G1CFN7FM", "COURSE-EXAMPLE1", "COURSE-EXAMPLE2"]  # online, webinar, offline
SEEDED_TAGS = ["RUKRTAG-9WHL0JGP", "RUKRTAG-YMX5S8NT", "RUKRTAG-NOPE0000"]  # the last is unknown

people = st.lists(st.sampled_from(EMPLOYEES), min_size=1, max_size=3)
WRITES = st.one_of(
    st.tuples(st.just("create_users"), people),
    st.tuples(st.just("update_user"), st.sampled_from(EMPLOYEES), st.booleans(),
              st.lists(st.sampled_from(SEEDED_TAGS), max_size=2, unique=True)),
    st.tuples(st.just("update_emails"), st.lists(st.tuples(st.sampled_from(EMPLOYEES), st.sampled_from(EMAILS)),
                                                 min_size=1, max_size=3)),
    st.tuples(st.just("create_tags"), st.lists(st.sampled_from(TAG_NAMES), min_size=1, max_size=3)),
    st.tuples(st.just("delete_tags"), st.lists(st.sampled_from(TAG_NAMES), min_size=1, max_size=2)),
    st.tuples(st.just("assign"), st.sampled_from(COURSES), people),
)


@pytest.fixture(scope="module")
def workers(world_json, tmp_path_factory):
    """Two apps, built once; each example puts both on a pristine world and one new state file."""
    base = tmp_path_factory.mktemp("workers")
    apps = [make_app(world_json, base) for _ in range(2)]
    count = iter(range(10**6))

    def fresh():
        path = str(base / f"shared-{next(count)}.sqlite3")
        for app in apps:
            app.extensions["mockserver"] = Runtime(app.extensions["mockserver"].config, World.from_json(world_json),
                                                   SharedState(path))
        return [app.test_client() for app in apps]

    return fresh


def get(client, path: str):
    response = client.get(path, headers=TOKEN)
    return response.status_code, response.get_json()


def pages(client, path: str) -> list[dict]:
    """Every item of a paginated list, page by page, checking its totals against the items."""
    items, page = [], 1
    while True:
        status, body = get(client, f"{path}{'&' if '?' in path else '?'}page={page}&pageSize=100")
        assert status == 200
        data = body["data"]
        items += data["items"]
        if page >= data["totalPage"]:
            assert data["totalItems"] == len(items) and data["totalPage"] == max(1, math.ceil(len(items) / 100)) \
                or data["totalItems"] == len(items) == 0
            return items
        page += 1


def tag_serials(client, names: list[str]) -> list[str]:
    known = {t["name"]: t["serial"] for t in pages(client, "/ruangkerja/tags")}
    return [known.get(name, "RUKRTAG-GONE0000") for name in names]


def write(client, step) -> int:
    kind, *args = step
    if kind == "create_users":
        items = [{"employeeID": e, "name": f"Uji {e}", "email": f"{e.lower()}@example.com", "isActive": True}
                 for e in args[0]]
        response = client.post("/ruangkerja/users/create-bulk", headers=TOKEN, json={"items": items})
    elif kind == "update_user":
        employee, active, tags = args
        response = client.put(f"/ruangkerja/users/{employee}", headers=TOKEN, json={
            "employeeID": employee, "name": f"Ubah {employee}", "isActive": active, "tagSerials": tags})
    elif kind == "update_emails":
        items = [{"employeeID": e, "email": m, "password": None} for e, m in args[0]]
        response = client.post("/ruangkerja/users/update-email-bulk", headers=TOKEN, json={"items": items})
    elif kind == "create_tags":
        response = client.post("/ruangkerja/tags/create-bulk", headers=TOKEN,
                               json={"items": [{"name": n} for n in args[0]]})
    elif kind == "delete_tags":
        response = client.post("/ruangkerja/tags/delete-bulk", headers=TOKEN,
                               json={"serials": tag_serials(client, args[0])})
    else:
        course, employees = args
        response = client.post(f"/ruangkerja/courses/online/{course}/assignment", headers=TOKEN, json={
            "userSerials": [], "employeeIDs": employees, "isMandatory": True, "dueDate": None, "assignedDate": None,
            "maxPostTestAttempts": 0, "formSetting": []})
    return response.status_code


def snapshot(client) -> dict:
    """What the invariants read, in one worker's answers."""
    seen = {"users": pages(client, "/ruangkerja/users"), "tags": pages(client, "/ruangkerja/tags"),
            "plans": pages(client, "/ruangkerja/dashboard/learning-plans"), "people": {}, "courses": {}}
    for employee in EMPLOYEES:
        status, summary = get(client, f"/ruangkerja/dashboard/users/{employee}/activity-summary")
        if status == 404:
            continue
        activity = {kind: get(client, f"/ruangkerja/dashboard/users/{employee}/courses/{kind}?page=1&pageSize=100")[1]
                    ["data"] for kind in ("online", "offline", "webinar")}
        seen["people"][employee] = {"summary": summary["data"], "user": get(client, f"/ruangkerja/users/{employee}")[1]
                                    ["data"], **activity}
    for course in COURSES:
        seen["courses"][course] = pages(client, f"/ruangkerja/dashboard/courses/{course}/online/users")
    return seen


def check(seen: dict) -> None:
    users = seen["users"]
    for key in ("employeeID", "email"):
        values = [u[key] for u in users if u[key]]
        assert len(values) == len(set(values)), f"a {key} held twice"
    tag_names = {t["serial"]: t["name"] for t in seen["tags"]}
    for employee, p in seen["people"].items():
        s = p["summary"]
        assigned = len(p["online"]) + len(p["offline"]) + len(p["webinar"])
        assert s["numberOfCoursesAssigned"] == assigned
        counters = ("Completed", "Expired", "Failed", "InProgress", "NotStarted")
        assert sum(s[f"numberOfCourses{c}"] for c in counters) == assigned
        assert s["overallProgress"] == (math.ceil(100 * s["numberOfCoursesCompleted"] / assigned) if assigned else 0)
        assert s["timeSpent"] == sum(o["timeSpent"] for o in p["online"])
        assert s["user"]["email"] == p["user"]["email"] and s["user"]["name"] == p["user"]["name"]
        assert s["user"]["tags"] == [t["name"] for t in p["user"]["tags"]]
        assert all(tag_names.get(t["serial"]) == t["name"] for t in p["user"]["tags"]), "a deleted tag still shown"
        assert p["user"] in users
        for course, course_users in seen["courses"].items():
            listed = any(u["user"]["employeeID"] == employee for u in course_users)
            assert listed == any(o["course"]["serial"] == course for o in p["online"])
    for plan in seen["plans"]:
        counters = ("Completed", "Expired", "Failed", "InProgress", "NotStarted")
        assert sum(plan[f"numberOf{c}"] for c in counters) == plan["numberOfParticipants"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from([0, 1]), WRITES), min_size=1, max_size=6))
def test_numbers_agree_after_writes_on_two_workers(workers, steps):
    clients = workers()
    for worker, step in steps:
        assert write(clients[worker], step) in (200, 404, 409)
        seen = snapshot(clients[1 - worker])  # the other worker, at its very next read
        assert snapshot(clients[worker]) == seen
        check(seen)
