"""The iSpring Learn SOAP service (SOAP 1.1, document/literal): the Spyne application that publishes the SOAP rows
of the table (ispring/operations.py) with the vendor's wire names, and its mount in Flask.

Spyne keeps the WSDL, request parsing and dispatch (DESIGN.md decision 1); wire.py adapts its wire to the vendor's
and render.py writes results fast. A method checks the <credentials> and calls the row's handler with the call
(config, world, shared state) and the request's values.
"""

from __future__ import annotations

import functools
import io

from flask import Flask, Response, has_request_context, request
from lxml import etree
from spyne import Boolean, Integer32, ServiceBase, Unicode, rpc
from spyne.interface.wsdl import Wsdl11
from spyne.server.wsgi import WsgiApplication

from mockserver.contracts.xml import xml_data

from ...api.cache import answered
from ...api.checking import ContractBrokenError, check
from ...api.operation import OPERATION_KEY, Operation
from ...api.routing import Call
from ...context import Runtime, runtime
from ...errors import MethodNotAllowedError, MockError, RefusedError
from .. import auth
from ..operations import OPERATIONS, SOAP_PATHS
from .render import render_result
from .types import DocsDate, DocsDateTime, many, opt, req, soap_types
from .wire import ContractBrokenFault, IspringApplication, IspringSoap11, fault_envelope, fault_of

RUNTIME_KEY = "mockserver.runtime"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XML = "text/xml; charset=utf-8"
PRIMITIVES = {"Unicode": Unicode, "Integer32": Integer32, "Boolean": Boolean, "DocsDate": DocsDate,
              "DocsDateTime": DocsDateTime}
OCCURS = {"!": req, "?": opt, "*": many}
SOAP_ROWS = [op for op in OPERATIONS if op.soap is not None]
SOAP_BY_NAME = {op.qualified: op for op in SOAP_ROWS}


def _authorized(rt: Runtime, credentials) -> None:
    """`<credentials>`: a token, or accountUrl + email + password, of a login with API rights."""
    if credentials is not None and credentials.token:
        caller = auth.by_token(rt, credentials.token)
    else:
        caller = auth.by_login(rt, *(getattr(credentials, f, None) for f in ("accountUrl", "email", "password")))
    caller.require_api_rights()


def _method(op: Operation):
    def method(ctx, credentials, *values):
        if has_request_context():  # the access log's operation: the row Spyne dispatched to
            request.environ[OPERATION_KEY] = op.qualified
        _authorized(ctx.udc, credentials)
        return op.handler(Call(op, ctx.udc, {}), *values)

    method.__name__ = method.__qualname__ = op.name.removeprefix("soap.")  # Spyne keys its methods by name
    return method


def _kind(t, spec: str):
    """`Enrollment*` -> the type, repeated; a bare name is the type exactly as types.py declares it."""
    name, occurs = (spec[:-1], spec[-1]) if spec[-1] in OCCURS else (spec, None)
    kind = getattr(t, name, None) or PRIMITIVES[name]
    return OCCURS[occurs](kind) if occurs else kind


@functools.cache
def soap_application(tns: str, booleans: str = "digits", reply_namespace: str = "request") -> IspringApplication:
    t = soap_types(tns)
    methods = {}
    for op in SOAP_ROWS:
        signature, name = op.soap, op.name.removeprefix("soap.")
        results = [(result, _kind(t, spec)) for result, spec in signature.results]
        # Spyne names an operation after its attribute in the service class: the vendor's camelCase name.
        methods[name] = rpc(
            opt(t.Credentials), *(_kind(t, spec) for _, spec in signature.params),
            _args=("credentials", *(arg for arg, _ in signature.params)),
            _in_message_name=op.soap_request,
            _out_message_name=signature.result_element,
            _returns=tuple(kind for _, kind in results) if len(results) > 1 else results[0][1],
            **({"_out_variable_names": tuple(n for n, _ in results)} if len(results) > 1
               else {"_out_variable_name": results[0][0]}),
        )(_method(op))
    service = type("IspringLearnService", (ServiceBase,), methods)
    app = IspringApplication(
        [service], tns=tns, name="IspringLearn",
        in_protocol=IspringSoap11(tns, booleans, reply_namespace, validator="soft"),
        out_protocol=IspringSoap11(tns, booleans, reply_namespace),
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
    op = next(o for o in SOAP_ROWS if o.soap_result == etree.QName(scratch[0]).localname)
    contract = op.contracts[0]
    try:
        check(contract, xml_data(scratch[0], contract, ns=protocol.tns, flags=protocol.flags))
    except ContractBrokenError as error:
        ctx.out_error = ContractBrokenFault(error.detail)


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
    status = error.status if error.status in (404, 405, 413, 503) or isinstance(error, RefusedError) else 500
    body = etree.tostring(fault_envelope(*fault_of(error)), xml_declaration=True, encoding="UTF-8")
    return Response(body, status=status, content_type=XML)


def _read(response: Response) -> str | None:
    """The SOAP operation that answered, when its answer may be kept: a read that succeeded (a fault is a 500)."""
    op = SOAP_BY_NAME.get(request.environ.get(OPERATION_KEY))
    return op.qualified if op is not None and not op.write and response.status_code == 200 else None


def init_app(app: Flask, rt: Runtime) -> None:
    spyne_app = soap_application(rt.config.ispring_soap_namespace, rt.config.ispring_soap_booleans,
                                 rt.config.ispring_soap_reply_namespace)
    server = WsgiApplication(spyne_app)

    def ispring_soap():
        if request.method == "GET":
            if not any(key.lower() == "wsdl" for key in request.args):
                raise MethodNotAllowedError("GET ?wsdl for the WSDL; SOAP calls are POSTed")
            return Response(wsdl(spyne_app, request.base_url), content_type=XML)
        body = request.get_data()  # over the size limit: 413 here, before any parsing
        rt = runtime()
        environ = {**request.environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                   RUNTIME_KEY: rt}
        return answered(rt, lambda: Response.from_app(server, environ, buffered=True), _read)

    for path in SOAP_PATHS:
        app.add_url_rule(path, "ispring_soap", ispring_soap, methods=["GET", "POST"])
