"""iSpring departments over REST and SOAP, and SOAP setAccountUrl: wire shapes from the docs' samples and the official
spec, the rules of the docs' pages (no deleting the root or a department with users), one shared write each."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from .helpers.ispring_wire import (
    ACCOUNT,
    DOC_TOKEN,
    LEGACY_CREDENTIALS,
    LEGACY_HEADERS,
    TNS,
    call,
    post_xml,
    rest_error,
    soap_fault,
    soap_result,
)
from .helpers.ispring_spec import SPEC, load_spec, matches_spec

AUTH = {"Authorization": f"Bearer {DOC_TOKEN}"}
JSON = {**AUTH, "Accept": "application/json"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"
REST_ORDER = ["departmentId", "name", "parentDepartmentId", "code", "subordination", "coSubordination"]
CLIENT_REGEX = re.compile(r"<response>(.*)</response>")  # how clients read a 201 (vendor notes §2.7, SGVp15)


def world(app):
    return app.extensions["mockserver"].world


def by_name(app, name):
    return next(d for d in world(app).departments if d.name == name)


def add(client, name="Field Sales", parent=None, **more):
    parent = parent or world(client.application).departments[0].department_id
    response = post_xml(client, "/department", AUTH, name=name, parentDepartmentId=parent, **more)
    assert response.status_code == 201, response.get_data(as_text=True)
    return CLIENT_REGEX.search(response.get_data(as_text=True)).group(1)


def get_json(client, department_id):
    response = client.get(f"/department/{department_id}", headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


# --- reads -----------------------------------------------------------------------------------------------------------


def test_get_departments_is_the_docs_xml_root_first(client, app):
    response = client.get("/department", headers=AUTH)
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.get_data())
    assert {c.tag for c in root} == {"department"}  # unwrapped, as the docs' sample
    assert len(root) == len(world(app).org_units) + 1  # the company's structure under one root
    first, second = root[0], root[1]
    assert first.findtext("name") == world(app).company.name and first.find("parentDepartmentId") is None
    assert [c.tag for c in second] == REST_ORDER
    assert second.findtext("parentDepartmentId") == first.findtext("departmentId")
    assert [c.tag for c in second.find("subordination")] == ["subordinationType"]


def test_code_filters_exactly(client):
    body = client.get("/department?code=DIV-01", headers=JSON).get_json()
    assert [d["name"] for d in body["departments"]] == ["Divisi Keuangan"]
    assert client.get("/department?code=DIV-0", headers=JSON).get_json() == {"departments": []}


def test_get_department_json_and_xml(client, app):
    finance = by_name(app, "Divisi Keuangan")
    body = client.get(f"/department/{finance.department_id}", headers=JSON).get_json()
    assert list(body) == ["response"] and list(body["response"]) == REST_ORDER
    assert body["response"]["code"] == "DIV-01"
    root = etree.fromstring(client.get(f"/department/{finance.department_id}", headers=AUTH).get_data())
    assert [c.tag for c in root] == ["department"] and root.findtext("department/code") == "DIV-01"
    assert "department" in rest_error(client.get(f"/department/{UNKNOWN}", headers=AUTH), 400)


def test_soap_list_departments_pages_by_id(client, app):
    walked, token = [], None
    for _ in range(10):
        data = soap_result(call(client, "listDepartments", pageSize=5, pageToken=token), "ListDepartmentsResult")
        walked += [d["departmentId"] for d in data.get("department", [])]
        token = data.get("nextPageToken")
        if token is None:
            break
    assert walked == sorted(d.department_id for d in world(app).departments)


# --- writes ----------------------------------------------------------------------------------------------------------


def test_add_answers_the_id_and_every_face_sees_it(client, app):
    before = [(u.serial, u.parent_serial) for u in world(app).org_units]
    new_id = add(client, code="FS-1")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", new_id)  # time-based
    root = world(app).departments[0].department_id
    assert get_json(client, new_id) == {"departmentId": new_id, "name": "Field Sales", "parentDepartmentId": root,
                                        "code": "FS-1", "subordination": {"subordinationType": "inherit"},
                                        "coSubordination": {"subordinationType": "no_supervisor"}}
    soap = soap_result(call(client, "getDepartment", departmentId=new_id), "GetDepartmentResult")
    assert soap["department"]["name"] == "Field Sales"
    assert [(u.serial, u.parent_serial) for u in world(app).org_units] == before  # Ruangkerja's own stays


def test_add_in_json_answers_the_bare_id(client, app):
    response = client.post("/department", headers=JSON,
                           json={"name": "Ops", "parentDepartmentId": world(app).departments[0].department_id})
    assert response.status_code == 201 and response.headers["Content-Type"] == "application/json"
    assert get_json(client, response.get_json())["name"] == "Ops"
    assert "code" not in get_json(client, response.get_json())  # added without one


@pytest.mark.parametrize("fields, named", [
    ({"name": "X"}, "parentDepartmentId"),
    ({"parentDepartmentId": "ROOT"}, "name"),
    ({"name": "X", "parentDepartmentId": UNKNOWN}, "parentDepartmentId"),
])
def test_add_refuses_bad_input_and_stores_nothing(client, app, fields, named):
    fields = {k: world(app).departments[0].department_id if v == "ROOT" else v for k, v in fields.items()}
    seq = world(app).seq
    assert named in rest_error(post_xml(client, "/department", AUTH, **fields), 400)
    assert world(app).seq == seq


def test_update_renames_and_moves_but_not_under_itself(client, app):
    finance, tax = by_name(app, "Divisi Keuangan"), by_name(app, "Pajak")
    hr = by_name(app, "Divisi Sumber Daya Manusia")
    response = post_xml(client, f"/department/{tax.department_id}", AUTH, name="Tax", parentDepartmentId=hr.department_id)
    assert response.status_code == 204 and response.get_data() == b""
    assert (get_json(client, tax.department_id)["name"], get_json(client, tax.department_id)["parentDepartmentId"]) \
        == ("Tax", hr.department_id)
    below = by_name(app, "Akuntansi").department_id
    assert "below" in rest_error(post_xml(client, f"/department/{finance.department_id}", AUTH,
                                          parentDepartmentId=below), 400)
    root = world(app).departments[0].department_id
    assert "root" in rest_error(post_xml(client, f"/department/{root}", AUTH, parentDepartmentId=hr.department_id),
                                400)


def test_remove_follows_the_docs(client, app):
    root, finance = world(app).departments[0], by_name(app, "Divisi Keuangan")
    with_users = next(d for d in world(app).departments if any(u.department_id == d.department_id
                                                              for u in world(app).learners))
    assert "root" in rest_error(client.delete(f"/department/{root.department_id}", headers=AUTH), 400)
    assert "users" in rest_error(client.delete(f"/department/{with_users.department_id}", headers=AUTH), 400)
    children = [d.department_id for d in world(app).departments if d.parent_id == finance.department_id]
    response = client.delete(f"/department/{finance.department_id}", headers=AUTH)
    assert response.status_code == 204
    assert rest_error(client.get(f"/department/{finance.department_id}", headers=AUTH), 400)
    assert {get_json(client, c)["parentDepartmentId"] for c in children} == {root.department_id}
    assert any(u.serial for u in world(app).org_units if u.department_id == finance.department_id)  # Ruangkerja's


def test_subordination(client, app):
    tax, root = by_name(app, "Pajak"), world(app).departments[0]
    supervisor = world(app).learners[0].user_id
    response = client.post(f"/department/{tax.department_id}/subordination", headers=AUTH, content_type="application/xml",
                           data=f"<request><subordination><subordinationType>manual</subordinationType>"
                                f"<supervisorId>{supervisor}</supervisorId></subordination></request>")
    assert response.status_code == 204
    xml = client.get(f"/department/{tax.department_id}", headers=AUTH).get_data(as_text=True)
    assert re.search(r"<subordination>.*<supervisorId>(.*?)</supervisorId>", xml).group(1) == supervisor  # sync-org
    assert "supervisorId" in rest_error(client.post(
        f"/department/{tax.department_id}/subordination", headers=JSON,
        json={"coSubordination": {"subordinationType": "manual"}}), 400, json=True)
    assert "root" in rest_error(client.post(f"/department/{root.department_id}/subordination", headers=JSON,
                                            json={"subordination": {"subordinationType": "inherit"}}), 400, json=True)


def test_move_users_shows_in_soap_get_users(client, app):
    tax, user = by_name(app, "Pajak"), world(app).learners[0]
    response = post_xml(client, f"/department/{tax.department_id}/user/move", AUTH, userIds=[user.user_id])
    assert response.status_code == 204
    profiles = soap_result(call(client, "getUsers"), "GetUsersResult")["userProfile"]
    assert next(p["departmentId"] for p in profiles if p["userId"] == user.user_id) == tax.department_id
    assert rest_error(post_xml(client, f"/department/{UNKNOWN}/user/move", AUTH, userIds=[user.user_id]), 404)
    assert "userIds" in rest_error(post_xml(client, f"/department/{tax.department_id}/user/move", AUTH,
                                            userIds=[UNKNOWN]), 400)


def test_move_departments(client, app):
    hr, tax = by_name(app, "Divisi Sumber Daya Manusia"), by_name(app, "Pajak")
    response = client.post(f"/department/{hr.department_id}/department/move", headers=JSON,
                           json={"departmnetIds": [tax.department_id]})  # the spec's spelling of the field
    assert response.status_code == 204
    assert get_json(client, tax.department_id)["parentDepartmentId"] == hr.department_id
    assert rest_error(client.post(f"/department/{UNKNOWN}/department/move", headers=JSON,
                                  json={"departmentIds": [tax.department_id]}), 404, json=True)
    assert "below" in rest_error(client.post(f"/department/{tax.department_id}/department/move", headers=JSON,
                                             json={"departmentIds": [hr.department_id]}), 400, json=True)


# --- setAccountUrl ---------------------------------------------------------------------------------------------------


def test_set_account_url_moves_the_login_and_view_urls(client, app):
    new = "https://newname.ispringlearn.ru"
    result = soap_result(call(client, "setAccountUrl", credentials=LEGACY_CREDENTIALS, accountUrl=new),
                         "SetAccountUrlResult")
    assert result == {"success": True}
    assert client.get("/department", headers=LEGACY_HEADERS).status_code == 401  # the old URL is no account now
    assert client.get("/department", headers={**LEGACY_HEADERS, "X-Auth-Account-Url": new}).status_code == 200
    soap_fault(call(client, "getDepartments", credentials=LEGACY_CREDENTIALS), "Authorization failed")
    items = soap_result(call(client, "getContent"), "GetContentResult")["contentItem"]
    assert {item["viewUrl"].split("/view/")[0] for item in items} == {"https://newname.ispringlearn.ru"}
    client.post("/__admin/reset")
    assert world(app).company.account_url == ACCOUNT


@pytest.mark.parametrize("url, fault", [
    ("https://otheraccount.ispringlearn.com", "URL is busy"),
    ("https://api-learn.ispringlearn.com", "URL is internal"),
    ("not a url", "Wrong parameters"),
    ("https://example.com", "Wrong parameters"),
])
def test_set_account_url_faults(client, app, url, fault):
    soap_fault(call(client, "setAccountUrl", accountUrl=url), fault)
    assert world(app).company.account_url == ACCOUNT


# --- the official spec -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec():
    if not SPEC.exists():
        pytest.skip(f"the vendor's OpenAPI spec is not at {SPEC} (it lives beside the project, in ../shared/specs/)")
    return load_spec()


@pytest.mark.parametrize("accept", ["application/xml", "application/json"])
def test_department_reads_match_the_official_spec(client, app, spec, accept):
    finance = by_name(app, "Divisi Keuangan").department_id
    for path, url, status in [("/department", "/department", 200), ("/department", "/department?code=DIV-01", 200),
                              ("/departments", "/departments?pageSize=5", 200),
                              ("/department/{departmentId}", f"/department/{finance}", 200),
                              ("/department/{departmentId}", f"/department/{UNKNOWN}", 400)]:
        response = client.get(url, headers={**AUTH, "Accept": accept})
        assert response.status_code == status
        matches_spec(spec, "get", path, response, accept)
    created = post_xml(client, "/department", {**AUTH, "Accept": accept}, name="N", parentDepartmentId=finance)
    assert created.status_code == 201
    matches_spec(spec, "post", "/department", created, accept)


def test_tns_is_the_configured_one(client):
    response = call(client, "listDepartments", pageSize=1)
    assert etree.fromstring(response.get_data())[0][0].tag == f"{{{TNS}}}ListDepartmentsResult"
