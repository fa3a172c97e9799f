"""Helpers of the iSpring tests: SOAP envelopes built with lxml, and answers checked on the wire (status, content
type, element names and order, namespaces) and against their contracts in contracts/ispring.py."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

from lxml import etree

from mockserver.contracts.base import violations
from mockserver.contracts.ispring import SOAP_RESULTS, ErrorSchema, SoapFaultSchema
from mockserver.contracts.xml import xml_data

TNS = "https://ispringlearn.ru/go/services/api/soap"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_PATH = "/api/v2/soap/2.0"
DOC_TOKEN = "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"  # seed 002's sample token
ACCOUNT = "http://myaccount.ispringlearn.ru"
LEGACY_HEADERS = {"X-Auth-Account-Url": ACCOUNT, "X-Auth-Email": "email@email.com", "X-Auth-Password": "12345Q"}
LEGACY_CREDENTIALS = {"accountUrl": ACCOUNT, "email": "email@email.com", "password": "12345Q"}
CLIENT_FORM = {"client_id": "example", "client_secret": "example_secret", "grant_type": "client_credentials"}

# The doc-example world (fixtures/doc-examples.json): seed 002's course and learner, and their enrollment.
JOHN_DOE = "d9261766-040d-11ed-ae50-da994e0c8f89"
JOHN_SMITH = "8363b098-e031-11e9-89cf-0a580af40b0f"
SPREADSHEETS = "1cf62af4-02c3-11ed-8874-3ebfbdfaeb70"
COMMUNICATION = "146ac240-d54f-11e9-9b88-0a580af40973"
PLACEHOLDER = "3fa85f64-5717-4562-b3fc-2c963f66afa6"  # seed 003's course and learner
DOE_ENROLLMENT = "fc1fc35c-040d-11ed-a2ba-b6f58d6fa7b5"  # with a certificate
SMITH_ENROLLMENT = "b98b8a30-df67-11e9-ac75-0a580af40cd4"


def seed_text(name: str) -> str:
    """A vendor page of ../shared/seeds/, read verbatim; the test skips where the checkout has no ../shared."""
    from pathlib import Path

    import pytest

    path = Path(__file__).resolve().parents[3] / "shared" / "seeds" / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the vendor seed pages live beside the project (CI has them), not in it")
    return path.read_text(encoding="utf-8")


def seed_envelope() -> str:
    """The getEnrollments request of seed 002, verbatim (https envelope namespace typo included)."""
    text = seed_text("002_7fff9a8e8a64d1b3.txt")
    start = text.index("<?xml")
    return text[start:text.index("</SOAP-ENV:Envelope>", start) + len("</SOAP-ENV:Envelope>")]


def envelope(op: str, credentials: dict | None = None, tns: str = TNS, env_ns: str = SOAP_ENV,
             qualified: bool = True, **params) -> bytes:
    """`<{Op}Request>` with `<credentials>` first, then `params` in the order given: a list becomes `<id>` items."""
    q = (lambda name: f"{{{tns}}}{name}") if qualified else (lambda name: name)
    root = etree.Element(f"{{{env_ns}}}Envelope", nsmap={"SOAP-ENV": env_ns, "ns1": tns})
    body = etree.SubElement(root, f"{{{env_ns}}}Body")
    request = etree.SubElement(body, f"{{{tns}}}{op[0].upper()}{op[1:]}Request")
    if credentials is not False:
        cred = etree.SubElement(request, q("credentials"))
        for key, value in ({"token": DOC_TOKEN} if credentials is None else credentials).items():
            etree.SubElement(cred, q(key)).text = value
    for key, value in params.items():
        if value is None:
            continue
        _fill(request, key, value, q)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _fill(parent, key: str, value, q) -> None:
    """A list of IDs becomes `<id>` items, a dict nested elements, a list of dicts the element repeated (rules >
    and > or > rule); anything else the element's text."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            _fill(parent, key, item, q)
        return
    element = etree.SubElement(parent, q(key))
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(element, name, inner, q)
    elif isinstance(value, list):
        for item in value:
            etree.SubElement(element, q("id")).text = item
    else:
        element.text = str(value)


def call(client, op: str, **kwargs):
    return client.post(SOAP_PATH, data=envelope(op, **kwargs),
                       headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{op[0].upper()}{op[1:]}"'})


def _soap_body(response, status: int) -> etree._Element:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.get_data())
    assert root.tag == f"{{{SOAP_ENV}}}Envelope" and root.prefix == "SOAP-ENV"
    assert [c.tag for c in root] == [f"{{{SOAP_ENV}}}Body"]
    (payload,) = root[0]
    return payload


def soap_result(response, result: str, tns: str = TNS, flags=("0", "1")) -> dict:
    """The data of `<{result}>`, the one child of Body, in `tns`, after its contract (order included) passes."""
    payload = _soap_body(response, 200)
    assert payload.tag == f"{{{tns}}}{result}"
    data = xml_data(payload, SOAP_RESULTS[result], ns=tns, flags=flags)
    assert violations(SOAP_RESULTS[result], data, ordered=True) == []
    return data


def soap_fault(response, faultstring: str, status: int = 500) -> None:
    """Exactly `<SOAP-ENV:Fault><faultcode>client</faultcode><faultstring>...</faultstring></SOAP-ENV:Fault>`."""
    fault = _soap_body(response, status)
    assert fault.tag == f"{{{SOAP_ENV}}}Fault"
    assert [c.tag for c in fault] == ["faultcode", "faultstring"]
    data = xml_data(fault, SoapFaultSchema)
    assert violations(SoapFaultSchema, data, ordered=True) == []
    assert data == {"faultcode": "client", "faultstring": faultstring}


def rest_xml(response, contract, status: int = 200, root: str = "response") -> dict:
    """An XML REST body: `<response>` root (or the one the spec names), no namespace, and its contract (order
    included)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    found = etree.fromstring(response.get_data())
    assert found.tag == root
    root = found
    data = xml_data(root, contract)
    assert violations(contract, data, ordered=True) == []
    return data


def rest_error(response, status: int, json: bool = False) -> str:
    """The documented error body, `<response><code/><message/></response>` or `{"code","message"}`."""
    if json:
        assert response.status_code == status and response.headers["Content-Type"] == "application/json"
        body = response.get_json()
        assert violations(ErrorSchema, body, ordered=True) == []
    else:
        body = rest_xml(response, ErrorSchema, status)
        assert [c.tag for c in etree.fromstring(response.get_data())] == ["code", "message"]
    assert body["code"] == status
    return body["message"]


def xml_request(**fields) -> bytes:
    """A REST `<request>` as the docs write it: lists as `<courseIds><id>..</id></courseIds>`."""
    root = etree.Element("request")
    for name, value in fields.items():
        element = etree.SubElement(root, name)
        if isinstance(value, list):
            for item in value:
                etree.SubElement(element, "id").text = item
        else:
            element.text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def post_xml(client, path, headers, **fields):
    return client.post(path, data=xml_request(**fields), headers={**headers, "Content-Type": "application/xml"})


def fresh_learner(world, course_id: str) -> str:
    """A learner not yet enrolled in the course, so an enrollment of the pair is new."""
    taken = {e.learner_id for e in world.enrollments.values() if e.course_id == course_id}
    return next(p.user_id for p in world.people if p.user_id not in taken)


@contextmanager
def loopback_listener():
    """(port, hits) of a loopback socket that records any connection: no XML may make the server fetch anything."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.01)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept():
        # Stops only on an accept that timed out after the block ended: no connection is left waiting unseen.
        while True:
            try:
                connection, _ = server.accept()
            except socket.timeout:
                if stop.is_set():
                    return
                continue
            except OSError:
                continue
            try:
                connection.settimeout(1)
                hits.append(connection.recv(100))
            except OSError:
                hits.append(b"")  # a connection is a hit, whatever it sent
            finally:
                connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], hits
    finally:
        stop.set()
        thread.join()
        server.close()


HOSTILE_KINDS = ["doctype", "xxe-file", "xxe-network", "parameter-entity", "external-dtd", "billion-laughs"]


def hostile_documents(port: int, document: str) -> dict[str, bytes]:
    """`document` (with an unescaped `&x;` where an entity would land) behind each kind of hostile DOCTYPE."""
    document = document.split("?>", 1)[1] if document.startswith("<?xml") else document
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    found = {
        "doctype": f"<!DOCTYPE e>{document}",
        "xxe-file": f'<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>{document}',
        "xxe-network": f'<!DOCTYPE e [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>{document}',
        "parameter-entity": f'<!DOCTYPE e [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>{document}',
        "external-dtd": f'<!DOCTYPE e SYSTEM "http://127.0.0.1:{port}/e.dtd">{document}',
        "billion-laughs": f"<!DOCTYPE e [{lol}]>{document.replace('&x;', '&l9;')}",
    }
    return {kind: text.encode() for kind, text in found.items()}
