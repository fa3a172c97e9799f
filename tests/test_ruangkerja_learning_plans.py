"""The learning-plan routes: the doc examples replayed (only the host changed), and every counter and average equal to
what the world's rows give by the rule README states (counted here from the rows, not by the mock's own functions)."""

import math

import pytest

from mockserver.contracts.ruangkerja import (
    ErrorSchema,
    LearningPlanCourseListResponseSchema,
    LearningPlanListResponseSchema,
    LearningPlanUserListResponseSchema,
    UserLearningPlanListResponseSchema,
)

from .helpers.apps import TOKEN, conforms

DASHBOARD = "/ruangkerja/dashboard"
PLAN_KEYS = ["serial", "name", "description", "createdAt", "updatedAt", "avgPostTest", "avgPreTest",
             "numberOfCompleted", "numberOfCourses", "numberOfExpired", "numberOfFailed", "numberOfInProgress",
             "numberOfNotStarted", "numberOfParticipants"]
COURSE_KEYS = ["course", "deadline", "avgPostTest", "avgPreTest", "numberOfCompleted", "numberOfExpired",
               "numberOfFailed", "numberOfInProgress", "numberOfNotStarted", "numberOfParticipants"]
JOHN_DOE = {"serial": "JOHNILXV3QAJJEL3", "name": "John Doe", "employeeID": "EMPLY001"}
JOHN_SMITH = {"serial": "JOHNIASD318JJEL5", "name": "John Smith", "employeeID": "EMPLY005"}


# --- the rule, as README's compatibility notes state it -----------------------------------------------------------


def plan_status(statuses):
    """COMPLETED when every course is completed, else FAILED, else EXPIRED, else NOT STARTED, else IN PROGRESS."""
    if statuses and set(statuses) == {"completed"}:
        return "COMPLETED"
    for status in ("failed", "expired"):
        if status in statuses:
            return status.upper()
    return "NOT STARTED" if set(statuses) <= {"not_started"} else "IN PROGRESS"


def average(scores):
    scores = [s for s in scores if s is not None]
    return sum(scores) / len(scores) if scores else None


def progress(world, employee_id, plan):
    """The participant's online assignment to each course of the plan, read off the world's rows."""
    rows = {(o.employee_id, o.course_serial): o for o in world.online_assignments}
    return [rows.get((employee_id, c.course_serial)) for c in plan.courses]


def walk(client, path, size=3):
    """Every item of a paginated list, page by page; each page's totals agree with the walk."""
    first = client.get(f"{path}?page=1&pageSize={size}", headers=TOKEN).get_json()["data"]
    items = []
    for number in range(1, first["totalPage"] + 2):
        data = client.get(f"{path}?page={number}&pageSize={size}", headers=TOKEN).get_json()["data"]
        assert (data["currentPage"], data["totalItems"], data["totalPage"]) == \
            (number, first["totalItems"], math.ceil(first["totalItems"] / size))
        items += data["items"]
    assert len(items) == first["totalItems"]  # totalItems is the items over all pages (the one past the end: none)
    return items


@pytest.fixture
def world(app):
    return app.extensions["mockserver"].world


# --- the doc examples ---------------------------------------------------------------------------------------------


def test_learning_plan_doc_example(client):
    body = conforms(client.get(f"{DASHBOARD}/learning-plans?page=1&pageSize=10", headers=TOKEN),
                    LearningPlanListResponseSchema)
    first = body["data"]["items"][0]
    assert list(first) == PLAN_KEYS
    assert {k: first[k] for k in PLAN_KEYS[:5]} == {
        "serial": "LRPN-YFXP3P98", "name": "[Learning Plan] Menjadi Software Engineer Profesional", "description": "",
        "createdAt": "2022-07-22T01:00:00.000Z", "updatedAt": "2022-07-22T01:00:00.000Z"}
    second = body["data"]["items"][1]
    assert (second["serial"], second["name"]) == ("LRPN-AJSLW15D", "[Learning Plan] Menjadi DevOps Profesional")


def test_learning_plan_course_doc_example(client, world):
    body = conforms(client.get(f"{DASHBOARD}/learning-plans/LRPN-YFXP3P98/courses?page=1&pageSize=10",
                               headers=TOKEN), LearningPlanCourseListResponseSchema)
    items = body["data"]["items"]
    assert [list(i) for i in items] == [COURSE_KEYS] * 2
    assert [list(i["course"]) for i in items] == [["name", "serial"]] * 2
    assert [i["deadline"] for i in items] == ["2022-07-19T06:00:00Z"] * 2
    stand_ins = world.courses[3], world.courses[6]  # the world's first online courses stand in for the docs' two
    assert [i["course"] for i in items] == [{"name": c.name, "serial": c.serial} for c in stand_ins]
    assert [(i["numberOfCompleted"], i["numberOfExpired"], i["numberOfParticipants"]) for i in items] == [(1, 1, 2)] * 2


def test_learning_plan_users_doc_example(client):
    body = conforms(client.get(f"{DASHBOARD}/learning-plans/LRPN-YFXP3P98/users?page=1&pageSize=10", headers=TOKEN),
                    LearningPlanUserListResponseSchema)
    assert body["data"]["items"] == [
        {"user": JOHN_DOE, "avgPostTest": 80, "avgPreTest": 100, "numberOfCompleted": 2, "numberOfCourses": 2,
         "status": "COMPLETED"},
        {"user": JOHN_SMITH, "avgPostTest": None, "avgPreTest": None, "numberOfCompleted": 0, "numberOfCourses": 2,
         "status": "EXPIRED"},
    ]


def test_user_learning_plan_doc_example(client):
    body = conforms(client.get(f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/learning-plans?page=1&pageSize=10",
                               headers=TOKEN), UserLearningPlanListResponseSchema)
    assert list(body["data"]) == ["currentPage", "totalItems", "totalPage", "items"]  # a page object, as documented
    assert body["data"]["items"][:2] == [
        {"learningPlan": {"serial": "LRPN-YFXP3P98", "name": "[Learning Plan] Menjadi Software Engineer Profesional"},
         "avgPostTest": 80, "avgPreTest": 100, "numberOfCompleted": 2, "numberOfCourses": 2, "status": "COMPLETED"},
        {"learningPlan": {"serial": "LRPN-AJSLW15D", "name": "[Learning Plan] Menjadi DevOps Profesional"},
         "avgPostTest": 80, "avgPreTest": 100, "numberOfCompleted": 2, "numberOfCourses": 2, "status": "COMPLETED"},
    ]
    by_id = client.get(f"{DASHBOARD}/users/EMPLY001/learning-plans?page=1&pageSize=10", headers=TOKEN)
    assert by_id.get_json() == body


# --- derived numbers are the rows -----------------------------------------------------------------------------


def test_plan_counters_are_the_participants_rows(client, world):
    listed = walk(client, f"{DASHBOARD}/learning-plans")
    assert [i["serial"] for i in listed] == [p.serial for p in world.learning_plans]
    seen = set()
    for plan, item in zip(world.learning_plans, listed):
        statuses = {e: [r.status if r else "not_started" for r in progress(world, e, plan)] for e in plan.employee_ids}
        rows = [r for e in plan.employee_ids for r in progress(world, e, plan) if r]
        counted = [plan_status(s) for s in statuses.values()]
        assert item["numberOfParticipants"] == len(plan.employee_ids)
        assert item["numberOfCourses"] == len(plan.courses)
        assert [item[f"numberOf{k}"] for k in ("Completed", "Expired", "Failed", "InProgress", "NotStarted")] == \
            [counted.count(s) for s in ("COMPLETED", "EXPIRED", "FAILED", "IN PROGRESS", "NOT STARTED")]
        assert item["avgPostTest"] == pytest.approx(average(r.post_test for r in rows))
        assert item["avgPreTest"] == pytest.approx(average(r.pre_test for r in rows))
        seen.update(counted)
    assert {"COMPLETED", "EXPIRED"} <= seen and len(seen) >= 3  # the world's plans are no single case


def test_plan_course_counters_are_each_course_rows(client, world):
    for plan in world.learning_plans:
        items = walk(client, f"{DASHBOARD}/learning-plans/{plan.serial}/courses", size=1)
        assert [i["course"]["serial"] for i in items] == [c.course_serial for c in plan.courses]
        for n, item in enumerate(items):
            rows = [progress(world, e, plan)[n] for e in plan.employee_ids]
            statuses = [r.status if r else "not_started" for r in rows]
            assert item["numberOfParticipants"] == len(plan.employee_ids) == sum(
                item[f"numberOf{k}"] for k in ("Completed", "Expired", "Failed", "InProgress", "NotStarted"))
            assert (item["numberOfCompleted"], item["numberOfExpired"], item["numberOfFailed"],
                    item["numberOfInProgress"], item["numberOfNotStarted"]) == tuple(
                statuses.count(s) for s in ("completed", "expired", "failed", "in_progress", "not_started"))
            assert item["avgPostTest"] == pytest.approx(average(r.post_test for r in rows if r))
            assert item["avgPreTest"] == pytest.approx(average(r.pre_test for r in rows if r))
            assert item["deadline"] == plan.courses[n].deadline


def test_plan_users_and_each_users_plans_agree_with_the_rows(client, world):
    for plan in world.learning_plans:
        users = walk(client, f"{DASHBOARD}/learning-plans/{plan.serial}/users", size=2)
        assert [u["user"]["employeeID"] for u in users] == plan.employee_ids
        for user in users:
            rows = progress(world, user["user"]["employeeID"], plan)
            statuses = [r.status if r else "not_started" for r in rows]
            assert user["numberOfCompleted"] == statuses.count("completed")
            assert user["numberOfCourses"] == len(plan.courses)
            assert user["status"] == plan_status(statuses)
            assert user["avgPostTest"] == pytest.approx(average(r.post_test for r in rows if r))
            mine = walk(client, f"{DASHBOARD}/users/{user['user']['employeeID']}/learning-plans", size=2)
            (same,) = [m for m in mine if m["learningPlan"]["serial"] == plan.serial]
            assert {k: v for k, v in same.items() if k != "learningPlan"} == \
                {k: v for k, v in user.items() if k != "user"}
    member_of = {e for p in world.learning_plans for e in p.employee_ids}
    outsider = next(p for p in world.people if p.employee_id not in member_of)
    assert walk(client, f"{DASHBOARD}/users/{outsider.employee_id}/learning-plans") == []


def test_plan_counters_agree_with_the_course_online_users_page(client, world):
    """A participant's progress is the row the course's own online users page shows."""
    plan = world.learning_plan_by_serial["LRPN-YFXP3P98"]
    course = plan.courses[0].course_serial
    online = client.get(f"{DASHBOARD}/courses/{course}/online/users?page=1&pageSize=100", headers=TOKEN).get_json()
    shown = {i["user"]["employeeID"]: i["status"] for i in online["data"]["items"]}
    item = client.get(f"{DASHBOARD}/learning-plans/{plan.serial}/courses?page=1&pageSize=1",
                      headers=TOKEN).get_json()["data"]["items"][0]
    statuses = [shown[e] for e in plan.employee_ids]
    assert (item["numberOfCompleted"], item["numberOfExpired"]) == (statuses.count("completed"),
                                                                   statuses.count("expired"))


def test_name_filter(client, world):
    body = conforms(client.get(f"{DASHBOARD}/learning-plans?page=1&pageSize=100&name=DEVOPS", headers=TOKEN),
                    LearningPlanListResponseSchema)
    expected = [p.serial for p in world.learning_plans if "devops" in p.name.lower()]
    assert expected and [i["serial"] for i in body["data"]["items"]] == expected
    assert body["data"]["totalItems"] == len(expected)
    nothing = client.get(f"{DASHBOARD}/learning-plans?page=1&pageSize=5&name=zzzz", headers=TOKEN).get_json()
    assert nothing["data"] == {"currentPage": 1, "totalItems": 0, "totalPage": 0, "items": []}


@pytest.mark.parametrize("path, detail", [
    ("learning-plans/LRPN-NOPE/courses", "learning plan LRPN-NOPE not found"),
    ("learning-plans/LRPN-NOPE/users", "learning plan LRPN-NOPE not found"),
    ("users/EMPLY999999/learning-plans", "employee EMPLY999999 not found"),
])
def test_unknown_plans_and_employees_are_404(client, path, detail):
    body = conforms(client.get(f"{DASHBOARD}/{path}?page=1&pageSize=10", headers=TOKEN), ErrorSchema, 404)
    assert body["detail"] == f"rpc error: code = NotFound desc = {detail}"


@pytest.mark.parametrize("path", ["learning-plans", "learning-plans/LRPN-YFXP3P98/courses",
                                  "learning-plans/LRPN-YFXP3P98/users", "users/EMPLY001/learning-plans"])
def test_paging_is_required(client, path):
    body = conforms(client.get(f"{DASHBOARD}/{path}?page=1&pageSize=101", headers=TOKEN), ErrorSchema, 400)
    assert body == {"errorCode": 400, "message": "BAD_REQUEST", "detail": "pageSize must be at most 100, got 101"}
    assert client.get(f"{DASHBOARD}/{path}?page=1&pageSize=1").status_code == 403


@pytest.mark.parametrize("smith, status", [
    (["failed", "expired"], "FAILED"),  # a failed course outweighs an expired one
    (["completed", "not_started"], "IN PROGRESS"),
    (["not_started", "expired"], "EXPIRED"),
    (["not_started", "not_started"], "NOT STARTED"),
])
def test_a_participants_status_follows_their_courses(world_json, tmp_path, smith, status):
    """A world file (`serve --fixtures`) where John Smith's progress in LRPN-YFXP3P98 is other than the docs'."""
    import copy

    from .helpers.apps import make_app

    edited = copy.deepcopy(world_json)
    plan = next(p for p in edited["learning_plans"] if p["serial"] == "LRPN-YFXP3P98")
    courses = [c["course_serial"] for c in plan["courses"]]
    rows = {(o["employee_id"], o["course_serial"]): o for o in edited["online_assignments"]}
    for new, course in zip(smith, courses):
        row = rows[("EMPLY005", course)]
        row.update(status=new, completed_at="2022-07-22" if new == "completed" else "",
                   post_test=40 if new == "failed" else row["post_test"])
    client = make_app(edited, tmp_path).test_client()
    users = client.get(f"{DASHBOARD}/learning-plans/LRPN-YFXP3P98/users?page=1&pageSize=10", headers=TOKEN)
    assert users.get_json()["data"]["items"][1]["status"] == status
    listed = client.get(f"{DASHBOARD}/learning-plans?page=1&pageSize=1", headers=TOKEN).get_json()["data"]["items"][0]
    counter = {"FAILED": "Failed", "IN PROGRESS": "InProgress", "EXPIRED": "Expired", "NOT STARTED": "NotStarted"}
    assert (listed["numberOfCompleted"], listed[f"numberOf{counter[status]}"]) == (1, 1)
