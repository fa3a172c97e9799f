"""The iSpring Learn SOAP service (SOAP 1.1, document/literal): one function per operation, the Spyne
application that publishes them with the vendor's wire names, and its mount in Flask.

Spyne keeps the WSDL, request parsing and dispatch (DESIGN.md decision 1); soap_wire.py adapts its wire to the
vendor's and renders results fast. Operations get the runtime (config, world, shared state) as `ctx.udc`.
"""

from __future__ import annotations

import functools
import io

from flask import Flask, Response, request
from lxml import etree
from spyne import Boolean, Integer32, ServiceBase, Unicode, rpc
from spyne.interface.wsdl import Wsdl11
from spyne.server.wsgi import WsgiApplication

from contracts.base import violations
from contracts.ispring import SOAP_RESULTS
from contracts.xml import xml_data

from ..context import Runtime
from ..errors import BadRequestError, MethodNotAllowedError, MockError, NotFoundError
from ..world import enrollments
from ..world.enrollments import Schedule, find_enrollments
from . import auth
from .paging import page
from .payloads import content_item, department, soap_enrollment, user_profile
from .soap_render import render_result
from .soap_types import DocsDate, DocsDateTime, many, opt, req, soap_types
from .soap_wire import ContractBrokenFault, IspringApplication, IspringSoap11, fault_envelope, fault_of

SOAP_PATHS = ("/api/v2/soap/2.0", "/go/services/api/soap")
RUNTIME_KEY = "mockserver.runtime"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XML = "text/xml; charset=utf-8"


def _authorized(ctx, credentials) -> Runtime:
    """The runtime, once `<credentials>` (token, or accountUrl + email + password) allow an API call."""
    rt: Runtime = ctx.udc
    if credentials is not None and credentials.token:
        caller = auth.by_token(rt, credentials.token)
    else:
        fields = ("accountUrl", "email", "password")
        caller = auth.by_login(rt, *(getattr(credentials, f, None) for f in fields))
    caller.require_api_rights()
    return rt


def _filter(ids: list[str] | None) -> list[str] | None:
    return ids or None  # an absent or empty list filters nothing


# --- operations -------------------------------------------------------------------------------------------


def get_enrollments(ctx, credentials, courseIds, learnerIds):
    rt = _authorized(ctx, credentials)
    return [soap_enrollment(e) for e in find_enrollments(rt.world, _filter(courseIds), _filter(learnerIds))]


def get_enrollment(ctx, credentials, enrollmentId):
    rt = _authorized(ctx, credentials)
    return soap_enrollment(enrollments.get_enrollment(rt.world, enrollmentId))


def list_enrollments(ctx, credentials, pageSize, pageToken, courseIds, learnerIds, enrollmentIds):
    rt = _authorized(ctx, credentials)
    rows = find_enrollments(rt.world, _filter(courseIds), _filter(learnerIds), _filter(enrollmentIds))
    chosen, next_token = page(rows, lambda e: e.enrollment_id, pageSize, pageToken)
    return [soap_enrollment(e) for e in chosen], next_token


def enroll_learners_in_courses(ctx, credentials, courseIds, learnerIds, accessDate, dueDateType, dueDate, duePeriod,
                               lockAfterDueDate):
    rt = _authorized(ctx, credentials)
    schedule = Schedule(dueDateType, accessDate, dueDate, duePeriod, bool(lockAfterDueDate))
    enrollments.enroll_learners_in_courses(rt.world, rt.state, courseIds, learnerIds, schedule)
    return True


def change_enrollment(ctx, credentials, enrollmentId, accessDate, dueDateType, dueDate, duePeriod, lockAfterDueDate):
    rt = _authorized(ctx, credentials)
    schedule = Schedule(dueDateType, accessDate, dueDate, duePeriod, bool(lockAfterDueDate))
    enrollments.change_enrollment(rt.world, rt.state, enrollmentId, schedule)
    return True


def unenroll(ctx, credentials, enrollmentId):
    rt = _authorized(ctx, credentials)
    try:
        enrollments.unenroll(rt.world, rt.state, [enrollmentId])
    except NotFoundError:  # the docs: unenroll answers "Wrong parameters" for an unknown enrollment
        raise BadRequestError(f"unknown enrollmentId {enrollmentId}") from None
    return True


def get_users(ctx, credentials):
    rt = _authorized(ctx, credentials)
    return [user_profile(rt.world, p) for p in rt.world.people]


def get_content(ctx, credentials):
    rt = _authorized(ctx, credentials)
    return [content_item(c) for c in rt.world.content_items]


def get_content_item(ctx, credentials, contentItemId):
    rt = _authorized(ctx, credentials)
    found = rt.world.content_item_by_id.get(contentItemId)
    if found is None:
        raise BadRequestError(f"unknown contentItemId {contentItemId}")
    return content_item(found)


def get_departments(ctx, credentials):
    rt = _authorized(ctx, credentials)
    return [department(rt.world, u) for u in rt.world.org_units]


def get_department(ctx, credentials, departmentId):
    rt = _authorized(ctx, credentials)
    found = next((u for u in rt.world.org_units if u.department_id == departmentId), None)
    if found is None:
        raise BadRequestError(f"unknown departmentId {departmentId}")
    return department(rt.world, found)


# --- the Spyne application --------------------------------------------------------------------------------


def _operations(t) -> dict:
    """Vendor operation -> (function, request children after <credentials>, result children[, result element])."""
    schedule = [("dueDateType", t.DueDateType), ("dueDate", opt(DocsDate)), ("duePeriod", opt(Integer32)),
                ("lockAfterDueDate", opt(Boolean))]
    success = [("success", req(Boolean))]  # the docs print <success>true</success>
    return {
        "getEnrollments": (get_enrollments, [("courseIds", opt(t.Ids)), ("learnerIds", opt(t.Ids))],
                           [("enrollment", many(t.Enrollment))]),
        "getEnrollment": (get_enrollment, [("enrollmentId", req(Unicode))], [("enrollment", req(t.Enrollment))]),
        "listEnrollments": (list_enrollments, [
            ("pageSize", opt(Integer32)), ("pageToken", opt(Unicode)), ("courseIds", opt(t.Ids)),
            ("learnerIds", opt(t.Ids)), ("enrollmentIds", opt(t.Ids)),
        ], [("enrollment", many(t.Enrollment)), ("nextPageToken", opt(Unicode))]),
        "enrollLearnersInCourses": (enroll_learners_in_courses, [
            ("courseIds", req(t.Ids)), ("learnerIds", req(t.Ids)), ("accessDate", opt(DocsDateTime)), *schedule,
        ], success),
        "changeEnrollment": (change_enrollment, [
            ("enrollmentId", req(Unicode)), ("accessDate", req(DocsDateTime)), *schedule,
        ], success),
        "unenroll": (unenroll, [("enrollmentId", req(Unicode))], success, "successResult"),
        "getUsers": (get_users, [], [("userProfile", many(t.UserProfile))]),
        "getContent": (get_content, [], [("contentItem", many(t.ContentItem))]),
        "getContentItem": (get_content_item, [("contentItemId", req(Unicode))], [("contentItem", req(t.ContentItem))]),
        "getDepartments": (get_departments, [], [("department", many(t.Department))]),
        "getDepartment": (get_department, [("departmentId", req(Unicode))], [("department", req(t.Department))]),
    }


@functools.cache
def soap_application(tns: str, booleans: str = "digits") -> IspringApplication:
    t = soap_types(tns)
    methods = {}
    for name, (function, params, results, *result_element) in _operations(t).items():
        op = name[0].upper() + name[1:]
        # Spyne names an operation after its attribute in the service class: the vendor's camelCase name.
        methods[name] = rpc(
            opt(t.Credentials), *(kind for _, kind in params),
            _args=("credentials", *(arg for arg, _ in params)),
            _in_message_name=f"{op}Request",
            _out_message_name=result_element[0] if result_element else f"{op}Result",
            _returns=tuple(kind for _, kind in results) if len(results) > 1 else results[0][1],
            **({"_out_variable_names": tuple(n for n, _ in results)} if len(results) > 1
               else {"_out_variable_name": results[0][0]}),
        )(function)
    service = type("IspringLearnService", (ServiceBase,), methods)
    app = IspringApplication(
        [service], tns=tns, name="IspringLearn",
        in_protocol=IspringSoap11(tns, booleans, validator="soft"), out_protocol=IspringSoap11(tns, booleans),
    )
    # The runtime rides in the WSGI environ, so one cached application serves any number of Flask apps.
    app.event_manager.add_listener("method_call", lambda ctx: setattr(ctx, "udc", ctx.transport.req_env[RUNTIME_KEY]))
    app.event_manager.add_listener("method_return_object", _check_contract)
    return app


def _check_contract(ctx) -> None:
    """With --check-contracts, a result that breaks its contract becomes a server fault naming the violation."""
    if not ctx.udc.config.check_contracts:
        return
    protocol = ctx.app.out_protocol
    scratch = etree.Element("Body")
    render_result(scratch, ctx.descriptor.out_message, ctx.out_object, protocol.flags)
    contract = SOAP_RESULTS[etree.QName(scratch[0]).localname]
    found = violations(contract, xml_data(scratch[0], contract, ns=protocol.tns, flags=protocol.flags), ordered=True)
    if found:
        ctx.out_error = ContractBrokenFault(f"response breaks {contract.__name__}: " + "; ".join(found))


@functools.lru_cache(maxsize=16)
def wsdl(spyne_app: IspringApplication, url: str) -> bytes:
    document = Wsdl11(spyne_app.interface)
    document.build_interface_document(url)
    root = etree.fromstring(document.get_interface_document())
    for operation in root.iter(f"{{{WSDL_SOAP}}}operation"):  # the docs send SOAPAction: "ChangeEnrollment"
        action = operation.get("soapAction")
        operation.set("soapAction", action[0].upper() + action[1:])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- Flask ------------------------------------------------------------------------------------------------


def render_fault(error: MockError) -> Response:
    """Errors met before Spyne (unknown method, body too large ...) as a SOAP fault too."""
    status = error.status if error.status in (404, 405, 413) else 500
    body = etree.tostring(fault_envelope(*fault_of(error)), xml_declaration=True, encoding="UTF-8")
    return Response(body, status=status, content_type=XML)


def init_app(app: Flask, rt: Runtime) -> None:
    spyne_app = soap_application(rt.config.ispring_soap_namespace, rt.config.ispring_soap_booleans)
    server = WsgiApplication(spyne_app)

    def ispring_soap():
        if request.method == "GET":
            if not any(key.lower() == "wsdl" for key in request.args):
                raise MethodNotAllowedError("GET ?wsdl for the WSDL; SOAP calls are POSTed")
            return Response(wsdl(spyne_app, request.base_url), content_type=XML)
        body = request.get_data(cache=False)  # over the size limit: 413 here, before any parsing
        environ = {**request.environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                   RUNTIME_KEY: rt}
        return Response.from_app(server, environ)

    for path in SOAP_PATHS:
        app.add_url_rule(path, "ispring_soap", ispring_soap, methods=["GET", "POST"])
