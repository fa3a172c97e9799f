"""SOAP 1.1 the way iSpring writes it, where Spyne's stock Soap11 differs.

In: the hardened XML parser; the docs' https envelope namespace and the http/https, .com/.ru target namespaces
(and unqualified children) renamed to what Spyne dispatches on. Out: the docs' `SOAP-ENV` prefix with the target
namespace as default namespace (the request's own variant, by default: a client written from the EN docs reads its
answer in the .com namespace it sent), results rendered by render.py, and faults as the docs print them:
`<faultcode>client</faultcode><faultstring>Wrong parameters</faultstring>`, no faultactor, no detail, HTTP 500.
"""

from __future__ import annotations

import logging
from datetime import datetime

from lxml import etree
from spyne import Fault
from spyne.application import Application
from spyne.const.http import HTTP_405
from spyne.error import RequestNotAllowed, ResourceNotFoundError
from spyne.protocol.soap import Soap11
from spyne.server.http import HttpTransportContext

from ...errors import (
    BadRequestError,
    InvalidCredentialsError,
    InvalidTokenError,
    MockError,
    NotFoundError,
    PermissionDeniedError,
    StateUnavailableError,
)
from ..dates import docs_moment
from .render import render_result
from .types import DocsDate, DocsDateTime
from ...api.xml import parse_xml, xml_text

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
# Newer doc pages (seed 002 among them) print the envelope namespace with https: a doc-wide typo, accepted.
SOAP_ENV_DOCS_TYPO = "https://schemas.xmlsoap.org/soap/envelope/"
TNS_VARIANTS = frozenset(
    f"{scheme}://ispringlearn.{tld}/go/services/api/soap" for scheme in ("http", "https") for tld in ("com", "ru")
)
FLAGS = {"digits": ("0", "1"), "words": ("false", "true")}

AUTHORIZATION_FAILED = "Authorization failed"
WRONG_PARAMETERS = "Wrong parameters"
PERMISSION_DENIED = "Permission denied"
UNKNOWN_ENROLLMENT = "Unknown Enrollment"
INTERNAL_ERROR = "Internal Error"
SERVICE_UNAVAILABLE = "Service Unavailable"  # the shared state (PostgreSQL) is out of reach: HTTP 503


def fault_of(error: Exception) -> tuple[str, str]:
    """(faultcode, faultstring) of any error, in the documented vocabulary."""
    if isinstance(error, (InvalidTokenError, InvalidCredentialsError)):
        return "client", AUTHORIZATION_FAILED
    if isinstance(error, PermissionDeniedError):
        return "client", PERMISSION_DENIED
    if isinstance(error, NotFoundError) and error.what == "enrollment":
        return "client", UNKNOWN_ENROLLMENT
    if isinstance(error, MockError) and getattr(error, "faultstring", None):
        return "client", error.faultstring  # a method's own documented fault (setAccountUrl's `URL is busy` ...)
    if isinstance(error, StateUnavailableError):
        return "server", SERVICE_UNAVAILABLE
    if isinstance(error, MockError):
        return ("client", WRONG_PARAMETERS) if error.status < 500 else ("server", INTERNAL_ERROR)
    if isinstance(error, (VendorFault, UnknownOperationFault)):
        return "client", error.faultstring
    if isinstance(error, (ContractBrokenFault, StateUnavailableFault)):
        return "server", error.faultstring
    if isinstance(error, Fault) and str(error.faultcode).startswith("Client"):
        return "client", WRONG_PARAMETERS  # Spyne's own: unknown operation, a value of the wrong type, missing ...
    return "server", INTERNAL_ERROR


def fault_envelope(code: str, string: str) -> etree._Element:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body"), f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = xml_text(string)  # an unknown operation's name is the client's
    return envelope


class VendorFault(Fault):
    """A MockError raised by an operation, carried through Spyne as a client fault."""

    def __init__(self, error: MockError):
        super().__init__("Client", fault_of(error)[1])
        self.error = error


class UnknownOperationFault(Fault):
    """A request element no operation has: `Unknown operation: fooBar` (from <FooBarRequest>), not `Wrong parameters`,
    so a typo in a hand-written envelope says what is wrong. The namespace is named when it is not the service's."""

    def __init__(self, requested: str, tns: str):
        name = etree.QName(requested)
        local = name.localname
        operation = local[:-len("Request")] if local.endswith("Request") and local != "Request" else local
        message = f"Unknown operation: {operation[:1].lower()}{operation[1:]}"
        if name.namespace not in (None, tns):
            message += f" in namespace {name.namespace} (the service's is {tns})"
        super().__init__("Client", message)


class ContractBrokenFault(Fault):
    """With --check-contracts: a result that breaks its contract, answered as a server fault naming why."""

    def __init__(self, violations: str):
        super().__init__("Server", violations)


class StateUnavailableFault(Fault):
    """The shared state (PostgreSQL) was out of reach mid-call: a server fault, HTTP 503 (IspringSoap11)."""

    def __init__(self):
        super().__init__("Server", SERVICE_UNAVAILABLE)


class IspringApplication(Application):
    def call_wrapper(self, ctx):
        try:
            return super().call_wrapper(ctx)
        except StateUnavailableError:
            raise StateUnavailableFault() from None
        except MockError as error:
            if error.status >= 500:
                raise
            raise VendorFault(error) from None


class IspringSoap11(Soap11):
    def __init__(self, tns: str, booleans: str = "digits", reply_namespace: str = "request", **kwargs):
        super().__init__(**kwargs)
        self.tns = tns
        self.reply_namespace = reply_namespace  # request: answer in the request's namespace; configured: in tns
        self.accepted_namespaces = TNS_VARIANTS | {tns}
        self.flags = FLAGS[booleans]
        self._from_unicode_handlers[DocsDateTime] = lambda cls, text: self._moment(text)
        self._from_unicode_handlers[DocsDate] = lambda cls, text: self._moment(text).date()

    def fault_to_http_response_code(self, fault):
        return "503 Service Unavailable" if isinstance(fault, StateUnavailableFault) else \
            super().fault_to_http_response_code(fault)

    @staticmethod
    def _moment(text: str) -> datetime:
        try:
            return docs_moment(text)
        except BadRequestError as error:
            raise VendorFault(error) from None

    # --- in ---------------------------------------------------------------------------------------------

    def create_in_document(self, ctx, charset=None):
        if isinstance(ctx.transport, HttpTransportContext) and ctx.transport.get_request_method() != "POST":
            ctx.transport.resp_code = HTTP_405
            raise RequestNotAllowed("POST a SOAP 1.1 envelope, or GET ?wsdl")
        try:
            envelope = parse_xml(b"".join(ctx.in_string))
        except BadRequestError as error:
            raise VendorFault(error) from None
        ctx.inprot_ctx.request_namespace = self._normalise(envelope)
        ctx.in_document = (envelope, {})  # {}: no SOAP-encoding hrefs to resolve

    def _normalise(self, envelope: etree._Element) -> str | None:
        """Rename the documented namespace variants to the ones Spyne dispatches on; the request element's own
        namespace, when it is one of them (None: unqualified or a stranger, answered in the configured one)."""
        if etree.QName(envelope).namespace == SOAP_ENV_DOCS_TYPO:
            for element in envelope.iter(f"{{{SOAP_ENV_DOCS_TYPO}}}*"):
                element.tag = f"{{{SOAP_ENV}}}{etree.QName(element).localname}"
        bodies = list(envelope.iterchildren(f"{{{SOAP_ENV}}}Body"))
        if not any(isinstance(child.tag, str) for body in bodies for child in body):
            raise VendorFault(BadRequestError("the SOAP Body holds no request element"))
        requested = None
        for body in bodies:
            for element in body.iterdescendants():
                name = etree.QName(element)
                if name.namespace is None or name.namespace in self.accepted_namespaces:
                    if requested is None and element.getparent() is body:
                        requested = name.namespace
                    element.tag = f"{{{self.tns}}}{name.localname}"
        return requested

    def generate_method_contexts(self, ctx):
        try:
            return super().generate_method_contexts(ctx)
        except ResourceNotFoundError:
            raise UnknownOperationFault(ctx.method_request_string, self.tns) from None

    # --- out --------------------------------------------------------------------------------------------

    def serialize(self, ctx, message):
        self.event_manager.fire_event("before_serialize", ctx)
        if ctx.out_error is not None:
            envelope = fault_envelope(*fault_of(ctx.out_error))
            body = envelope[0]
        else:
            tns = self.reply_tns(ctx)
            envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV, None: tns})
            body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
            render_result(body, ctx.descriptor.out_message, ctx.out_object, self.flags,
                          ns=None if tns == self.tns else tns)
        ctx.out_document, ctx.out_body_doc = envelope, body
        self.event_manager.fire_event("after_serialize", ctx)


    def reply_tns(self, ctx) -> str:
        """The answer's namespace: the request's accepted variant (http/https, .com/.ru) unless configured."""
        requested = getattr(ctx.inprot_ctx, "request_namespace", None) if ctx.inprot_ctx is not None else None
        return requested if self.reply_namespace == "request" and requested else self.tns


class QuietClientFaults(logging.Filter):
    """Spyne logs every fault with a traceback; a client's mistake is not the server's error."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else record.msg
        return not (isinstance(error, Fault) and str(error.faultcode).startswith("Client"))


for _name in ("spyne.application.client", "spyne.server._base", "spyne.server.wsgi"):
    logging.getLogger(_name).addFilter(QuietClientFaults())
