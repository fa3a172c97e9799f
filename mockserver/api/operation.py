"""An operation row: one vendor operation, declared once.

Each wing's `operations.py` is a list of these (its table). Routes, the auth gate, error ownership, the OpenAPI
document, `mockserver contract list`, verify's and the proxy's matching, and the parametrised tests all read the
tables, so a new endpoint is one row + one world query + one contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

OPERATION_KEY = "mockserver.operation"  # request.environ: the row that answered, where routing cannot tell (SOAP)


@dataclass(frozen=True)
class Param:
    """A query or header parameter as the vendor documents it; `schema` is its OpenAPI schema."""

    name: str
    schema: dict = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    where: str = "query"
    description: str = ""
    example: str | None = None  # a value that works: the docs' own (OpenAPI; verify sends it for a required one)


@dataclass(frozen=True)
class SoapSignature:
    """A SOAP row's wire: request children after <credentials> and result children, as (name, type spec) pairs.

    A type spec names a Spyne type of `ispring/soap/types.py` (or a primitive) with a suffix: `!` required,
    `?` optional, `*` repeated (e.g. `Enrollment*`, `Unicode!`), or none: the type as declared (`DueDateType`).
    """

    params: tuple[tuple[str, str], ...]
    results: tuple[tuple[str, str], ...]
    result_element: str  # the element the answer's SOAP body holds: GetEnrollmentsResult, successResult ...


@dataclass(frozen=True)
class Operation:
    vendor: str
    name: str  # the vendor's name: a doc page slug (ruangkerja), the spec's operationId or SOAP method (ispring)
    method: str  # GET, POST ... ("*" for a failure pseudo-operation of the contract catalogue)
    path: str  # in the vendor's notation: /ruangkerja/dashboard/courses/:courseSerial/batches
    summary: str
    contracts: tuple = ()  # success contracts; several when the docs allow several readings (iSpring REST: JSON, XML)
    handler: Callable | None = None  # (call) -> payload; SOAP: (call, *params) -> result values
    rows: Callable | None = None  # a list: (call) -> the rows (a world query); paging and mapping are generic
    item: Callable | None = None  # a list: (world, row) -> the wire item
    paging: str | None = None  # a list's paging, in the wing's vocabulary (see the wing's responses.py)
    items_key: str | None = None  # where a list's items go in the payload, when the vendor names it
    cursor: Callable | None = None  # token paging: the row's key, by which the world query sorts the rows
    params: tuple[Param, ...] = ()  # query parameters besides paging
    body: dict | None = None  # the request body: {media type: OpenAPI schema}
    status: int = 200  # of a success
    errors: tuple[int, ...] = ()  # the error statuses the operation answers (OpenAPI)
    text_errors: tuple[int, ...] = ()  # those of them the vendor answers as text/plain, not its error shape
    public: bool = False  # no credentials needed
    write: bool = False  # changes the vendor's data: verify calls it only with --allow-writes
    fresh: bool = False  # a read of what the shared log does not hold: never answered from the cache (api/cache.py)
    also: tuple[tuple[str, str], ...] = ()  # more (method, path) pairs the vendor serves it at (doc curl's typos)
    xml: Any = None  # iSpring REST: how the payload is written as XML (ispring/responses.py XmlShape)
    choose: Callable[[Any], Any] | None = None  # picks the contract among several readings by the body's shape
    soap: SoapSignature | None = None  # a SOAP row: served by the SOAP service, not by a route of its own
    soap_request: str | None = None  # the request's SOAP body element, e.g. GetEnrollmentsRequest

    @property
    def qualified(self) -> str:
        return f"{self.vendor}.{self.name}"

    @property
    def soap_result(self) -> str | None:
        return self.soap.result_element if self.soap else None

    @property
    def is_list(self) -> bool:
        return self.rows is not None

    def routes(self) -> list[tuple[str, str]]:
        """Every (method, path) it is served at: its own first."""
        return [(self.method, self.path), *self.also]

    def path_names(self, path: str | None = None) -> list[str]:
        return [part[1:] for part in (path or self.path).split("/") if part.startswith(":")]

    def contract_names(self) -> str:
        return " | ".join(dict.fromkeys(c.__name__ for c in self.contracts)) or "(empty body)"


def flask_path(path: str) -> str:
    """`/courses/:courseSerial/batches` -> `/courses/<courseSerial>/batches`."""
    return "/".join(f"<{part[1:]}>" if part.startswith(":") else part for part in path.split("/"))


def openapi_path(path: str) -> str:
    """`/courses/:courseSerial/batches` -> `/courses/{courseSerial}/batches`."""
    return "/".join(f"{{{part[1:]}}}" if part.startswith(":") else part for part in path.split("/"))
