"""A user's online and offline course activity, their activity summary, and User Course Status: the doc examples
replayed (only the host changed), every number equal to what the world's rows give by README's rule (counted here
from the rows), and an online assignment written through the shared log counted everywhere at once."""

import math
from datetime import datetime, timedelta, timezone

import pytest

from mockserver.contracts.ruangkerja import (
    CourseOnlineUsersResponseSchema,
    ErrorSchema,
    UserActivitySummaryResponseSchema,
    UserCourseStatusResponseSchema,
    UserOfflineActivityListResponseSchema,
    UserOfflineActivityPageResponseSchema,
    UserOnlineActivityListResponseSchema,
    UserOnlineActivityPageResponseSchema,
)
from mockserver.world.model import OnlineAssignment
from mockserver.world.store import APPLIERS

from .helpers.apps import TOKEN, conforms, make_app

DASHBOARD = "/ruangkerja/dashboard"
ONLINE = f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/courses/online"
OFFLINE = f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/courses/offline"
SUMMARY = f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/activity-summary"
# The docs' curl, verbatim: its `+07:00` is not encoded, so the query string reads it as a space.
STATUS_DOC = (f"{DASHBOARD}/user-course-status?startTimestamp=2023-10-10T12:00:00+07:00"
              "&endTimestamp=2023-10-13T12:00:00+07:00")
BATCH_KEYS = ["course", "batch", "absentReason", "assignedCourseSerial", "feedback", "isAttend", "userAssignedStatus",
              "postActivityStatus", "postTestAttempt", "postTestScore", "postTestPassingScore"]


@pytest.fixture
def world(app):
    return app.extensions["mockserver"].world


# --- the rules, as README's compatibility notes state them ---------------------------------------------------


def batch_status(a):
    """Cleared: completed; Failed: expired when the post activity ran out, else failed; Ongoing: in progress once
    attended or once the post activity is in progress, else not started."""
    return {"Cleared": "completed",
            "Failed": "expired" if a.post_activity_status == "EXPIRED" else "failed",
            "Ongoing": "in_progress" if a.is_attend or a.post_activity_status == "IN PROGRESS" else "not_started",
            }[a.user_assigned_status]


def average(scores):
    scores = [s for s in scores if s is not None]
    return sum(scores) / len(scores) if scores else None


def utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def completions(world):
    """(employeeID, courseName, completed at) of every completed assignment: an online one at its last access on its
    completedAt day, a Cleared batch one when its batch's post activity (or main activity) ended."""
    found = []
    for o in world.online_assignments:
        if o.status == "completed":
            at = utc(o.last_access_mission)
            assert f"{at:%Y-%m-%d}" == o.completed_at  # the world's completed rows: last seen on the day they finished
            found.append((o.employee_id, world.course_by_serial[o.course_serial].name, at))
    for a in world.assignments:
        if a.user_assigned_status == "Cleared":
            b = world.batch_by_serial[a.batch_serial]
            found.append((a.employee_id, world.course_by_serial[a.course_serial].name,
                          utc(b.post_activity_end_at or b.main_activity_end_at)))
    return found


def course_status(client, start, end):
    response = client.get(f"{DASHBOARD}/user-course-status", query_string={"startTimestamp": start,
                                                                           "endTimestamp": end}, headers=TOKEN)
    return conforms(response, UserCourseStatusResponseSchema)["data"]["items"]


# --- user online / offline course activity -------------------------------------------------------------------


def test_online_activity_doc_example(client, world):
    body = conforms(client.get(ONLINE + "?page=1&pageSize=10", headers=TOKEN), UserOnlineActivityListResponseSchema)
    assert list(body) == ["status", "message", "data"] and isinstance(body["data"], list)
    first = body["data"][0]
    assert list(first) == ["course", "postTest", "preTest", "timeSpent", "completedAt", "status"]
    stand_in = world.courses[3]  # the docs' COURSE-EXAMPLE1 is a webinar here: the first online course stands in
    assert first == {"course": {"serial": stand_in.serial, "name": stand_in.name}, "postTest": 100, "preTest": 100,
                     "timeSpent": 873, "completedAt": "2022-07-22", "status": "completed"}


def test_offline_activity_doc_example(client):
    body = conforms(client.get(OFFLINE + "?page=1&pageSize=10", headers=TOKEN), UserOfflineActivityListResponseSchema)
    first = body["data"][0]
    assert list(first) == BATCH_KEYS
    assert (first["course"]["serial"], first["batch"], first["assignedCourseSerial"], first["userAssignedStatus"]) == (
        "COURSE-EXAMPLE2", {"serial": "BATCH-EXP-01", "name": "Offline Training Batch 1"}, "ASGC-T0MHUDPV", "Cleared")


def test_user_activity_lists_the_persons_rows_of_each_category(client, world):
    for person in world.people[:40]:
        online = client.get(f"{DASHBOARD}/users/{person.employee_id}/courses/online?page=1&pageSize=100",
                            headers=TOKEN).get_json()["data"]
        assert [(i["course"]["serial"], i["status"], i["timeSpent"]) for i in online] == [
            (o.course_serial, o.status, o.time_spent) for o in world.online_assignments
            if o.employee_id == person.employee_id]
        offline = client.get(f"{DASHBOARD}/users/{person.serial}/courses/offline?page=1&pageSize=100",
                             headers=TOKEN).get_json()["data"]
        assert [i["assignedCourseSerial"] for i in offline] == [
            a.serial for a in world.assignments if a.employee_id == person.employee_id
            and world.course_by_serial[a.course_serial].category == "Offline"]


@pytest.mark.parametrize("route, contract", [(ONLINE, UserOnlineActivityPageResponseSchema),
                                             (OFFLINE, UserOfflineActivityPageResponseSchema)])
def test_user_activity_paginated_setting(client, world_json, tmp_path, route, contract):
    everything = client.get(route + "?page=1&pageSize=100", headers=TOKEN).get_json()["data"]  # the bare list
    (tmp_path / "paged").mkdir()
    paged = make_app(world_json, tmp_path / "paged", ruangkerja_user_activity="paginated").test_client()
    data = conforms(paged.get(route + "?page=2&pageSize=1", headers=TOKEN), contract)["data"]
    assert (data["currentPage"], data["totalItems"], data["totalPage"]) == (2, len(everything), len(everything))
    assert data["items"] == everything[1:2]


# --- activity summary -------------------------------------------------------------------------------------


def test_activity_summary_doc_example(client, world):
    body = conforms(client.get(SUMMARY, headers=TOKEN), UserActivitySummaryResponseSchema)
    data = body["data"]
    assert list(data) == ["user", "numberOfCoursesAssigned", "numberOfCoursesCompleted", "numberOfCoursesExpired",
                          "numberOfCoursesFailed", "numberOfCoursesInProgress", "numberOfCoursesNotStarted",
                          "overallProgress", "avgPostTest", "avgPreTest", "timeSpent"]
    john = world.person_by_employee_id["EMPLY001"]
    division, department = world.org_unit_by_serial[world.org_unit_by_serial[john.org_serial].parent_serial], \
        world.org_unit_by_serial[john.org_serial]
    assert data["user"] == {
        "serial": "JOHNILXV3QAJJEL3", "name": "John Doe", "employeeID": "EMPLY001", "email": john.email,
        "tags": [world.tag_by_serial[t].name for t in john.tag_serials],
        "organizationLevelDisplayName": f"Ruangkerja > {division.name} > {department.name}",
        "organizationLevelSerial": john.org_serial, "lastAccessMission": john.last_access_mission,
    }
    assert client.get(SUMMARY.replace("JOHNILXV3QAJJEL3", "EMPLY001"), headers=TOKEN).get_json() == body


def test_activity_summary_counts_are_the_persons_rows(client, world):
    seen = set()
    for person in world.people[:60]:
        online = [o for o in world.online_assignments if o.employee_id == person.employee_id]
        batches = [a for a in world.assignments if a.employee_id == person.employee_id]
        statuses = [o.status for o in online] + [batch_status(a) for a in batches]
        data = client.get(f"{DASHBOARD}/users/{person.employee_id}/activity-summary", headers=TOKEN).get_json()["data"]
        assert data["numberOfCoursesAssigned"] == len(statuses)
        kinds = ("Completed", "Expired", "Failed", "InProgress", "NotStarted")
        assert [data[f"numberOfCourses{k}"] for k in kinds] == \
            [statuses.count(s) for s in ("completed", "expired", "failed", "in_progress", "not_started")]
        expected = math.ceil(100 * statuses.count("completed") / len(statuses)) if statuses else 0
        assert data["overallProgress"] == expected
        assert data["avgPreTest"] == pytest.approx(average(o.pre_test for o in online))
        assert data["avgPostTest"] == pytest.approx(average(
            [o.post_test for o in online] + [a.post_test_score for a in batches if a.post_test_attempt > 0]))
        assert data["timeSpent"] == sum(o.time_spent for o in online)
        seen.update(statuses)
    assert seen == {"completed", "expired", "failed", "in_progress", "not_started"}


def test_activity_summary_counts_what_the_activity_pages_list(client, world):
    for person in world.people[:15]:
        listed = sum(len(client.get(f"{DASHBOARD}/users/{person.employee_id}/courses/{kind}?page=1&pageSize=100",
                                    headers=TOKEN).get_json()["data"]) for kind in ("online", "offline", "webinar"))
        summary = client.get(f"{DASHBOARD}/users/{person.employee_id}/activity-summary", headers=TOKEN).get_json()
        assert summary["data"]["numberOfCoursesAssigned"] == listed


def test_activity_summary_of_an_unknown_employee_is_404(client):
    body = conforms(client.get(f"{DASHBOARD}/users/EMPLY999999/activity-summary", headers=TOKEN), ErrorSchema, 404)
    assert body["detail"] == "rpc error: code = NotFound desc = employee EMPLY999999 not found"


# --- user course status ---------------------------------------------------------------------------------------


def test_course_status_doc_example(client, world):
    body = conforms(client.get(STATUS_DOC, headers=TOKEN), UserCourseStatusResponseSchema)
    assert list(body["data"]) == ["items"]
    start, end = utc("2023-10-10T05:00:00Z"), utc("2023-10-13T05:00:00Z")
    expected = sorted(((e, name, at) for e, name, at in completions(world) if start <= at <= end),
                      key=lambda c: c[2], reverse=True)
    assert expected  # the docs' window holds completions in the default world
    assert [(i["employeeID"], i["courseName"], utc(i["completedAt"])) for i in body["data"]["items"]] == expected
    for item in body["data"]["items"]:
        assert list(item) == ["assignedCourseSerial", "employeeID", "courseName", "completedAt", "updatedAt", "status"]
        assert item["completedAt"].endswith("+07:00") and item["status"] == "completed"
        assert item["assignedCourseSerial"].startswith("ASGC-") and len(item["assignedCourseSerial"]) == 13


@pytest.mark.parametrize("start, end", [
    ("2019-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    ("2024-01-01T00:00:00+07:00", "2024-02-15T23:59:59+07:00"),
    ("2023-06-30T19:00:00-05:00", "2023-07-31T12:00:00.5+00:00"),
])
def test_course_status_items_are_the_completions_in_the_window(client, world, start, end):
    items = course_status(client, start, end)
    expected = [(e, name, at) for e, name, at in completions(world) if utc(start) <= at <= utc(end)]
    assert sorted((i["employeeID"], i["courseName"], utc(i["completedAt"])) for i in items) == sorted(expected)
    assert [utc(i["completedAt"]) for i in items] == sorted((utc(i["completedAt"]) for i in items), reverse=True)
    batch_serials = {a.serial for a in world.assignments}
    assert {i["assignedCourseSerial"] for i in items if i["courseName"].startswith(("[OFFLINE]", "[WEBINAR]"))} <= \
        batch_serials


def test_course_status_window_ends_are_included_whatever_the_offset(client, world):
    _, _, at = completions(world)[0]
    wib = at.astimezone(timezone(timedelta(hours=7))).isoformat()
    same = course_status(client, wib, at.isoformat().replace("+00:00", "Z"))
    assert same and all(utc(i["completedAt"]) == at for i in same)
    after = (at + timedelta(microseconds=1)).isoformat()
    assert all(utc(i["completedAt"]) > at for i in course_status(client, after, "2030-01-01T00:00:00Z"))
    assert course_status(client, "2030-01-01T00:00:00Z", "2019-01-01T00:00:00Z") == []  # start after end: none


@pytest.mark.parametrize("query, detail", [
    ("", "startTimestamp is required"),
    ("?startTimestamp=2023-10-10T12:00:00%2B07:00", "endTimestamp is required"),
    ("?endTimestamp=2023-10-10T12:00:00Z", "startTimestamp is required"),
    ("?startTimestamp=2023-10-10T12:00:00&endTimestamp=2023-10-13T12:00:00Z",
     "startTimestamp must be an RFC 3339 date-time with an offset, e.g. 2019-10-12T14:20:50+07:00, "
     "got '2023-10-10T12:00:00'"),
    ("?startTimestamp=2023-10-10T12:00:00Z&endTimestamp=2023-02-30T12:00:00Z",
     "endTimestamp must be an RFC 3339 date-time with an offset, e.g. 2019-10-12T14:20:50+07:00, "
     "got '2023-02-30T12:00:00Z'"),
    ("?startTimestamp=yesterday&endTimestamp=2023-10-13T12:00:00Z",
     "startTimestamp must be an RFC 3339 date-time with an offset, e.g. 2019-10-12T14:20:50+07:00, got 'yesterday'"),
])
def test_course_status_needs_both_timestamps(client, query, detail):
    body = conforms(client.get(f"{DASHBOARD}/user-course-status{query}", headers=TOKEN), ErrorSchema, 400)
    assert body == {"errorCode": 400, "message": "BAD_REQUEST", "detail": detail}


# --- a write through the shared log ----------------------------------------------------------------------------


def test_an_online_assignment_written_through_the_log_counts_everywhere(app, client, world, monkeypatch):
    """The assignment writes append to world.online_assignments through World.commit (and keep the course index the
    course's own page reads); the user routes and the summary read the rows themselves and need nothing more."""
    def assign(w, payload):
        row = OnlineAssignment(**payload)
        w.online_assignments.append(row)
        w.online_assignments_by_course[row.course_serial].append(row)

    monkeypatch.setitem(APPLIERS, "test.online-assignment", assign)
    course = world.courses[3]
    person = next(p for p in world.people if p.is_active and p.employee_id not in
                  {o.employee_id for o in world.online_assignments_by_course[course.serial]})
    base = f"{DASHBOARD}/users/{person.employee_id}"
    before = client.get(f"{base}/activity-summary", headers=TOKEN).get_json()["data"]
    activity = client.get(f"{base}/courses/online?page=1&pageSize=100", headers=TOKEN).get_json()["data"]

    state = app.extensions["mockserver"].state
    world.commit(state, "test.online-assignment", lambda w: {
        "employee_id": person.employee_id, "course_serial": course.serial, "pre_test": None, "post_test": None,
        "time_spent": 0, "last_access_mission": "", "completed_at": "", "status": "not_started"})

    after = client.get(f"{base}/activity-summary", headers=TOKEN).get_json()["data"]
    assert after["numberOfCoursesAssigned"] == before["numberOfCoursesAssigned"] + 1
    assert after["numberOfCoursesNotStarted"] == before["numberOfCoursesNotStarted"] + 1
    now = conforms(client.get(f"{base}/courses/online?page=1&pageSize=100", headers=TOKEN),
                   UserOnlineActivityListResponseSchema)["data"]
    assert now == activity + [{"course": {"serial": course.serial, "name": course.name}, "postTest": None,
                               "preTest": None, "timeSpent": 0, "completedAt": "", "status": "not_started"}]
    users = conforms(client.get(f"{DASHBOARD}/courses/{course.serial}/online/users?page=1&pageSize=100",
                                headers=TOKEN), CourseOnlineUsersResponseSchema)["data"]["items"]
    assert users[-1]["user"]["employeeID"] == person.employee_id
