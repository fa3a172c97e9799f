"""The console's reads, as admin rows (admin.py's `# --- console ---` section), so a script sees what the console
shows: one journal entry in full, the world's people, courses, content and enrollments with a search, the status.

World views read the world of the worker that answers (caught up with the shared log before any handler), never
SQLite; a search `q` matches, case-insensitively, a name, an email or any ID of the row.
"""

from __future__ import annotations

import os
import sys
import time

from flask import request

from .. import __version__
from ..control import store as control_store
from ..control.journal import as_wire
from ..control.routes import limit_arg
from ..errors import NotFoundError
from ..world import ruangkerja as ruangkerja_world
from . import answers

DEFAULT_LIMIT = 50
STARTED = time.time()  # this worker's start (the module is imported as the app is built)


def _query() -> tuple[str, int]:
    return request.args.get("q", "").strip().lower(), limit_arg(DEFAULT_LIMIT, sys.maxsize)


def _matching(rows: list[dict], keys: tuple[str, ...]) -> dict:
    q, limit = _query()
    found = [r for r in rows if not q or any(q in str(r[k] or "").lower() for k in keys)]
    return {"total": len(found), "rows": found[:limit]}


# --- one call ------------------------------------------------------------------------------------------------------


def request_detail(call) -> dict:
    value = call.path["id"]
    known = value.isascii() and value.isdigit() and len(value) < 19  # an ID SQLite's integers can hold
    row = control_store.entry(call.state, int(value)) if known else None
    if row is None:
        raise NotFoundError("request", value)
    answer, events = answers.answer(call.state, row)
    wire = as_wire(row)
    wire["body"] = answers.pretty(wire["body"])
    return {**wire, "answer": answer, "events": events}


# --- the world -----------------------------------------------------------------------------------------------------


def people(call) -> dict:
    w = call.world
    enrollments_of: dict[str, int] = {}
    for e in w.enrollments.values():
        enrollments_of[e.learner_id] = enrollments_of.get(e.learner_id, 0) + 1
    groups_of: dict[str, list[str]] = {}
    for group in w.groups:
        for user_id in group.user_ids:
            groups_of.setdefault(user_id, []).append(group.name)
    online_of: dict[str, int] = {}
    for o in w.online_assignments:
        online_of[o.employee_id] = online_of.get(o.employee_id, 0) + 1

    def learner_face(u) -> dict:
        department = w.department_by_id.get(u.department_id)
        return {"userId": u.user_id, "login": u.login, "department": department.name if department else None,
                "enrollments": enrollments_of.get(u.user_id, 0), "groups": groups_of.get(u.user_id, [])}

    rows, faced = [], set()
    for p in w.people:
        learner = w.learner_by_id.get(p.user_id)
        faced.add(p.user_id)
        unit = w.org_unit_by_serial.get(p.org_serial)
        row = {"name": f"{p.first_name} {p.last_name}".strip(), "email": p.email, "employeeId": p.employee_id,
               "serial": p.serial, "userId": None, "login": None, "department": unit.name if unit else None,
               "active": p.is_active,
               "assignments": len(w.assignments_by_employee.get(p.employee_id, [])) + online_of.get(p.employee_id, 0),
               "enrollments": 0, "groups": []}
        if learner is not None:
            row.update(learner_face(learner))
        rows.append(row)
    for u in w.learners:  # iSpring's own users (created through iSpring): no Ruangkerja face
        if u.user_id not in faced:
            rows.append({"name": f"{u.first_name} {u.last_name}".strip(), "email": u.email, "employeeId": None,
                         "serial": None, "active": u.status == 1, "assignments": 0, **learner_face(u)})
    keys = ("name", "email", "employeeId", "serial", "userId", "login")
    found = _matching(rows, keys)
    found["rows"] = [{k: r[k] for k in ("name", "email", "employeeId", "serial", "userId", "login", "department",
                                        "active", "assignments", "enrollments", "groups")} for r in found["rows"]]
    return found


def courses(call) -> dict:
    w = call.world
    counted: dict[str, int] = {}
    for a in w.assignments:
        counted[a.course_serial] = counted.get(a.course_serial, 0) + 1
    for o in w.online_assignments:
        counted[o.course_serial] = counted.get(o.course_serial, 0) + 1
    rows = [{"serial": c.serial, "name": c.name, "category": c.category, "passingScore": c.passing_score,
             "batches": [{"serial": b.serial, "name": b.name, "status": b.status}
                         for b in w.batches_by_course.get(c.serial, [])],
             "assignments": counted.get(c.serial, 0)} for c in w.courses]
    q, _ = _query()
    found = _matching(rows, ("serial", "name"))
    if q:  # a batch's serial or name finds its course too
        by_batch = [r for r in rows if r not in found["rows"]
                    and any(q in b["serial"].lower() or q in b["name"].lower() for b in r["batches"])]
        found = {"total": found["total"] + len(by_batch), "rows": (found["rows"] + by_batch)[:_query()[1]]}
    return found


def content(call) -> dict:
    w = call.world
    counted: dict[str, int] = {}
    for e in w.enrollments.values():
        counted[e.course_id] = counted.get(e.course_id, 0) + 1
    rows = [{"contentItemId": c.content_item_id, "title": c.title, "type": c.type, "addedDate": c.added_date,
             "enrollments": counted.get(c.content_item_id, 0)} for c in w.content_items]
    return _matching(rows, ("contentItemId", "title", "type"))


def enrollments(call) -> dict:
    w = call.world
    now = w.now()
    people_by_id = w.person_by_employee_id
    rows = []
    for e in w.enrollments.values():
        learner = w.learner_by_id.get(e.learner_id)
        item = w.content_item_by_id.get(e.course_id)
        rows.append({"vendor": "ispring", "id": e.enrollment_id, "kind": "enrollment", "learner": e.learner_id,
                     "learnerName": f"{learner.first_name} {learner.last_name}" if learner else "",
                     "course": e.course_id, "courseName": item.title if item else "",
                     "status": e.status or "", "progress": e.progress, "score": e.awarded_score})
    for a in w.assignments:
        p, c = people_by_id.get(a.employee_id), w.course_by_serial.get(a.course_serial)
        rows.append({"vendor": "ruangkerja", "id": a.serial, "kind": "batch", "learner": a.employee_id,
                     "learnerName": f"{p.first_name} {p.last_name}" if p else "", "course": a.course_serial,
                     "courseName": c.name if c else "",
                     "status": a.user_assigned_status + (f" / {a.post_activity_status}" if a.post_activity_status
                                                         else ""),
                     "progress": None, "score": a.post_test_score})
    for o in w.online_assignments:
        o = ruangkerja_world.current(o, now)
        p, c = people_by_id.get(o.employee_id), w.course_by_serial.get(o.course_serial)
        rows.append({"vendor": "ruangkerja", "id": f"{o.employee_id}/{o.course_serial}", "kind": "online",
                     "learner": o.employee_id, "learnerName": f"{p.first_name} {p.last_name}" if p else "",
                     "course": o.course_serial, "courseName": c.name if c else "", "status": o.status,
                     "progress": None, "score": o.post_test})
    return _matching(rows, ("id", "learner", "learnerName", "course", "courseName", "status"))


# --- the server ----------------------------------------------------------------------------------------------------


def status(call) -> dict:
    from ..ispring.operations import SOAP_PATHS  # (the iSpring wing imports the admin table: not at the top)

    w, config = call.world, call.config
    journal = control_store.count(call.state, config.journal_size, {})
    return {
        "version": __version__, "seed": w.seed, "workers": config.worker_count, "worker": os.getpid(),
        "uptime": round(time.time() - STARTED, 1),
        "state": {"backend": call.state.BACKEND, "path": call.state.path},
        "now": w.now().isoformat(timespec="seconds").replace("+00:00", "Z"), "seq": w.seq,
        "counts": {"people": len(w.people), "learners": len(w.learners), "courses": len(w.courses),
                   "batches": len(w.batches), "contentItems": len(w.content_items),
                   "enrollments": len(w.enrollments),
                   "assignments": len(w.assignments) + len(w.online_assignments), "groups": len(w.groups),
                   "journal": journal, "faults": len(control_store.faults(call.state)),
                   "stubs": len(control_store.stubs(call.state))},
        "links": {"openapi": "/__admin/openapi.json", "wsdl": f"{SOAP_PATHS[0]}?wsdl"},
    }
