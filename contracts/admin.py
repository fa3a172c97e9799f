"""Contracts of the mock's own admin routes."""

from marshmallow import fields as _fields
from marshmallow.fields import Raw

from .base import StrictSchema, one_of
from .fields import Bool, Int, List, Nested, Number, Str


class HealthSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seed = Int()
    version = Str()


class ResetSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seq = Int()  # the reset's place in the shared log


# --- journal ---
# The control plane's answers: the request journal, faults, scenarios and stubs (mockserver/control/).

def _optional(field_type, **kwargs):
    return field_type(required=False, **kwargs)


class JournalEntrySchema(StrictSchema):
    id = Int()
    time = Str()  # ISO 8601, UTC, milliseconds
    worker = Int()  # the process that answered
    vendor = Str(validate=one_of("ruangkerja", "ispring"))
    operation = Str(allow_none=True)  # the row's qualified name; null when no row answered
    method = Str()
    path = Str()
    query = Str()
    headers = _fields.Dict(keys=Str(), values=Str(), required=True)
    body = Str()
    status = Int(allow_none=True)  # null: the connection was dropped
    ms = Number()
    stubbed = Bool()
    fault = Str(allow_none=True)  # the kinds of the faults that acted, comma-separated


class RequestsSchema(StrictSchema):
    requests = List(Nested(JournalEntrySchema))


class CountSchema(StrictSchema):
    count = Int()


class DeletedSchema(StrictSchema):
    deleted = Int()


class FaultMatchSchema(StrictSchema):
    vendor = _optional(Str, validate=one_of("ruangkerja", "ispring"))
    operation = _optional(Str)
    path = _optional(Str)
    credentialed = _optional(Bool)


class FaultSchema(StrictSchema):
    id = Int()
    kind = Str(validate=one_of("delay", "random_delay", "status", "expired_token", "soap_fault", "empty",
                               "truncated", "drop"))
    match = Nested(FaultMatchSchema)
    ms = _optional(Int)
    minMs = _optional(Int)
    maxMs = _optional(Int)
    medianMs = _optional(Int)
    sigma = _optional(Number)
    status = _optional(Int)
    retryAfter = _optional(Int)
    faultcode = _optional(Str, validate=one_of("client", "server"))
    faultstring = _optional(Str)
    rate = _optional(Number)
    times = _optional(Int)
    seconds = _optional(Number)
    scenario = Str(allow_none=True)
    calls = Int()  # matching calls counted so far, on every worker
    fired = Int()  # the ones it broke
    active = Bool()  # false once past `times` or `seconds`


class FaultsSchema(StrictSchema):
    faults = List(Nested(FaultSchema))


class ScenarioSchema(StrictSchema):
    name = Str()
    summary = Str()
    active = Bool()
    fault = Int(allow_none=True)  # the id of the fault it is, while on


class ScenariosSchema(StrictSchema):
    scenarios = List(Nested(ScenarioSchema))


class StubMatchSchema(StrictSchema):
    vendor = _optional(Str, validate=one_of("ruangkerja", "ispring"))
    operation = _optional(Str)
    method = _optional(Str)
    path = _optional(Str)
    query = _fields.Dict(keys=Str(), values=Str(), required=False)
    body = _fields.Raw(required=False)  # a substring, or a JSON subset


class StubResponseSchema(StrictSchema):
    status = Int()
    headers = _fields.Dict(keys=Str(), values=Str(), required=True)
    body = _fields.Raw(required=True, allow_none=True)  # text, or JSON (null is JSON too)
    contentType = Str()


class StubSchema(StrictSchema):
    id = Int()
    priority = Int()
    match = Nested(StubMatchSchema)
    response = Nested(StubResponseSchema)


class StubsSchema(StrictSchema):
    stubs = List(Nested(StubSchema))


# --- driving ---
# POST /__admin/activity, GET and POST /__admin/clock, POST /__admin/seed.

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

# --- webhooks ---

class WebhookSubscriptionSchema(StrictSchema):
    subscriptionType = Str()
    params = List(Nested(StrictSchema.from_dict({"name": Str(), "value": Str()})))


class WebhookSubscriberSchema(StrictSchema):
    subscriberName = Str()
    callbackUrl = Str()
    enabled = Bool()
    confirmed = Bool()
    confirmationCode = Str(allow_none=True)  # the code last sent and not yet used: what the receiver was sent
    subscriptions = List(Nested(WebhookSubscriptionSchema))


class WebhookDeliverySchema(StrictSchema):
    id = Int()
    eventSeq = Int()  # the write (shared log event) that caused it
    eventType = Str()
    subscriberName = Str()
    url = Str()
    payload = Raw(required=True)  # the body sent: {"type", "payloads"}
    status = Str(validate=one_of("pending", "sending", "delivered", "failed", "dropped", "refused", "cancelled"))
    attempts = Int()
    statusCode = Int(allow_none=True)
    error = Str(allow_none=True)
    createdAt = Str()
    nextTry = Str(allow_none=True)
    finishedAt = Str(allow_none=True)


class WebhooksSchema(StrictSchema):
    """GET /__admin/webhooks: the subscribers, and the deliveries with their outcome (oldest first)."""

    subscribers = List(Nested(WebhookSubscriberSchema))
    dropped = Int()  # deliveries dropped from a full queue (--webhook-queue), ever
    deliveries = List(Nested(WebhookDeliverySchema))


# --- console ---
# The QA console's reads (mockserver/console/): one journal entry in full, the world's views, the server's status.

class AnswerSchema(StrictSchema):
    status = Int(allow_none=True)  # null: the connection was dropped
    contentType = Str(allow_none=True)
    body = Str()  # secrets masked, pretty-printed when JSON or XML, cut at a size


class WorldEventSchema(StrictSchema):
    seq = Int()  # its place in the shared log
    kind = Str()
    payload = Raw(required=True)


class RequestDetailSchema(JournalEntrySchema):
    """GET /__admin/requests/{id}: the entry, its answer and the world events (writes) it caused."""

    answer = Nested(AnswerSchema, allow_none=True)  # null: not kept (the entry predates the console's record)
    events = List(Nested(WorldEventSchema))


class WorldPersonSchema(StrictSchema):
    """Both faces of a person: the Ruangkerja employee and the iSpring learner (either may be missing: a user
    created through one vendor is not in the other)."""

    name = Str()
    email = Str()
    employeeId = Str(allow_none=True)
    serial = Str(allow_none=True)  # Ruangkerja user serial
    userId = Str(allow_none=True)  # iSpring userId
    login = Str(allow_none=True)
    department = Str(allow_none=True)
    active = Bool()
    assignments = Int()  # Ruangkerja course assignments (batch and online)
    enrollments = Int()  # iSpring enrollments
    groups = List(Str())  # iSpring group names


class WorldCourseSchema(StrictSchema):
    serial = Str()
    name = Str()
    category = Str()
    passingScore = Int(allow_none=True)
    batches = List(_fields.Dict(keys=Str(), values=Str(), required=True))  # serial, name, status
    assignments = Int()


class WorldContentSchema(StrictSchema):
    contentItemId = Str()
    title = Str()
    type = Str()
    addedDate = Str()
    enrollments = Int()


class WorldEnrollmentSchema(StrictSchema):
    """An iSpring enrollment or a Ruangkerja assignment, with its learner and status."""

    vendor = Str(validate=one_of("ruangkerja", "ispring"))
    id = Str()  # enrollmentId, or assignmentSerial (a batch assignment), or employeeId/courseSerial (online)
    kind = Str(validate=one_of("enrollment", "batch", "online"))
    learner = Str()  # userId or employeeId
    learnerName = Str()
    course = Str()  # content item ID or course serial
    courseName = Str()
    status = Str()
    progress = Int(allow_none=True)
    score = Number(allow_none=True)


def _rows(schema):
    class Rows(StrictSchema):
        total = Int()  # every match; `rows` holds the first `limit`
        rows = List(Nested(schema))

    Rows.__name__ = schema.__name__.replace("Schema", "ListSchema")
    return Rows


WorldPeopleSchema = _rows(WorldPersonSchema)
WorldCoursesSchema = _rows(WorldCourseSchema)
WorldContentListSchema = _rows(WorldContentSchema)
WorldEnrollmentsSchema = _rows(WorldEnrollmentSchema)


class StatusSchema(StrictSchema):
    """GET /__admin/status: what the console's Status page shows."""

    version = Str()
    seed = Int()
    workers = Int()
    worker = Int()  # the process that answered
    uptime = Number()  # seconds since that worker started
    state = _fields.Dict(keys=Str(), values=Str(), required=True)  # backend, path
    now = Str()  # the world's clock
    seq = Int()  # the last shared-log event
    counts = _fields.Dict(keys=Str(), values=Int(), required=True)
    links = _fields.Dict(keys=Str(), values=Str(), required=True)
