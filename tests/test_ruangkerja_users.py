"""Ruangkerja users: the doc examples replayed, every filter, the writes (one log event each, all-or-nothing for a
refused request, partial success in bulk), the documented business errors, two workers on one state, and the
separation from iSpring (a user created or changed here is not iSpring's)."""

from __future__ import annotations

import json

import pytest

from mockserver.contracts.ruangkerja import (
    CreateUsersResponseSchema,
    ErrorSchema,
    FindUserResponseSchema,
    FindUsersResponseSchema,
    SerialResponseSchema,
    UpdateUsersEmailResponseSchema,
    UpdateUsersResponseSchema,
    UserEmailExistsErrorSchema,
    UserEmployeeIDExistsErrorSchema,
)
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.ruangkerja.operations import OPERATIONS
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.apps import TOKEN, conforms, make_app
from .helpers.ispring_wire import call, soap_result
from .helpers.ruangkerja_docs import USERS

CONTRACTS = {op.name: op.contracts[0] for op in OPERATIONS}
JOHN = "JOHNILXV3QAJJEL3"
BUDI = {"employeeID": "BUDI01", "name": "Budi Santoso Wijaya", "email": "budi.santoso@contoh.co.id",
        "phone": "6281299990000", "isActive": True, "tagSerials": ["RUKRTAG-9WHL0JGP", "RUKRTAG-1YBLYP4J"],
        "organizationSerial": "COMPFJLYTHWL"}


def world_of(app) -> World:
    return app.extensions["mockserver"].world


def head(app) -> int:
    return app.extensions["mockserver"].state.head()


def users(client, query: str = "") -> list[dict]:
    body = conforms(client.get(f"/ruangkerja/users?page=1&pageSize=100{query}", headers=TOKEN),
                    FindUsersResponseSchema)
    assert body["data"]["totalItems"] <= 100
    return body["data"]["items"]


def user(client, key: str) -> dict:
    return conforms(client.get(f"/ruangkerja/users/{key}", headers=TOKEN), FindUserResponseSchema)["data"]


def post(client, path: str, body, status: int = 200, contract=None):
    response = client.post(path, headers=TOKEN, json=body)
    return conforms(response, contract or (ErrorSchema if status >= 400 else CONTRACTS_BY_PATH[path]), status)


CONTRACTS_BY_PATH = {"/ruangkerja/users": SerialResponseSchema, "/ruangkerja/users/create-bulk": CreateUsersResponseSchema,
                     "/ruangkerja/users/update-bulk": UpdateUsersResponseSchema,
                     "/ruangkerja/users/update-email-bulk": UpdateUsersEmailResponseSchema,
                     "/ruangkerja/users/update-bulk-email": UpdateUsersEmailResponseSchema}


# --- the doc examples -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", USERS, ids=[d.page for d in USERS])
def test_doc_request_examples_answer_the_documented_shape(client, doc):
    response = doc.send(client, {**TOKEN, "Accept": "application/json"})
    if doc.operation == "create_user":  # EMPLY001 is John Doe: the page's failure example
        assert conforms(response, UserEmployeeIDExistsErrorSchema, 409) == {
            "errorCode": 10101, "message": "USER_EMPLOYEE_ID_EXISTS", "detail": "employee id already been taken"}
        return
    body = conforms(response, CONTRACTS[doc.operation])
    if doc.operation == "update_user":  # the page's success example, exactly
        assert body == {"status": "success", "message": "Success", "data": {"serial": JOHN}}
    if doc.operation == "create_users":  # the same employee: failed, the payload echoed
        assert [i["error"]["errorCode"] for i in body["data"]["failedItems"]] == [10101]
        assert body["data"]["failedItems"][0]["payload"] == json.loads(doc.body)["items"][0]
    if doc.operation in ("update_users", "update_users_email"):
        (done,) = body["data"]["successItems"]
        assert done["response"] == {"serial": JOHN} and body["data"]["failedItems"] == []


def test_find_user_doc_example_shape_and_john_doe(client):
    found = user(client, "EMPLY001")
    assert list(found) == ["employeeID", "name", "username", "email", "phone", "isActive", "companyName",
                           "companySerial", "organizationDisplayName", "organizationLevelSerial", "tags"]
    assert (found["employeeID"], found["name"], found["companyName"], found["companySerial"]) == (
        "EMPLY001", "John Doe", "PT Ruang Raya Indonesia", "CMP-RUANGGURU")
    assert user(client, JOHN) == found  # the slot takes a user serial too
    missing = conforms(client.get("/ruangkerja/users/EMPLY999999", headers=TOKEN), ErrorSchema, 404)
    assert missing["detail"] == "rpc error: code = NotFound desc = employee EMPLY999999 not found"


# --- creating, and finding what was created ---------------------------------------------------------------------------


def test_a_created_user_is_found_by_every_filter_and_by_id(client, app):
    before = len(users(client, "&employeeID=BUDI01"))
    serial = post(client, "/ruangkerja/users", BUDI)["data"]["serial"]
    assert before == 0 and serial.startswith("BUDI") and len(serial) == 16
    expected = {"employeeID": "BUDI01", "name": "Budi Santoso Wijaya", "username": "budi01",
                "email": "budi.santoso@contoh.co.id", "phone": "6281299990000", "isActive": True,
                "companyName": "PT Ruang Raya Indonesia", "companySerial": "CMP-RUANGGURU",
                "organizationDisplayName": "Rekrutmen", "organizationLevelSerial": "COMPFJLYTHWL",
                "tags": [{"serial": "RUKRTAG-9WHL0JGP", "name": "Training User Batch 1"},
                         {"serial": "RUKRTAG-1YBLYP4J", "name": "Training User Batch 2"}]}
    assert user(client, "BUDI01") == expected == user(client, serial)
    for query in ("&employeeID=BUDI01", "&name=santoso%20WIJ", "&email=SANTOSO@contoh", "&phone=299990",
                  "&isActive=true&name=Budi%20Santoso%20Wijaya", "&isActive=1&email=contoh.co.id"):
        assert users(client, query) == [expected], query
    assert users(client, "&isActive=false&employeeID=BUDI01") == []
    assert users(client, "&employeeID=BUDI0") == []  # exact, not contains
    last = conforms(client.get("/ruangkerja/users?page=201&pageSize=1", headers=TOKEN), FindUsersResponseSchema)
    assert last["data"]["totalItems"] == 201 and last["data"]["items"] == [expected]  # the list's last


def test_defaults_of_a_created_user(client):
    serial = post(client, "/ruangkerja/users", {"employeeID": "Phone7", "name": "Sari", "phone": "0812",
                                                "isActive": False})["data"]["serial"]
    created = user(client, serial)
    assert (created["username"], created["email"], created["tags"]) == ("phone7", "", [])
    assert (created["organizationDisplayName"], created["organizationLevelSerial"]) == ("Ruangkerja", "CMP-RUANGGURU")
    assert users(client, "&isActive=False&employeeID=Phone7") == [created]


def test_list_filters_against_the_seeded_world(client, app):
    people = world_of(app).people
    inactive = users(client, "&isActive=false")
    assert inactive and all(not u["isActive"] for u in inactive)
    assert len(inactive) == sum(not p.is_active for p in people)  # every one: fewer than a page
    assert [u["employeeID"] for u in users(client, "&employeeID=EMPLY005")] == ["EMPLY005"]
    assert [u["name"] for u in users(client, "&name=john")] == ["John Doe", "John Smith"]
    assert users(client, "&email=nobody-has-this") == []


@pytest.mark.parametrize("value", ["yes", "2", "TRue", " true", ""])
def test_is_active_must_be_a_boolean(client, value):
    body = conforms(client.get(f"/ruangkerja/users?page=1&pageSize=5&isActive={value}", headers=TOKEN),
                    ErrorSchema, 400)
    assert body["detail"] == f"isActive must be true or false, got {value!r}"


# --- the documented business errors -----------------------------------------------------------------------------------


def test_employee_id_and_email_taken_are_10101_and_10102_and_store_nothing(client, app):
    post(client, "/ruangkerja/users", BUDI)
    seq = head(app)
    again = post(client, "/ruangkerja/users", {**BUDI, "email": "other@contoh.co.id"}, 409,
                 UserEmployeeIDExistsErrorSchema)
    assert again == {"errorCode": 10101, "message": "USER_EMPLOYEE_ID_EXISTS", "detail": "employee id already been taken"}
    email = post(client, "/ruangkerja/users", {**BUDI, "employeeID": "BUDI02", "email": "Budi.Santoso@CONTOH.co.id"},
                 409, UserEmailExistsErrorSchema)
    assert email == {"errorCode": 10102, "message": "USER_EMAIL_EXISTS", "detail": "user email already been taken"}
    renamed = client.put("/ruangkerja/users/EMPLY002", headers=TOKEN,
                         json={"employeeID": "EMPLY002", "name": "X", "isActive": True, "newEmployeeID": "BUDI01"})
    assert conforms(renamed, UserEmployeeIDExistsErrorSchema, 409)["errorCode"] == 10101
    assert head(app) == seq and users(client, "&employeeID=BUDI02") == []


def test_conflict_status_setting(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_conflict_status=400).test_client()
    body = conforms(client.post("/ruangkerja/users", headers=TOKEN, json={**BUDI, "employeeID": "EMPLY001"}),
                    UserEmployeeIDExistsErrorSchema, 400)
    assert body["errorCode"] == 10101


@pytest.mark.parametrize("path, body, detail", [
    ("/ruangkerja/users", {**BUDI, "tagSerials": ["RUKRTAG-NOPE0000"]}, "tag RUKRTAG-NOPE0000 not found"),
    ("/ruangkerja/users", {**BUDI, "organizationSerial": "COMPNOPE"}, "organization COMPNOPE not found"),
])
def test_unknown_references_are_404(client, app, path, body, detail):
    seq = head(app)
    assert post(client, path, body, 404)["detail"] == f"rpc error: code = NotFound desc = {detail}"
    assert head(app) == seq


# --- malformed bodies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, raw, detail", [
    ("/ruangkerja/users", b"{", "request body is not valid JSON: Expecting property name enclosed in double quotes: "
                                "line 1 column 2 (char 1)"),
    ("/ruangkerja/users", b"[]", "request body must be a JSON object with employeeID, name, username, email, phone, "
                                 "password, isActive, tagSerials, organizationSerial"),
    ("/ruangkerja/users", {**BUDI, "isActive": "true"}, "isActive: expected boolean, got string"),
    ("/ruangkerja/users", {**BUDI, "role": "admin"}, "role: unexpected field (string)"),
    ("/ruangkerja/users", {k: v for k, v in BUDI.items() if k != "name"}, "name: missing required field"),
    ("/ruangkerja/users", {**BUDI, "name": ""}, "name: must not be empty"),
    ("/ruangkerja/users", {**BUDI, "employeeID": "EMP-01"},
     "employeeID: must be letters and digits only (a-z, A-Z, 0-9), got 'EMP-01'"),
    ("/ruangkerja/users", {**BUDI, "email": None, "phone": ""}, "email or phone is required (or both)"),
    ("/ruangkerja/users", {**BUDI, "tagSerials": "RUKRTAG-9WHL0JGP"}, "tagSerials: expected array, got string"),
    ("/ruangkerja/users/create-bulk", {"items": []}, "items: must hold 1 to 100 items"),
    ("/ruangkerja/users/create-bulk", {"items": [{**BUDI, "employeeID": f"N{i}", "email": f"n{i}@x.id"}
                                                 for i in range(101)]}, "items: must hold 1 to 100 items"),
    ("/ruangkerja/users/create-bulk", {"items": [BUDI, {**BUDI, "isActive": 1}]},
     "items[1].isActive: expected boolean, got integer"),
    ("/ruangkerja/users/create-bulk", BUDI, "items: missing required field; employeeID: unexpected field (string); "
                                            "name: unexpected field (string); email: unexpected field (string); "
                                            "phone: unexpected field (string); isActive: unexpected field (boolean); "
                                            "tagSerials: unexpected field (array); "
                                            "organizationSerial: unexpected field (string)"),
    ("/ruangkerja/users/update-bulk", {"items": [{"employeeID": "EMPLY001", "name": "J", "isActive": True,
                                                  "email": "j@x.id"}]}, "items[0].email: unexpected field (string)"),
    ("/ruangkerja/users/update-email-bulk", {"items": [{"employeeID": "EMPLY001"}]},
     "items[0].email: missing required field"),
])
def test_malformed_bodies_are_400_naming_the_field_and_store_nothing(client, app, path, raw, detail):
    seq, count = head(app), len(world_of(app).people)
    data = raw if isinstance(raw, bytes) else json.dumps(raw)
    response = client.post(path, headers=TOKEN, data=data, content_type="application/json")
    assert conforms(response, ErrorSchema, 400) == {"errorCode": 400, "message": "BAD_REQUEST", "detail": detail}
    assert head(app) == seq and len(world_of(app).people) == count


# --- bulk: partial success, one event, all or nothing -----------------------------------------------------------------


def test_create_bulk_partial_success_in_one_event(client, app):
    seq = head(app)
    items = [BUDI, {**BUDI, "employeeID": "EMPLY001", "email": "x@x.id"},  # taken in the world
             {"employeeID": "SARI01", "name": "Sari", "phone": "0811", "isActive": True},
             {"employeeID": "SARI01", "name": "Sari Lagi", "phone": "0812", "isActive": True},  # taken just before
             {**BUDI, "employeeID": "DEWI01"},  # BUDI's email, taken just before
             {"employeeID": "TONO01", "name": "Tono", "phone": "1", "isActive": True, "tagSerials": ["RUKRTAG-X"]},
             {"employeeID": "RINI01", "name": "Rini", "email": "", "isActive": True}]  # no email, no phone
    body = post(client, "/ruangkerja/users/create-bulk", {"items": items})
    assert list(body) == ["data", "status", "message"] and (body["status"], body["message"]) == ("success", "success")
    failed = [(i["payload"]["employeeID"], i["error"]["errorCode"], i["error"]["message"])
              for i in body["data"]["failedItems"]]
    assert failed == [("EMPLY001", 10101, "USER_EMPLOYEE_ID_EXISTS"), ("SARI01", 10101, "USER_EMPLOYEE_ID_EXISTS"),
                      ("DEWI01", 10102, "USER_EMAIL_EXISTS"),
                      ("TONO01", 404, "rpc error: code = NotFound desc = tag RUKRTAG-X not found"),
                      ("RINI01", 400, "BAD_REQUEST")]
    assert body["data"]["failedItems"][0]["error"] == {"detail": "employee id already been taken", "errorCode": 10101,
                                                       "message": "USER_EMPLOYEE_ID_EXISTS"}
    done = body["data"]["successItems"]
    assert [i["payload"]["employeeID"] for i in done] == ["BUDI01", "SARI01"]
    assert done[1]["payload"] == {"employeeID": "SARI01", "name": "Sari", "username": None, "email": None,
                                  "phone": "0811", "password": None, "isActive": True, "tagSerials": None,
                                  "organizationSerial": None}
    assert head(app) == seq + 1  # one event for the call
    assert [user(client, i["response"]["serial"])["employeeID"] for i in done] == ["BUDI01", "SARI01"]
    assert user(client, "SARI01")["name"] == "Sari" and users(client, "&employeeID=DEWI01") == []


def test_a_bulk_where_every_item_fails_stores_nothing(client, app):
    seq = head(app)
    body = post(client, "/ruangkerja/users/update-bulk", {"items": [
        {"employeeID": "NOBODY1", "name": "N", "isActive": True},
        {"employeeID": "EMPLY002", "name": "N", "isActive": True, "newEmployeeID": "EMPLY003"}]})
    assert body["status"] == "success" and body["data"]["successItems"] == []
    assert [i["error"]["errorCode"] for i in body["data"]["failedItems"]] == [404, 10101]
    assert head(app) == seq and user(client, "EMPLY002")["name"] != "N"


# --- changing users: the change shows wherever the user does ----------------------------------------------------------


def test_new_employee_id_and_name_follow_the_user_everywhere(client, app):
    batch = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=3"
    body = {"employeeID": "EMPLY001", "name": "Johnny Doe", "newEmployeeID": "JD2024", "isActive": True}
    assert conforms(client.put("/ruangkerja/users/EMPLY001", headers=TOKEN, json=body), SerialResponseSchema)["data"] \
        == {"serial": JOHN}
    assert client.get("/ruangkerja/users/EMPLY001", headers=TOKEN).status_code == 404
    changed = user(client, "JD2024")
    assert (changed["name"], changed["phone"], changed["tags"]) == ("Johnny Doe", user(client, JOHN)["phone"],
                                                                   changed["tags"])
    first = client.get(batch, headers=TOKEN).get_json()["data"]["items"][0]
    assert first["user"] == {"serial": JOHN, "name": "Johnny Doe", "employeeID": "JD2024"}
    assert first["assignedCourseSerial"] == "ASGC-T0MHUDPV"  # the same assignment, under the new ID
    webinar = client.get("/ruangkerja/dashboard/users/JD2024/courses/webinar?page=1&pageSize=10", headers=TOKEN)
    assert webinar.get_json()["data"][0]["assignedCourseSerial"] == "ASGC-T0MHUDPY"


def test_update_keeps_what_is_left_out_and_replaces_tags(client):
    before = user(client, "EMPLY005")
    body = {"employeeID": "EMPLY005", "name": before["name"], "isActive": False, "tagSerials": ["RUKRTAG-1YBLYP4J"]}
    conforms(client.put("/ruangkerja/users/EMPLY005", headers=TOKEN, json=body), SerialResponseSchema)
    after = user(client, "EMPLY005")
    assert after == {**before, "isActive": False, "tags": [{"serial": "RUKRTAG-1YBLYP4J", "name": "Training User Batch 2"}]}
    conforms(client.put("/ruangkerja/users/EMPLY005", headers=TOKEN, json={**body, "tagSerials": []}),
             SerialResponseSchema)
    assert user(client, "EMPLY005")["tags"] == []


def test_update_path_and_body_must_name_the_same_employee(client):
    body = {"employeeID": "EMPLY002", "name": "X", "isActive": True}
    wrong = conforms(client.put("/ruangkerja/users/EMPLY001", headers=TOKEN, json=body), ErrorSchema, 400)
    assert wrong["detail"].startswith("employeeID: 'EMPLY002' is not the employee of the path (EMPLY001)")
    assert conforms(client.put("/ruangkerja/users/NOBODY", headers=TOKEN, json=body), ErrorSchema, 404)["detail"] == \
        "rpc error: code = NotFound desc = employee NOBODY not found"


def test_new_email_shows_everywhere_and_frees_the_old_one(client):
    old = user(client, "EMPLY005")["email"]
    body = post(client, "/ruangkerja/users/update-email-bulk",
                {"items": [{"employeeID": "EMPLY005", "email": "john.smith@contoh.co.id", "password": "rahasia123"},
                           {"employeeID": "EMPLY006", "email": old}]})  # the email just given up
    assert [i["response"]["serial"] for i in body["data"]["successItems"]] == ["JOHNIASD318JJEL5", "JANELFMMCKASNDJM"]
    assert body["data"]["successItems"][0]["payload"] == {"employeeID": "EMPLY005", "email": "john.smith@contoh.co.id",
                                                          "password": "rahasia123"}
    assert user(client, "EMPLY005")["email"] == "john.smith@contoh.co.id" and user(client, "EMPLY006")["email"] == old
    assert [u["employeeID"] for u in users(client, "&email=john.smith@contoh")] == ["EMPLY005"]
    taken = post(client, "/ruangkerja/users/update-bulk-email", {"items": [{"employeeID": "EMPLY001", "email": old}]})
    assert taken["data"]["failedItems"][0]["error"] == {"detail": "user email already been taken", "errorCode": 10102,
                                                        "message": "USER_EMAIL_EXISTS"}


# --- two workers, and iSpring kept apart ------------------------------------------------------------------------------


@pytest.fixture
def workers(world_json, tmp_path):
    """Two apps, each with its own in-memory world, sharing one state file: two workers of one server."""
    path = str(tmp_path / "shared.sqlite3")
    return [create_app(Config(check_contracts=True), world=World.from_json(world_json), state=SharedState(path))
            .test_client() for _ in range(2)]


def test_a_write_on_one_worker_is_read_on_the_other(workers):
    one, two = workers
    serial = post(one, "/ruangkerja/users", BUDI)["data"]["serial"]
    assert user(two, serial)["employeeID"] == "BUDI01" and len(users(two, "&name=budi santoso")) == 1
    post(two, "/ruangkerja/users/update-email-bulk", {"items": [{"employeeID": "BUDI01", "email": "budi@baru.id"}]})
    assert user(one, "BUDI01")["email"] == "budi@baru.id"
    assert post(one, "/ruangkerja/users", {**BUDI, "employeeID": "BUDI09", "email": "budi@baru.id"}, 409,
                UserEmailExistsErrorSchema)["errorCode"] == 10102  # the other worker's write is known to this one


def test_reset_forgets_the_writes(client, app):
    post(client, "/ruangkerja/users", BUDI)
    post(client, "/ruangkerja/users/update-email-bulk", {"items": [{"employeeID": "EMPLY001", "email": "j@baru.id"}]})
    assert client.post("/__admin/reset").status_code == 200
    assert client.get("/ruangkerja/users/BUDI01", headers=TOKEN).status_code == 404
    assert user(client, "EMPLY001")["email"] == "john.doe@ruangkerja-mock.id"


def test_ruangkerja_users_stay_out_of_ispring(client, app):
    def ispring_users():
        profiles = soap_result(call(client, "getUsers"), "GetUsersResult")["userProfile"]
        return {p["userId"]: {f["name"]: f["value"] for f in p["fields"]} for p in profiles}

    before = ispring_users()
    post(client, "/ruangkerja/users", BUDI)
    post(client, "/ruangkerja/users/update-email-bulk",
         {"items": [{"employeeID": "EMPLY001", "email": "john.doe@baru.co.id"}]})
    after = ispring_users()
    assert after == before and len(after) == 200
    assert "budi.santoso@contoh.co.id" not in {f["EMAIL"] for f in after.values()}
    assert after["d9261766-040d-11ed-ae50-da994e0c8f89"]["EMAIL"] == "john.doe@ruangkerja-mock.id"
    assert user(client, "EMPLY001")["email"] == "john.doe@baru.co.id" and user(client, "BUDI01")
