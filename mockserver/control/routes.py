"""The control plane's admin rows (admin.py's table takes them): the journal, faults, scenarios and stubs.

Each handler reads and writes the shared state only, so a change made through one worker is in force on every
worker; none of it is world, so `POST /__admin/reset` leaves it as it is.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from flask import request

from mockserver.contracts.admin import (
    CountSchema,
    DeletedSchema,
    FaultSchema,
    FaultsSchema,
    RequestsSchema,
    ScenarioSchema,
    ScenariosSchema,
    StubSchema,
    StubsSchema,
)

from ..api.operation import Operation, Param
from ..errors import BadRequestError, NotFoundError
from . import store
from .faults import KINDS, parse_fault
from .journal import as_wire
from .scenarios import SCENARIOS, scenario_fault
from .stubs import parse_stub

NAME, PREFIX = "admin", "/__admin"
VENDORS = ("ruangkerja", "ispring")
DEFAULT_LIMIT = 100


def _body():
    body = request.get_json(silent=True)
    if body is None and request.get_data():
        raise BadRequestError("the body is not JSON")
    return body


def _id(call) -> int:
    value = call.path["id"]
    if not value.isdigit():
        raise NotFoundError(call.op.name.removeprefix("delete_"), value)
    return int(value)


# --- the journal -----------------------------------------------------------------------------------------------------


def _filters() -> dict:
    args = request.args
    filters = {name: args.get(name) for name in ("vendor", "operation", "path")}
    if filters["vendor"] is not None and filters["vendor"] not in VENDORS:
        raise BadRequestError(f"vendor must be one of {', '.join(VENDORS)} (not {filters['vendor']!r})")
    if "status" in args:
        if not (args["status"].isascii() and args["status"].isdigit() and 100 <= int(args["status"]) <= 599):
            raise BadRequestError(f"status must be an HTTP status, 100 to 599 (not {args['status']!r})")
        filters["status"] = int(args["status"])
    if "since" in args:
        filters["since"] = _moment(args["since"])
    return filters


def _moment(text: str) -> float:
    """`since`: ISO 8601 (a naive one is UTC) or seconds since the epoch."""
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds):
            return seconds
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise BadRequestError(f"since must be an ISO 8601 time or seconds since the epoch (not {text!r})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # naive: UTC
    return moment.timestamp()


def limit_arg(default: int, most: int) -> int:
    """`?limit=`: a positive whole number, at most `most` (a larger one asks for them all: SQLite's integers end at
    2**63, and `int("²")` fails, so only ASCII digits count)."""
    limit = request.args.get("limit", str(default))
    if not (limit.isascii() and limit.isdigit()) or not limit.strip("0"):
        raise BadRequestError(f"limit must be a positive whole number (not {limit!r})")
    return most if len(limit.lstrip("0")) > len(str(most)) else min(int(limit), most)


def list_requests(call) -> dict:
    size = call.config.journal_size  # the journal holds at most `size` entries
    wanted = limit_arg(DEFAULT_LIMIT, size)
    return {"requests": [as_wire(row) for row in store.entries(call.state, size, _filters(), wanted)]}


def count_requests(call) -> dict:
    return {"count": store.count(call.state, call.config.journal_size, _filters())}


def clear_requests(call) -> dict:
    return {"deleted": store.clear_journal(call.state)}


# --- faults and scenarios ------------------------------------------------------------------------------------------


def _fault_wire(stored: store.Stored, counters: dict, scenario: str | None = None) -> dict:
    spec = stored.spec
    found = counters.get(stored.id, {"calls": 0, "fired": 0, "active": True})
    order = [name for name in FaultSchema._declared_fields if name in spec]
    return {"id": stored.id, **{name: spec[name] for name in order}, "scenario": scenario or spec.get("scenario"),
            **found}


def add_fault(call) -> dict:
    spec = parse_fault(_body())
    fault_id = store.add_fault(call.state, spec)
    return _fault_wire(store.Stored(fault_id, spec), store.fault_counters(call.state))


def list_faults(call) -> dict:
    counters = store.fault_counters(call.state)
    return {"faults": [_fault_wire(f, counters) for f in store.faults(call.state)]}


def clear_faults(call) -> dict:
    return {"deleted": store.remove_faults(call.state)}


def delete_fault(call) -> dict:
    removed = store.remove_faults(call.state, fault_id=_id(call))
    if not removed:
        raise NotFoundError("fault", call.path["id"])
    return {"deleted": removed}


def list_scenarios(call) -> dict:
    on = {f.spec.get("scenario"): f.id for f in store.faults(call.state) if f.spec.get("scenario")}
    return {"scenarios": [{"name": name, "summary": summary, "active": name in on, "fault": on.get(name)}
                          for name, (summary, _) in SCENARIOS.items()]}


def start_scenario(call) -> dict:
    name = call.path["name"]
    spec = {**scenario_fault(name, _body()), "scenario": name}
    fault_id = store.add_fault(call.state, spec, scenario=name)
    return {"name": name, "summary": SCENARIOS[name][0], "active": True, "fault": fault_id}


def stop_scenario(call) -> dict:
    name = call.path["name"]
    if name not in SCENARIOS:
        raise NotFoundError("scenario", name)
    return {"deleted": store.remove_faults(call.state, scenario=name)}


# --- stubs -----------------------------------------------------------------------------------------------------------


def _stub_wire(stored: store.Stored) -> dict:
    return {"id": stored.id, **stored.spec}


def add_stub(call) -> dict:
    spec = parse_stub(_body())
    return _stub_wire(store.Stored(store.add_stub(call.state, spec), spec))


def list_stubs(call) -> dict:
    return {"stubs": [_stub_wire(s) for s in store.stubs(call.state)]}


def clear_stubs(call) -> dict:
    return {"deleted": store.remove_stubs(call.state)}


def delete_stub(call) -> dict:
    removed = store.remove_stubs(call.state, _id(call))
    if not removed:
        raise NotFoundError("stub", call.path["id"])
    return {"deleted": removed}


# --- the rows --------------------------------------------------------------------------------------------------------

FILTERS = (
    Param("vendor", {"type": "string", "enum": list(VENDORS)}, description="only this vendor's calls"),
    Param("operation", description="a row's qualified name (ispring.soap.getEnrollments) or bare one "
                                   "(soap.getEnrollments)"),
    Param("path", description="a glob on the path the client sent (/ruangkerja/dashboard/*)"),
    Param("status", {"type": "integer", "minimum": 100, "maximum": 599}, description="only answers of this status"),
    Param("since", {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "number"}]},
          description="ISO 8601 time (naive: UTC) or seconds since the epoch"),
)
MATCH = {"type": "object", "properties": {
    "vendor": {"type": "string", "enum": list(VENDORS)}, "operation": {"type": "string"},
    "path": {"type": "string"}, "credentialed": {"type": "boolean"}}, "additionalProperties": False}
FAULT_BODY = {"application/json": {"type": "object", "required": ["kind"], "additionalProperties": False,
                                   "properties": {
    "kind": {"type": "string", "enum": list(KINDS)}, "match": MATCH,
    **{name: {"type": "integer", "minimum": 0} for name in ("ms", "minMs", "maxMs", "medianMs", "retryAfter")},
    "sigma": {"type": "number", "minimum": 0}, "status": {"type": "integer", "minimum": 400, "maximum": 599},
    "faultcode": {"type": "string", "enum": ["client", "server"]}, "faultstring": {"type": "string"},
    "rate": {"type": "number", "minimum": 0, "maximum": 1}, "times": {"type": "integer", "minimum": 1},
    "seconds": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}}}
SCENARIO_BODY = {"application/json": {"type": "object", "additionalProperties": False, "properties": {
    "vendor": {"type": "string", "enum": list(VENDORS)},
    **{name: {"type": "integer", "minimum": 0} for name in ("ms", "minMs", "maxMs", "medianMs", "retryAfter")},
    "sigma": {"type": "number", "minimum": 0}, "rate": {"type": "number", "minimum": 0, "maximum": 1},
    "times": {"type": "integer", "minimum": 1}, "seconds": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}}}
STUB_BODY = {"application/json": {"type": "object", "required": ["match", "response"], "additionalProperties": False,
                                  "properties": {
    "priority": {"type": "integer", "minimum": 1, "maximum": 1000},
    "match": {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": {
        "vendor": {"type": "string", "enum": list(VENDORS)}, "operation": {"type": "string"},
        "method": {"type": "string"}, "path": {"type": "string"},
        "query": {"type": "object", "additionalProperties": {"type": "string"}}, "body": {}}},
    "response": {"type": "object", "additionalProperties": False, "properties": {
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}}, "body": {},
        "contentType": {"type": "string"}}}}}}

OPERATIONS = [
    Operation(NAME, "list_requests", "GET", f"{PREFIX}/requests", "the request journal, newest first, across every "
              "worker", (RequestsSchema,), handler=list_requests, public=True, errors=(400,),
              params=(*FILTERS, Param("limit", {"type": "integer", "minimum": 1},
                                      description=f"at most this many (default {DEFAULT_LIMIT})"))),
    Operation(NAME, "count_requests", "GET", f"{PREFIX}/requests/count", "how many journal entries match",
              (CountSchema,), handler=count_requests, public=True, errors=(400,), params=FILTERS),
    Operation(NAME, "clear_requests", "DELETE", f"{PREFIX}/requests", "empty the journal", (DeletedSchema,),
              handler=clear_requests, public=True),
    Operation(NAME, "add_fault", "POST", f"{PREFIX}/faults", "break matching vendor calls on every worker",
              (FaultSchema,), handler=add_fault, public=True, status=201, errors=(400,), body=FAULT_BODY),
    Operation(NAME, "list_faults", "GET", f"{PREFIX}/faults", "the faults, with their counters", (FaultsSchema,),
              handler=list_faults, public=True),
    Operation(NAME, "clear_faults", "DELETE", f"{PREFIX}/faults", "remove every fault (scenarios included)",
              (DeletedSchema,), handler=clear_faults, public=True),
    Operation(NAME, "delete_fault", "DELETE", f"{PREFIX}/faults/:id", "remove one fault", (DeletedSchema,),
              handler=delete_fault, public=True, errors=(404,)),
    Operation(NAME, "list_scenarios", "GET", f"{PREFIX}/scenarios", "the named scenarios and which are on",
              (ScenariosSchema,), handler=list_scenarios, public=True),
    Operation(NAME, "start_scenario", "POST", f"{PREFIX}/scenarios/:name", "switch a named scenario on",
              (ScenarioSchema,), handler=start_scenario, public=True, status=201, errors=(400, 404),
              body=SCENARIO_BODY),
    Operation(NAME, "stop_scenario", "DELETE", f"{PREFIX}/scenarios/:name", "switch a named scenario off",
              (DeletedSchema,), handler=stop_scenario, public=True, errors=(404,)),
    Operation(NAME, "add_stub", "POST", f"{PREFIX}/stubs", "answer matching vendor calls exactly so",
              (StubSchema,), handler=add_stub, public=True, status=201, errors=(400,), body=STUB_BODY),
    Operation(NAME, "list_stubs", "GET", f"{PREFIX}/stubs", "the stubs, in the order they are tried",
              (StubsSchema,), handler=list_stubs, public=True),
    Operation(NAME, "clear_stubs", "DELETE", f"{PREFIX}/stubs", "remove every stub", (DeletedSchema,),
              handler=clear_stubs, public=True),
    Operation(NAME, "delete_stub", "DELETE", f"{PREFIX}/stubs/:id", "remove one stub", (DeletedSchema,),
              handler=delete_stub, public=True, errors=(404,)),
]
