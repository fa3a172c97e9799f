"""Ruangkerja's operations, and how `contract verify` walks the real API to find identifiers to call them with.

Discovery: the token call, the course list, and the batches of its first courses (offline ones, with no `platform`,
first). Then every other read row of the table, in table order, on the identifiers its path needs: none, a course, a
(course, batch) pair, an employee found in the user lists answered before it, a learning plan of the learning-plan
list, or a tag of the tag list. A required query value is sent as the docs' example (the User Course Status window).
Discovered identifiers are tried until one is found (a course of another category answers 404, which is no drift; a
row none is found for is skipped, naming the answer); ids given as flags (--course/--batch/--employee/
--learning-plan) are the only ones tried. A new read row is verified with no change here.

Writes, only with --allow-writes: a tag named `mockserver-verify-<UTC time>-<random>` is created, renamed, read back,
and another created and renamed in bulk; both are then deleted (delete-bulk). The user writes and the course
assignment are never called: the API cannot undo them.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from mockserver.contracts.ruangkerja import ErrorSchema
from mockserver.contracts.wording import value_at

from ..api.operation import Operation
from ..ruangkerja.operations import NAME
from ..ruangkerja.operations import OPERATIONS as TABLE
from .catalogue import Vendor, failure
from .runner import FAIL
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
    plan = options.get("learning_plan")
    listing = run.call("course", "", query=size)
    courses = [course] if course else _offline_first(_items(listing))
    pairs = [(course, batch)] if course and batch else []
    for serial in courses[:MAX_COURSES]:
        batches = _items(run.call("course_batch", serial, path={"courseSerial": serial}, query=size))
        if not batch:  # offline batches (no platform) first, as the first scoped page is the offline one
            pairs += [(serial, b["serial"]) for b in sorted(batches, key=lambda b: b.get("platform") != "")
                      if _serial(b)]
    found = {"courseSerial": courses, "batchSerial": pairs, "employeeID": [employee] if employee else [],
             "learningPlanSerial": [plan] if plan else [], "tagSerial": []}

    called = {"generate_access_token", "course", "course_batch"}
    for op in OPERATIONS:
        if op.name in called or op.write or op.method == "*":
            continue
        names = op.path_names()
        scope = "batchSerial" if "batchSerial" in names else (names[-1] if names else None)
        if scope is not None and not found[scope]:
            flag = f": pass {_FLAGS[scope]}" if scope in _FLAGS else ""
            run.skip(op.name, "", f"no {_WHAT[scope]} found to call it on{flag}")
            continue
        query = {**(size if op.paging else {}), **{p.name: p.example for p in op.params if p.required}}
        call = _first_that_answers(run, op, [None] if scope is None else found[scope], query or None)
        if call is not None:
            _harvest(op, call, found, employee, plan)
    if run.allow_writes:
        _writes(run)


def _harvest(op, call, found: dict, employee: str | None, plan: str | None) -> None:
    """Identifiers for the rows after this one: the learning plans of their list (unless --learning-plan), the tags of
    the tag list, and (unless --employee) the employees of any list of users or of user-scoped items."""
    listed = _items(call)
    lists = {"learning_plan": "learningPlanSerial" if not plan else None, "find_tags": "tagSerial"}
    if lists.get(op.name):
        known = found[lists[op.name]]
        known += [s for s in map(_serial, listed) if s and s not in known]
    if not employee:
        ids = (_serial(i["user"] if isinstance(i.get("user"), dict) else i, "employeeID") for i in listed)
        found["employeeID"] += [e for e in ids if e and e not in found["employeeID"]]


_WHAT = {"courseSerial": "course", "batchSerial": "batch", "employeeID": "employee",
         "learningPlanSerial": "learning plan", "tagSerial": "tag"}
_FLAGS = {"courseSerial": "--course", "batchSerial": "--course and --batch", "employeeID": "--employee",
          "learningPlanSerial": "--learning-plan"}
MAX_TRIES = 10  # discovered identifiers tried on one operation, at most


def _first_that_answers(run, op, candidates: list, query: dict):
    """Call `op` on the identifiers until one answers with items, and keep that call's row (else the first that
    answered: an empty list checks no item). A 404 is no drift (a course of another category, a batch of another
    course, a route this account does not have): the next identifier is tried, and when none is found the row is
    skipped, naming the last answer. A 404 whose body breaks the error contract is kept, as the drift it is. A
    candidate None: a path with no identifier."""
    call = empty = None
    for value in candidates[:MAX_TRIES]:
        if value is None:
            values = {}
        elif isinstance(value, tuple):
            values = dict(zip(("courseSerial", "batchSerial"), value))
        else:
            values = {op.path_names()[-1]: value}
        call = run.call(op.name, "/".join(values.values()), path=values, query=query, record=False)
        if call.status != 404 or len(call.row.differences) > 1:
            if call.status != 200 or _items(call) or not op.paging:
                return run.keep(call)
            empty = empty or call
    if empty is not None:
        return run.keep(empty)
    tried = len(candidates[:MAX_TRIES])
    answer = call.row.differences[0].split(": ", 1)[-1]
    run.skip(op.name, call.row.target, f"404: {answer}" if tried == 1 else f"404 on all {tried} tried, the last: {answer}")
    return None


# --- writes (--allow-writes) ---------------------------------------------------------------------------------------

NOT_UNDONE = ("create_user", "update_user", "create_users", "update_users", "update_users_email",
              "assign_online_course")


def _writes(run) -> None:
    """Tags only, each one deleted at the end: create, rename, read back; create and rename in bulk; delete both."""
    for name in NOT_UNDONE:
        run.skip(name, "", "not called: the API cannot undo it (no user or assignment can be deleted)")
    name = f"mockserver-verify-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"
    serial = _data_value(run.call("create_tag", name, json={"name": name}), "data.serial")
    if not serial:
        for op in ("update_tag", "create_tags", "update_tags", "delete_tags"):
            run.skip(op, "", "create_tag gave no serial to go on with")
        return
    made = [serial]
    run.call("update_tag", serial, path={"tagSerial": serial}, json={"name": f"{name}-renamed"})
    _read_back(run.call("find_tag", serial, path={"tagSerial": serial}), "data.name", f"{name}-renamed")
    bulk = run.call("create_tags", f"{name}-bulk", json={"items": [{"name": f"{name}-bulk"}]})
    second = _data_value(bulk, "data.successItems[0].response.serial")
    if second:
        made.append(second)
        run.call("update_tags", second, json={"items": [{"serial": second, "name": f"{name}-bulk-renamed"}]})
    else:
        run.skip("update_tags", "", "create_tags gave no serial to go on with")
    _read_back(run.call("delete_tags", ",".join(made), json={"serials": made}), "data.success", made)


def _data_value(call, path: str):
    value = value_at(call.data, path) if call is not None and call.ok else None
    return value if isinstance(value, str) and value else None


def _read_back(call, path: str, expected) -> None:
    """A write the API said it made but does not show: a difference of that call's row."""
    if call is None or not call.ok:
        return
    found = value_at(call.data, path)
    if found != expected:
        shown = repr(found) if isinstance(found, (str, list, int, bool, type(None))) else "nothing"
        call.row.differences.append(f"{path}: {shown}, expected {expected!r} after the writes before it")
        call.row.result = FAIL


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
