"""Ruangkerja's operations, and how `contract verify` walks the real API to find identifiers to call them with.

Discovery: the token call, the course list, and the batches of its first courses (offline ones, with no `platform`,
first). Then every other read row of the table, in table order, on the identifiers its path needs: a course, a
(course, batch) pair, or an employee found in the user lists answered before it. Discovered identifiers are tried
until one is found (a course of another category answers 404, which is no drift; a row none is found for is
skipped, naming the answer); ids given as flags (--course/--batch/--employee) are the only ones tried. A new read row
is verified with no change here.
"""

from __future__ import annotations

import json
from typing import Any

from mockserver.contracts.ruangkerja import ErrorSchema

from ..api.operation import Operation
from ..ruangkerja.operations import NAME
from ..ruangkerja.operations import OPERATIONS as TABLE
from .catalogue import Vendor, failure
from .validate import judge_json

OPERATIONS = [
    *TABLE,
    failure(NAME, "error", "failure", ErrorSchema, 'every failure body: {"errorCode","message","detail"}'),
]


def judge(op: Operation, status: int, body: bytes, content_type: str | None, *, ordered: bool = False):
    if op.name == "error":  # a recorded failure body is checked as one, whatever its status
        status = 400
    return judge_json(op, status, body, content_type, error_contract=ErrorSchema, ordered=ordered)


def load(body: bytes, content_type: str | None) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def refused(op: Operation, status: int, data: Any) -> str | None:
    """The token call answers 400 `Credentials does not match...`; a refused token is 403 (or 401) errorCode 123."""
    if status in (401, 403) or (status == 400 and op.name == "generate_access_token"):
        if isinstance(data, dict) and data.get("detail"):
            return f"{data.get('message')}: {data['detail']}" if data.get("message") != data["detail"] else data["detail"]
        return f"HTTP {status}"
    return None


# --- verify ---------------------------------------------------------------------------------------------------


def _items(call) -> list:
    """The items of a page (or bare list) answer, [] when the answer has none or is not one."""
    if call is None or not isinstance(call.data, dict):
        return []
    data = call.data.get("data")
    items = data.get("items") if isinstance(data, dict) else data
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _serial(item: dict, key: str = "serial") -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value else None


MAX_COURSES = 3  # courses whose batches discovery reads, at most


def _offline_first(courses: list) -> list[str]:
    """Course serials of the list, those that say they are offline first (the docs show no category field, so
    `category`, `type` or `courseType` are only looked at when present)."""
    def offline(course: dict) -> bool:
        return any(str(course.get(key, "")).lower() == "offline" for key in ("category", "type", "courseType"))

    serials = [(not offline(c), i, _serial(c)) for i, c in enumerate(courses) if _serial(c)]
    return [serial for _, _, serial in sorted(serials)]


def verify(run, options: dict) -> None:
    size = {"page": 1, "pageSize": options.get("page_size") or 10}

    token = options.get("token")
    if token:
        run.skip("generate_access_token", "", "a token was given (--token)")
    else:
        client_id = options["client_id"]
        call = run.call("generate_access_token", client_id, json={
            "clientID": client_id, "clientSecret": options["client_secret"], "grantType": "client_credentials",
        })
        data = call.data.get("data") if isinstance(call.data, dict) else None
        token = data.get("accessToken") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            for name in ("course", "course_batch", "course_offline_user_assignment", "user_webinar_course_activity"):
                run.skip(name, "", "no access token to call it with")
            return
    run.headers["Authorization"] = token  # raw, as the docs send it

    course, batch, employee = options.get("course"), options.get("batch"), options.get("employee")
    listing = run.call("course", "", query=size)
    courses = [course] if course else _offline_first(_items(listing))
    pairs = [(course, batch)] if course and batch else []
    for serial in courses[:MAX_COURSES]:
        batches = _items(run.call("course_batch", serial, path={"courseSerial": serial}, query=size))
        if not batch:  # offline batches (no platform) first, as the first scoped page is the offline one
            pairs += [(serial, b["serial"]) for b in sorted(batches, key=lambda b: b.get("platform") != "")
                      if _serial(b)]
    found = {"courseSerial": courses, "batchSerial": pairs, "employeeID": [employee] if employee else []}

    called = {"generate_access_token", "course", "course_batch"}
    for op in OPERATIONS:
        if op.name in called or op.write or op.method == "*":
            continue
        scope = "batchSerial" if "batchSerial" in op.path_names() else op.path_names()[-1]
        if not found[scope]:
            run.skip(op.name, "", f"no {_WHAT[scope]} found to call it on: pass {_FLAGS[scope]}")
            continue
        call = _first_that_answers(run, op, found[scope], size)
        if call is None:
            continue
        elif not employee:
            found["employeeID"] += [e for e in (_serial(i.get("user") or {}, "employeeID") for i in _items(call))
                                    if e and e not in found["employeeID"]]


_WHAT = {"courseSerial": "course", "batchSerial": "batch", "employeeID": "employee"}
_FLAGS = {"courseSerial": "--course", "batchSerial": "--course and --batch", "employeeID": "--employee"}
MAX_TRIES = 10  # discovered identifiers tried on one operation, at most


def _first_that_answers(run, op, candidates: list, size: dict):
    """Call `op` on the identifiers until one is found, and keep that call's row. A 404 is no drift (a course of
    another category, a batch of another course): the next identifier is tried, and when none is found the row is
    skipped, naming the last answer. A 404 whose body breaks the error contract is kept, as the drift it is."""
    call = None
    for value in candidates[:MAX_TRIES]:
        values = dict(zip(("courseSerial", "batchSerial"), value)) if isinstance(value, tuple) else \
            {op.path_names()[-1]: value}
        call = run.call(op.name, "/".join(values.values()), path=values, query=size, record=False)
        if call.status != 404 or len(call.row.differences) > 1:
            return run.keep(call)
    tried = len(candidates[:MAX_TRIES])
    answer = call.row.differences[0].split(": ", 1)[-1]
    run.skip(op.name, call.row.target, f"404: {answer}" if tried == 1 else f"404 on all {tried} tried, the last: {answer}")
    return None


VENDOR = Vendor(
    name=NAME,
    title="Ruangkerja",
    operations=OPERATIONS,
    judge=judge,
    load=load,
    verify=verify,
    refused=refused,
    doc="JSON REST, api.ruangkerja.id",
)
