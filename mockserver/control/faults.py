"""Faults: how a vendor call is broken on purpose, set by `POST /__admin/faults` or, for one request, by the
`X-Mockserver-Fault` header.

A fault is a JSON object: `kind` and its values, an optional `match` (vendor, operation, path glob, credentialed),
`rate` (0..1) and an expiry (`times`, `seconds`). Kinds:

    delay         ms                        the call waits, then is answered as usual
    random_delay  minMs, maxMs | medianMs, sigma   uniform, or lognormal around the median
    status        status, retryAfter?       the vendor's own error body with that status (429: Retry-After)
    expired_token                           the vendor's answer to an invalid or expired token
    soap_fault    faultcode?, faultstring?  a SOAP fault envelope (SOAP calls only)
    empty         status?                   no body at all (200 unless given)
    truncated                               the answer cut in half: Content-Length promises more, the socket closes
    drop                                    the connection closes without an answer
"""

from __future__ import annotations

import math
import random
import re
import time
from http import HTTPStatus

from flask import Response, request
from lxml import etree

from ..errors import BadRequestError, InvalidTokenError, MockError
from ..wings import WINGS
from .incoming import Incoming, check_match, targets

HEADER = "X-Mockserver-Fault"
KINDS = ("delay", "random_delay", "status", "expired_token", "soap_fault", "empty", "truncated", "drop")
DELAYS = ("delay", "random_delay")
MATCH_KEYS = ("vendor", "operation", "path", "credentialed")
# A kind's values: name -> (type, check, what it must be); in the order the fault is written back.
VALUES = {
    "ms": (int, lambda v: 0 <= v <= 600_000, "milliseconds, 0 to 600000"),
    "minMs": (int, lambda v: 0 <= v <= 600_000, "milliseconds, 0 to 600000"),
    "maxMs": (int, lambda v: 0 <= v <= 600_000, "milliseconds, 0 to 600000"),
    "medianMs": (int, lambda v: 1 <= v <= 600_000, "milliseconds, 1 to 600000"),
    "sigma": ((int, float), lambda v: 0 <= v <= 5, "a number, 0 to 5"),
    "status": (int, lambda v: 100 <= v <= 599, "an HTTP status, 100 to 599"),
    "retryAfter": (int, lambda v: 0 <= v <= 86_400, "seconds, 0 to 86400"),
    "faultcode": (str, lambda v: v in ("client", "server"), "client or server"),
    "faultstring": (str, lambda v: bool(v), "a non-empty string"),
}
KIND_VALUES = {
    "delay": ("ms",), "random_delay": ("minMs", "maxMs", "medianMs", "sigma"), "status": ("status", "retryAfter"),
    "expired_token": (), "soap_fault": ("faultcode", "faultstring"), "empty": ("status",), "truncated": (),
    "drop": (),
}
REQUIRED = {"delay": ("ms",), "status": ("status",)}
BREAK_KEY = "mockserver.fault.break"  # request.environ: truncated or drop, done by the WSGI wrapper (wsgi.py)


def refuse(message: str) -> BadRequestError:
    return BadRequestError(f"fault: {message}")


def parse_fault(body) -> dict:
    """A fault as POSTed -> its spec in the order it is written back; a 400 naming the field when it is wrong."""
    if not isinstance(body, dict):
        raise refuse("send a JSON object with `kind`")
    unknown = set(body) - {"kind", "match", "rate", "times", "seconds", *VALUES}
    if unknown:
        raise refuse(f"unknown field(s) {', '.join(sorted(unknown))}")
    kind = body.get("kind")
    if kind not in KINDS:
        raise refuse(f"`kind` must be one of {', '.join(KINDS)} (not {kind!r})")
    spec: dict = {"kind": kind, "match": parse_match(body.get("match", {}))}
    for name in VALUES:
        if name not in body:
            continue
        if name not in KIND_VALUES[kind]:
            raise refuse(f"`{name}` is no value of a {kind} fault (it takes {', '.join(KIND_VALUES[kind]) or 'none'})")
        kinds, check, what = VALUES[name]
        value = body[name]
        if isinstance(value, bool) or not isinstance(value, kinds) or not check(value):
            raise refuse(f"`{name}` must be {what} (not {value!r})")
        spec[name] = value
    for name in REQUIRED.get(kind, ()):
        if name not in spec:
            raise refuse(f"a {kind} fault needs `{name}`")
    if kind == "random_delay":
        uniform, lognormal = {"minMs", "maxMs"} <= set(spec), {"medianMs", "sigma"} <= set(spec)
        if uniform == lognormal or len(set(spec) & set(KIND_VALUES[kind])) != 2:
            raise refuse("a random_delay fault takes `minMs` and `maxMs` (uniform) or `medianMs` and `sigma` "
                         "(lognormal)")
        if uniform and spec["minMs"] > spec["maxMs"]:
            raise refuse("`minMs` must not exceed `maxMs`")
    if kind == "status" and spec["status"] < 400:
        raise refuse("`status` of a status fault must be an error, 400 to 599")
    for name, kinds, check, what in (("rate", (int, float), lambda v: 0 <= v <= 1, "a number, 0 to 1"),
                                     ("times", int, lambda v: v >= 1, "a number of calls, at least 1"),
                                     ("seconds", (int, float), lambda v: v > 0, "a positive number of seconds")):
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, kinds) or not check(value):
            raise refuse(f"`{name}` must be {what} (not {value!r})")
        spec[name] = value
    return spec


def parse_match(match) -> dict:
    if not isinstance(match, dict):
        raise refuse("`match` must be an object")
    check_match(match, MATCH_KEYS, refuse)
    if "credentialed" in match and not isinstance(match["credentialed"], bool):
        raise refuse("`match.credentialed` must be true or false")
    return {name: match[name] for name in MATCH_KEYS if name in match}


def matches(match: dict, incoming: Incoming) -> bool:
    return targets(match, incoming) and ("credentialed" not in match or match["credentialed"] == incoming.credentialed)


# --- the header: one request's faults ----------------------------------------------------------------------------

DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s)?")


def header_faults(value: str) -> list[dict]:
    """`X-Mockserver-Fault: status=503`, `delay=200ms`, `delay=100ms..300ms`, `status=429, retryAfter=5`, `drop` ...:
    comma-separated items, each a kind (with its value after `=`) or a value of the kind before it."""
    found: list[dict] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, _, text = (part.strip() for part in item.partition("="))
        if name == "delay" and ".." in text:
            low, high = (_ms(t) for t in text.split("..", 1))
            found.append({"kind": "random_delay", "minMs": low, "maxMs": high})
        elif name == "delay":
            found.append({"kind": "delay", "ms": _ms(text)})
        elif name == "status":
            found.append({"kind": "status", "status": _int(name, text)})
        elif name in KINDS and not text:
            found.append({"kind": name})
        elif found and name in VALUES:
            found[-1][name] = _int(name, text) if VALUES[name][0] is int else text
        else:
            raise refuse(f"{HEADER}: cannot read {item!r} (e.g. `status=503`, `delay=200ms`, `drop`)")
    return [parse_fault(f) for f in found]


def _ms(text: str) -> int:
    found = DURATION.fullmatch(text)
    if not found:
        raise refuse(f"{HEADER}: {text!r} is no duration (200ms, 1.5s)")
    return round(float(found[1]) * (1000 if found[2] == "s" else 1))


def _int(name: str, text: str) -> int:
    if not text.isdigit():
        raise refuse(f"{HEADER}: `{name}` must be a whole number (not {text!r})")
    return int(text)


# --- acting ----------------------------------------------------------------------------------------------------------


def wait(spec: dict, rng: random.Random) -> None:
    if spec["kind"] == "delay":
        ms = spec["ms"]
    elif "medianMs" in spec:
        ms = spec["medianMs"] * math.exp(rng.gauss(0, spec["sigma"]))
    else:
        ms = rng.uniform(spec["minMs"], spec["maxMs"])
    time.sleep(min(ms, 600_000) / 1000)


class InjectedError(MockError):
    """A status fault's error: the vendor renders it as any other error of that status."""

    def __init__(self, status: int):
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        super().__init__(phrase)
        self.status = status


def answer(spec: dict, incoming: Incoming) -> Response | None:
    """The answer that replaces the call's, or None when the call goes on (a SOAP fault on a REST call, the WSGI
    wrapper's truncated and drop kinds, which need the answer or the socket)."""
    kind = spec["kind"]
    if kind in ("truncated", "drop"):
        request.environ[BREAK_KEY] = kind
        return None
    if kind == "empty":
        return Response(b"", status=spec.get("status", 200))
    if kind == "soap_fault":
        if not incoming.soap:
            return None
        return soap_fault(spec.get("faultcode", "server"), spec.get("faultstring", "Internal Error"), 500)
    wing = next(w for w in WINGS if w.NAME == incoming.vendor)
    error = InvalidTokenError("the access token has expired") if kind == "expired_token" else \
        InjectedError(spec["status"])
    if incoming.soap and kind == "status":  # a SOAP client gets a fault envelope with the status it was asked for
        response = soap_fault("server", error.detail, spec["status"])
    else:
        response = wing.render_error(error)
    if kind == "status" and (spec["status"] == 429 or "retryAfter" in spec):
        response.headers["Retry-After"] = str(spec.get("retryAfter", 1))
    return response


def soap_fault(code: str, string: str, status: int) -> Response:
    from ..ispring.soap.wire import fault_envelope

    body = etree.tostring(fault_envelope(code, string), xml_declaration=True, encoding="UTF-8")
    return Response(body, status=status, content_type="text/xml; charset=utf-8")

