"""iSpring trainings and assignments over REST and SOAP: the wire payloads of world/ispring_training.py's records and
the handlers of their rows (operations.py, section `training`)."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import request

from ..api.paging import token_page
from ..api.xml import local_name, parse_xml
from ..errors import BadRequestError
from ..world import ispring_training as world
from .inputs import RequestBody, is_uuid, query_ids

# --- payloads ---------------------------------------------------------------------------------------------------


def training_item(t: world.Training) -> dict:
    return {"title": t.title, "organizer": t.organizer, "sessions": list(t.session_ids), "type": t.type}


def session_item(w, s: world.TrainingSession) -> dict:
    """TrainingSession in the spec's property order: id, title, startTime, duration (s), instructor, dayIds."""
    return {"id": s.session_id, "title": s.title, "startTime": world.session_start(w, s),
            "duration": world.session_duration(w, s), "instructor": s.instructor or None, "dayIds": list(s.day_ids)}


def soap_session(w, s: world.TrainingSession) -> dict:
    """listSessionsByTraining's trainingSession; its element order is the Spyne model's (soap/types.py)."""
    return session_item(w, s)


def day_item(d: world.TrainingDay) -> dict:
    return {"dayId": d.day_id, "sessionId": d.session_id, "trainingId": d.training_id, "startTime": d.start_time,
            "duration": d.duration, "location": d.location, "url": d.url}


def assignment_item(w, a: world.ContentAssignment) -> dict:
    return {"assignmentId": a.assignment_id, "title": a.title, "instructorId": a.instructor_id}


def attempt_item(a: world.AssignmentAttempt) -> dict:
    return {"attemptId": a.attempt_id, "enrollmentId": a.enrollment_id, "userId": a.user_id, "comment": a.comment,
            "attachments": [dict(x) for x in a.attachments]}


# --- training ---------------------------------------------------------------------------------------------------


def get_training_by_id(call) -> dict:
    return {"response": training_item(world.training(call.world, call.path["trainingId"]))}


def get_training_session(call) -> dict:
    return {"response": session_item(call.world, world.session(call.world, call.path["trainingSessionId"]))}


def list_sessions_by_training_id(call) -> list:
    return [session_item(call.world, s) for s in world.sessions_of(call.world, call.path["trainingId"])]


def get_day(call) -> dict:
    return {"response": day_item(world.day(call.world, call.path["dayId"]))}


def update_day(call) -> None:
    body = RequestBody.read()
    url = body.text("url", required=True).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise BadRequestError(f"url must be an http(s) URL, got {url!r}")
    world.update_day(call.world, call.state, call.path["dayId"], url)


def list_session_participants(call) -> list:
    """The session's participants, a page at a time: the answer is a bare array (the spec), so the next page's
    pageToken is what every list of the account gives: base64 of the last userId of this page."""
    s = world.session(call.world, call.path["sessionId"])
    size = request.args.get("pageSize")
    if size is not None and not (size.strip().isdigit() and int(size) >= 1):
        raise BadRequestError("pageSize must be a positive integer")
    chosen, _ = token_page(world.participants(call.world, s), lambda u: u, int(size) if size else None,
                           request.args.get("pageToken"))
    return chosen


def update_day_participants_attendance(call) -> None:
    body = RequestBody.read()
    marks = []
    for n, item in enumerate(_objects(body, "participantsAttendance", "trainingParticipantAttendance")):
        where = f"participantsAttendance[{n}]"
        participant = _within(where, lambda: item.text("participantId", required=True))
        if not is_uuid(participant):
            raise BadRequestError(f"{where}.participantId must be a UUID, got {participant!r}")
        if item.values.get("isAttended") in (None, ""):
            raise BadRequestError(f"{where}.isAttended is required")
        attended = _within(where, lambda: item.flag("isAttended"))
        duration = _within(where, lambda: item.integer("duration"))
        marks.append(world.AttendanceMark(participant, attended, duration))
    world.update_attendance(call.world, call.state, call.path["dayId"], marks)


def soap_listSessionsByTraining(call, trainingId):
    return [soap_session(call.world, s) for s in world.sessions_of(call.world, trainingId)]  # unknown: a fault


# --- assignments ------------------------------------------------------------------------------------------------


def assignments_rows(call) -> list:
    raw = request.args.get("ungraded")
    if raw not in (None, "0", "1"):
        raise BadRequestError(f"ungraded must be 0 or 1, got {raw!r}")
    return world.find_assignments(call.world, ungraded_only=raw == "1")


def list_assignment_attempts(call) -> list:
    attempts = world.ungraded_attempts(call.world, call.path["assignmentId"], query_ids("userIds"))
    return [attempt_item(a) for a in attempts]


def grade_assignments(call) -> None:
    items = _objects(RequestBody.read(), "assignmentAttemptGrades", "attemptGrade")
    if not items:
        raise BadRequestError("assignmentAttemptGrades must name at least one attempt")
    grades = []
    for n, item in enumerate(items):
        where = f"assignmentAttemptGrades[{n}]"
        attempt = _within(where, lambda: item.text("attemptId", required=True))
        if not is_uuid(attempt):
            raise BadRequestError(f"{where}.attemptId must be a UUID, got {attempt!r}")
        grades.append(world.Grade(attempt, _score(item, where), _within(where, lambda: item.text("comment"))))
    world.grade_attempts(call.world, call.state, grades)


def _score(item: RequestBody, where: str) -> float:
    """A number from 0 to 100 (the spec's `number`): JSON a number or a numeric string, XML its text."""
    value = item.values.get("score")
    if value is None or value == "":
        raise BadRequestError(f"{where}.score is required")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadRequestError(f"{where}.score must be a number")
    try:
        score = float(value)
    except ValueError:
        raise BadRequestError(f"{where}.score must be a number, got {value!r}") from None
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise BadRequestError(f"{where}.score must be between 0 and 100")
    return score


# --- request arrays of objects ----------------------------------------------------------------------------------


def _objects(body: RequestBody, name: str, item: str) -> list[RequestBody]:
    """The objects of array `name`: JSON `{"name": [{...}]}`; XML wrapped, `<name><item>…</item>…</name>` (the
    spec's xml names), `<name>` repeated holding each object's fields, or `<item>` repeated under the root."""
    if not body.from_xml:
        value = body.values.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise BadRequestError(f"{name} must be a list of objects")
        return [RequestBody(v, from_xml=False) for v in value]
    found = []
    for child in parse_xml(request.get_data(cache=True)):
        if not isinstance(child.tag, str):
            continue
        tag = local_name(child)
        if tag == name and any(isinstance(c.tag, str) and local_name(c) == item for c in child):
            found += [c for c in child if isinstance(c.tag, str) and local_name(c) == item]
        elif tag in (name, item) and (len(child) or not (child.text or "").strip()):
            if len(child):
                found.append(child)
        elif tag in (name, item):
            raise BadRequestError(f"{name} must hold objects, not text")
    return [RequestBody({local_name(c): (c.text or "").strip() for c in element if isinstance(c.tag, str)},
                        from_xml=True) for element in found]


def _within(prefix: str, read):
    """`read()`, its refusal naming the field inside the object: `participantsAttendance[0].isAttended ...`."""
    try:
        return read()
    except BadRequestError as error:
        raise BadRequestError(f"{prefix}.{error.detail}") from None
