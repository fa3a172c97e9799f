"""The two dashboard routes of the seed pages: doc examples verbatim, exact wire format, paging, not-found."""

import math

import pytest

from mockserver.contracts.ruangkerja import (
    CourseOfflineUsersResponseSchema,
    ErrorSchema,
    UserWebinarActivityListResponseSchema,
    UserWebinarActivityPageResponseSchema,
)

from .helpers.apps import TOKEN, conforms, make_app

OFFLINE = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users"
WEBINAR = "/ruangkerja/dashboard/users/JOHNILXV3QAJJEL3/courses/webinar"
ITEM_KEYS = ["absentReason", "assignedCourseSerial", "feedback", "isAttend", "userAssignedStatus",
             "postActivityStatus", "postTestAttempt", "postTestScore", "postTestPassingScore"]


def test_offline_users_doc_example(client):
    body = conforms(client.get(OFFLINE + "?page=1&pageSize=10", headers=TOKEN), CourseOfflineUsersResponseSchema)
    assert list(body) == ["status", "message", "data"] and body["message"] == "Success"
    data = body["data"]
    assert list(data) == ["currentPage", "totalItems", "totalPage", "items"]
    assert data["currentPage"] == 1 and len(data["items"]) == 10
    assert data["totalPage"] == math.ceil(data["totalItems"] / 10)
    assert data["items"][0] == {
        "user": {"serial": "JOHNILXV3QAJJEL3", "name": "John Doe", "employeeID": "EMPLY001"},
        "absentReason": "", "assignedCourseSerial": "ASGC-T0MHUDPV", "feedback": "", "isAttend": True,
        "userAssignedStatus": "Cleared", "postActivityStatus": "", "postTestAttempt": 0, "postTestScore": 0,
        "postTestPassingScore": None,
    }
    assert list(data["items"][0]) == ["user", *ITEM_KEYS]
    assert [(i["user"]["name"], i["user"]["employeeID"], i["isAttend"], i["userAssignedStatus"])
            for i in data["items"][1:3]] == [("John Smith", "EMPLY005", False, "Failed"),
                                             ("Jane Smith", "EMPLY006", True, "Ongoing")]


def test_offline_users_pages_cover_the_batch_once(client):
    first = client.get(OFFLINE + "?page=1&pageSize=7", headers=TOKEN).get_json()["data"]
    total, pages = first["totalItems"], first["totalPage"]
    assert pages == math.ceil(total / 7)
    serials = []
    for number in range(1, pages + 2):
        data = conforms(client.get(OFFLINE + f"?page={number}&pageSize=7", headers=TOKEN),
                        CourseOfflineUsersResponseSchema)["data"]
        assert (data["currentPage"], data["totalItems"], data["totalPage"]) == (number, total, pages)
        serials += [i["assignedCourseSerial"] for i in data["items"]]
    assert len(serials) == total == len(set(serials))  # the page past the end is empty


def test_webinar_activity_doc_example_is_a_bare_list(client):
    body = conforms(client.get(WEBINAR + "?page=1&pageSize=10", headers=TOKEN), UserWebinarActivityListResponseSchema)
    assert list(body) == ["status", "message", "data"] and isinstance(body["data"], list)
    first = body["data"][0]
    assert list(first) == ["course", "batch", *ITEM_KEYS]
    assert first["course"] == {"serial": "COURSE-EXAMPLE1",
                               "name": "[OFFLINE] Effisien Menggunakan Spreadsheet untuk Report"}
    assert first["batch"] == {"serial": "BATCH-EXP-02", "name": "Webinar Training Batch 1"}
    assert (first["isAttend"], first["userAssignedStatus"], first["postActivityStatus"]) == (True, "Ongoing", "")


def test_webinar_activity_takes_employee_id_or_serial(client):
    by_serial = client.get(WEBINAR + "?page=1&pageSize=10", headers=TOKEN).get_json()
    by_id = client.get(WEBINAR.replace("JOHNILXV3QAJJEL3", "EMPLY001") + "?page=1&pageSize=10", headers=TOKEN)
    assert by_id.get_json() == by_serial


def test_webinar_activity_lists_only_webinar_courses(client, app):
    world = app.extensions["mockserver"].world
    for person in world.people[:40]:
        body = client.get(f"/ruangkerja/dashboard/users/{person.employee_id}/courses/webinar?page=1&pageSize=100",
                          headers=TOKEN).get_json()
        expected = [a.serial for a in world.assignments if a.employee_id == person.employee_id
                    and world.course_by_serial[a.course_serial].category == "Webinar"]
        assert [i["assignedCourseSerial"] for i in body["data"]] == expected


def test_webinar_activity_paginated_setting(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_user_activity="paginated").test_client()
    body = conforms(client.get(WEBINAR + "?page=1&pageSize=2", headers=TOKEN), UserWebinarActivityPageResponseSchema)
    assert list(body["data"]) == ["currentPage", "totalItems", "totalPage", "items"]
    assert body["data"]["currentPage"] == 1 and len(body["data"]["items"]) == 2


def test_webinar_list_is_cut_by_page(client):
    whole = client.get(WEBINAR + "?page=1&pageSize=100", headers=TOKEN).get_json()["data"]
    assert client.get(WEBINAR + "?page=2&pageSize=1", headers=TOKEN).get_json()["data"] == whole[1:2]
    assert client.get(WEBINAR + "?page=99&pageSize=100", headers=TOKEN).get_json()["data"] == []


@pytest.mark.parametrize(
    "path, detail",
    [
        ("/ruangkerja/dashboard/courses/COURSE-NOPE/offline/BATCH-EXP-01/users", "course COURSE-NOPE not found"),
        ("/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-NOPE/users", "batch BATCH-NOPE not found"),
        ("/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-02/users", "batch BATCH-EXP-02 not found"),
        ("/ruangkerja/dashboard/users/EMPLY999999/courses/webinar", "employee EMPLY999999 not found"),
    ],
)
def test_unknown_entities_are_404_not_found(client, path, detail):
    body = conforms(client.get(path + "?page=1&pageSize=10", headers=TOKEN), ErrorSchema, 404)
    message = f"rpc error: code = NotFound desc = {detail}"
    assert body == {"errorCode": 404, "message": message, "detail": message}


@pytest.mark.parametrize(
    "query, detail",
    [
        ("", "page is required"),
        ("?pageSize=10", "page is required"),
        ("?page=1", "pageSize is required"),
        ("?page=&pageSize=10", "page is required"),
        ("?page=0&pageSize=10", "page must be at least 1, got 0"),
        ("?page=-1&pageSize=10", "page must be a positive integer, got '-1'"),
        ("?page=1.5&pageSize=10", "page must be a positive integer, got '1.5'"),
        ("?page=abc&pageSize=10", "page must be a positive integer, got 'abc'"),
        ("?page=%201&pageSize=10", "page must be a positive integer, got ' 1'"),
        ("?page=1&pageSize=0", "pageSize must be at least 1, got 0"),
        ("?page=1&pageSize=101", "pageSize must be at most 100, got 101"),
        ("?page=9223372036854775808&pageSize=10", "page must be at most 9223372036854775807, got 9223372036854775808"),
        ("?page=1&pageSize=00101", "pageSize must be at most 100, got 101"),
    ],
)
@pytest.mark.parametrize("route", [OFFLINE, WEBINAR])
def test_bad_paging_is_400(client, route, query, detail):
    body = conforms(client.get(route + query, headers=TOKEN), ErrorSchema, 400)
    assert body == {"errorCode": 400, "message": "BAD_REQUEST", "detail": detail}


def test_accept_and_content_type_are_not_required_and_ignored(client):
    plain = client.get(OFFLINE + "?page=1&pageSize=3", headers=TOKEN)
    odd = client.get(OFFLINE + "?page=1&pageSize=3", headers={**TOKEN, "Accept": "text/html", "Content-Type": "x/y"})
    assert plain.get_data() == odd.get_data()


def test_unknown_route_and_wrong_method_in_the_error_shape(client):
    body = conforms(client.get("/ruangkerja/dashboard/nothing", headers=TOKEN), ErrorSchema, 404)
    assert body == {"errorCode": 404, "message": "NOT_FOUND", "detail": "no route for GET /ruangkerja/dashboard/nothing"}
    response = client.delete(OFFLINE + "?page=1&pageSize=3", headers=TOKEN)
    assert conforms(response, ErrorSchema, 405)["message"] == "METHOD_NOT_ALLOWED"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert conforms(client.put("/oauth/token"), ErrorSchema, 405)["message"] == "METHOD_NOT_ALLOWED"


def test_oversized_body_is_413(world_json, tmp_path):
    client = make_app(world_json, tmp_path, max_body_bytes=1000).test_client()
    response = client.post("/oauth/token", data=b"{" + b" " * 2000 + b"}", headers={"Content-Type": "application/json"})
    body = conforms(response, ErrorSchema, 413)
    assert body["message"] == "PAYLOAD_TOO_LARGE"


def test_health(client):
    from mockserver.contracts.admin import HealthSchema
    from mockserver import __version__

    body = conforms(client.get("/__admin/health"), HealthSchema)
    assert body == {"status": "ok", "seed": 20240601, "version": __version__}


def test_course_list(client, app):
    from mockserver.contracts.ruangkerja import CourseListResponseSchema

    world = app.extensions["mockserver"].world
    body = conforms(client.get("/ruangkerja/dashboard/courses?page=1&pageSize=2", headers=TOKEN),
                    CourseListResponseSchema)
    assert body["data"] == {
        "currentPage": 1, "totalItems": len(world.courses), "totalPage": math.ceil(len(world.courses) / 2),
        "items": [{"serial": c.serial, "name": c.name, "description": c.description} for c in world.courses[:2]],
    }
    assert [i["serial"] for i in body["data"]["items"]] == ["COURSE-EXAMPLE1", "COURSE-EXAMPLE2"]
    named = client.get("/ruangkerja/dashboard/courses?page=1&pageSize=100&name=spreadSHEET", headers=TOKEN).get_json()
    assert named["data"]["items"] and all("spreadsheet" in i["name"].lower() for i in named["data"]["items"])
    assert named["data"]["totalItems"] == sum("spreadsheet" in c.name.lower() for c in world.courses)
    assert conforms(client.get("/ruangkerja/dashboard/courses?page=1&pageSize=5&name=zzzz", headers=TOKEN),
                    CourseListResponseSchema)["data"] == {"currentPage": 1, "totalItems": 0, "totalPage": 0, "items": []}


def test_course_batches(client, app):
    from mockserver.contracts.ruangkerja import CourseBatchListResponseSchema

    body = conforms(client.get("/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/batches?page=1&pageSize=10",
                               headers=TOKEN), CourseBatchListResponseSchema)
    first = body["data"]["items"][0]
    assert list(first) == ["serial", "name", "mainActivityStartAt", "mainActivityEndAt", "postActivityStartAt",
                           "postActivityEndAt", "platform", "location", "note", "status"]
    assert (first["serial"], first["mainActivityStartAt"], first["postActivityStartAt"], first["platform"],
            first["status"]) == ("BATCH-EXP-01", "2022-07-30T02:00:00.000Z", None, "", "Completed")
    world = app.extensions["mockserver"].world
    assert [i["serial"] for i in body["data"]["items"]] == [b.serial for b in world.batches
                                                            if b.course_serial == "COURSE-EXAMPLE2"]
    online = next(c for c in world.courses if c.category == "Online")
    empty = client.get(f"/ruangkerja/dashboard/courses/{online.serial}/batches?page=1&pageSize=10", headers=TOKEN)
    assert conforms(empty, CourseBatchListResponseSchema)["data"]["items"] == []
    missing = client.get("/ruangkerja/dashboard/courses/COURSE-NOPE/batches?page=1&pageSize=10", headers=TOKEN)
    assert conforms(missing, ErrorSchema, 404)["detail"] == "rpc error: code = NotFound desc = course COURSE-NOPE not found"
    assert conforms(client.get("/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/batches?page=1&pageSize=101",
                               headers=TOKEN), ErrorSchema, 400)["message"] == "BAD_REQUEST"
    assert client.get("/ruangkerja/dashboard/courses?page=1&pageSize=1").status_code == 403
