"""Calls a vendor's operations against a base URL and keeps one row per call: what was asked, the status, the verdict.

The vendor's verify plan drives it (`Run.call`, `Run.skip`) and discovers real identifiers from the answers. Writes are
refused unless the run allows them. Two conditions stop a run at once, both exit 2: the API cannot be reached
(`Unreachable`), or it refuses the credentials (`Refused`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote, urlencode

import requests

from mockserver.contracts.admin import HealthSchema
from mockserver.contracts.base import violations

from ..api.operation import Operation
from .catalogue import Vendor

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
USER_AGENT = "mockserver-contract-verify"


class StopRun(Exception):
    """The run cannot go on; exit 2."""


class Unreachable(StopRun):
    pass


class Refused(StopRun):
    pass


@dataclass
class Row:
    operation: str  # qualified name, e.g. ruangkerja.course_batch
    target: str  # what it was called on (identifiers), or the file checked
    status: int | None
    result: str  # PASS, FAIL or SKIP
    differences: list[str] = field(default_factory=list)  # for SKIP: the reason
    contract: str = ""
    request: str = ""
    seconds: float = 0.0
    note: str = ""  # shown when there is no difference: which of several readings a PASS matched


@dataclass
class Call:
    status: int
    data: Any  # the body as data, None when it could not be read
    row: Row

    @property
    def ok(self) -> bool:
        return self.row.result == PASS


def fill(path: str, values: dict[str, str]) -> str:
    """`/courses/:courseSerial/batches` with {"courseSerial": "C-1"} -> `/courses/C-1/batches`."""
    parts = []
    for part in path.split("/"):
        parts.append(quote(str(values[part[1:]]), safe="") if part.startswith(":") else part)
    return "/".join(parts)


class Run:
    def __init__(
        self,
        vendor: Vendor,
        base_url: str,
        *,
        allow_writes: bool = False,
        ordered: bool = False,
        timeout: float = 30.0,
        on_call: Callable[[Operation, str], None] | None = None,
        session: requests.Session | None = None,
    ):
        self.vendor = vendor
        self.base_url = base_url.rstrip("/")
        self.allow_writes = allow_writes
        self.ordered = ordered
        self.timeout = timeout
        self.on_call = on_call or (lambda op, target: None)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.headers: dict[str, str] = {}  # sent on every call (the plan sets Authorization)
        self.rows: list[Row] = []
        self.mock: dict | None = None  # the mockserver's health body when the target is this mock

    # --- the target --------------------------------------------------------------------------------------

    def probe(self) -> None:
        """Reach the base URL once, and learn whether it is a mockserver (it answers GET /__admin/health)."""
        try:
            response = self.session.get(self.base_url + "/__admin/health", timeout=self.timeout)
        except requests.RequestException as error:
            raise Unreachable(f"cannot reach {self.base_url}: {_reason(error)}") from None
        try:
            body = response.json()
        except ValueError:
            return
        if response.status_code == 200 and not violations(HealthSchema, body):
            self.mock = body

    def keep(self, call: Call) -> Call:
        self.rows.append(call.row)
        return call

    # --- calls ----------------------------------------------------------------------------------------------

    def skip(self, name: str, target: str, reason: str) -> None:
        op = self.vendor.operation(name)
        self.rows.append(Row(op.qualified, target, None, SKIP, [reason], op.contract_names()))

    def call(
        self,
        name: str,
        target: str = "",
        *,
        path: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
        url: str | None = None,
        record: bool = True,
    ) -> Call | None:
        """Call one operation and judge the answer; None when it was not called (a write without --allow-writes).

        record=False: a probe of discovery; the caller keeps its row (`keep`) if it is the one to report."""
        op = self.vendor.operation(name)
        if op.write and not self.allow_writes:
            self.skip(name, target, "write operation: not called without --allow-writes")
            return None
        url_path = fill(op.path, path or {})
        if url:  # an endpoint elsewhere than base URL + path (iSpring's --soap-url)
            url_path = url[len(self.base_url):] if url.startswith(self.base_url + "/") else url
        request_line = f"{op.method} {url_path}" + (f"?{urlencode(query, doseq=True)}" if query else "")
        if op.soap_request:
            request_line += f" {op.soap_request}"
        self.on_call(op, target)
        started = time.perf_counter()
        try:
            response = self.session.request(
                op.method, url or self.base_url + url_path, params=query, json=json, data=data,
                headers={**self.headers, **(headers or {})}, timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise Unreachable(f"cannot reach {self.base_url} ({request_line}): {_reason(error)}") from None
        seconds = time.perf_counter() - started
        status, body = response.status_code, response.content
        content_type = response.headers.get("Content-Type", "")
        loaded = self.vendor.load(body, content_type)
        why = self.vendor.refused(op, status, loaded)
        if why:
            raise Refused(f"{self.base_url} refused the credentials ({request_line} answered {status}): {why}")
        contract, differences = self.vendor.judge(op, status, body, content_type, ordered=self.ordered)
        result = PASS
        if status not in expect:
            text = _gist(loaded) or body[:120].decode("utf-8", "replace").strip()
            text = text if len(text) <= 160 else text[:159] + "…"
            expected = " or ".join(str(s) for s in expect)
            differences = [f"HTTP {status}, expected {expected}: {text}"] + differences
        if result == PASS and differences:
            result = FAIL
        note = f"matched {contract}" if result == PASS and len(set(op.contracts)) > 1 else ""
        row = Row(op.qualified, target, status, result, differences, contract, request_line, seconds, note)
        if record:
            self.rows.append(row)
        return Call(status, loaded, row)


def _gist(data) -> str:
    """What a failure body says, when it says it the usual way (`detail`, `message`, a SOAP `faultstring`)."""
    if hasattr(data, "iter"):  # an XML document
        for key in ("faultstring", "message"):
            for element in data.iter():
                if isinstance(element.tag, str) and element.tag.rpartition("}")[2] == key and element.text:
                    return element.text
    if isinstance(data, dict):
        for key in ("detail", "message", "faultstring"):
            if isinstance(data.get(key), str) and data[key]:
                return data[key]
    return ""


def _reason(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        root = error.args[0] if error.args else error
        text = str(getattr(root, "reason", root))
        if "Connection refused" in text:
            return "connection refused"
        if "Name or service not known" in text or "nodename nor servname" in text or "NameResolution" in text:
            return "unknown host"
        return text
    return f"{type(error).__name__}: {error}"
