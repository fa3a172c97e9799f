"""The state out of reach, as every vendor face answers it: each wing's 503 in its own shape, never a traceback."""

from __future__ import annotations

import requests
from lxml import etree

from .ispring_wire import LEGACY_HEADERS, SOAP_PATH

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
CLOSE = {"Connection": "close"}  # a new connection each: the server's workers answer in turn
ENVELOPE = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            b'xmlns:ns="http://ispringlearn.com/go/services/api/soap"><soapenv:Body><ns:GetUsersRequest/>'
            b'</soapenv:Body></soapenv:Envelope>')


def assert_503_in_every_shape(base: str, other: str | None = None, timeout: float = 30) -> list[requests.Response]:
    """iSpring REST JSON and XML, Ruangkerja and SOAP each answer their 503 (the XML and SOAP ones through `other`,
    when given: another replica); the answers, for more checks."""
    other = other or base
    rest = requests.get(f"{base}/departments", headers={**JSON, **CLOSE}, timeout=timeout)
    assert rest.status_code == 503 and list(rest.json()) == ["code", "message"] and rest.json()["code"] == 503
    xml = requests.get(f"{other}/departments", headers={**LEGACY_HEADERS, **CLOSE}, timeout=timeout)
    assert xml.status_code == 503 and etree.fromstring(xml.content).findtext("code") == "503"
    ruangkerja = requests.get(f"{base}/ruangkerja/dashboard/courses", headers=CLOSE, timeout=timeout)
    assert ruangkerja.status_code == 503
    assert ruangkerja.json() == {"errorCode": 503, "message": "SERVICE_UNAVAILABLE",
                                 "detail": ruangkerja.json()["detail"]}
    soap = requests.post(f"{other}{SOAP_PATH}", data=ENVELOPE, headers={"Content-Type": "text/xml", **CLOSE},
                         timeout=timeout)
    assert soap.status_code == 503
    fault = etree.fromstring(soap.content).find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")
    assert (fault.findtext("faultcode"), fault.findtext("faultstring")) == ("server", "Service Unavailable")
    answers = [rest, xml, ruangkerja, soap]
    assert not any(b"Traceback" in a.content for a in answers)
    return answers
