"""Driving the world from a test (issue 12): POST /__admin/activity, GET and POST /__admin/clock, POST /__admin/seed.

Handlers of admin.py's rows. Each change is one event of the shared log (world/driving.py, and each face's activity
write), so every worker follows at its next request. Bodies are JSON, checked strictly: a wrong one is a 400 in the
admin error shape naming the field, and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from mockserver.contracts.base import StrictSchema, one_of
from mockserver.contracts.fields import Bool, Int, Number, Str

from .errors import BadRequestError
from .ruangkerja.inputs import load_body
from .world import driving, ispring as ispring_world, ruangkerja as ruangkerja_world
from .world.clock import Clock, duration_seconds, instant, real_now, showing
from .world.model import Assignment, Enrollment, OnlineAssignment

# --- request bodies ---------------------------------------------------------------------------------------------------

_PERCENT = validate.Range(min=0, max=100, error="must be from 0 to 100, got {input}")
_NOT_NEGATIVE = validate.Range(min=0, error="must not be negative, got {input}")


def _optional(field_type=Str, **kwargs):
    return field_type(required=False, **kwargs)


class ActivityRequestSchema(StrictSchema):
    """A learner's activity. Ruangkerja: the assignment by assignmentSerial, or employeeId + courseId (+ batchId);
    iSpring: the enrollment by enrollmentId, or userId + courseId."""

    vendor = Str(validate=one_of("ruangkerja", "ispring"))
    action = Str(validate=one_of(*ruangkerja_world.ACTIVITY_ACTIONS))
    employeeId = _optional()  # Ruangkerja: an employee ID or a user serial
    courseId = _optional()  # a Ruangkerja course serial, or an iSpring content item ID
    batchId = _optional()
    assignmentSerial = _optional()
    enrollmentId = _optional()
    userId = _optional()
    score = _optional(Number, validate=_PERCENT)  # the post test's (Ruangkerja: a whole number)
    preTest = _optional(Int, validate=_PERCENT)
    progress = _optional(Int, validate=_PERCENT)
    timeSpent = _optional(Int, validate=_NOT_NEGATIVE)  # seconds, added to the learner's
    absentReason = _optional()
    feedback = _optional()

    @validates_schema
    def _fields_of_the_vendor(self, data, **kwargs):
        others = {"ruangkerja": ("enrollmentId", "userId", "progress"),
                  "ispring": ("employeeId", "batchId", "assignmentSerial", "preTest", "absentReason", "feedback")}
        for name in others.get(data.get("vendor"), ()):
            if name in data:
                raise ValidationError(f"goes with the other vendor, not {data['vendor']}", field_name=name)
        if data.get("vendor") == "ruangkerja" and "score" in data and data["score"] != int(data["score"]):
            raise ValidationError("must be a whole number for ruangkerja", field_name="score")


class ClockRequestSchema(StrictSchema):
    """One of: set (an ISO 8601 date-time), advance (seconds, or 3d, 2h, 90s ...), real (true); freeze with set or
    advance stands the clock still."""

    set = _optional(metadata={"format": "date-time"})
    advance = fields.Raw(required=False, metadata={"oneOf": [{"type": "number"}, {"type": "string"}]})
    real = _optional(Bool)
    freeze = _optional(Bool)

    @validates_schema
    def _one_change(self, data, **kwargs):
        given = [name for name in ("set", "advance", "real") if name in data]
        if len(given) != 1:
            raise ValidationError("give exactly one of set, advance or real", field_name="_schema")
        if data.get("real") is False:
            raise ValidationError("only true: set or advance move the clock", field_name="real")
        if "freeze" in data and "real" in data:
            raise ValidationError("goes with set or advance (real time runs)", field_name="freeze")


class SeedRequestSchema(StrictSchema):
    seed = Int(validate=validate.Range(min=0, max=2**63 - 1, error="must be from 0 to 2**63-1, got {input}"))


# --- the clock --------------------------------------------------------------------------------------------------------


def clock_payload(clock: Clock) -> dict:
    now = clock.now()
    return {"now": now.isoformat().replace("+00:00", "Z"), "real": clock.real, "frozen": clock.frozen_at is not None,
            "offsetSeconds": round((now - real_now()).total_seconds(), 3) if not clock.real else 0}


def get_clock(call) -> dict:
    return clock_payload(call.world.clock)


def set_clock(call) -> dict:
    body = load_body(ClockRequestSchema)
    target = instant(body["set"]) if "set" in body else None
    step = duration_seconds(body["advance"]) if "advance" in body else None

    def decide(w) -> Clock:
        if body.get("real"):
            return Clock()
        frozen = body.get("freeze", w.clock.frozen_at is not None and target is None)
        try:
            moment = target if target is not None else w.clock.now() + timedelta(seconds=step)
        except OverflowError:
            raise BadRequestError("advance takes the clock past the year 9999") from None
        return showing(moment, frozen)

    return clock_payload(driving.set_clock(call.world, call.state, decide))


# --- another seed -----------------------------------------------------------------------------------------------------


def reseed(call) -> dict:
    body = load_body(SeedRequestSchema)
    if call.config.fixtures:
        raise BadRequestError(f"this server serves the world of --fixtures {call.config.fixtures}: edit that file "
                              "(it is watched) or start the server with --seed instead")
    seq = driving.reseed(call.world, call.state, body["seed"])
    return {"status": "ok", "seed": call.world.seed, "seq": seq}


# --- activity ---------------------------------------------------------------------------------------------------------


def online_state(o: OnlineAssignment) -> dict:
    return {"assignmentSerial": ruangkerja_world.online_assignment_serial(o), "employeeID": o.employee_id,
            "courseSerial": o.course_serial, "status": o.status, "preTest": o.pre_test, "postTest": o.post_test,
            "timeSpent": o.time_spent, "completedAt": o.completed_at, "lastAccessMission": o.last_access_mission,
            "dueDate": o.due_date}


def batch_state(a: Assignment) -> dict:
    return {"assignmentSerial": a.serial, "employeeID": a.employee_id, "courseSerial": a.course_serial,
            "batchSerial": a.batch_serial, "isAttend": a.is_attend, "absentReason": a.absent_reason,
            "feedback": a.feedback, "userAssignedStatus": a.user_assigned_status,
            "postActivityStatus": a.post_activity_status, "postTestAttempt": a.post_test_attempt,
            "postTestScore": a.post_test_score, "postTestPassingScore": a.post_test_passing_score}


def enrollment_state(e: Enrollment) -> dict:
    return {"enrollmentId": e.enrollment_id, "courseId": e.course_id, "learnerId": e.learner_id,
            "status": e.status, "progress": e.progress, "awardedScore": e.awarded_score,
            "completionDate": e.completion_date, "dueDate": e.due_date, "timeSpent": e.time_spent,
            "certificateId": e.certificate.issued_certificate_id if e.certificate else None}


@dataclass(frozen=True)
class _Shown:
    key: str  # where the state goes in the answer
    state: dict


def _shown(row) -> _Shown:
    if isinstance(row, OnlineAssignment):
        return _Shown("onlineAssignment", online_state(row))
    if isinstance(row, Assignment):
        return _Shown("batchAssignment", batch_state(row))
    return _Shown("enrollment", enrollment_state(row))


def activity(call) -> dict:
    body = load_body(ActivityRequestSchema)
    if body["vendor"] == "ruangkerja":
        act = ruangkerja_world.Activity(body["action"], None if body.get("score") is None else int(body["score"]),
                                        body.get("preTest"), body.get("timeSpent"), body.get("absentReason"),
                                        body.get("feedback"))
        before, after = ruangkerja_world.record_activity(
            call.world, call.state, act, body.get("employeeId"), body.get("courseId"), body.get("batchId"),
            body.get("assignmentSerial"))
    else:
        before, after = ispring_world.record_activity(
            call.world, call.state, body["action"], body.get("enrollmentId"), body.get("userId"),
            body.get("courseId"), body.get("score"), body.get("progress"), body.get("timeSpent"))
    old, new = _shown(before), _shown(after)
    return {"status": "ok", "seq": call.world.seq, "vendor": body["vendor"], "action": body["action"],
            "changed": [name for name, value in new.state.items() if old.state.get(name) != value],
            new.key: new.state}
