"""iSpring Learn's operations (REST in XML and JSON, SOAP), and how `contract verify` walks the API for identifiers.

Discovery: enrollment IDs from GET /enrollment, then each read is called on the first one (REST in both of its
representations: XML, the default, and JSON on `Accept: application/json`; SOAP getEnrollments, listEnrollments,
getEnrollment); a content item ID from SOAP getContent for getContentItem; a department ID from getDepartments for
getDepartment. With --allow-writes it also enrolls the first learner in the first course, changes that enrollment and
unenrolls it again, through REST and through SOAP.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from mockserver.contracts.ispring import SOAP_RESULTS, ErrorSchema, SoapFaultSchema
from mockserver.contracts.wording import explain
from mockserver.contracts.xml import xml_data

from ..api.operation import Operation
from ..api.xml import parse_xml
from ..errors import BadRequestError
from ..ispring.operations import NAME, SOAP_PATHS
from ..ispring.operations import OPERATIONS as TABLE
from .catalogue import Vendor, failure
from .validate import is_json

SOAP_PATH = SOAP_PATHS[0]
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_NAMESPACE = "https://ispringlearn.com/go/services/api/soap"  # the current EN docs' target namespace
FLAGS = (("0", "1"), ("false", "true"))  # SOAP booleans: the docs show both

OPERATIONS = [
    *TABLE,
    failure(NAME, "error", "REST failure", ErrorSchema, '{"code","message"} / <response>'),
    failure(NAME, "soap.fault", "SOAP fault", SoapFaultSchema, "<SOAP-ENV:Fault>"),
]


# --- judging ------------------------------------------------------------------------------------------------


def _xml(body: bytes):
    try:
        return parse_xml(body), None
    except BadRequestError as error:
        return None, f"$: not XML: {error.detail}" if body.strip() else "$: empty body"


def _fewest(candidates: list[list[str]]) -> list[str]:
    return min(candidates, key=len)


def _judge_soap(op: Operation, body: bytes, ordered: bool) -> tuple[str, list[str]]:
    root, problem = _xml(body)
    if root is None:
        return op.contract_names(), [problem]
    if etree.QName(root).localname != "Envelope":
        return op.contract_names(), [f"$: expected a SOAP Envelope, got <{etree.QName(root).localname}>"]
    body_element = next((c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "Body"), None)
    payload = next((c for c in body_element if isinstance(c.tag, str)), None) if body_element is not None else None
    if payload is None:
        return op.contract_names(), ["Envelope.Body: missing its result element"]
    name = etree.QName(payload).localname
    if name == "Fault":
        return SoapFaultSchema.__name__, [f"Fault.{line}" for line in explain(
            SoapFaultSchema, xml_data(payload, SoapFaultSchema), ordered=ordered)]
    expected = op.soap_result or name
    if name != expected:
        return op.contract_names(), [f"Envelope.Body: expected <{expected}>, got <{name}>"]
    contract = SOAP_RESULTS.get(expected, op.contracts[0] if op.contracts else None)
    ns = etree.QName(payload).namespace
    readings = []
    for flags in FLAGS:
        data = xml_data(payload, contract, ns=ns, flags=flags)
        readings.append([f"{expected}.{line}" for line in explain(contract, data, ordered=ordered)])
    return contract.__name__, _fewest(readings)


def _judge_rest(op: Operation, status: int, body: bytes, content_type: str | None, ordered: bool):
    success = 200 <= status < 300
    if success and not op.contracts:
        return "(empty body)", [] if not body.strip() else [f"$: expected an empty body, got {len(body)} bytes"]
    json_contract = op.contracts[0] if success else ErrorSchema
    xml_contract = (op.contracts[-1] if success else ErrorSchema)
    if is_json(content_type) or (content_type is None and body.lstrip().startswith((b"{", b"["))):
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return json_contract.__name__, [f"$: not JSON: {error}"]
        return json_contract.__name__, explain(json_contract, data, ordered=ordered)
    found = []
    if content_type is not None and "xml" not in content_type.lower():
        found.append(f"Content-Type: expected application/xml or application/json, got {content_type or 'none'}")
    root, problem = _xml(body)
    if root is None:
        return xml_contract.__name__, found + [problem]
    if root.tag != "response":
        found.append(f"$: expected the root element <response>, got <{root.tag}>")
    data = xml_data(root, xml_contract)
    return xml_contract.__name__, found + [f"response.{line}" if not line.startswith("$") else line
                                          for line in explain(xml_contract, data, ordered=ordered)]


def judge(op: Operation, status: int, body: bytes, content_type: str | None, *, ordered: bool = False):
    if op.name == "soap.fault" or op.soap_request:
        return _judge_soap(op, body, ordered)
    if op.name == "error":
        status = 400
    return _judge_rest(op, status, body, content_type, ordered)


def load(body: bytes, content_type: str | None) -> Any:
    """JSON as data; XML as the lxml root (discovery reads it with `values`)."""
    text = body.lstrip()
    if text.startswith((b"{", b"[", b"\"")):  # a bare JSON string too: POST /user's 201 UUID
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
    root, _ = _xml(body)
    return root


def values(data: Any, key: str) -> list[str]:
    """Every string value named `key`, anywhere in a JSON body or an XML document (by local name)."""
    if isinstance(data, etree._Element):
        return [e.text for e in data.iter() if isinstance(e.tag, str) and etree.QName(e).localname == key and e.text]
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, str) and v:
                found.append(v)
            elif k == key and isinstance(v, list):
                found.extend(i for i in v if isinstance(i, str) and i)
            else:
                found.extend(values(v, key))
    elif isinstance(data, list):
        for item in data:
            found.extend(values(item, key))
    return found


def refused(op: Operation, status: int, data: Any) -> str | None:
    if isinstance(data, etree._Element):
        fault = values(data, "faultstring")
        if fault and fault[0] in ("Authorization failed", "Permission denied"):
            return f"SOAP fault {fault[0]}"
        if status not in (401, 403) and not (status == 400 and op.name == "AccessRequest"):
            return None
        return ": ".join(values(data, "message")[:1]) or f"HTTP {status}"
    if status in (401, 403) or (status in (400,) and op.name == "AccessRequest"):
        message = data.get("message") if isinstance(data, dict) else None
        return message if isinstance(message, str) and message else f"HTTP {status}"
    return None


# --- verify ---------------------------------------------------------------------------------------------------

FORMATS = (("xml", {}), ("json", {"Accept": "application/json"}))  # XML is the REST default


def envelope(op_name: str, credentials: dict[str, str], ns: str, **params) -> bytes:
    """`<{Op}Request>` in the target namespace (default namespace, so children are qualified), credentials first;
    a list parameter becomes `<id>` items."""
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV, None: ns})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    request = etree.SubElement(body, f"{{{ns}}}{op_name[0].upper()}{op_name[1:]}Request")
    given = etree.SubElement(request, f"{{{ns}}}credentials")
    for key, value in credentials.items():
        etree.SubElement(given, f"{{{ns}}}{key}").text = value
    for key, value in params.items():
        element = etree.SubElement(request, f"{{{ns}}}{key}")
        if isinstance(value, list):
            for item in value:
                etree.SubElement(element, f"{{{ns}}}id").text = item
        else:
            element.text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class _Soap:
    def __init__(self, run, url: str, ns: str, credentials: dict[str, str]):
        self.run, self.url, self.ns, self.credentials = run, url, ns, credentials

    def __call__(self, op_name: str, target: str = "", **params):
        action = op_name[0].upper() + op_name[1:]
        return self.run.call(f"soap.{op_name}", target, url=self.url,
                             data=envelope(op_name, self.credentials, self.ns, **params),
                             headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'})


def _first(*found: list[str]) -> str | None:
    return next((v for values_ in found for v in values_), None)


def verify(run, options: dict) -> None:
    size = options.get("page_size") or 10
    login = (options.get("email"), options.get("password"), options.get("account_url"))
    token = options.get("token")
    if all(login):
        run.skip("AccessRequest", "", "a legacy login was given (--email/--password/--account-url)")
        run.headers.update({"X-Auth-Account-Url": login[2], "X-Auth-Email": login[0], "X-Auth-Password": login[1]})
        credentials = {"accountUrl": login[2], "email": login[0], "password": login[1]}
    else:
        if token:
            run.skip("AccessRequest", "", "a token was given (--token)")
        else:
            call = run.call("AccessRequest", options["client_id"], headers={"Accept": "application/json"}, data={
                "client_id": options["client_id"], "client_secret": options["client_secret"],
                "grant_type": "client_credentials"})
            token = _first(values(call.data, "access_token"))
            if not token:
                for op in OPERATIONS:
                    if not op.write and op.method != "*" and op.name != "AccessRequest":
                        run.skip(op.name, "", "no access token to call it with")
                return
        run.headers["Authorization"] = f"Bearer {token}"
        credentials = {"token": token}
    soap = _Soap(run, options.get("soap_url") or run.base_url + SOAP_PATH,
                 options.get("soap_namespace") or SOAP_NAMESPACE, credentials)

    # REST, each read in both representations
    listed = {fmt: run.call("GetEnrollments", fmt, headers=accept) for fmt, accept in FORMATS}
    enrollment_id = _first(*(values(c.data, "enrollmentId") for c in listed.values()))
    for fmt, accept in FORMATS:
        run.call("ListEnrollments", fmt, query={"pageSize": size}, headers=accept)
    for fmt, accept in FORMATS:
        if enrollment_id:
            run.call("GetEnrollment", f"{enrollment_id} {fmt}", path={"enrollmentId": enrollment_id}, headers=accept)
        else:
            run.skip("GetEnrollment", fmt, "no enrollment to read: GET /enrollment listed none")

    # SOAP
    enrollments = soap("getEnrollments")
    soap("listEnrollments", pageSize=size)
    enrollment_id = enrollment_id or _first(values(enrollments.data, "enrollmentId"))
    if enrollment_id:
        soap("getEnrollment", enrollment_id, enrollmentId=enrollment_id)
    else:
        run.skip("soap.getEnrollment", "", "no enrollment to read: getEnrollments listed none")
    users = soap("getUsers")
    content = soap("getContent")
    content_id = _first(values(content.data, "contentItemId"))
    if content_id:
        soap("getContentItem", content_id, contentItemId=content_id)
    else:
        run.skip("soap.getContentItem", "", "no content item to read: getContent listed none")
    departments = soap("getDepartments")
    department_id = _first(values(departments.data, "departmentId"))
    if department_id:
        soap("getDepartment", department_id, departmentId=department_id)
    else:
        run.skip("soap.getDepartment", "", "no department to read: getDepartments listed none")

    _writes(run, soap, listed, enrollments, users, content)
    _users(run, soap, size, users, department_id)


WRITES = ("EnrollLearnersInCourses", "ChangeEnrollment", "Unenroll", "soap.enrollLearnersInCourses",
          "soap.changeEnrollment", "soap.unenroll")


def _writes(run, soap, listed, enrollments, users, content) -> None:
    """Enroll a learner in a course they are not enrolled in, change it, unenroll it: REST, then SOAP."""
    if not run.allow_writes:
        for name in WRITES:
            run.skip(name, "", "write operation: not called without --allow-writes")
        return
    from datetime import date

    taken = set()
    for call in (*listed.values(), enrollments):
        data = call.data if call is not None else None
        if isinstance(data, etree._Element):
            rows = [e for e in data.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "enrollment"]
            taken.update((_first(values(e, "courseId")), _first(values(e, "learnerId"))) for e in rows)
        elif isinstance(data, dict):
            taken.update((e.get("courseId"), e.get("learnerId")) for e in data.get("enrollments", [])
                         if isinstance(e, dict))
    courses = values(content.data, "contentItemId") if content is not None else []
    learners = values(users.data, "userId") if users is not None else []
    free = [(c, u) for c in courses[:5] for u in learners[:50] if (c, u) not in taken]
    if len(free) < 2:
        for name in WRITES:
            run.skip(name, "", "no learner and course without an enrollment to write with")
        return
    today = date.today().isoformat()
    json_headers = {"Accept": "application/json"}

    (course, learner), (soap_course, soap_learner) = free[0], free[1]
    created = run.call("EnrollLearnersInCourses", f"{course}/{learner}", expect=(201,), headers=json_headers,
                       json={"courseIds": [course], "learnerIds": [learner], "dueDateType": "unlimited"})
    new_id = _first(values(created.data, "enrollmentIds"), values(created.data, "id")) if created else None
    if new_id:
        run.call("ChangeEnrollment", new_id, path={"enrollmentId": new_id}, headers=json_headers,
                 json={"accessDate": today, "dueDateType": "unlimited"})
        run.call("Unenroll", new_id, expect=(204,), headers=json_headers, json={"enrollmentIds": [new_id]})
    else:
        run.skip("ChangeEnrollment", "", "EnrollLearnersInCourses returned no enrollment ID")
        run.skip("Unenroll", "", "EnrollLearnersInCourses returned no enrollment ID")

    pair = f"{soap_course}/{soap_learner}"
    soap("enrollLearnersInCourses", pair, courseIds=[soap_course], learnerIds=[soap_learner],
         dueDateType="unlimited")
    found = soap("getEnrollments", pair, courseIds=[soap_course], learnerIds=[soap_learner])
    new_id = _first(values(found.data, "enrollmentId"))
    if new_id:
        soap("changeEnrollment", new_id, enrollmentId=new_id, accessDate=f"{today} 00:00:00", dueDateType="unlimited")
        soap("unenroll", new_id, enrollmentId=new_id)
    else:
        run.skip("soap.changeEnrollment", "", "getEnrollments found no enrollment after enrollLearnersInCourses")
        run.skip("soap.unenroll", "", "getEnrollments found no enrollment after enrollLearnersInCourses")


def _users(run, soap, size: int, users, department_id: str | None) -> None:
    """The user reads (REST in XML and JSON) on the first user SOAP getUsers lists; with --allow-writes a user is
    added (REST and SOAP), changed, and removed again."""
    user_id = _first(values(users.data, "userId")) if users is not None else None
    xml_body = {"Content-Type": "application/xml"}
    for fmt, accept in FORMATS:
        for name in ("GetUsers", "GetUsersV2", "GetUserProfileFields", "GetRoles"):
            run.call(name, fmt, headers=accept)
        run.call("ListUsers", fmt, query={"pageSize": size}, headers=accept)
        run.call("ListUsersV2", fmt, query={"pageSize": size}, headers=accept)
        run.call("ListUsersV2ByPost", fmt, headers={**accept, **xml_body},
                 data=f"<request><pageSize>{size}</pageSize></request>")
        run.call("GetPagedUsersList", fmt, headers=accept, json={"page": 1, "pageSize": size})
        if user_id:
            run.call("GetUserProfile", f"{user_id} {fmt}", path={"userId": user_id}, headers=accept)
            run.call("GetUserProfileV2", f"{user_id} {fmt}", path={"userId": user_id}, headers=accept)
            run.call("FindExistingUsers", f"{user_id} {fmt}", headers=accept, json={"userIds": [user_id]})
        else:
            for name in ("GetUserProfile", "GetUserProfileV2", "FindExistingUsers"):
                run.skip(name, fmt, "no user to read: getUsers listed none")
    soap("getUserProfileFields")
    if not run.allow_writes:
        for name in ("AddUser", "UpdateUserProfile", "RemoveUser", "soap.addUser"):
            run.skip(name, "", "write operation: not called without --allow-writes")
        return
    if not department_id:
        for name in ("AddUser", "UpdateUserProfile", "RemoveUser", "soap.addUser"):
            run.skip(name, "", "no department to add a user to: getDepartments listed none")
        return
    import time

    login = f"contract.verify.{int(time.time())}"
    json_headers = {"Accept": "application/json"}
    created = run.call("AddUser", login, expect=(201,), headers=json_headers, json={
        "departmentId": department_id, "fields": {"login": login, "email": f"{login}@example.com"}})
    new_id = created.data if created is not None and isinstance(created.data, str) else None
    added = soap("addUser", f"{login}.soap", email=f"{login}.soap@example.com", login=f"{login}.soap",
                 departmentId=department_id)
    soap_id = _first(values(added.data, "userId")) if added is not None else None
    if new_id:
        run.call("UpdateUserProfile", new_id, path={"userId": new_id}, headers=json_headers,
                 json={"fields": {"first_name": "Contract"}})
    else:
        run.skip("UpdateUserProfile", "", "AddUser returned no user ID")
    for user in (new_id, soap_id):
        if user:
            run.call("RemoveUser", user, expect=(204,), path={"userId": user}, headers=json_headers)


VENDOR = Vendor(
    name=NAME,
    title="iSpring Learn",
    operations=OPERATIONS,
    judge=judge,
    load=load,
    refused=refused,
    verify=verify,
    doc="SOAP at /api/v2/soap/2.0, REST (XML by default, JSON on Accept)",
)
