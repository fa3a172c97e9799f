"""iSpring groups and smart groups over REST (XML and JSON) and SOAP: exact wire shapes from the spec and the docs'
samples, membership writes, smart groups that follow their rules live, refusals that store nothing.

Oracles come from the docs and the world's own data read another way (a learner's department chain walked up to the
root, the tags of the seeded people), never from the implementation's own filter.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from .helpers.ispring_wire import LEGACY_HEADERS, TNS, call, rest_error, soap_result

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
XML_BODY = {**LEGACY_HEADERS, "Content-Type": "application/xml"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")


def world_of(client):
    return client.application.extensions["mockserver"].world


def xml(text: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<request>{text}</request>'.encode()


def ids_xml(name: str, ids) -> str:
    return f"<{name}>" + "".join(f"<id>{i}</id>" for i in ids) + f"</{name}>"


def rule_xml(attribute_type: int, operator: int, value: str, attribute_id: str | None = None) -> str:
    attribute = f"<attributeId>{attribute_id}</attributeId>" if attribute_id else ""
    return (f"<or><rule><attributeType>{attribute_type}</attributeType>{attribute}<operator>{operator}</operator>"
            f"<value>{value}</value></rule></or>")


def add_group_xml(client, name: str, user_ids=()) -> str:
    response = client.post("/group", data=xml(f"<name>{name}</name>{ids_xml('userIds', user_ids)}"),
                           headers=XML_BODY)
    assert response.status_code == 201, response.get_data(as_text=True)
    # SGVp15 `ispring2.py`: re.search('<response>(.*)</response>', text).group(1)
    found = re.search("<response>(.*)</response>", response.get_data(as_text=True))
    assert found and UUID_RE.fullmatch(found.group(1))
    return found.group(1)


def add_smart(client, name: str, *ands: list[str]) -> str:
    rules = "".join(f"<and>{''.join(ors)}</and>" for ors in ands)
    response = client.post("/group/smart", data=xml(f"<name>{name}</name><rules>{rules}</rules>"), headers=XML_BODY)
    assert response.status_code == 201, response.get_data(as_text=True)
    return etree.fromstring(response.get_data()).text


def members(client, group_id: str) -> list[str]:
    response = client.get(f"/group/{group_id}", headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["usersCount"] == len(body["userIds"])
    return body["userIds"]


def in_subtree(world, department_id: str, top: str) -> bool:
    """Walk up from the department to the root: is `top` on the way? (The other direction from the server's.)"""
    parents = {d.department_id: d.parent_id for d in world.departments}
    while department_id is not None:
        if department_id == top:
            return True
        department_id = parents.get(department_id)
    return False


def tag_members(world, tag_name: str) -> list[str]:
    tag = next(t for t in world.tags if t.name == tag_name)
    return [p.user_id for p in world.people if p.user_id and tag.serial in p.tag_serials]


# --- reads ----------------------------------------------------------------------------------------------------------


def test_get_groups_is_the_docs_xml_and_the_specs_bare_json_array(client):
    world = world_of(client)
    response = client.get("/group", headers=LEGACY_HEADERS)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.get_data())
    assert root.tag == "response" and {c.tag for c in root} == {"group"}
    first = root[0]
    assert [c.tag for c in first] == ["groupId", "name", "isSmart"]
    assert [g.findtext("isSmart") for g in root].count("true") == 1  # the seeded smart group
    assert {g.findtext("isSmart") for g in root} == {"true", "false"}
    body = client.get("/group", headers=JSON).get_json()
    assert isinstance(body, list) and [list(g) for g in body] == [["groupId", "name", "isSmart"]] * len(body)
    assert {g["name"] for g in body if not g["isSmart"]} == {t.name for t in world.tags}  # one per Ruangkerja tag
    assert [g["groupId"] for g in body] == [g.findtext("groupId") for g in root]


def test_get_group_is_a_detailed_group_of_the_tags_people(client):
    world = world_of(client)
    listed = client.get("/group", headers=JSON).get_json()
    plain = next(g for g in listed if not g["isSmart"] and tag_members(world, g["name"]))
    response = client.get(f"/group/{plain['groupId']}", headers=LEGACY_HEADERS)
    root = etree.fromstring(response.get_data())
    assert [c.tag for c in root] == ["group"]
    assert [c.tag for c in root[0]] == ["usersCount", "groupId", "userIds", "name", "isSmart"]
    assert {c.tag for c in root[0].find("userIds")} == {"id"}
    body = client.get(f"/group/{plain['groupId']}", headers=JSON).get_json()
    assert list(body) == ["usersCount", "groupId", "userIds", "name", "isSmart"]
    assert sorted(body["userIds"]) == sorted(tag_members(world, plain["name"]))
    assert body["usersCount"] == int(root[0].findtext("usersCount")) == len(body["userIds"])
    assert (body["name"], body["isSmart"]) == (plain["name"], False)


def test_list_groups_pages_in_the_docs_shape(client):
    response = client.get("/groups?pageSize=2", headers=LEGACY_HEADERS)
    root = etree.fromstring(response.get_data())
    assert [c.tag for c in root] == ["groups", "nextPageToken"]
    assert [c.tag for c in root[0]] == ["group", "group"]
    assert [c.tag for c in root[0][0]] == ["groupId", "name", "isSmart"]
    whole = client.get("/groups", headers=JSON).get_json()
    assert list(whole) == ["groups"] and len(whole["groups"]) == len(world_of(client).groups)


def test_unknown_group_is_a_400_not_a_404(client):
    for url in (f"/group/{UNKNOWN}", f"/group/smart/{UNKNOWN}/rules"):
        assert "group" in rest_error(client.get(url, headers=LEGACY_HEADERS), 400)
    assert rest_error(client.delete(f"/group/{UNKNOWN}", headers=JSON), 400, json=True)


def test_smart_group_rules_read_back_in_the_specs_nesting(client):
    world = world_of(client)
    smart = next(g for g in world.groups if g.is_smart)
    top = smart.rules["and"][0]["or"][0]["rule"]["value"]
    root = etree.fromstring(client.get(f"/group/smart/{smart.group_id}/rules", headers=LEGACY_HEADERS).get_data())
    assert etree.tostring(root[0]).decode() == (
        f"<smartGroupRules><groupId>{smart.group_id}</groupId><rules><and><or><rule><attributeType>1</attributeType>"
        f"<operator>2</operator><value>{top}</value></rule></or></and></rules></smartGroupRules>")
    body = client.get(f"/group/smart/{smart.group_id}/rules", headers=JSON).get_json()
    assert body == {"smartGroupRules": {"groupId": smart.group_id, "rules": {"and": [{"or": [{"rule": {
        "attributeType": 1, "operator": 2, "value": top}}]}]}}}
    plain = next(g for g in world.groups if not g.is_smart)
    assert "not a smart group" in rest_error(client.get(f"/group/smart/{plain.group_id}/rules", headers=JSON), 400,
                                             json=True)


# --- plain group writes ---------------------------------------------------------------------------------------------


def test_add_group_answers_the_bare_id_and_stores_its_members(client):
    world = world_of(client)
    chosen = [u.user_id for u in world.learners[:2]]
    group_id = add_group_xml(client, "New Hires", chosen)
    assert sorted(members(client, group_id)) == sorted(chosen)
    response = client.post("/group", json={"name": "Night Shift", "userIds": chosen[:1]}, headers=JSON)
    assert response.status_code == 201 and response.headers["Content-Type"] == "application/json"
    assert isinstance(response.get_json(), str) and UUID_RE.fullmatch(response.get_json())
    assert members(client, response.get_json()) == chosen[:1]
    assert [p.tag_serials for p in world.people] == [p.tag_serials for p in world_of(client).people]
    assert len(world.tags) == len({t.serial for t in world.tags})  # Ruangkerja's tags stay as they were


@pytest.mark.parametrize("body, field", [
    ("<userIds><id>{unknown}</id></userIds><name>X</name>", "userIds"),
    ("<userIds/>", "name"),
    ("<name>{taken}</name>", "name"),
])
def test_add_group_refusals_store_nothing(client, body, field):
    world = world_of(client)
    before = len(world.groups)
    data = xml(body.format(unknown=UNKNOWN, taken=world.groups[0].name))
    message = rest_error(client.post("/group", data=data, headers=XML_BODY), 400)
    assert field in message or "already exists" in message
    assert len(world_of(client).groups) == before


def test_update_group_members_replaces_them_and_a_removed_learner_is_gone(client):
    world = world_of(client)
    group = next(g for g in world.groups if not g.is_smart and len(g.user_ids) >= 2)
    removed, kept = group.user_ids[0], group.user_ids[1:]
    url = f"/group/{group.group_id}/members"
    response = client.post(url, data=xml(ids_xml("userIds", kept)), headers=XML_BODY)
    assert response.status_code == 200 and response.get_data() == b""
    assert removed not in members(client, group.group_id)
    assert sorted(members(client, group.group_id)) == sorted(kept)
    # The docs: "an empty userIds parameter ... will remove all users from the group".
    assert client.post(url, json={"userIds": []}, headers=JSON).status_code == 200
    assert members(client, group.group_id) == []
    assert client.post(url, data=xml("<userIds/>"), headers=XML_BODY).status_code == 200
    assert "userIds" in rest_error(client.post(url, data=xml(""), headers=XML_BODY), 400)


def test_update_group_members_refusals_change_nothing(client):
    world = world_of(client)
    group = next(g for g in world.groups if not g.is_smart and g.user_ids)
    before = members(client, group.group_id)
    url = f"/group/{group.group_id}/members"
    assert "userIds" in rest_error(client.post(url, json={"userIds": [before[0], UNKNOWN]}, headers=JSON), 400,
                                   json=True)
    assert members(client, group.group_id) == before
    smart = next(g for g in world.groups if g.is_smart)
    assert "smart" in rest_error(client.post(f"/group/{smart.group_id}/members", json={"userIds": before},
                                             headers=JSON), 400, json=True)


def test_rename_and_remove_a_group(client):
    world = world_of(client)
    first, second = world.groups[0], world.groups[1]
    url = f"/group/{first.group_id}"
    assert client.post(url, data=xml("<name>Renamed</name>"), headers=XML_BODY).status_code == 200
    assert client.get(url, headers=JSON).get_json()["name"] == "Renamed"
    assert "already exists" in rest_error(client.post(url, json={"name": second.name}, headers=JSON), 400, json=True)
    response = client.delete(url, headers=LEGACY_HEADERS)
    assert response.status_code == 204 and response.get_data() == b""
    assert rest_error(client.get(url, headers=LEGACY_HEADERS), 400)
    assert first.group_id not in [g["groupId"] for g in client.get("/group", headers=JSON).get_json()]


# --- smart groups ---------------------------------------------------------------------------------------------------


def test_department_rules_select_the_department_alone_or_with_nested_ones(client):
    world = world_of(client)
    root = world.departments[0].department_id
    top = next(d.department_id for d in world.departments[1:]  # a department with departments under it
               if any(c.parent_id == d.department_id for c in world.departments))
    nested = add_smart(client, "Nested", [rule_xml(1, 2, top)])
    only = add_smart(client, "Only", [rule_xml(1, 1, top)])
    expected_nested = [u.user_id for u in world.learners if in_subtree(world, u.department_id, top)]
    assert members(client, nested) == expected_nested
    assert members(client, only) == [u.user_id for u in world.learners if u.department_id == top]
    everyone = add_smart(client, "Everyone", [rule_xml(1, 2, root)])
    assert members(client, everyone) == [u.user_id for u in world.learners]


def test_and_of_ors_with_group_and_profile_field_rules(client):
    world = world_of(client)
    tagged = next(g for g in world.groups if not g.is_smart and len(g.user_ids) >= 3)
    one, two = (world.learner_by_id[uid] for uid in tagged.user_ids[:2])
    other = next(u for u in world.learners if u.user_id not in tagged.user_ids)
    # (in the group) AND (last name of `one` OR login of `two` OR login of `other`)
    group_id = add_smart(client, "Mixed", [rule_xml(2, 1, tagged.group_id)], [
        rule_xml(3, 1, one.last_name, "LAST_NAME"), rule_xml(3, 1, two.login, "LOGIN"),
        rule_xml(3, 1, other.login, "LOGIN")])
    expected = [u.user_id for u in world.learners if u.user_id in tagged.user_ids
                and (u.last_name == one.last_name or u.login == two.login)]
    assert members(client, group_id) == expected and other.user_id not in expected


def test_smart_members_follow_a_move_live_and_an_edit_of_the_rules(client):
    world = world_of(client)
    a, b = list(dict.fromkeys(u.department_id for u in world.learners))[:2]  # two departments people are in
    group_id = add_smart(client, "Team A", [rule_xml(1, 1, a)])
    mover = next(u for u in world.learners if u.department_id == b)
    assert mover.user_id not in members(client, group_id)
    # A move (the user's write) replaces the learner: the group follows with no write of its own.
    moved = client.post(f"/user/{mover.user_id}", json={"departmentId": a}, headers=JSON)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert mover.user_id in members(client, group_id)
    edit = {"name": "Team B", "rules": {"and": [{"or": [{"rule": {"attributeType": 1, "operator": 1,
                                                                  "value": b}}]}]}}
    response = client.post(f"/group/smart/{group_id}", json=edit, headers=JSON)
    assert response.status_code == 200 and response.get_data() == b""
    assert members(client, group_id) == [u.user_id for u in world_of(client).learners if u.department_id == b]
    assert mover.user_id not in members(client, group_id)
    assert client.get(f"/group/{group_id}", headers=JSON).get_json()["name"] == "Team B"


@pytest.mark.parametrize("rules, field", [
    ("<and><or><rule><attributeType>4</attributeType><operator>1</operator><value>x</value></rule></or></and>",
     "attributeType"),
    ("<and><or><rule><attributeType>1</attributeType><operator>1</operator><value>{unknown}</value></rule></or>"
     "</and>", "departmentId"),
    ("<and><or><rule><attributeType>2</attributeType><operator>2</operator><value>{group}</value></rule></or></and>",
     "operator"),
    ("<and><or><rule><attributeType>3</attributeType><operator>1</operator><value>x</value></rule></or></and>",
     "attributeId"),
    ("", "and"),
])
def test_bad_rules_are_a_400_naming_the_field_and_store_nothing(client, rules, field):
    world = world_of(client)
    before = len(world.groups)
    data = xml(f"<name>Bad</name><rules>{rules.format(unknown=UNKNOWN, group=world.groups[0].group_id)}</rules>")
    assert field in rest_error(client.post("/group/smart", data=data, headers=XML_BODY), 400)
    assert len(world_of(client).groups) == before


def test_edit_smart_group_refuses_a_plain_group(client):
    plain = next(g for g in world_of(client).groups if not g.is_smart)
    rules = {"and": [{"or": [{"rule": {"attributeType": 3, "attributeId": "LOGIN", "operator": 1, "value": "x"}}]}]}
    assert "not a smart group" in rest_error(client.post(f"/group/smart/{plain.group_id}", json={"rules": rules},
                                                         headers=JSON), 400, json=True)


# --- SOAP -----------------------------------------------------------------------------------------------------------


def test_soap_get_groups_is_the_docs_group_id_and_name(client):
    world = world_of(client)
    data = soap_result(call(client, "getGroups"), "GetGroupsResult")
    assert data == {"group": [{"groupId": g.group_id, "name": g.name} for g in world.groups]}


def test_soap_add_smart_group_with_the_docs_nesting(client):
    world = world_of(client)
    top = world.departments[0].department_id
    body = (f'<?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope '
            f'xmlns:SOAP-ENV="https://schemas.xmlsoap.org/soap/envelope/" xmlns="{TNS}"><SOAP-ENV:Body>'
            f'<AddSmartGroupRequest><credentials><token>p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE</token>'
            f'</credentials><name> NEW GROUP</name><rules><and><or><rule><attributeType>1</attributeType>'
            f'<operator>2</operator><value>{top}</value></rule></or></and></rules></AddSmartGroupRequest>'
            f'</SOAP-ENV:Body></SOAP-ENV:Envelope>')
    response = client.post("/api/v2/soap/2.0", data=body, headers={"Content-Type": "text/xml; charset=utf-8",
                                                                 "SOAPAction": '"AddSmartGroup"'})
    group_id = soap_result(response, "AddSmartGroupResult")["groupId"]
    detail = client.get(f"/group/{group_id}", headers=JSON).get_json()
    assert (detail["name"], detail["isSmart"]) == ("NEW GROUP", True)
    assert detail["userIds"] == [u.user_id for u in world.learners]


def test_soap_add_smart_group_with_a_bad_rule_is_wrong_parameters_and_stores_nothing(client):
    from .helpers.ispring_wire import soap_fault

    before = len(world_of(client).groups)
    rules = {"and": [{"or": [{"rule": {"attributeType": 4, "operator": 1, "value": "x"}}]}]}
    soap_fault(call(client, "addSmartGroup", name="Bad", rules=rules), "Wrong parameters")
    assert len(world_of(client).groups) == before


@pytest.mark.parametrize("rule", ['<or xsi:nil="true"/>', "<or/>", '<or><rule xsi:nil="true"/></or>'])
def test_soap_add_smart_group_with_an_empty_or_is_wrong_parameters(client, rule):
    """Found by the WSDL fuzzer (tests/test_fuzz_soap.py): an `or` with no rule was a `server` / `Internal Error`."""
    from .helpers.ispring_wire import soap_fault

    before = len(world_of(client).groups)
    body = (f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns="{TNS}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Body><AddSmartGroupRequest>'
            f'<credentials><token>p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE</token></credentials><name>G</name>'
            f'<rules><and>{rule}</and></rules></AddSmartGroupRequest></SOAP-ENV:Body></SOAP-ENV:Envelope>')
    soap_fault(client.post("/api/v2/soap/2.0", data=body, headers={"Content-Type": "text/xml; charset=utf-8"}),
               "Wrong parameters")
    assert len(world_of(client).groups) == before
