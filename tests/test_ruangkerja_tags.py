"""Ruangkerja tags, the company structure and the online-course assignment: the doc examples replayed (several
answer the docs' own bodies byte for byte), the writes and what they change elsewhere (a user's tags, a course's online
users), and the documented errors."""

from __future__ import annotations

import json

import pytest

from mockserver.contracts.ruangkerja import (
    AssignOnlineCourseResponseSchema,
    CompanyStructureResponseSchema,
    CourseOnlineUsersResponseSchema,
    CreateTagsResponseSchema,
    DeleteTagsResponseSchema,
    ErrorSchema,
    FindTagResponseSchema,
    FindTagsResponseSchema,
    FindUserResponseSchema,
    SerialResponseSchema,
    TagNameExistsErrorSchema,
    UpdateTagsResponseSchema,
)
from mockserver.ruangkerja.operations import OPERATIONS

from .helpers.apps import TOKEN, conforms
from .helpers.ruangkerja_docs import ASSIGNMENT, COMPANY, TAGS

CONTRACTS = {op.name: op.contracts[0] for op in OPERATIONS}
SAMPLES = "contracts/samples/ruangkerja"


def world_of(app):
    return app.extensions["mockserver"].world


def head(app) -> int:
    return app.extensions["mockserver"].state.head()


def tags(client, query: str = "") -> list[dict]:
    body = conforms(client.get(f"/ruangkerja/tags?page=1&pageSize=100{query}", headers=TOKEN), FindTagsResponseSchema)
    return body["data"]["items"]


def send(client, method: str, path: str, body, contract, status: int = 200):
    return conforms(client.open(path, method=method, headers=TOKEN, json=body), contract, status)


def sample(name: str) -> dict:
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parents[1] / SAMPLES / name).read_text())


# --- the doc examples -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", TAGS + [COMPANY], ids=[d.page for d in TAGS + [COMPANY]])
def test_doc_request_examples_answer_the_documented_shape(client, doc):
    body = conforms(doc.send(client, {**TOKEN, "Accept": "application/json"}), CONTRACTS[doc.operation])
    exact = {  # where the world holds the docs' own entities, the answer is the docs' example itself
        "find_tag": "find_tag/doc-example.json",
        "update_tag": "update_tag/doc-example.json",
        "update_tags": "update_tags/doc-example.json",
        "delete_tags": "delete_tags/doc-example-failed.json",  # the docs' serials are not in the world
    }
    if doc.operation in exact:
        assert body == sample(exact[doc.operation])
    if doc.operation == "find_tags":
        assert body["data"]["items"][:2] == sample("find_tags/doc-example.json")["data"]["items"]
    if doc.operation == "create_tags":
        assert [i["payload"] for i in body["data"]["successItems"]] == [{"name": "Intern"}, {"name": "Fulltime"}]


def test_create_tags_then_update_tags_example_is_the_documented_failure(client):
    TAGS[4].send(client, TOKEN)  # create-bulk: Intern, Fulltime
    body = conforms(TAGS[5].send(client, TOKEN), UpdateTagsResponseSchema)  # update-bulk: RUKRTAG-Q7KXEPJO -> Intern
    assert body == sample("update_tags/doc-example-failed.json")


def test_assign_doc_curl_assigns_its_course_online(client, app):
    """The docs' curl assigns COURSE-EXAMPLE1, a webinar course in the world: the docs show that course in online,
    webinar and offline pages alike, so an assignment is taken on any course (README, "Course categories")."""
    summary = "/ruangkerja/dashboard/users/EMPLY001/activity-summary"
    before = client.get(summary, headers=TOKEN).get_json()["data"]
    assert conforms(ASSIGNMENT.send(client, TOKEN), AssignOnlineCourseResponseSchema) == \
        {"status": "success", "message": "Success", "data": {}}
    users = conforms(client.get("/ruangkerja/dashboard/courses/COURSE-EXAMPLE1/online/users?page=1&pageSize=10",
                                headers=TOKEN), CourseOnlineUsersResponseSchema)["data"]["items"]
    assert [(u["user"]["employeeID"], u["status"]) for u in users] == [("EMPLY001", "not_started")]
    activity = client.get("/ruangkerja/dashboard/users/EMPLY001/courses/online?page=1&pageSize=100",
                          headers=TOKEN).get_json()["data"]
    assert activity[-1]["course"]["serial"] == "COURSE-EXAMPLE1" and activity[-1]["status"] == "not_started"
    after = client.get(summary, headers=TOKEN).get_json()["data"]
    assert after["numberOfCoursesAssigned"] == before["numberOfCoursesAssigned"] + 1
    assert after["numberOfCoursesNotStarted"] == before["numberOfCoursesNotStarted"] + 1


# --- tags -------------------------------------------------------------------------------------------------------------


def test_tag_lifecycle_shows_on_its_users(client, app):
    serial = send(client, "POST", "/ruangkerja/tags", {"name": "Program Kepemimpinan 2025"}, SerialResponseSchema)[
        "data"]["serial"]
    assert serial.startswith("RUKRTAG-") and len(serial) == 16
    assert tags(client, "&name=kepemimpinan%202025") == [{"name": "Program Kepemimpinan 2025", "serial": serial}]
    assert tags(client)[-1] == {"name": "Program Kepemimpinan 2025", "serial": serial}  # the list's last
    one = conforms(client.get(f"/ruangkerja/tags/{serial}", headers=TOKEN), FindTagResponseSchema)["data"]
    assert list(one) == ["name", "serial"]

    person = {"employeeID": "EMPLY006", "name": "Jane Smith", "isActive": True, "tagSerials": [serial]}
    send(client, "PUT", "/ruangkerja/users/EMPLY006", person, SerialResponseSchema)
    send(client, "PUT", f"/ruangkerja/tags/{serial}", {"name": "Pemimpin Muda"}, SerialResponseSchema)
    jane = conforms(client.get("/ruangkerja/users/EMPLY006", headers=TOKEN), FindUserResponseSchema)["data"]
    assert jane["tags"] == [{"serial": serial, "name": "Pemimpin Muda"}]

    gone = send(client, "POST", "/ruangkerja/tags/delete-bulk", {"serials": [serial]}, DeleteTagsResponseSchema)
    assert gone == {"data": {"failed": [], "success": [serial]}, "status": "success", "message": "success"}
    assert conforms(client.get("/ruangkerja/users/EMPLY006", headers=TOKEN), FindUserResponseSchema)["data"]["tags"] == []
    assert conforms(client.get(f"/ruangkerja/tags/{serial}", headers=TOKEN), ErrorSchema, 404)["detail"] == \
        f"rpc error: code = NotFound desc = tag {serial} not found"
    assert not any(serial in p.tag_serials for p in world_of(app).people)


def test_tag_name_taken_is_11101_whatever_the_case(client, app):
    seq = head(app)
    for method, path in (("POST", "/ruangkerja/tags"), ("PUT", "/ruangkerja/tags/RUKRTAG-1YBLYP4J")):
        body = send(client, method, path, {"name": "training USER batch 1"}, TagNameExistsErrorSchema, 409)
        assert body == {"errorCode": 11101, "message": "TAG_NAME_EXISTS", "detail": "tag name already been taken"}
    assert head(app) == seq
    same = send(client, "PUT", "/ruangkerja/tags/RUKRTAG-9WHL0JGP", {"name": "TRAINING user batch 1"},
                SerialResponseSchema)  # its own name, recased: no clash
    assert same["data"] == {"serial": "RUKRTAG-9WHL0JGP"} and tags(client)[0]["name"] == "TRAINING user batch 1"
    missing = send(client, "PUT", "/ruangkerja/tags/RUKRTAG-NOPE0000", {"name": "x"}, ErrorSchema, 404)
    assert missing["detail"] == "rpc error: code = NotFound desc = tag RUKRTAG-NOPE0000 not found"


def test_create_and_update_bulk_decide_items_in_order(client, app):
    seq = head(app)
    created = send(client, "POST", "/ruangkerja/tags/create-bulk",
                   {"items": [{"name": "Shift Pagi"}, {"name": "Kontrak"}, {"name": "shift pagi"}, {"name": "Shift Malam"}]},
                   CreateTagsResponseSchema)["data"]
    assert [(i["payload"]["name"], i["error"]["errorCode"]) for i in created["failedItems"]] == [("Kontrak", 11101),
                                                                                              ("shift pagi", 11101)]
    pagi, malam = (i["response"]["serial"] for i in created["successItems"])
    assert head(app) == seq + 1
    renamed = send(client, "POST", "/ruangkerja/tags/update-bulk", {"items": [
        {"serial": pagi, "name": "Shift Malam"},  # taken by malam...
        {"serial": malam, "name": "Shift Sore"},  # ...which gives it up
        {"serial": pagi, "name": "Shift Malam"},  # now free
        {"serial": "RUKRTAG-NOPE0000", "name": "Hantu"}]}, UpdateTagsResponseSchema)["data"]
    assert [(i["payload"], i["error"]["errorCode"]) for i in renamed["failedItems"]] == [
        ({"name": "Shift Malam"}, 11101), ({"name": "Hantu"}, 404)]
    assert [i["response"]["serial"] for i in renamed["successItems"]] == [malam, pagi]
    assert {t["serial"]: t["name"] for t in tags(client, "&name=shift")} == {pagi: "Shift Malam", malam: "Shift Sore"}


def test_delete_bulk_fails_unknown_and_repeated_serials(client, app):
    seq = head(app)
    body = send(client, "POST", "/ruangkerja/tags/delete-bulk",
                {"serials": ["RUKRTAG-NOPE0000", "RUKRTAG-1YBLYP4J", "RUKRTAG-1YBLYP4J"]}, DeleteTagsResponseSchema)
    assert body["data"] == {"failed": ["RUKRTAG-NOPE0000", "RUKRTAG-1YBLYP4J"], "success": ["RUKRTAG-1YBLYP4J"]}
    assert head(app) == seq + 1
    none = send(client, "POST", "/ruangkerja/tags/delete-bulk", {"serials": ["RUKRTAG-1YBLYP4J"]},
                DeleteTagsResponseSchema)
    assert none == {"data": {"failed": ["RUKRTAG-1YBLYP4J"], "success": []}, "status": "success", "message": "success"}
    assert head(app) == seq + 1  # nothing to store: no event


@pytest.mark.parametrize("path, body, detail", [
    ("/ruangkerja/tags", {"name": 7}, "name: expected string, got integer"),
    ("/ruangkerja/tags", {}, "name: missing required field"),
    ("/ruangkerja/tags/create-bulk", {"items": [{"name": "A"}, {"name": "B", "serial": "x"}]},
     "items[1].serial: unexpected field (string)"),
    ("/ruangkerja/tags/update-bulk", {"items": [{"name": "A"}]}, "items[0].serial: missing required field"),
    ("/ruangkerja/tags/delete-bulk", {"serials": []}, "serials: must hold 1 to 100 items"),
    ("/ruangkerja/tags/delete-bulk", {"serials": ["RUKRTAG-9WHL0JGP"] * 101}, "serials: must hold 1 to 100 items"),
    ("/ruangkerja/tags/delete-bulk", {"serials": "RUKRTAG-9WHL0JGP"}, "serials: expected array, got string"),
])
def test_malformed_tag_bodies_are_400(client, app, path, body, detail):
    seq = head(app)
    assert send(client, "POST", path, body, ErrorSchema, 400) == {"errorCode": 400, "message": "BAD_REQUEST",
                                                                  "detail": detail}
    assert head(app) == seq and len(world_of(app).tags) == 14


def test_tag_and_assignment_writes_are_read_on_another_worker(world_json, tmp_path, online_course):
    from mockserver.app import create_app
    from mockserver.config import Config
    from mockserver.state import SharedState
    from mockserver.world import World

    path = str(tmp_path / "shared.sqlite3")
    one, two = (create_app(Config(check_contracts=True), world=World.from_json(world_json), state=SharedState(path))
                .test_client() for _ in range(2))
    serial = send(one, "POST", "/ruangkerja/tags", {"name": "Lintas Worker"}, SerialResponseSchema)["data"]["serial"]
    assert tags(two, "&name=lintas") == [{"name": "Lintas Worker", "serial": serial}]
    send(two, "POST", "/ruangkerja/tags/delete-bulk", {"serials": [serial]}, DeleteTagsResponseSchema)
    assert conforms(one.get(f"/ruangkerja/tags/{serial}", headers=TOKEN), ErrorSchema, 404)
    fresh = next(e for e in (f"EMPLY{i:03d}" for i in range(1, 201)) if e not in online_users(one, online_course))
    send(one, "POST", f"/ruangkerja/courses/online/{online_course}/assignment", assignment(employeeIDs=[fresh]),
         AssignOnlineCourseResponseSchema)
    assert online_users(two, online_course)[fresh]["status"] == "not_started"


# --- company structure ------------------------------------------------------------------------------------------------


def test_company_structure_is_the_org_tree(client, app):
    body = conforms(client.get("/ruangkerja/company-structure", headers=TOKEN), CompanyStructureResponseSchema)
    assert list(body) == ["data", "status", "message"] and body["message"] == "success"
    tops = body["data"]["organizations"]
    assert [t["name"] for t in tops] == ["Divisi Keuangan", "Divisi Sumber Daya Manusia", "Divisi Teknologi",
                                         "Divisi Pemasaran", "Divisi Penjualan", "Divisi Operasional"]
    hr = tops[1]
    assert (hr["serial"], [c["serial"] for c in hr["childOrganizations"]][0]) == ("COMPCQI9VPAN", "COMPFJLYTHWL")
    assert [c["name"] for c in hr["childOrganizations"]] == ["Rekrutmen", "Pelatihan dan Pengembangan",
                                                            "Hubungan Industrial"]
    nodes = [(c["serial"], c["isActive"]) for t in tops for c in [t, *t["childOrganizations"]]]
    assert sorted(nodes) == sorted((u.serial, u.is_active) for u in world_of(app).org_units)
    assert all(c["childOrganizations"] == [] for t in tops for c in t["childOrganizations"])


# --- assigning an online course ---------------------------------------------------------------------------------------


def assignment(**changes) -> dict:
    return {"userSerials": [], "employeeIDs": [], "isMandatory": True, "dueDate": None, "assignedDate": None,
            "maxPostTestAttempts": 0, "formSetting": [], **changes}


def online_users(client, course: str) -> dict:
    body = conforms(client.get(f"/ruangkerja/dashboard/courses/{course}/online/users?page=1&pageSize=100",
                               headers=TOKEN), CourseOnlineUsersResponseSchema)
    return {i["user"]["employeeID"]: i for i in body["data"]["items"]}


@pytest.fixture
def online(app):
    return next(c.serial for c in world_of(app).courses if c.category == "Online")


@pytest.fixture
def online_course(world_json):
    return next(c["serial"] for c in world_json["courses"] if c["category"] == "Online")


def test_assigned_users_show_in_the_course_not_started(client, app, online):
    before = online_users(client, online)
    kept = next(e for e, i in before.items() if i["status"] != "not_started")  # already assigned, with progress
    fresh = [p for p in world_of(app).people if p.employee_id not in before][:2]
    body = send(client, "POST", f"/ruangkerja/courses/online/{online}/assignment",
                assignment(userSerials=[fresh[0].serial], employeeIDs=[fresh[1].employee_id, kept, fresh[1].employee_id],
                           dueDate="2026-12-31T17:00:00.000Z", assignedDate="2026-12-01T08:00:00+07:00",
                           formSetting=[{"formSerial": "FOM-QKNLFNL1", "lockBy": "manual"}]),
                AssignOnlineCourseResponseSchema)
    assert body == {"status": "success", "message": "Success", "data": {}}
    after = online_users(client, online)
    assert list(after) == [*before, fresh[0].employee_id, fresh[1].employee_id]
    assert after[kept] == before[kept]
    assert after[fresh[0].employee_id] == {
        "user": {"serial": fresh[0].serial, "name": fresh[0].name, "employeeID": fresh[0].employee_id},
        "postTest": None, "preTest": None, "timeSpent": 0, "lastAccessMission": "", "completedAt": "",
        "status": "not_started"}
    seq = head(app)
    send(client, "POST", f"/ruangkerja/courses/{online}/assignment", assignment(employeeIDs=[kept]),
         AssignOnlineCourseResponseSchema)  # the docs' curl path; nobody new: nothing stored
    assert head(app) == seq


def test_assignment_refusals_store_nothing(client, app, online):
    seq = head(app)
    path = f"/ruangkerja/courses/online/{online}/assignment"
    cases = [
        (assignment(employeeIDs=["EMPLY003", "EMPLY999999"]), 404,
         "rpc error: code = NotFound desc = employee EMPLY999999 not found"),
        (assignment(userSerials=["NOSUCHSERIAL0000"]), 404, "rpc error: code = NotFound desc = user NOSUCHSERIAL0000 not found"),
        (assignment(), 400, "userSerials: userSerials or employeeIDs must name at least one user"),
        (assignment(employeeIDs=["EMPLY003"], dueDate="31/12/2026"), 400,
         "dueDate: must be an ISO 8601 date-time, got '31/12/2026'"),
        (assignment(employeeIDs=["EMPLY003"], formSetting=[{"formSerial": "F", "lockBy": "closed"}]), 400,
         "formSetting[0].lockBy: unexpected value 'closed', expected one of open, manual"),
        (assignment(employeeIDs=["EMPLY003"], maxPostTestAttempts=-1), 400,
         "maxPostTestAttempts: must be 0 (unlimited) to 2147483647, got -1"),
        ({k: v for k, v in assignment(employeeIDs=["EMPLY003"]).items() if k != "isMandatory"}, 400,
         "isMandatory: missing required field"),
    ]
    for body, status, detail in cases:
        assert send(client, "POST", path, body, ErrorSchema, status)["detail"] == detail
    missing = send(client, "POST", "/ruangkerja/courses/online/COURSE-NOPE/assignment",
                   assignment(employeeIDs=["EMPLY003"]), ErrorSchema, 404)
    assert missing["detail"] == "rpc error: code = NotFound desc = course COURSE-NOPE not found"
    assert head(app) == seq
