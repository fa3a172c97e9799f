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


# --- journal ---
# The control plane's answers: the request journal, faults, scenarios and stubs (mockserver/control/).
from marshmallow import fields as _fields  # noqa: E402

from .fields import Bool, List, Nested, Number  # noqa: E402


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
    body = _fields.Raw(required=True)  # text, or JSON
    contentType = Str()


class StubSchema(StrictSchema):
    id = Int()
    priority = Int()
    match = Nested(StubMatchSchema)
    response = Nested(StubResponseSchema)


class StubsSchema(StrictSchema):
    stubs = List(Nested(StubSchema))
