"""iSpring Learn's operations (REST in XML and JSON, SOAP), and how `contract verify` walks the API for identifiers.

Discovery: after the token call, every read row of the table (ispring/operations.py), in table order: a REST row in
both of its representations (XML, the default, then JSON on `Accept: application/json`), a SOAP row once. A row whose
path names identifiers (`/enrollment/:enrollmentId`), or a SOAP row with a required `...Id` child, is called on values
of the same name found in the answers before it (`enrollmentId` of the enrollment lists, `userId` of the user lists,
`departmentId`, `groupId`, `contentItemId` ...), in the order found, until one is not refused: a 400 or 404 (a SOAP
fault) in the documented error shape moves on to the next, as an identifier of another kind is no drift; `smart` in
the path takes only items that say `isSmart`. A row waits for the rows after it when none is found yet, and is skipped,
naming the flag to pass (--enrollment, --user, --department, --group, --content-item, --task), when no answer gives
one; a flag's value is the only one tried. A list row is asked for --page-size items; a read by POST sends an empty
`<request/>`. A new read row is verified with no change here.

Writes, only with --allow-writes: a learner is enrolled in a course they are not enrolled in, that enrollment changed
and deleted again, through REST and through SOAP. The table's other writes (users, departments, groups) are never
called: they would change a real account.
"""

from __future__ import annotations

import json
from itertools import islice, product
from typing import Any

from lxml import etree

from mockserver.contracts.ispring import SOAP_RESULTS, ErrorSchema, SoapFaultSchema
from mockserver.contracts.wording import explain
from mockserver.contracts.xml import xml_data

from ..api.operation import Operation
from ..api.xml import parse_xml
from ..errors import BadRequestError
from ..ispring import ROUTE_PREFIXES
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
    expected = getattr(op.xml, "root", "response") if success else "response"  # the spec's name (<attachment>)
    if root.tag != expected:
        found.append(f"$: expected the root element <{expected}>, got <{root.tag}>")
    data = xml_data(root, xml_contract)
    return xml_contract.__name__, found + [f"{expected}.{line}" if not line.startswith("$") else line
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
    if text.startswith((b"{", b"[")):
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

# The identifiers verify discovers, by name, and the flag that names one instead (`contract verify --user ID`).
# Another name a new row needs (a path parameter, a required SOAP parameter ending in `Id`) is discovered the same
# way, with no flag.
ID_FLAGS = {"enrollmentId": "enrollment", "userId": "user", "departmentId": "department", "groupId": "group",
            "contentItemId": "content_item", "taskId": "task"}
# A path parameter the spec names otherwise than the items that carry its values (GET /content/{contentId}).
ALIASES = {"contentId": "contentItemId"}
# A path segment that asks for a kind of item: only identifiers of items that say so (`isSmart`) are tried on it.
KINDS = {"smart": "isSmart"}
MAX_TRIES = 10  # discovered identifiers tried on one operation, at most


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

    def __call__(self, op_name: str, target: str = "", *, record: bool = True, **params):
        action = op_name[0].upper() + op_name[1:]
        return self.run.call(f"soap.{op_name}", target, url=self.url, record=record,
                             data=envelope(op_name, self.credentials, self.ns, **params),
                             headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'})


def _first(*found: list[str]) -> str | None:
    return next((v for values_ in found for v in values_), None)


def _local(element) -> str | None:
    return etree.QName(element).localname if isinstance(element.tag, str) else None


def _is_true(value) -> bool:
    return value is True or (isinstance(value, (str, int)) and str(value).strip().lower() in ("true", "1"))


def _named(data: Any, keys: set[str]) -> list[tuple[str, str, Any]]:
    """(key, value, the item that holds it) of every string named one of `keys`, anywhere in a JSON body or an XML
    document (by local name), in document order: one walk."""
    if isinstance(data, etree._Element):
        return [(name, e.text.strip(), e.getparent()) for e in data.iter(etree.Element)
                if (name := etree.QName(e).localname) in keys and e.text and e.text.strip()]
    found = []
    stack = [data]
    while stack:  # depth first, in document order
        node = stack.pop()
        if isinstance(node, dict):
            nested = []
            for k, v in node.items():
                if k in keys and isinstance(v, str) and v:
                    found.append((k, v, node))
                elif k in keys and isinstance(v, list) and all(isinstance(i, str) for i in v):
                    found.extend((k, i, node) for i in v if i)
                elif isinstance(v, (dict, list)):
                    nested.append(v)
            stack.extend(reversed(nested))
        elif isinstance(node, list):
            stack.extend(reversed([i for i in node if isinstance(i, (dict, list))]))
    return found


def _says(item: Any, flag: str) -> bool:
    """Whether an item (a JSON object or an XML element) says `flag` is true (`isSmart`: true or 1)."""
    if isinstance(item, etree._Element):
        return any(_local(c) == flag and _is_true(c.text or "") for c in item)
    return isinstance(item, dict) and _is_true(item.get(flag))


def _pairs(data: Any) -> set[tuple[str, str]]:
    """(courseId, learnerId) of every enrollment in an answer: items that have both."""
    pairs = set()
    if isinstance(data, etree._Element):
        for element in data.iter():
            children = {_local(c): (c.text or "").strip() for c in element}
            if children.get("courseId") and children.get("learnerId"):
                pairs.add((children["courseId"], children["learnerId"]))
    elif isinstance(data, dict):
        if isinstance(data.get("courseId"), str) and isinstance(data.get("learnerId"), str):
            pairs.add((data["courseId"], data["learnerId"]))
        for value in data.values():
            pairs |= _pairs(value)
    elif isinstance(data, list):
        for item in data:
            pairs |= _pairs(item)
    return pairs


def _what(name: str) -> str:
    """`contentItemId` -> `content item`."""
    stem = name[:-2] if name.endswith("Id") and len(name) > 2 else name
    return "".join(f" {c.lower()}" if c.isupper() else c for c in stem)


def _body_schema(op: Operation) -> tuple[str | None, dict]:
    """(media type, schema) of the body a read by POST sends: JSON when the row takes it, else XML (`<request>`)."""
    if not op.body or op.method == "GET":
        return None, {}
    media = next((m for m in ("application/json", "application/xml") if m in op.body), next(iter(op.body)))
    return media, op.body[media] or {}


def _body_ids(op: Operation) -> list[tuple[str, dict]]:
    """The arrays of IDs a read's body requires (`userIds`): verify sends one it found (`userId`)."""
    _, schema = _body_schema(op)
    properties = schema.get("properties", {})
    return [(field, properties[field]) for field in schema.get("required", [])
            if field.endswith("Ids") and properties.get(field, {}).get("type") == "array"]


def _body_value(field: str, schema: dict, size: int):
    """A value for a required scalar of a read's body, from its schema (the first page, a page of --page-size, the
    first enum value), or None when the schema gives none."""
    if field == "pageSize":
        return size
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if schema.get("type") == "boolean":
        return False
    return None


def _xml_request(body: dict) -> bytes:
    """`<request>` with a child per field; a list as `<id>` items (`<userIds><id>..</id></userIds>`)."""
    root = etree.Element("request")
    for key, value in body.items():
        element = etree.SubElement(root, key)
        if isinstance(value, list):
            for item in value:
                etree.SubElement(element, "id").text = str(item)
        else:
            element.text = str(value).lower() if isinstance(value, bool) else str(value)
    return etree.tostring(root)


def _soap_params(op: Operation) -> list[tuple[str, bool]]:
    """(name, required) of a SOAP row's request children after <credentials>."""
    return [(name, spec.endswith("!")) for name, spec in op.soap.params] if op.soap else []


class _Plan:
    """Every read row of the table, in table order, on identifiers found by name in the answers before it."""

    def __init__(self, run, options: dict, soap: _Soap):
        self.run, self.soap = run, soap
        self.size = options.get("page_size") or 10
        self.given = {name: options[flag] for name, flag in ID_FLAGS.items() if options.get(flag)}
        self.seen: dict[str, list[tuple[str, Any]]] = {}  # name -> (value, item), in the order found
        self.wanted = set(ID_FLAGS)  # the names harvested; verify adds those the rows need
        self.known: dict[str, set[str]] = {}
        self.answers: list[Any] = []  # every answer kept, as data (the writes look for free pairs in them)

    # --- identifiers ---------------------------------------------------------------------------------------

    def harvest(self, call) -> None:
        if call is None or call.data is None:
            return
        self.answers.append(call.data)
        for name, value, item in _named(call.data, self.wanted):
            if value not in self.known.setdefault(name, set()):
                self.known[name].add(value)
                self.seen.setdefault(name, []).append((value, item))

    def found(self, name: str) -> list[str]:
        return [value for value, _ in self.seen.get(name, [])]

    def candidates(self, op: Operation, name: str) -> list[str]:
        name = ALIASES.get(name, name)
        if name in self.given:  # a flag names it: only that one is tried
            return [self.given[name]]
        kinds = [KINDS[segment] for segment in op.path.split("/") if segment in KINDS] if not op.soap else []
        return [value for value, item in self.seen.get(name, []) if all(_says(item, kind) for kind in kinds)]

    def needs(self, op: Operation) -> list[str]:
        """The identifiers a row is called on: its path parameters and the IDs its request body requires (`userIds`
        -> one `userId`) (REST), its required `...Id` children (SOAP)."""
        if op.soap:
            return [name for name, required in _soap_params(op) if required and name.endswith("Id")]
        return op.path_names() + [field[:-1] for field, _ in _body_ids(op)]

    def why_not(self, op: Operation, name: str) -> str:
        name = ALIASES.get(name, name)
        kinds = [segment for segment in op.path.split("/") if segment in KINDS] if not op.soap else []
        what = " ".join([*kinds, _what(name)])
        flag = f": pass --{ID_FLAGS[name].replace('_', '-')}" if name in ID_FLAGS else ""
        return f"no {what} found to call it on{flag}"

    # --- the plan ------------------------------------------------------------------------------------------

    def verify(self, reads: list[Operation]) -> None:
        self.wanted |= {ALIASES.get(name, name) for op in reads for name in self.needs(op)}
        pending = list(reads)
        while pending:  # a row whose identifiers no answer before it gave waits for the rows after it
            waiting = []
            for op in pending:
                if any(not self.candidates(op, name) for name in self.needs(op)):
                    waiting.append(op)
                else:
                    self.call(op)
            if len(waiting) == len(pending):
                break
            pending = waiting
        for op in pending:
            missing = next(name for name in self.needs(op) if not self.candidates(op, name))
            self.run.skip(op.name, "", self.why_not(op, missing))

    def call(self, op: Operation) -> None:
        problem = self.unsupplied(op)
        if problem:
            self.run.skip(op.name, "", problem)
            return
        names = self.needs(op)
        combos = list(islice(product(*(self.candidates(op, n) for n in names)), MAX_TRIES))
        if op.soap:
            self._first_that_answers(op, names, combos, self._soap_call(op))
            return
        calls = [self._rest_call(op, fmt, accept) for fmt, accept in FORMATS]
        ids = self._first_that_answers(op, names, combos, calls[0])
        if ids is not None:
            for call in calls[1:]:  # the other representations, on the identifiers the first answered
                self.harvest(call(ids, record=True))

    def unsupplied(self, op: Operation) -> str | None:
        """Why a row cannot be called with what verify knows (a required value it has no example of), or None."""
        if op.soap:
            others = [n for n, required in _soap_params(op) if required and not n.endswith("Id") and n != "pageSize"]
            return f"its required {others[0]} is not one verify can supply" if others else None
        for param in op.params:
            if param.required and param.example is None:
                return f"its required parameter {param.name} has no example to send"
        _, schema = _body_schema(op)
        ids = dict(_body_ids(op))
        for field in schema.get("required", []):
            if field not in ids and _body_value(field, schema.get("properties", {}).get(field, {}), self.size) is None:
                return f"its request body needs {field}, which verify cannot make up"
        return None

    def _rest_call(self, op: Operation, fmt: str, accept: dict):
        query = {**({"pageSize": self.size} if op.paging else {}),
                 **{p.name: p.example for p in op.params if p.required}}
        headers = dict(accept)
        media, schema = _body_schema(op)
        if media:
            headers["Content-Type"] = media
        properties = schema.get("properties", {})
        fixed = {field: _body_value(field, properties.get(field, {}), self.size)
                 for field in [*schema.get("required", []), *(["pageSize"] if "pageSize" in properties else [])]}
        ids_of = dict((field[:-1], field) for field, _ in _body_ids(op))
        names = self.needs(op)

        def call(ids: tuple, *, record: bool):
            target = " ".join([*(["/".join(ids)] if ids else []), fmt])
            given = dict(zip(names, ids))
            path = {name: value for name, value in given.items() if name not in ids_of}
            body = {**{k: v for k, v in fixed.items() if v is not None},
                    **{ids_of[name]: [value] for name, value in given.items() if name in ids_of}}
            sent = {}
            if media == "application/json":
                sent = {"json": body}
            elif media == "application/xml":
                sent = {"data": _xml_request(body)}
            elif media:
                sent = {"data": body}
            return self.run.call(op.name, target, path=path, query=query or None, headers=headers, record=record,
                                 **sent)

        return call

    def _soap_call(self, op: Operation):
        method = op.name.split(".", 1)[1]
        paging = {"pageSize": self.size} if any(n == "pageSize" for n, _ in _soap_params(op)) else {}
        names = self.needs(op)

        def call(ids: tuple, *, record: bool):
            return self.soap(method, "/".join(ids), record=record, **paging, **dict(zip(names, ids)))

        return call

    def _first_that_answers(self, op: Operation, names: list[str], combos: list[tuple], call) -> tuple | None:
        """Call `op` on the identifiers until one is not refused, keep that call's row and return its identifiers.

        A refusal is an answer in the documented error shape (REST 400 or 404; a SOAP fault): an identifier of
        another kind (a group that is not smart) is no drift, so the next is tried, and when every one was refused
        the row is skipped, naming the last answer. An error body that breaks its contract is kept, as drift."""
        last = None
        for ids in combos:
            answer = call(ids, record=not names)
            if names and self._refused(op, answer):
                last = answer
                continue
            if names:
                self.run.keep(answer)
            self.harvest(answer)
            return ids
        gist = _first(values(last.data, "faultstring"), values(last.data, "message")) or "no message"
        said = f"{last.status}: {gist}"
        tried = len(combos)
        self.run.skip(op.name, last.row.target, said if tried == 1 else f"{said} (the last of {tried} tried)")
        return None

    @staticmethod
    def _refused(op: Operation, call) -> bool:
        drift = [d for d in call.row.differences if not d.startswith(f"HTTP {call.status}, expected ")]
        if drift:
            return False
        if op.soap:
            return bool(values(call.data, "faultstring"))
        return call.status in (400, 404)


def verify(run, options: dict) -> None:
    reads = [op for op in TABLE if not op.write and op.name != "AccessRequest"]
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
                for op in reads:
                    run.skip(op.name, "", "no access token to call it with")
                return
        run.headers["Authorization"] = f"Bearer {token}"
        credentials = {"token": token}
    soap = _Soap(run, options.get("soap_url") or run.base_url + SOAP_PATH,
                 options.get("soap_namespace") or SOAP_NAMESPACE, credentials)
    plan = _Plan(run, options, soap)
    plan.verify(reads)
    _writes(run, soap, plan)


# --- writes (--allow-writes) -------------------------------------------------------------------------------------

WRITES = ("EnrollLearnersInCourses", "ChangeEnrollment", "Unenroll", "soap.enrollLearnersInCourses",
          "soap.changeEnrollment", "soap.unenroll")
NOT_CALLED = ("not called: verify writes only a test enrollment it deletes again; user, department and group "
              "writes would change a real account")


def _writes(run, soap, plan: _Plan) -> None:
    """Enroll a learner in a course they are not enrolled in, change it, unenroll it: REST, then SOAP. The table's
    other writes are never called (skipped, saying why)."""
    if not run.allow_writes:
        for op in TABLE:
            if op.write:
                run.skip(op.name, "", "write operation: not called without --allow-writes")
        return
    for op in TABLE:
        if op.write and op.name not in WRITES:
            run.skip(op.name, "", NOT_CALLED)
    from datetime import date

    taken = set().union(*map(_pairs, plan.answers))
    courses, learners = plan.found("contentItemId"), plan.found("userId")
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


VENDOR = Vendor(
    name=NAME,
    title="iSpring Learn",
    operations=OPERATIONS,
    judge=judge,
    load=load,
    refused=refused,
    verify=verify,
    doc="SOAP at /api/v2/soap/2.0, REST (XML by default, JSON on Accept)",
    prefixes=lambda path: ROUTE_PREFIXES,
)
