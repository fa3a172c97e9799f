"""Every row of both vendor tables, checked from the row alone: a new row is picked up with no edit here.

For each row: it answers 2xx at each of its routes with a body that conforms to its contract (iSpring REST in XML
and in JSON, SOAP at both endpoints); it refuses a missing and a bad credential in its vendor's shape; a list pages
the way every list of its vendor pages; it is in the OpenAPI document (REST rows) and in `mockserver contract list`.
The expectations are the vendors' documented behaviour, written once per vendor below, never per route.

Path parameters, IDs in bodies and required SOAP values are filled from the world: a name is read off a world entity
(`courseSerial` -> Course.serial or Batch.course_serial, `employeeID` -> Person.employee_id, `learnerIds` ->
Enrollment.learner_id ...), all the names of a request off one entity, so they belong together; the first entity
(in world order) whose values the row answers 2xx to is used, preferring, for a list, one with several items.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from click.testing import CliRunner
from lxml import etree

from mockserver.contracts.base import violations
from mockserver.contracts.ruangkerja import ErrorSchema as RuangkerjaErrorSchema
from mockserver.api.operation import Operation, openapi_path
from mockserver.cli import main
from mockserver.contract.vendors import VENDORS
from mockserver.ispring.soap.types import soap_types
from mockserver.wings import WINGS
from mockserver.world import World
from mockserver.world.store import ENTITY_TYPES

from .helpers.apps import SEED, make_app, renew
from .helpers.ispring_wire import SOAP_ENV, envelope, rest_error, rest_xml, soap_fault, soap_result
from .helpers.ruangkerja_docs import ASSIGNMENT, TAGS, USERS

# A write whose body is a marshmallow schema sends its doc page's example body (the first one the docs give).
DOC_BODIES: dict[str, dict] = {}
for _doc in (*USERS, *TAGS, ASSIGNMENT):
    if _doc.body is not None:
        DOC_BODIES.setdefault(_doc.operation, json.loads(_doc.body))
# The docs' Create User makes John Doe, whom every world holds (10101): the same body for a new employee.
DOC_BODIES["create_user"] = {**DOC_BODIES["create_user"], "employeeID": "EMPLY9001",
                             "email": "table.suite@ruangkerja-mock.id"}

ROWS = [op for wing in WINGS if wing.NAME in VENDORS for op in wing.OPERATIONS]
REST = [op for op in ROWS if op.soap is None]
SOAP = [op for op in ROWS if op.soap is not None]
GUARDED = [op for op in ROWS if not op.public]
LISTS = [op for op in REST if op.is_list]

DERIVED = ("learners", "departments", "groups", "roles", "tasks",  # iSpring's own records, derived at load
           "subscribers",  # webhook subscribers (world/webhooks.py)
           "memberships")  # (not in the file); memberships: a (group, user) pair, for a request naming both
DERIVED += ("trainings", "training_sessions", "training_days", "content_assignments",  # --- training ---
            "assignment_attempts")
FIXED_DATE = "2030-01-01"  # a date value a request needs: after today, so no due date falls before it
BAD_TOKEN = "not-a-token-of-this-server"
ACCEPT = {"xml": {"Accept": "application/xml"}, "json": {"Accept": "application/json"}}


# --- the vendors, once each ---------------------------------------------------------------------------------------


def formats(op: Operation) -> tuple[str, ...]:
    """The representations a row answers in: iSpring REST in XML and JSON, Ruangkerja JSON, SOAP its envelope."""
    if op.soap is not None:
        return ("soap",)
    return ("xml", "json") if op.vendor == "ispring" else ("json",)


def credentials(config, vendor: str, kind: str = "valid") -> dict:
    """The Authorization header: the vendor's static token (Ruangkerja raw as its docs send it, iSpring Bearer),
    a token the server never issued, or none."""
    if kind == "missing":
        return {}
    token = BAD_TOKEN if kind == "bad" else getattr(config, f"{vendor}_static_tokens")[0]
    return {"Authorization": token if vendor == "ruangkerja" else f"Bearer {token}"}


def soap_credentials(config, kind: str = "valid"):
    return {"missing": False, "bad": {"token": BAD_TOKEN}}.get(kind, {"token": config.ispring_static_tokens[0]})


def assert_conforms(op: Operation, response, fmt: str, config) -> None:
    """Status and body as the row's contract says: JSON any reading of `op.contracts` (key order included), iSpring
    XML its last contract, SOAP its result element; a row without contract answers an empty body."""
    if op.soap is not None:
        soap_result(response, op.soap_result, tns=config.ispring_soap_namespace)
        return
    assert response.status_code == op.status, response.get_data(as_text=True)
    if not op.contracts:
        assert response.get_data() == b""
        return
    if fmt == "xml":
        rest_xml(response, op.contracts[-1], op.status, root=getattr(op.xml, "root", "response"))
        return
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    found = [violations(contract, body, ordered=True) for contract in dict.fromkeys(op.contracts)]
    assert [] in found, f"{op.qualified}: the body breaks every contract of the row: {found}"


def assert_vendor_error(vendor: str, response, status: int, fmt: str = "json") -> dict:
    """A failure in the vendor's shape: Ruangkerja `{"errorCode","message","detail"}`, iSpring REST
    `<response><code/><message/></response>` or its JSON twin."""
    if vendor == "ruangkerja":
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.headers["Content-Type"] == "application/json"
        body = response.get_json()
        assert violations(RuangkerjaErrorSchema, body, ordered=True) == []
        return body
    return {"message": rest_error(response, status, json=fmt == "json")}


def assert_refused(op: Operation, response, fmt: str) -> None:
    """Ruangkerja: 403 errorCode 123; iSpring REST: 401; SOAP: the fault `Authorization failed`."""
    if op.soap is not None:
        soap_fault(response, "Authorization failed")
    elif op.vendor == "ruangkerja":
        assert assert_vendor_error("ruangkerja", response, 403)["errorCode"] == 123
    else:
        assert_vendor_error("ispring", response, 401, fmt)


# --- values from the world ----------------------------------------------------------------------------------------


def snake(name: str) -> str:
    """`courseSerial` -> course_serial, `employeeID` -> employee_id, `contentItemId` -> content_item_id."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


ALIASES = {"contentId": "contentItemId"}  # the spec's path parameter for a content item's ID


def read_off(entity, name: str):
    """The value `name` reads off `entity`: its own field (course_serial), or `<its type>_<field>` (Course.serial
    for courseSerial); None when it has neither."""
    field = snake(ALIASES.get(name, name))
    fields = entity.__slots__ if hasattr(entity, "__slots__") else vars(entity)
    if field in fields or isinstance(getattr(type(entity), field, None), property):
        return getattr(entity, field)
    kind = snake(type(entity).__name__)
    if field.startswith(kind + "_") and field[len(kind) + 1:] in fields:
        return getattr(entity, field[len(kind) + 1:])
    if field + "s" in fields and isinstance(getattr(entity, field + "s"), list):  # userId: a Group's first user_ids
        return next(iter(getattr(entity, field + "s")), None)
    return None


def is_credential(name: str) -> bool:
    return snake(name) in ("client_id", "client_secret")


def needs(op: Operation) -> tuple[str, ...]:
    """The world values a request of the row names: path parameters, required IDs of its body, required SOAP
    identifiers (a list of IDs needs one ID: `courseIds` -> courseId)."""
    found = [name for _, path in op.routes() for name in op.path_names(path)]
    schema = next(iter(op.body.values())) if op.body else None
    if isinstance(schema, dict) and op.name not in DOC_BODIES:
        found += _body_needs(schema)
    if op.soap:
        for name, spec in op.soap.params:
            if spec == "Ids!":
                found.append(singular(name))
            elif spec == "Unicode!":
                found.append(name)
    return tuple(dict.fromkeys(found))


# An ID inside an array of objects, and the name it is read off the world by: a module status's contentItemId names
# a module of the enrollment's course, and every course is its own one module (world/ispring_results.py).
ITEM_IDS = {"contentItemId": "courseId"}


def _body_needs(schema: dict, item: bool = False) -> list[str]:
    """The world IDs a body's required fields name: a list of IDs one ID, an array of objects its items' IDs."""
    found = []
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        if "example" in prop:  # sent as documented (body_value), not read off the world
            continue
        if prop.get("type") == "array" and prop.get("items", {}).get("type") == "object":
            found += _body_needs(prop["items"], item=True)
        elif prop.get("type") == "array":
            found.append(singular(name))
        elif prop.get("type") == "string" and not ("enum" in prop or prop.get("format", "uuid") != "uuid"
                                                   or is_credential(name)):  # a UUID is an ID of the world
            found.append(ITEM_IDS.get(name, name) if item else name)
    return found


def bindings(world, names: tuple[str, ...]):
    """Every set of values for `names` that one world entity holds, in world order, each once."""
    if not names:
        yield {}
        return
    seen = set()
    for kind in (*ENTITY_TYPES, *DERIVED, "company"):
        entities = world.enrollments.values() if kind == "enrollments" else \
            [world.company] if kind == "company" else getattr(world, kind)
        for entity in list(entities):
            values = tuple(read_off(entity, name) for name in names)
            if None not in values and values not in seen:
                seen.add(values)
                yield dict(zip(names, values))


def body_value(op: Operation, name: str, schema: dict, values: dict, config):
    if "example" in schema:  # a value the row's schema documents (a password, a new user's login: not in the world)
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    if is_credential(name):
        client_id, secret = getattr(config, f"{op.vendor}_clients")[0].split(":", 1)
        return client_id if snake(name) == "client_id" else secret
    if schema.get("type") == "array" and schema.get("items", {}).get("type") == "object":
        item = schema["items"]
        return [{key: body_value(op, key, item["properties"][key], {**values, key: values.get(ITEM_IDS.get(key, key))},
                                 config) for key in item.get("required", [])}]
    if schema.get("type") == "array":
        return [values[singular(name)]]
    if schema.get("format") in ("date", "date-time"):
        return FIXED_DATE
    if schema.get("type") in ("integer", "number"):
        return schema.get("minimum", 0)
    if schema.get("type") == "boolean":
        return False
    return values[name]


def soap_value(name: str, spec: str, values: dict, config):
    kind = spec.rstrip("!?*")
    if kind == "Ids":
        return [values[singular(name)]]
    if kind == "Unicode":
        return values[name]
    example = getattr(getattr(soap_types(config.ispring_soap_namespace), kind, None), "EXAMPLE", None)
    if example is not None:  # a complex value (addSmartGroup's rules): the type's own example
        return example
    if kind in ("DocsDate", "DocsDateTime"):
        return FIXED_DATE
    if kind in ("Login", "Email"):  # a new user's: no user of the world has it
        return "new.learner" + ("@example.com" if kind == "Email" else "")
    choices = getattr(getattr(soap_types(config.ispring_soap_namespace), kind, None), "Attributes", None)
    if choices is not None and choices.values:
        return list(choices.values)[0]
    raise AssertionError(f"teach tests/test_operations.py a value of SOAP type {spec} ({name})")


def required_soap_param(spec: str, config) -> bool:
    """`X!`, or a bare type declared required (`DueDateType`)."""
    if spec[-1] in "?*!":
        return spec[-1] == "!"
    declared = getattr(soap_types(config.ispring_soap_namespace), spec, None)
    return declared is not None and declared.Attributes.min_occurs >= 1


# --- requests -----------------------------------------------------------------------------------------------------


def request(client, op: Operation, route: tuple[str, str], values: dict, fmt: str, auth: str = "valid",
            query: dict | None = None):
    """The row's call at `route` with `values`: required paging (Ruangkerja page 1 of 100 unless `query` says),
    a complete body in the row's first media type (XML for an XML answer where the row takes XML), `auth`
    credentials (valid, bad, missing), and the Accept of `fmt`."""
    method, path = route
    config = client.application.extensions["mockserver"].config
    if op.soap is not None:
        params = {name: soap_value(name, spec, values, config) for name, spec in op.soap.params
                  if required_soap_param(spec, config)}
        data = envelope(op.name.removeprefix("soap."), credentials=soap_credentials(config, auth),
                        tns=config.ispring_soap_namespace, **params)
        return client.open(path, method=method, data=data, headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{op.soap_request.removesuffix("Request")}"'})
    url = "/".join(str(values[part[1:]]) if part.startswith(":") else part for part in path.split("/"))
    headers = {**ACCEPT.get(fmt, {}), **({} if op.public else credentials(config, op.vendor, auth))}
    if query is None:  # Ruangkerja lists require page and pageSize
        query = {"page": 1, "pageSize": 100} if op.vendor == "ruangkerja" and op.paging else {}
    query = {**{p.name: p.example for p in op.params if p.required}, **query}  # a required one: its documented value
    kwargs = {}
    if op.body:
        media = "application/xml" if fmt == "xml" and "application/xml" in op.body else next(iter(op.body))
        schema = op.body[media]
        body = DOC_BODIES[op.name] if op.name in DOC_BODIES else {
            name: body_value(op, name, schema["properties"][name], values, config)
            for name in schema.get("required", [])}
        if media == "application/json":
            kwargs["json"] = body
        elif media == "application/xml":
            kwargs["data"] = xml_body(body)
            headers["Content-Type"] = media
        else:
            kwargs["data"] = body
    return client.open(url, method=method, headers=headers, query_string=query, **kwargs)


def xml_body(fields: dict) -> bytes:
    """The iSpring `<request>`: lists as `<courseIds><id>..</id></courseIds>`, objects as nested elements
    (`<fields><login>..</login></fields>`), booleans as true/false."""
    root = etree.Element("request")
    for name, value in fields.items():
        _xml_field(root, name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _xml_field(parent, name: str, value) -> None:
    """IDs as `<id>` items; an object's fields nested; an array of objects the element repeated (the spec's
    unwrapped arrays: `<rules><and><or><rule>...`)."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            _xml_field(parent, name, item)
        return
    element = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_field(element, key, inner)
    elif isinstance(value, list):
        for item in value:
            etree.SubElement(element, "id").text = item
    else:
        element.text = str(value).lower() if isinstance(value, bool) else str(value)


def items_of(op: Operation, response) -> list:
    """A list row's items in a JSON answer: Ruangkerja's `data` page (or bare list), iSpring's `items_key`."""
    body = response.get_json()
    if op.vendor == "ruangkerja":
        data = body["data"]
        return data if isinstance(data, list) else data["items"]
    return body[op.items_key]


# --- fixtures -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_json():
    """A smaller world than the other suites' (every kind of entity, lists of a few pages): the suite stays fast."""
    return World.build(SEED, 60, 12).to_json()


@pytest.fixture(scope="module")
def read_app(world_json, tmp_path_factory):
    """One app for every row that writes nothing."""
    return make_app(world_json, tmp_path_factory.mktemp("read"))


@pytest.fixture(scope="module")
def paged_app(world_json, tmp_path_factory):
    """--ruangkerja-user-activity paginated: the "bare" rows answer the page object."""
    return make_app(world_json, tmp_path_factory.mktemp("paged"), ruangkerja_user_activity="paginated")


@pytest.fixture(scope="module")
def write_app(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("write-app"))


@pytest.fixture
def client_for(read_app, write_app, world_json, tmp_path_factory):
    """A test client for the row: the shared app for reads, for a write the write app on a pristine world and state."""
    def client(op: Operation):
        if op.write:
            return renew(write_app, world_json, tmp_path_factory.mktemp("write")).test_client()
        return read_app.test_client()
    return client


VALUES: dict[str, dict] = {}


@pytest.fixture(scope="module")
def probe_app(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("probe-app"))


@pytest.fixture
def values_for(read_app, probe_app, world_json, tmp_path_factory):
    """The values (path parameters, IDs) the row answers 2xx to: the first in world order, preferring, for a list,
    one with at least two items. Found once per row, on a pristine app when the row writes."""
    def values(op: Operation) -> dict:
        if op.qualified not in VALUES:  # probed on an app of its own: a write's probe must not touch the test's app
            client = (renew(probe_app, world_json, tmp_path_factory.mktemp("probe")) if op.write else read_app) \
                .test_client()
            world = client.application.extensions["mockserver"].world
            fallback = None
            fmt = "json" if op.soap is None else "soap"
            for n, candidate in enumerate(bindings(world, needs(op))):
                response = request(client, op, op.routes()[0], candidate, fmt)
                if response.status_code == op.status:
                    fallback = fallback or candidate
                    if not op.is_list or len(items_of(op, response)) >= 2:
                        break
                assert n < 2000, f"{op.qualified}: no world value among the first 2000 gets a {op.status}"
            else:
                candidate = fallback
            assert candidate is not None, (f"{op.qualified}: no world entity holds values for {needs(op)} that the "
                                           f"row answers {op.status} to")
            VALUES[op.qualified] = candidate
        return VALUES[op.qualified]
    return values


def each(ops):
    """pytest params per row, route and format, with readable ids: ispring.GetEnrollment-json,
    ruangkerja.generate_access_token-GET /oauth/token (a route past the row's own)."""
    params = []
    for op in ops:
        for n, route in enumerate(op.routes()):
            for fmt in formats(op):
                parts = [op.qualified, *([f"{route[0]} {route[1]}"] if n else []),
                         *([fmt] if len(formats(op)) > 1 else [])]
                params.append(pytest.param(op, route, fmt, id="-".join(parts)))
    return params


# --- served, and conforming ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("op, route, fmt", each(ROWS))
def test_row_is_served_and_its_answer_conforms(op, route, fmt, client_for, values_for):
    client = client_for(op)
    response = request(client, op, route, values_for(op), fmt)
    assert 200 <= op.status < 300
    assert_conforms(op, response, fmt, client.application.extensions["mockserver"].config)


# --- credentials --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("op, route, fmt", each(GUARDED))
def test_row_refuses_missing_and_bad_credentials(op, route, fmt, client_for, values_for):
    client = client_for(op)  # a refusal stores nothing: one client for both
    values = values_for(op)
    for auth in ("missing", "bad"):
        assert_refused(op, request(client, op, route, values, fmt, auth=auth), fmt)
        if op.vendor == "ispring" and op.soap is None and fmt == "xml":  # XML is iSpring's default, with no Accept
            response = request(client, op, route, values, "default", auth=auth)
            assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
            assert_refused(op, response, "xml")


# --- paging -------------------------------------------------------------------------------------------------------


def ruangkerja_page(client, op, values, number, size):
    response = request(client, op, op.routes()[0], values, "json", query={"page": number, "pageSize": size})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "success"
    return body["data"]


def walk_size(total: int) -> int:
    """A page size that splits `total` items into at least two pages, the last one short where it can."""
    return min(7, max(1, total - 1))


@pytest.mark.parametrize("op", [p for p in LISTS if p.vendor == "ruangkerja"], ids=lambda op: op.qualified)
def test_ruangkerja_list_pages(op, read_app, paged_app, values_for):
    """The page object: totalItems = the items over all pages, totalPage = ceil(totalItems / pageSize), page k holds
    items (k-1)*pageSize... of the one-page list, none twice. A "bare" row answers it under
    --ruangkerja-user-activity paginated, and by default the bare list of the same page's items."""
    values = values_for(op)
    assert op.paging in ("pages", "bare"), f"teach this test Ruangkerja paging {op.paging!r}"
    paged = paged_app.test_client()
    whole = ruangkerja_page(paged, op, values, 1, 100)
    total = whole["totalItems"]
    assert whole["totalPage"] == math.ceil(total / 100) and whole["currentPage"] == 1
    size = walk_size(total)
    pages = [ruangkerja_page(paged, op, values, n, size) for n in range(1, math.ceil(total / size) + 1)]
    for n, page in enumerate(pages, 1):
        assert (page["currentPage"], page["totalItems"], page["totalPage"]) == (n, total, math.ceil(total / size))
        assert len(page["items"]) == (size if n < len(pages) else total - size * (len(pages) - 1))
    walked = [item for page in pages for item in page["items"]]
    assert len(walked) == total
    assert len({json.dumps(i, sort_keys=True) for i in walked}) == total, "an item on two pages"
    if total <= 100:
        assert walked == whole["items"]
    after = ruangkerja_page(paged, op, values, len(pages) + 1, size)
    assert after["items"] == [] and after["totalItems"] == total
    if op.paging == "bare":
        default = read_app.test_client()
        for n, page in enumerate(pages, 1):
            assert ruangkerja_page(default, op, values, n, size) == page["items"]


@pytest.mark.parametrize("query", [{"page": 1, "pageSize": 101}, {"page": 0, "pageSize": 10}, {"pageSize": 10},
                                   {"page": 1}, {"page": 1, "pageSize": 0}, {"page": "x", "pageSize": 10}],
                         ids=["pageSize-101", "page-0", "no-page", "no-pageSize", "pageSize-0", "page-x"])
@pytest.mark.parametrize("op", [p for p in LISTS if p.vendor == "ruangkerja"], ids=lambda op: op.qualified)
def test_ruangkerja_list_refuses_bad_paging(op, query, read_app, values_for):
    """page and pageSize are required positive integers, pageSize at most 100: 400 BAD_REQUEST otherwise."""
    response = request(read_app.test_client(), op, op.routes()[0], values_for(op), "json", query=query)
    body = assert_vendor_error("ruangkerja", response, 400)
    assert (body["errorCode"], body["message"]) == (400, "BAD_REQUEST")


@pytest.mark.parametrize("op", [p for p in LISTS if p.vendor == "ispring"], ids=lambda op: op.qualified)
def test_ispring_list_pages(op, read_app, values_for):
    """Token lists: walking nextPageToken at pageSize=7 gives exactly the unpaged list, none twice, every page full
    but the last, which has no token. Unpaged lists: every entity of the kind, no token."""
    client, values = read_app.test_client(), values_for(op)
    route = op.routes()[0]
    unpaged = request(client, op, route, values, "json")
    assert unpaged.status_code == 200 and "nextPageToken" not in unpaged.get_json()
    everything = items_of(op, unpaged)
    assert len({json.dumps(i, sort_keys=True) for i in everything}) == len(everything), "an item listed twice"
    if op.paging is None:
        world = read_app.extensions["mockserver"].world
        kind = getattr(world, op.items_key, None)
        if kind is not None:
            assert len(everything) == len(kind), f"an unpaged {op.items_key} list leaves some out"
        return
    assert op.paging == "token", f"teach this test iSpring paging {op.paging!r}"
    walked, token, pages = [], None, 0
    while True:
        response = request(client, op, route, values, "json",
                           query={"pageSize": 7, **({"pageToken": token} if token else {})})
        assert response.status_code == 200, response.get_data(as_text=True)
        body, pages = response.get_json(), pages + 1
        walked += body[op.items_key]
        token = body.get("nextPageToken")
        if token is None:
            assert 0 < len(body[op.items_key]) <= 7 or not everything
            break
        assert len(body[op.items_key]) == 7
        assert pages <= len(everything), "the tokens never end"
    assert walked == everything
    assert pages == max(1, math.ceil(len(everything) / 7))
    exact = request(client, op, route, values, "json", query={"pageSize": len(everything) or 1})
    assert "nextPageToken" not in exact.get_json(), "a page that ends the list exactly still gives a token"
    assert items_of(op, exact) == everything


# --- described ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_document(read_app):
    response = read_app.test_client().get("/__admin/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("op", REST, ids=lambda op: op.qualified)
def test_rest_row_is_in_the_openapi_document(op, served_document):
    for n, (method, path) in enumerate(op.routes()):
        operation = served_document["paths"][openapi_path(path)][method.lower()]
        assert operation["operationId"] == (op.name if n == 0 else f"{op.name}_{method.lower()}")
        assert str(op.status) in operation["responses"]
        assert {p["name"] for p in operation["parameters"] if p["in"] == "path"} == set(op.path_names(path))


def operation_ids(ops) -> list[str]:
    """A REST row's operationId, and `<name>_<method>` for each alias route of `op.also`."""
    return [name for op in ops for name in [op.name, *(f"{op.name}_{method.lower()}" for method, _ in op.also)]]


def test_openapi_operation_ids_are_exactly_the_rest_rows(served_document):
    """The vendors' operations of the document (every path but the mock's own /__admin) are the REST rows."""
    described = [o["operationId"] for path, item in served_document["paths"].items() for o in item.values()
                 if not path.startswith("/__admin")]
    assert sorted(described) == sorted(operation_ids(REST))
    assert not {op.name for op in SOAP} & set(described), "SOAP rows are the WSDL's, not the OpenAPI document's"


@pytest.fixture(scope="module")
def listed():
    result = CliRunner().invoke(main, ["contract", "list"])
    assert result.exit_code == 0, result.output
    return [line.split()[0] for line in result.output.splitlines()[1:] if line.strip()]


@pytest.mark.parametrize("op", ROWS, ids=lambda op: op.qualified)
def test_row_is_in_the_contract_list(op, listed):
    assert op.qualified in listed


# --- routing errors, by the owner of the path ---------------------------------------------------------------------


def test_unknown_path_is_an_ispring_404(read_app):
    client = read_app.test_client()
    response = client.get("/nope")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert rest_error(response, 404)
    assert [c.tag for c in etree.fromstring(response.get_data())] == ["code", "message"]
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert rest_error(response, 404, json=True)
    assert list(response.get_json()) == ["code", "message"]


def test_unknown_ruangkerja_path_is_a_ruangkerja_404(read_app):
    body = assert_vendor_error("ruangkerja", read_app.test_client().get("/ruangkerja/nope"), 404)
    assert (body["errorCode"], body["message"]) == (404, "NOT_FOUND") and body["detail"]


def served_methods(path: str) -> set[str]:
    """The methods some row serves at this path's URL: its own rows', and those of a row whose parameter takes the
    URL's static part (DELETE /group/smart is RemoveGroup's DELETE /group/{groupId})."""
    url = path.replace(":", "x-")
    return {method for wing in WINGS for op in wing.OPERATIONS for method, p in op.routes()
            if p == path or re.fullmatch(re.sub(r":[^/]+", "[^/]+", p), url)}


@pytest.mark.parametrize("op, route, fmt", each(ROWS))
def test_wrong_method_is_a_405_in_the_owners_shape(op, route, fmt, read_app):
    served = served_methods(route[1])
    method = next(m for m in ("DELETE", "PUT", "PATCH") if m not in served)
    response = read_app.test_client().open(route[1].replace(":", "x-"), method=method, headers=ACCEPT.get(fmt, {}))
    assert response.status_code == 405, response.get_data(as_text=True)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert served <= allowed and method not in allowed
    if op.soap is not None:
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        fault = etree.fromstring(response.get_data()).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
        assert fault is not None and fault.findtext("faultcode") == "client"
    elif op.vendor == "ruangkerja":
        body = assert_vendor_error("ruangkerja", response, 405)
        assert (body["errorCode"], body["message"]) == (405, "METHOD_NOT_ALLOWED")
    else:
        assert_vendor_error("ispring", response, 405, fmt)


# --- content ---
# The courses tree (folders and items, derived at load): CreateContent's contentType and folder_id read off one entry.
DERIVED += ("content_tree",)
