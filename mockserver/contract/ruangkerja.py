"""Ruangkerja's operations, and how `contract verify` walks the real API to find identifiers to call them with.

Discovery: a course serial from the course list, then that course's batches (an offline one: `platform` ""), then the
batch's users, whose first employee's webinar activity is read last. Ids given as flags (--course/--batch/--employee)
win over discovered ones. The mock serves every route here, so it is discovered the same way.
"""

from __future__ import annotations

import json
from typing import Any

from contracts.ruangkerja import ErrorSchema

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

    course, batch = options.get("course"), options.get("batch")
    listing = run.call("course", "", query=size)
    candidates = [course] if course else _offline_first(_items(listing))[:MAX_COURSES]

    chosen = (course, batch) if course and batch else None
    fallback = None  # a batch that may not be offline: used only when no course has an offline one
    for serial in candidates:
        batches = [b for b in _items(run.call("course_batch", serial, path={"courseSerial": serial}, query=size))
                   if _serial(b)]
        offline = [b for b in batches if b.get("platform") == ""]  # offline batches meet at an address, no platform
        if chosen is None and offline:
            chosen = (serial, offline[0]["serial"])
        if fallback is None and batches:
            fallback = (serial, batches[0]["serial"])
        if chosen:
            break
    chosen = chosen or fallback

    employee = options.get("employee")
    if chosen:
        users = run.call("course_offline_user_assignment", "/".join(chosen),
                         path={"courseSerial": chosen[0], "batchSerial": chosen[1]}, query=size)
        if not employee:
            refs = [i.get("user") for i in _items(users) if isinstance(i.get("user"), dict)]
            employee = next((e for e in (_serial(r, "employeeID") for r in refs) if e), None)
    else:
        run.skip("course_offline_user_assignment", "", "no batch found to call it on: pass --course and --batch")
    if employee:
        run.call("user_webinar_course_activity", employee, path={"employeeID": employee}, query=size)
    else:
        run.skip("user_webinar_course_activity", "", "no employee found to call it on: pass --employee")


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
