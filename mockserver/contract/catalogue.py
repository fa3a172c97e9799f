"""The operations a vendor plugs in, and lookups over all of them.

A vendor module (ruangkerja.py, ...) builds one `Vendor`: its operations, the contract of its failure bodies, how its
bodies are parsed, and its verify plan. `register` adds it here; everything else (verify, check, list, proxy) works
from this catalogue only, so a new vendor is one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule


@dataclass(frozen=True)
class Operation:
    vendor: str
    name: str  # the vendor doc page's name in snake case: `course_offline_user_assignment`
    method: str  # GET, POST ... ("*" for the failure pseudo-operation)
    path: str  # in the vendor's own notation: /ruangkerja/dashboard/courses/:courseSerial/batches
    contracts: tuple  # the success contract; several when the docs allow several readings
    summary: str
    write: bool = False  # changes data on the vendor: verify calls it only with --allow-writes
    # Picks the contract among several readings by the body's shape (e.g. a bare list or a page object).
    choose: Callable[[Any], Any] | None = None
    # Tells SOAP operations apart on their one shared path: the request's SOAP body element, e.g. GetEnrollmentsRequest.
    soap_request: str | None = None
    soap_result: str | None = None  # the element the answer's SOAP body holds, e.g. GetEnrollmentsResult

    @property
    def qualified(self) -> str:
        return f"{self.vendor}.{self.name}"

    def contract_names(self) -> str:
        return " | ".join(dict.fromkeys(c.__name__ for c in self.contracts)) or "(empty body)"


@dataclass
class Vendor:
    name: str
    title: str
    operations: list[Operation]
    # Judges one response body: (operation, HTTP status, body bytes, content type, ordered) -> (contract name, differences).
    judge: Callable[..., tuple[str, list[str]]]
    # The body as data for discovery (parsed JSON, or a vendor's reading of its XML), None when it cannot be read.
    load: Callable[[bytes, str | None], Any]
    verify: Callable[..., None] | None = None  # the verify plan: (runner.Run, options dict) -> None
    # Whether a refused call means the credentials were refused: (operation, status, data) -> why, or None.
    refused: Callable[[Operation, int, Any], str | None] = lambda op, status, data: None
    doc: str = ""
    _routes: Map | None = field(default=None, repr=False)

    def operation(self, name: str) -> Operation:
        for op in self.operations:
            if op.name == name:
                return op
        raise KeyError(f"{self.name} has no operation {name!r}")

    def routes(self):
        if self._routes is None:
            rules = []
            for i, op in enumerate(self.operations):
                if op.method == "*":
                    continue
                rules.append(Rule(werkzeug_path(op.path), endpoint=i, methods=[op.method]))
            self._routes = Map(rules, strict_slashes=False, merge_slashes=False)
        return self._routes.bind("mock.invalid")

    def match(self, method: str, path: str, body: bytes = b"") -> Operation | None:
        """The operation a request calls, by method and path (and, on a SOAP path, by the body's element)."""
        try:
            index, _ = self.routes().match(path, method=method)
        except HTTPException:
            return None
        op = self.operations[index]
        if op.soap_request is None:
            return op
        from .validate import soap_body_element

        element = soap_body_element(body)
        return next(
            (o for o in self.operations if o.path == op.path and o.soap_request == element and o.method == method),
            None,
        )


def werkzeug_path(path: str) -> str:
    """`/courses/:courseSerial/batches` -> `/courses/<courseSerial>/batches`."""
    return "/".join(f"<{part[1:]}>" if part.startswith(":") else part for part in path.split("/"))


VENDORS: dict[str, Vendor] = {}
ORDER = ("ruangkerja", "ispring")


def register(vendor: Vendor) -> Vendor:
    VENDORS[vendor.name] = vendor
    return vendor


def load() -> dict[str, Vendor]:
    """Every vendor, in a fixed order."""
    from . import ispring, ruangkerja  # noqa: F401  (each registers itself)

    return {name: VENDORS[name] for name in ORDER if name in VENDORS}


def vendor(name: str) -> Vendor:
    found = load().get(name)
    if found is None:
        raise KeyError(f"unknown vendor {name!r}: one of {', '.join(sorted(load()))}")
    return found


def find(name: str, vendor_name: str | None = None) -> Operation:
    """An operation by `vendor.name`, or by its bare name when only one vendor has it."""
    prefix, _, rest = name.partition(".")
    if rest and prefix in load():
        vendor_name, name = prefix, rest
    candidates = [
        op for v in load().values() if vendor_name in (None, v.name) for op in v.operations if op.name == name
    ]
    if not candidates:
        raise KeyError(f"no operation {name!r}" + (f" for {vendor_name}" if vendor_name else "")
                       + " (`mockserver contract list` names them)")
    if len(candidates) > 1:
        names = " or ".join(sorted(op.qualified for op in candidates))
        raise KeyError(f"{name!r} is an operation of several vendors: say which, {names}")
    return candidates[0]
