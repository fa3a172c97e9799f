"""Schemathesis against the mock in-process, shared by the slow fuzz suites: tests/test_fuzz.py (the mock's own
generated OpenAPI document, both vendors) and tests/test_fuzz_ispring_spec.py (the official iSpring spec).

    app, world, config = fuzz_app()
    SETTINGS = SchemathesisConfig.from_dict({..., **world_values(world, config)})
    register_xml_reader(schema, reader)  # how that schema's XML answers become the data its checks validate

Several seeds, one budget: each operation's test runs once per seed of SEEDS (`@pytest.mark.parametrize("fuzz_seed",
SEEDS, indirect=True)` with the `fuzz_seed` fixture below imported), each run drawing its share of the
module's examples, so more of the input space is covered for the time one seed took; the stateful test likewise
(`workflows(..., seeds=SEEDS)`: one TestCase per seed, the scenarios split between them).

Every REST row of every table, the vendors' static tokens, dictionaries of the world's real values (so the fuzzer
reaches real records, not only 4xx), the Accept a case asks with, and the one `application/xml` deserializer
schemathesis keeps (its registry is global: each schema registers its own reader here instead).
"""

from __future__ import annotations

import re
import zlib

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from mockserver.api.operation import openapi_path
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.ispring.operations import SPEC_OPERATION_IDS
from mockserver.state import SharedState
from mockserver.wings import WINGS
from mockserver.world import World

SEED, EMPLOYEES, COURSES = 20240601, 200, 30
# (method, OpenAPI path) -> (wing, row), for every REST route of every table
ROUTES = {(method, openapi_path(path)): (wing, op) for wing in WINGS for op in wing.OPERATIONS if op.soap is None
          for method, path in op.routes()}
# The operationIds of the iSpring table's REST rows (the spec's own names), whatever rows it holds today.
# The spec's operationIds of the iSpring REST rows (a row's name, or the spec's spelling with spaces).
ISPRING_REST_ROWS = frozenset(SPEC_OPERATION_IDS.get(op.name, op.name) for (_, (wing, op)) in ROUTES.items()
                              if wing.NAME == "ispring")
SEEDS = (1, 2, 3)  # fixed: a CI failure replays the same on a laptop (its test ID names the seed)
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # positive_data_acceptance's default


def fuzz_app(**settings):
    """(app, world, config): the mock on the default world, every answer checked against its contract on the way
    out (a body that breaks its contract is a 500, which not_a_server_error sees)."""
    config = Config(check_contracts=True, **settings)
    world = World.build(SEED, EMPLOYEES, COURSES)
    return create_app(config, world=world, state=SharedState()), world, config


def tokens(config: Config) -> dict[str, str]:
    """The vendor's static token, as its docs send it, by wing."""
    return {"ruangkerja": config.ruangkerja_static_tokens[0], "ispring": f"Bearer {config.ispring_static_tokens[0]}"}


def row_of(operation):
    """(wing, row) that serves a schemathesis operation."""
    return ROUTES[(operation.method.upper(), operation.path)]


def shadowed(path: str) -> bool:
    """Whether the path is also an instance of another served template: /enrollment/delete is one of
    /enrollment/{enrollmentId}, so GET /enrollment/delete is GetEnrollment (of the ID "delete") there."""
    return any(re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", other), path) for _, other in ROUTES if other != path)


def untyped_body(case) -> list:
    """The checks an XML request body cannot serve: XML carries no types, and schemathesis writes a type-invalid value
    as text XML reads as valid (`<userIds></userIds>` for an array holding a non-UUID: an empty list), so a
    "negative" XML case may reach the server valid. Negative JSON bodies keep the check."""
    return [schemathesis.checks.negative_data_rejection] if "xml" in (case.media_type or "") else []


def accept(case) -> str:
    """XML or JSON, decided by the case's own content: the same case (and its shrunk replay) always asks the same.
    An operation whose successes the spec documents in JSON only (CreateContent) is asked in JSON, as its clients do."""
    documented = {media for status, answer in case.operation.definition.raw.get("responses", {}).items()
                  if str(status).startswith("2") for media in (answer.get("content") or {})}
    if documented == {"application/json"}:
        return "application/json"
    key = repr((case.path_parameters, case.query, case.body)).encode()
    return "application/json" if zlib.crc32(key) % 2 else "application/xml"


# ID names of path parameters, query ID lists (`name[]`) and body ID lists (`names`) -> the world's values.
def _ids(world: World) -> dict[str, list]:
    learners = getattr(world, "learners", [])
    return {
        "courseSerial": [c.serial for c in world.courses],
        "batchSerial": [b.serial for b in world.batches],
        "employeeID": [p.employee_id for p in world.people][:50],
        "enrollmentId": sorted(world.enrollments)[:50],
        "courseId": [c.content_item_id for c in world.content_items],
        "learnerId": [p.user_id for p in world.people][:50],
        "userId": [u.user_id for u in learners][:50],
        "departmentId": [d.department_id for d in getattr(world, "departments", [])][:50],
        "groupId": [g.group_id for g in getattr(world, "groups", [])][:50],
        "roleId": [r.role_id for r in getattr(world, "roles", [])],
        # --- training ---
        "trainingId": [t.training_id for t in getattr(world, "trainings", [])],
        "trainingSessionId": [s.session_id for s in getattr(world, "training_sessions", [])],
        "sessionId": [s.session_id for s in getattr(world, "training_sessions", [])],
        "dayId": [d.day_id for d in getattr(world, "training_days", [])][:50],
        "assignmentId": [a.assignment_id for a in getattr(world, "content_assignments", [])],
        "attemptId": [a.attempt_id for a in getattr(world, "assignment_attempts", [])],
        "participantId": [u.user_id for u in learners][:50],

        "subscriberName": [s.subscriber_name for s in getattr(world, "subscribers", [])],  # webhooks
    }


ALIASES = {"parentId": "departmentId", "parentDepartmentId": "departmentId", "supervisorId": "userId"}


def world_values(world: World, config: Config) -> dict:
    """schemathesis's `dictionaries` of the world's real values and the `parameters` that draw from them half of
    the time: every ID by its name in a path, in a query list (`userIds[]`) and in a body (`userIds`, `userId`);
    the token calls' clients in their bodies."""
    ruangkerja_client, ruangkerja_secret = config.ruangkerja_clients[0].split(":", 1)
    ispring_client, ispring_secret = config.ispring_clients[0].split(":", 1)
    values = {name: found for name, found in _ids(world).items() if found}
    values.update({"clientID": [ruangkerja_client], "clientSecret": [ruangkerja_secret],
                   "client_id": [ispring_client], "client_secret": [ispring_secret]})
    parameters = {}
    for name in [*values, *ALIASES]:
        source = ALIASES.get(name, name)
        if source not in values:
            continue
        if name in ("clientID", "clientSecret", "client_id", "client_secret"):
            parameters[f"body.{name}"] = source
            continue
        parameters[f"path.{name}"] = parameters[f"body.{name}"] = source
        parameters[f"query.{name}s[]"] = parameters[f"body.{name}s[*]"] = source
    return {"dictionaries": {name: {"values": found} for name, found in values.items()},
            "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in parameters.items()}}


_XML_READERS: dict[int, object] = {}


def register_xml_reader(schema, reader) -> None:
    """XML answers of `schema`'s operations (and its filtered clones, which share its raw document) are read by
    `reader(ctx, response)` into the data schemathesis checks against the document's application/xml schema."""
    _XML_READERS[id(schema.raw_schema)] = reader


@schemathesis.deserializer("application/xml")
def _read_xml(ctx, response):
    reader = _XML_READERS.get(id(ctx.operation.schema.raw_schema))
    if reader is None:
        raise ValueError("no XML reader is registered for this document (tests/helpers/fuzzing.py)")
    return reader(ctx, response)


def share(total: int, seed: int, seeds: tuple[int, ...]) -> int:
    """`seed`'s part of `total` examples split between `seeds` (the first ones take the remainder)."""
    index = seeds.index(seed)
    return total // len(seeds) + (index < total % len(seeds))


def on_seed(test, seed: int, seeds: tuple[int, ...] = SEEDS) -> None:
    """Make a schemathesis operation's test (a Hypothesis test, shared by its items of every seed) draw from `seed`,
    its share of the examples its settings give. Only the first seed runs the explicit examples (schemathesis's
    examples and coverage phases), which are the same whatever the seed: the others only generate.
    Set as schemathesis sets them when it builds the test, on the attributes Hypothesis reads at each call."""
    built = test.__dict__.setdefault("_settings_as_built", test._hypothesis_internal_use_settings)  # not a share's
    phases = built.phases if seed == seeds[0] else tuple(p for p in built.phases if p is not Phase.explicit)
    test._hypothesis_internal_use_settings = settings(built, max_examples=share(built.max_examples, seed, seeds),
                                                      phases=phases)
    hypothesis.seed(seed)(test)


@pytest.fixture
def fuzz_seed(request):
    """The item's seed (its parameter) and that seed's share of the examples, for a schemathesis test."""
    on_seed(request.function, request.param)


CONTROL_PATHS = r"^/__admin/(faults|stubs|scenarios)"


def clear_control(app) -> None:
    """No fault, scenario or stub left in force (a reset leaves them, as it leaves the journal)."""
    client = app.test_client()
    client.delete("/__admin/faults")  # scenarios included
    client.delete("/__admin/stubs")


def workflows(schema, app, prepare, excluded, scenarios: int, steps: int, seeds: tuple[int, ...] = SEEDS):
    """The stateful tests of `schema` (TestCases by seed): every scenario on the pristine world, each call prepared
    like the operations' own cases and judged with the same checks left out; the scenarios split between the seeds."""


    # Faults, stubs and scenarios change the answers of every later call on purpose (a 429, a stub's content type):
    # fuzzed in the operations' own tests (`clear_control`), never in the middle of a scenario.
    class Workflows(schema.exclude(path_regex=CONTROL_PATHS).as_state_machine()):
        def setup(self):
            # A pristine world each scenario: writes of the one before would make hypothesis's replays differ.
            app.test_client().post("/__admin/reset")
            clear_control(app)

        def before_call(self, case):
            prepare(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, additional_checks=additional_checks, excluded_checks=excluded(case),
                                   transport_kwargs=kwargs or None, recorder=getattr(self, "recorder", None))

    cases = {}
    for seed in seeds:
        machine = hypothesis.seed(seed)(type(f"Workflows{seed}", (Workflows,), {}))
        machine.TestCase.settings = settings(max_examples=share(scenarios, seed, seeds), stateful_step_count=steps,
                                             deadline=None, suppress_health_check=list(HealthCheck))
        cases[seed] = machine.TestCase
    return cases
