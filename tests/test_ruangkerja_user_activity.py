"""A user's online and offline course activity: the doc examples replayed (only the host changed), the person's rows
of each category, and the page-object setting."""

import pytest

from contracts.ruangkerja import (
    UserOfflineActivityListResponseSchema,
    UserOfflineActivityPageResponseSchema,
    UserOnlineActivityListResponseSchema,
    UserOnlineActivityPageResponseSchema,
)

from .helpers.apps import TOKEN, conforms, make_app

DASHBOARD = "/ruangkerja/dashboard"
ONLINE = f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/courses/online"
OFFLINE = f"{DASHBOARD}/users/JOHNILXV3QAJJEL3/courses/offline"
BATCH_KEYS = ["course", "batch", "absentReason", "assignedCourseSerial", "feedback", "isAttend", "userAssignedStatus",
              "postActivityStatus", "postTestAttempt", "postTestScore", "postTestPassingScore"]


@pytest.fixture
def world(app):
    return app.extensions["mockserver"].world


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
