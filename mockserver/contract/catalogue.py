"""What a vendor plugs into the contract commands: its operations (the rows of its wing's table, plus the failure
pseudo-operations), how its bodies are judged and parsed, and its verify plan.

A vendor module (ruangkerja.py, ispring.py) builds one `Vendor`; vendors.py lists them. Verify, check, list and the
proxy work from those only, so a new vendor is one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from ..api.operation import Operation, flask_path
from .validate import soap_body_element


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
    # Which base paths a client may put before a path ((path) -> prefixes; the wing's route_prefixes): the proxy
    # matches /api/v2/enrollment as /enrollment.
    prefixes: Callable[[str], tuple[str, ...]] = lambda path: ()
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
                for method, path in op.routes() if op.method != "*" else ():
                    rules.append(Rule(flask_path(path), endpoint=i, methods=[method]))
            self._routes = Map(rules, strict_slashes=False, merge_slashes=False)
        return self._routes.bind("mock.invalid")

    def _route(self, method: str, path: str) -> int | None:
        try:
            return self.routes().match(path, method=method)[0]
        except HTTPException:
            return None

    def match(self, method: str, path: str, body: bytes = b"") -> Operation | None:
        """The operation a request calls, by method and path (and, on a SOAP path, by the body's element)."""
        index = self._route(method, path)
        if index is None:  # a client's base path before the row's (/api/v2/enrollment)
            index = next((found for prefix in self.prefixes(path) if path.startswith(prefix + "/")
                          for found in [self._route(method, path[len(prefix):])] if found is not None), None)
        if index is None:
            return None
        op = self.operations[index]
        if op.soap_request is None:
            return op
        element = soap_body_element(body)
        return next(
            (o for o in self.operations if o.path == op.path and o.soap_request == element and o.method == method),
            None,
        )


def failure(vendor: str, name: str, summary: str, contract, doc: str) -> Operation:
    """The pseudo-operation `contract check` judges a recorded failure body with, whatever answered it."""
    return Operation(vendor, name, "*", f"(any {summary})", doc, (contract,))
