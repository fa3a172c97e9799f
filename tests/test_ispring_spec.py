"""Every REST response the mock gives, validated against the official iSpring Learn OpenAPI spec.

The spec is the vendor's, kept beside the project in ../shared/specs/ (CI has it there), never copied in: where it
is absent these tests skip and say why. JSON bodies are validated as they are; XML bodies are first read the way
the spec's own `xml` hints describe (element names, wrapped or unwrapped arrays), then validated the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from .helpers.ispring_wire import CLIENT_FORM, LEGACY_HEADERS, SMITH_ENROLLMENT, SPREADSHEETS, fresh_learner, xml_request

SPEC = Path(__file__).resolve().parents[2] / "shared" / "specs" / "ispring-learn-rest-openapi.yaml"
UNKNOWN = "00000000-0000-1000-8000-000000000000"

pytestmark = pytest.mark.skipif(not SPEC.exists(), reason=f"the vendor's OpenAPI spec is not at {SPEC} "
                                "(it lives beside the project, in ../shared/specs/, and is not ours to copy)")


@pytest.fixture(scope="module")
def spec():
    import yaml

    found = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    # The spec's one self-contradiction the mock meets: ContentItemInformation requires `viewType` but never defines
    # it (no type, no values, in no doc either), so the mock does not invent one (README).
    found["components"]["schemas"]["ContentItemInformation"]["required"].remove("viewType")
    return found


def deref(spec: dict, node: dict) -> dict:
    """Follow `$ref: '#/components/...'` to the node it names."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def response_schema(spec: dict, method: str, path: str, status: int, media: str) -> dict | None:
    """The spec's schema for this answer, or None when the spec gives the status no body."""
    responses = spec["paths"][path][method]["responses"]
    assert str(status) in responses, f"the spec lists no {status} for {method.upper()} {path}"
    content = deref(spec, responses[str(status)]).get("content")
    return None if content is None else content[media]["schema"]


def validate(spec: dict, schema: dict, data) -> None:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    validator = OAS30Validator({**schema, "components": spec["components"]}, format_checker=oas30_format_checker)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def from_xml(spec: dict, element: etree._Element, schema: dict):
    """Data read from `element` by the spec's schema and its `xml` hints (OpenAPI 3.0 XML object rules)."""
    schema = deref(spec, schema)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        data = {}
        for name, prop in schema.get("properties", {}).items():
            prop = deref(spec, prop)
            if prop.get("type") == "array":
                items = deref(spec, prop["items"])
                item_name = items.get("xml", {}).get("name", name)
                holder = element.find(name) if prop.get("xml", {}).get("wrapped") else element
                if holder is not None:
                    data[name] = [from_xml(spec, child, items) for child in holder.findall(item_name)]
            else:
                child = element.find(prop.get("xml", {}).get("name", name))
                if child is not None:
                    data[name] = from_xml(spec, child, prop)
        known = {deref(spec, p).get("xml", {}).get("name", n) for n, p in schema.get("properties", {}).items()}
        known |= {deref(spec, p.get("items", {})).get("xml", {}).get("name", n)
                  for n, p in schema.get("properties", {}).items()}
        extra = [c.tag for c in element if c.tag not in known]
        assert not extra, f"<{element.tag}> has elements the spec does not name: {extra}"
        return data
    if kind == "array":  # the element is the wrapper (`xml.wrapped`): its children are the items
        items = deref(spec, schema["items"])
        name = items.get("xml", {}).get("name")
        assert name is not None and all(c.tag == name for c in element), f"<{element.tag}> holds no <{name}> only"
        return [from_xml(spec, child, items) for child in element]
    text = element.text or ""
    if kind == "integer":
        return int(text) if text.lstrip("-").isdigit() else text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def token(client) -> str:
    return client.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]


def requests_to_check(app, client) -> list[tuple]:
    """(method, spec path, URL, headers, body) of every REST route, answered with success and with errors."""
    learner = fresh_learner(app.extensions["mockserver"].world, SPREADSHEETS)
    xml = {**LEGACY_HEADERS, "Content-Type": "application/xml"}
    return [
        ("post", "/api/v3/token", "/api/v3/token", {}, CLIENT_FORM),
        ("post", "/api/v3/token", "/api/v3/token", {}, {**CLIENT_FORM, "client_secret": "wrong"}),
        ("post", "/api/v3/token", "/api/v3/token", {}, {**CLIENT_FORM, "grant_type": "password"}),
        ("get", "/enrollment", f"/enrollment?courseIds[]={SPREADSHEETS}", LEGACY_HEADERS, None),
        ("get", "/enrollment", "/enrollment", {"Authorization": f"Bearer {token(client)}"}, None),
        ("get", "/enrollments", "/enrollments?pageSize=25", LEGACY_HEADERS, None),
        ("get", "/enrollments", "/enrollments", LEGACY_HEADERS, None),
        ("get", "/enrollments", "/enrollments?pageSize=zero", LEGACY_HEADERS, None),
        ("get", "/enrollments", "/enrollments", {"Authorization": "Bearer expired"}, None),
        ("get", "/enrollment/{enrollmentId}", f"/enrollment/{SMITH_ENROLLMENT}", LEGACY_HEADERS, None),
        ("get", "/enrollment/{enrollmentId}", f"/enrollment/{UNKNOWN}", LEGACY_HEADERS, None),
        ("post", "/enrollment", "/enrollment", xml,
         xml_request(courseIds=[SPREADSHEETS], learnerIds=[learner], dueDateType="unlimited")),
        ("post", "/enrollment", "/enrollment", xml, xml_request(courseIds=[SPREADSHEETS], dueDateType="unlimited")),
        ("post", "/enrollment/{enrollmentId}", f"/enrollment/{SMITH_ENROLLMENT}", xml,
         xml_request(accessDate="2019-09-24 10:30:00", dueDateType="unlimited")),
        ("post", "/enrollment/{enrollmentId}", f"/enrollment/{UNKNOWN}", xml,
         xml_request(accessDate="2019-09-24", dueDateType="unlimited")),
        ("post", "/enrollment/delete", "/enrollment/delete", xml, xml_request(enrollmentIds=[UNKNOWN])),
        ("post", "/enrollment/delete", "/enrollment/delete", xml, xml_request(enrollmentIds=[SMITH_ENROLLMENT])),
        ("get", "/content/{contentId}", f"/content/{SPREADSHEETS}", LEGACY_HEADERS, None),
        ("get", "/content/{contentId}", f"/content/{UNKNOWN}", LEGACY_HEADERS, None),
        *group_requests(app.extensions["mockserver"].world, xml),
    ]


def group_requests(world, xml: dict) -> list[tuple]:
    """The group reads (a plain group, the seeded smart group's rules, an unknown ID) and POST /group's bare 201."""
    plain = next(g for g in world.groups if not g.is_smart and g.user_ids)
    smart = next(g for g in world.groups if g.is_smart)
    return [
        ("get", "/group", "/group", LEGACY_HEADERS, None),
        ("get", "/groups", "/groups?pageSize=3", LEGACY_HEADERS, None),
        ("get", "/group/{groupId}", f"/group/{plain.group_id}", LEGACY_HEADERS, None),
        ("get", "/group/{groupId}", f"/group/{smart.group_id}", LEGACY_HEADERS, None),
        ("get", "/group/{groupId}", f"/group/{UNKNOWN}", LEGACY_HEADERS, None),
        ("get", "/group/smart/{groupId}/rules", f"/group/smart/{smart.group_id}/rules", LEGACY_HEADERS, None),
        ("post", "/group", "/group", xml, xml_request(name="Spec Check", userIds=plain.user_ids[:2])),
    ]


@pytest.mark.parametrize("accept", ["application/xml", "application/json"])
def test_every_rest_answer_matches_the_official_spec(spec, app, client, accept):
    checked = 0
    for method, path, url, headers, body in requests_to_check(app, client):
        sent = {"data": body} if body is not None else {}
        response = client.open(url, method=method.upper(), headers={**headers, "Accept": accept}, **sent)
        media = response.headers.get("Content-Type", "").split(";")[0]
        schema = response_schema(spec, method, path, response.status_code, media or accept)
        if schema is None:
            # The spec gives no body here. POST /enrollment's 201 carries the created IDs (seed 003; README).
            assert response.get_data() == b"" or (path, response.status_code) == ("/enrollment", 201), url
            continue
        assert media == accept, f"{url}: answered {media}, asked for {accept}"
        if media == "application/json":
            data = response.get_json()
        else:
            root = etree.fromstring(response.get_data())
            assert root.tag == deref(spec, schema).get("xml", {}).get("name", "response")
            data = from_xml(spec, root, schema)
        validate(spec, schema, data)
        checked += 1
    assert checked >= 22
