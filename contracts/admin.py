"""Contracts of the mock's own admin routes."""

from .base import StrictSchema, one_of
from .fields import Int, Str


class HealthSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seed = Int()
    version = Str()


class ResetSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seq = Int()  # the reset's place in the shared log


# --- driving ---
# POST /__admin/activity, GET and POST /__admin/clock, POST /__admin/seed.

from .fields import Bool, List, Nested, Number  # noqa: E402


class ClockSchema(StrictSchema):
    now = Str()  # ISO 8601, UTC
    real = Bool()  # the machine's time, unmoved
    frozen = Bool()  # standing still at `now`
    offsetSeconds = Number()  # now minus the machine's time


class SeedSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seed = Int()
    seq = Int()


class OnlineAssignmentStateSchema(StrictSchema):
    assignmentSerial = Str()
    employeeID = Str()
    courseSerial = Str()
    status = Str(validate=one_of("not_started", "in_progress", "completed", "expired", "failed"))
    preTest = Int(allow_none=True)
    postTest = Int(allow_none=True)
    timeSpent = Int()
    completedAt = Str()
    lastAccessMission = Str()
    dueDate = Str(allow_none=True)


class BatchAssignmentStateSchema(StrictSchema):
    assignmentSerial = Str()
    employeeID = Str()
    courseSerial = Str()
    batchSerial = Str()
    isAttend = Bool()
    absentReason = Str()
    feedback = Str()
    userAssignedStatus = Str(validate=one_of("Ongoing", "Cleared", "Failed"))
    postActivityStatus = Str(validate=one_of("NOT STARTED", "IN PROGRESS", "COMPLETED", "EXPIRED", ""))
    postTestAttempt = Int()
    postTestScore = Int()
    postTestPassingScore = Int(allow_none=True)


class EnrollmentStateSchema(StrictSchema):
    enrollmentId = Str()
    courseId = Str()
    learnerId = Str()
    status = Str(validate=one_of("not_started", "in_progress", "incomplete", "complete", "passed", "failed"))
    progress = Int()
    awardedScore = Number(allow_none=True)
    completionDate = Str(allow_none=True)
    dueDate = Str(allow_none=True)
    timeSpent = Int()
    certificateId = Str(allow_none=True)


class ActivitySchema(StrictSchema):
    """What an activity changed: the assignment or enrollment as it reads now, and the names of its fields that
    changed. One of onlineAssignment, batchAssignment (Ruangkerja) or enrollment (iSpring)."""

    status = Str(validate=one_of("ok"))
    seq = Int()  # the activity's place in the shared log
    vendor = Str(validate=one_of("ruangkerja", "ispring"))
    action = Str()
    changed = List(Str())
    onlineAssignment = Nested(OnlineAssignmentStateSchema, required=False)
    batchAssignment = Nested(BatchAssignmentStateSchema, required=False)
    enrollment = Nested(EnrollmentStateSchema, required=False)
