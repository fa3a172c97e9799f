"""Hypothesis fuzzes every SOAP operation from the WSDL's own types (slow: .ci/run).

The WSDL is fetched from the mock in-process (`GET /api/v2/soap/2.0?wsdl`) and read with lxml: each operation's
request element, its type's elements in their sequence order with minOccurs, maxOccurs and nillable, and their XSD
types down to the simple ones (xs:string, xs:int, xs:boolean, xs:date, xs:dateTime, enumerations). From that,
strategies draw envelopes:
- valid: every required element, optional ones or not, lists of 1-3 items, values of their type (IDs drawn half of
  the time from the world's real records, so the fuzzer reaches real answers, not only faults), the vendor's
  credentials;
- invalid: a valid envelope broken once, anywhere in it: a required element dropped, a single one repeated, the
  sequence's order reversed, an unknown element added, a value not of its type (or out of its enumeration or of
  xs:int's range), text where elements belong or elements where text does, xsi:nil on an element that is not
  nillable, the request in another namespace.

Sent through the Flask test client to the app with its contracts checked on the way out (a body breaking its contract
would be a 500 the check below sees). Every answer is either a 200 whose result is the operation's output element,
valid against the WSDL's schema and against its contract in mockserver/contracts (SOAP_RESULTS) where it has one, or a
documented SOAP fault: `client`, a documented faultstring (never `server` / `Internal Error`); never another status,
never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mockserver.contracts.base import violations
from mockserver.contracts.ispring import SOAP_RESULTS, SoapFaultSchema
from mockserver.contracts.xml import xml_data

from .helpers.fuzzing import fuzz_app
from .helpers.ispring_wire import LEGACY_CREDENTIALS, SOAP_ENV, SOAP_PATH

pytestmark = pytest.mark.slow

EXAMPLES = 50  # per operation and kind (valid, invalid): about a minute for the module
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
NS = {"xs": XS, "wsdl": WSDL_NS, "soap": SOAP_BINDING}

APP, WORLD, CONFIG = fuzz_app()
CLIENT = APP.test_client()


# --- the WSDL, read ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    name: str
    type: str  # "xs:int", or a type of the schema by its local name
    min: int
    max: int | None  # None: unbounded
    nillable: bool


@dataclass
class Wsdl:
    tns: str
    complex: dict[str, list[Element]] = field(default_factory=dict)  # type -> its sequence
    simple: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # type -> (base, enumeration)
    operations: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # op -> in, in type, out, action
    schema: etree.XMLSchema | None = None


def _local(qname: str) -> str:
    return qname.split(":", 1)[1] if qname.startswith("tns:") else qname


def read_wsdl(document: bytes) -> Wsdl:
    root = etree.fromstring(document)
    (schema,) = root.iterfind(f"{{{WSDL_NS}}}types/{{{XS}}}schema")
    wsdl = Wsdl(tns=schema.get("targetNamespace"))
    for kind in schema.iterfind(f"{{{XS}}}complexType"):
        wsdl.complex[kind.get("name")] = [
            Element(e.get("name"), _local(e.get("type")), int(e.get("minOccurs", "1")),
                    None if e.get("maxOccurs") == "unbounded" else int(e.get("maxOccurs", "1")),
                    e.get("nillable") == "true")
            for e in kind.iterfind(f"{{{XS}}}sequence/{{{XS}}}element")]
        assert len(kind) <= 1 and all(c.tag == f"{{{XS}}}sequence" for c in kind), "a type beyond a sequence"
    for kind in schema.iterfind(f"{{{XS}}}simpleType"):
        (restriction,) = kind.iterfind(f"{{{XS}}}restriction")
        wsdl.simple[kind.get("name")] = (restriction.get("base"),
                                         [e.get("value") for e in restriction.iterfind(f"{{{XS}}}enumeration")])
    elements = {e.get("name"): _local(e.get("type")) for e in schema.iterfind(f"{{{XS}}}element")}
    messages = {m.get("name"): _local(m.find(f"{{{WSDL_NS}}}part").get("element"))
                for m in root.iterfind(f"{{{WSDL_NS}}}message")}
    actions = {o.get("name"): o.find(f"{{{SOAP_BINDING}}}operation").get("soapAction")
               for o in root.iterfind(f"{{{WSDL_NS}}}binding/{{{WSDL_NS}}}operation")}
    for op in root.iterfind(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation"):
        request = messages[_local(op.find(f"{{{WSDL_NS}}}input").get("message"))]
        result = messages[_local(op.find(f"{{{WSDL_NS}}}output").get("message"))]
        wsdl.operations[op.get("name")] = (request, elements[request], result, actions[op.get("name")])
    wsdl.schema = etree.XMLSchema(etree.fromstring(etree.tostring(schema)))  # a document of its own: its
    #                                 QName values (type="tns:…") keep the prefixes the WSDL declares
    return wsdl


WSDL = read_wsdl(CLIENT.get(SOAP_PATH + "?wsdl").get_data())


# --- strategies --------------------------------------------------------------------------------------------------------

# The world's real IDs, drawn half of the time for an element named like one (and for any string now and then).
def _world_ids() -> dict[str, list[str]]:
    learners = [p.user_id for p in WORLD.people][:40]
    return {
        "enrollment": sorted(WORLD.enrollments)[:40],
        "course": [c.content_item_id for c in WORLD.content_items],
        "contentitem": [c.content_item_id for c in WORLD.content_items],
        "learner": learners, "user": learners, "supervisor": learners,
        "department": [d.department_id for d in WORLD.departments][:40],
        "group": [g.group_id for g in WORLD.groups],
        "training": [t.training_id for t in WORLD.trainings],
    }


IDS = _world_ids()
ANY_ID = sorted({i for found in IDS.values() for i in found})  # for a string named like no ID (a rule's `value`)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r "),
               max_size=40).filter(lambda s: "\ufffe" not in s and "\uffff" not in s)
XS_VALID = {
    "xs:int": st.one_of(st.integers(0, 10), st.integers(-2**31, 2**31 - 1)).map(str),  # small ones are codes
    "xs:boolean": st.sampled_from(["true", "false", "1", "0"]),
    "xs:date": st.dates().map(lambda d: f"{d:%Y-%m-%d}" if d.year >= 1000 else "2020-01-01"),
    "xs:dateTime": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S") if d.year >= 1000
                                      else "2020-01-01T00:00:00"),
}
XS_INVALID = {
    "xs:int": st.sampled_from(["", "x", "1.5", "2147483648", "-2147483649", "9" * 40, "0x10", "١٢"]),
    "xs:boolean": st.sampled_from(["", "yes", "TRUE", "2", "x"]),
    "xs:date": st.sampled_from(["", "2020-13-01", "2020-02-30", "01/02/2020", "0000-00-00", "9999-99-99", "x"]),
    "xs:dateTime": st.sampled_from(["", "2020-01-01T25:00:00", "2020-01-01 10:00", "x", "99999-01-01T00:00:00"]),
    "xs:string": TEXT.map(lambda s: s * 50) | st.sampled_from(["", " ", "\u00a0", "<", "&amp;", "\U0001f600"]),
}


def _id_key(name: str) -> str | None:
    key = name.lower().removesuffix("ids").removesuffix("id")
    return key if key in IDS else None


def text_of(element: Element, type_: str, parent: str) -> st.SearchStrategy[str]:
    """A valid text for a simple type; a string named like an ID (or an `id` item of a list named so) is the world's
    half of the time, an `email` an address, a `login` a login."""
    if type_ in WSDL.simple:
        base, enumeration = WSDL.simple[type_]
        return st.sampled_from(enumeration) if enumeration else XS_VALID.get(base, TEXT)
    if type_ != "xs:string":
        return XS_VALID[type_]
    if element.name == "accountUrl":
        return st.just(LEGACY_CREDENTIALS["accountUrl"]) | TEXT
    if element.name == "email":
        return st.emails() | TEXT
    if element.name == "login":
        return st.from_regex(r"[a-z][a-z0-9.]{2,15}", fullmatch=True) | TEXT
    key = _id_key(parent if element.name == "id" else element.name)
    return st.one_of(st.sampled_from(IDS[key]), TEXT) if key else st.one_of(TEXT, st.sampled_from(ANY_ID))


# A node: (name, text, the Element it was drawn for, its children[, "nil"]); text None for a complex type's element.
Node = tuple


@st.composite
def nodes_of(draw, element: Element, depth: int, parent: str) -> list[Node]:
    """The occurrences of `element`: 0 or 1 when optional, 1-3 when repeated (at least minOccurs)."""
    top = 3 if element.max is None else element.max
    low = element.min
    count = draw(st.integers(low, max(low, min(top, 3 if depth < 3 else low))))
    return [draw(node_of(element, depth, parent)) for _ in range(count)]


@st.composite
def node_of(draw, element: Element, depth: int, parent: str) -> Node:
    if element.nillable and draw(st.integers(0, 9)) == 0:  # xsi:nil, which the WSDL allows here
        return (element.name, "", element, [], "nil")
    if element.type in WSDL.complex:
        return (element.name, None, element, draw(children_of(element.type, depth + 1, element.name)))
    return (element.name, draw(text_of(element, element.type, parent)), element, [])


@st.composite
def children_of(draw, type_: str, depth: int = 0, parent: str = "") -> list[Node]:
    found: list[Node] = []
    for element in WSDL.complex[type_]:
        if element.name == "credentials":  # optional in the WSDL, yet every call but a refused one sends it
            given = draw(credentials())
            if given is not None:
                found.append(("credentials", None, element, [(k, v, None, []) for k, v in given.items()]))
            continue
        found += draw(nodes_of(element, depth, parent))
    return found


def credentials():
    """The vendor's login mostly; now and then a wrong one, an empty one or none (an `Authorization failed` fault)."""
    wrong = st.fixed_dictionaries({"accountUrl": st.just(LEGACY_CREDENTIALS["accountUrl"]), "email": TEXT,
                                   "password": TEXT}) | st.fixed_dictionaries({"token": TEXT})
    return st.integers(0, 9).flatmap(lambda n: st.just(LEGACY_CREDENTIALS) if n < 7 else
                                     wrong if n == 7 else st.sampled_from([{}, None]))


def _paths(children: list[Node], prefix=()) -> list[tuple]:
    """Index paths to every node, depth first."""
    found = []
    for i, node in enumerate(children):
        found.append(prefix + (i,))
        found += _paths(node[3], prefix + (i,))
    return found


def _at(children: list[Node], path: tuple) -> tuple[list[Node], int]:
    """(the list holding the node at `path`, its index there)."""
    for i in path[:-1]:
        children = children[i][3]
    return children, path[-1]


MUTATIONS = ("drop", "repeat", "reverse", "unknown", "badtype", "text_in_complex", "element_in_simple", "nil",
             "namespace")


@st.composite
def broken(draw, children: list[Node]) -> tuple[list[Node], str]:
    """`children` broken once, and how."""
    mutation = draw(st.sampled_from(MUTATIONS))
    paths = _paths(children)
    if mutation == "namespace" or not paths:
        return children, "namespace"
    if mutation == "reverse":
        parents = [()] + [p for p in paths if len(_at(children, p)[0][p[-1]][3]) > 1]
        parent = draw(st.sampled_from(parents))
        holder = children if parent == () else _at(children, parent)[0][parent[-1]][3]
        holder.reverse()
        return children, mutation
    if mutation == "unknown":
        parent = draw(st.sampled_from([()] + [p for p in paths if _at(children, p)[0][p[-1]][1] is None]))
        holder = children if parent == () else _at(children, parent)[0][parent[-1]][3]
        holder.insert(draw(st.integers(0, len(holder))), (draw(st.sampled_from(["unknown", "id", "Credentials"])),
                                                          draw(TEXT), None, []))
        return children, mutation
    if mutation in ("text_in_complex", "element_in_simple"):  # a node of the kind the mutation breaks, if any
        wanted = [p for p in paths if (_at(children, p)[0][p[-1]][1] is None) == (mutation == "text_in_complex")]
        paths = wanted or paths
    path = draw(st.sampled_from(paths))
    holder, i = _at(children, path)
    name, text, element = holder[i][:3]
    if mutation == "drop":
        del holder[i]
    elif mutation == "repeat":
        holder.insert(i, holder[i])
    elif mutation == "badtype":
        base = WSDL.simple.get(element.type, (element.type, []))[0] if element else "xs:string"
        if element and element.type in WSDL.simple and WSDL.simple[element.type][1]:
            bad = draw(TEXT.filter(lambda s: s not in WSDL.simple[element.type][1]))
        else:
            bad = draw(XS_INVALID.get(base, XS_INVALID["xs:string"]))
        holder[i] = (name, bad, element, [])
    elif mutation == "text_in_complex":
        holder[i] = (name, draw(TEXT) or "x", element, [])
    elif mutation == "element_in_simple":
        holder[i] = (name, None, element, [("id", draw(TEXT), None, [])])
    elif mutation == "nil":
        holder[i] = (name, "", element, [], "nil")
    return children, mutation


def build(wsdl: Wsdl, request: str, children: list[Node], namespace: str | None = None) -> bytes:
    tns = namespace or wsdl.tns
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV, "ns1": tns, "xsi": XSI})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    _fill(etree.SubElement(body, f"{{{tns}}}{request}"), children, tns)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _fill(parent: etree._Element, children: list[Node], tns: str) -> None:
    for node in children:
        name, text, _, inner = node[:4]
        child = etree.SubElement(parent, f"{{{tns}}}{name}")
        if len(node) > 4:
            child.set(f"{{{XSI}}}nil", "true")
        if text is not None:
            child.text = text
        _fill(child, inner, tns)


# --- the check ---------------------------------------------------------------------------------------------------------

FAULT = f"{{{SOAP_ENV}}}Fault"


def check(op: str, envelope: bytes) -> str:
    """The answer to `envelope` is a valid result or a documented client fault; returns which (for the tally)."""
    request, _, result, action = WSDL.operations[op]
    response = CLIENT.post(SOAP_PATH, data=envelope, headers={"Content-Type": "text/xml; charset=utf-8",
                                                                "SOAPAction": f'"{action}"'})
    body = response.get_data()
    assert b"Traceback" not in body and b"File \"" not in body, body[:2000]
    assert response.status_code in (200, 500), (response.status_code, body[:2000])
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8", response.headers
    root = etree.fromstring(body)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope" and [c.tag for c in root] == [f"{{{SOAP_ENV}}}Body"], body[:2000]
    (payload,) = root[0]
    if response.status_code == 500:
        assert payload.tag == FAULT, body[:2000]
        data = xml_data(payload, SoapFaultSchema)
        assert violations(SoapFaultSchema, data, ordered=True) == [], body[:2000]
        assert data["faultcode"] == "client" and data["faultstring"] != "Internal Error", data
        return f"fault {data['faultstring'][:40]}"
    assert payload.tag == f"{{{WSDL.tns}}}{result}", body[:2000]
    valid = WSDL.schema.validate(etree.ElementTree(payload))
    assert valid, (WSDL.schema.error_log.filter_from_errors(), body[:2000])
    if result in SOAP_RESULTS:
        data = xml_data(payload, SOAP_RESULTS[result], ns=WSDL.tns, flags=("0", "1"))  # SOAP writes 0 / 1
        assert violations(SOAP_RESULTS[result], data, ordered=True) == [], body[:2000]
    return "ok"


TALLY: dict[tuple[str, str], dict[str, int]] = {}  # (operation, kind) -> outcome -> count
# Operations whose success needs more than their types say, so valid envelopes rarely reach it (their successes are
# the operation's own tests'):
UNREACHED = {
    # a rule's attributeType, operator and value must name a department or group together (tests/test_ispring_groups.py)
    "addSmartGroup",
}
# derandomize: the same examples each run (the test's name seeds them), so that a CI failure replays on a laptop and
# the reach below holds or fails the same each time
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def test_the_wsdl_is_read_whole():
    """Every operation the mock serves is read from the WSDL, and each request type's elements are known types."""
    assert len(WSDL.operations) >= 18, sorted(WSDL.operations)
    known = set(WSDL.complex) | set(WSDL.simple) | {"xs:string", "xs:int", "xs:boolean", "xs:date", "xs:dateTime"}
    for op, (_, kind, _, _) in WSDL.operations.items():
        assert all(e.type in known for e in WSDL.complex[kind]), op


@pytest.mark.parametrize("op", sorted(WSDL.operations))
def test_valid_envelopes(op):
    request, kind, _, _ = WSDL.operations[op]
    tally = TALLY.setdefault((op, "valid"), {})

    @FUZZ
    @given(st.data())
    def run(data):
        children = data.draw(children_of(kind), label="request")
        outcome = check(op, build(WSDL, request, children))
        tally[outcome] = tally.get(outcome, 0) + 1

    run()
    if op not in UNREACHED:  # the fuzzer reached the operation's real answers, not only its faults
        assert tally.get("ok", 0) >= 1, tally


@pytest.mark.parametrize("op", sorted(WSDL.operations))
def test_invalid_envelopes(op):
    request, kind, _, _ = WSDL.operations[op]
    tally = TALLY.setdefault((op, "invalid"), {})

    @FUZZ
    @given(st.data())
    def run(data):
        children, mutation = data.draw(children_of(kind).flatmap(broken), label="request")
        namespace = "https://ispringlearn.ru/go/services/api/other" if mutation == "namespace" else None
        outcome = check(op, build(WSDL, request, children, namespace))
        tally[outcome] = tally.get(outcome, 0) + 1

    run()

