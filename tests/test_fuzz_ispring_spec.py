"""Schemathesis fuzzes the iSpring REST rows from the vendor's OFFICIAL spec (slow: .ci/run).

The spec is the vendor's, beside the project in ../shared/specs/ (CI has it there), never copied in: where it is
absent the module skips and says why. The operations fuzzed are the spec's operations whose operationId names a REST
row of mockserver/ispring/operations.py, so a row added to the table is fuzzed here with no edit (the issue's tags:
enrollment, user, department, departments, group, role, task, training, assignments, webhook, and the token call; issue
11's results, statistics, certificate, gamification, report and content's final statuses).

Each case asks for XML or JSON (decided by the case itself, so a shrunk failure replays the same); an XML answer is
read the way the spec's own `xml` hints describe (element names, wrapped or unwrapped arrays; no element the spec
does not name) before schemathesis checks it against the spec's application/xml schema of the status, as JSON is
checked against the application/json one. Every default check runs, in the examples, coverage, fuzzing and stateful
phases, the stateful one following the links schemathesis infers (the spec declares none); the few checks where the
spec contradicts what the vendor's docs and real clients show, which the mock follows, are excluded exactly where
they do, with the reason beside each. Authorization is the vendor's static token (a refused token is covered by
tests/test_operations.py); IDs are drawn half of the time from the world's real records.
"""

from __future__ import annotations

import pytest
import schemathesis
from lxml import etree
from schemathesis.config import SchemathesisConfig

from .helpers import fuzzing
from .helpers.fuzzing import (
    ACCEPTED,
    ISPRING_REST_ROWS,
    ROUTES,
    SEEDS,
    accept,
    fuzz_app,
    register_xml_reader,
    shadowed,
    untyped_body,
    workflows,
    world_values,
)
from .helpers.ispring_spec import ABSENT, SPEC, deref, from_xml, load_spec

pytestmark = pytest.mark.slow
if not SPEC.exists():
    pytest.skip(ABSENT, allow_module_level=True)

EXAMPLES = 25  # per operation in the fuzzing phase, split between the SEEDS; the examples and coverage phases add
#               their own, run once (the first seed)
SCENARIOS, STEPS = 30, 6  # stateful: scenarios (split between the SEEDS), and calls at most in each
# The spec's readings where the mock's default follows real clients instead (README): a user's `fields` an object.
# Webhook callbacks: 127.0.0.1 only, so no URL the fuzzer registers makes the mock call out (README).
APP, WORLD, CONFIG = fuzz_app(ispring_user_shape="spec", webhook_hosts=("127.0.0.1",))
RAW = load_spec()


def _unread_headers(spec: dict) -> None:
    """The spec offers most body fields as X-* headers too (X-User-Ids, X-Role-Id ...); the mock reads a body field
    from the body only, except where its row declares the header (the department rows' X-Name ...), so the other
    header forms are left out of the spec fuzzed here rather than sent to be ignored (README)."""
    declared = {(method.lower(), path): {p.name for p in op.params if p.where == "header"}
                for (method, path), (_, op) in ROUTES.items()}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "parameters" in operation:
                keep = declared.get((method, path), set())
                operation["parameters"] = [p for p in operation["parameters"] if not (
                    deref(spec, p).get("in") == "header" and deref(spec, p)["name"].startswith("X-")
                    and deref(spec, p)["name"] != "X-Target-Locale" and deref(spec, p)["name"] not in keep)]


_unread_headers(RAW)

VALUES = world_values(WORLD, CONFIG)
# --- webhooks ---: the subscriber the world holds, by name in the query too (GET /webhook/subscriber/info ...)
VALUES["parameters"]["query.subscriberName"] = {"dictionary": "subscriberName", "probability": 0.5}
SETTINGS = SchemathesisConfig.from_dict({
    "generation": {"max-examples": EXAMPLES},
    "suppress-health-check": ["all"],
    "auth": {"openapi": {"bearerAuth": {"bearer": CONFIG.ispring_static_tokens[0]}}},
    **VALUES,
    # positive_data_acceptance: a schema-valid request may still name a course, learner, enrollment ... the account
    # does not have, or a page token it never gave: the mock answers 400 there ("the spec lists no 404: an unknown
    # ID is a 400", README), where the check allows only 404. Every other status stays refused.
    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
    # The stateful phase sends valid data: a link merges its value into the body it feeds, over the very field a
    # negative case broke, so a "negative" step may reach the server valid (and an XML list of one ID written
    # unwrapped is a list the mock reads). Negative data is the examples, coverage and fuzzing phases' job.
    "phases": {"stateful": {"generation": {"mode": "positive"}}},
})
schema = schemathesis.openapi.from_dict(RAW, config=SETTINGS)
schema.app = APP
schema = schema.include(operation_id=sorted(ISPRING_REST_ROWS))


def read_xml(ctx, response):
    """An XML body as the data the spec's application/xml schema of its status describes, read by that schema's
    `xml` hints: the root is the schema's XML name (`response` where it names none)."""
    responses = ctx.operation.definition.raw["responses"]
    found = deref(RAW, responses.get(str(response.status_code)) or responses.get("default") or {})
    schema_ = (found.get("content") or {}).get("application/xml", {}).get("schema")
    if schema_ is None:
        raise ValueError(f"the spec gives {response.status_code} no application/xml body")
    root = etree.fromstring(response.content)
    expected = deref(RAW, schema_).get("xml", {}).get("name", "response")
    if root.tag != expected:
        raise ValueError(f"the XML root is <{root.tag}>, not <{expected}>")
    return from_xml(RAW, root, schema_)


register_xml_reader(schema, read_xml)

# Checks the spec itself gets wrong for one operation, where the mock follows the vendor's docs and real clients.
SPEC_IS_WRONG = {
    # GET /enrollment lists only 200, yet like every other call it refuses a missing or expired token (401), a
    # login without API rights (403) and a malformed ID filter (400), with the shared ErrorResponse body.
    "GetEnrollments": [schemathesis.checks.status_code_conformance],
    # UserFieldInfo requires `values` typed UserProfileFields, which itself requires `login` and `email`: no field's
    # allowed values can be that, and the docs' sample shows none; the mock leaves `values` out (README).
    "GetUserProfileFields": [schemathesis.checks.response_schema_conformance],
}


# Paths where the spec documents a method no row serves yet (POST /enrollments is ListEnrollmentsByPost): the mock's
# Allow header truthfully lists the methods it serves there, which is not all the spec lists.
PARTLY_SERVED = {path for path, methods in RAW["paths"].items()
                 for method in methods if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
                 if any(p == path for _, p in ROUTES) and (method.upper(), path) not in ROUTES}


def excluded(case) -> list:
    found = list(SPEC_IS_WRONG.get(case.operation.definition.raw.get("operationId"), [])) + untyped_body(case)
    if case.operation.path in PARTLY_SERVED:
        found.append(schemathesis.checks.allow_header_conformance)
    if shadowed(case.path):
        # Its Allow header truthfully lists the methods of the template it is an instance of too (GET), which the
        # spec does not list at this path, and such a method is served there instead of answering 405.
        found += [schemathesis.checks.allow_header_conformance, schemathesis.checks.unsupported_method]
    return found


def prepare(case) -> None:
    """iSpring's Accept, XML or JSON."""
    case.headers = {**(case.headers or {}), "Accept": accept(case)}


def as_lists(case) -> None:
    """An ID a link put where the spec's body wants a list of IDs, as that list: schemathesis infers ChangeEnrollment
    -> Unenroll with `enrollmentIds: $request.path.enrollmentId`, a string for an ArrayOfIds."""
    if not isinstance(case.body, dict):
        return
    body = case.operation.definition.raw.get("requestBody", {}).get("content", {}).get(case.media_type or "", {})
    properties = deref(RAW, deref(RAW, body.get("schema", {})).get("properties", {})) or {}
    for name, value in case.body.items():
        if isinstance(value, str) and deref(RAW, properties.get(name, {})).get("type") == "array":
            case.body[name] = [value]


def test_every_rest_row_is_in_the_spec():
    """The selection is the table's REST rows, every one of them: a row named otherwise than its operationId
    would be left out of the fuzzing without a word."""
    selected = {op.ok().definition.raw["operationId"] for op in schema.get_all_operations()}
    assert selected == set(ISPRING_REST_ROWS)


fuzz_seed = fuzzing.fuzz_seed  # the fixture setting an item's seed (pytest finds fixtures among the module's names)


@pytest.mark.parametrize("fuzz_seed", SEEDS, indirect=True, ids=[f"seed{s}" for s in SEEDS])  # every seed
@schema.parametrize()
def test_official_spec(case, fuzz_seed):
    prepare(case)
    case.call_and_validate(excluded_checks=excluded(case))


def prepare_step(case) -> None:
    as_lists(case)
    prepare(case)


# The stateful test, one TestCase per seed (TestWorkflowsSeed1 ...), the scenarios split between them.
WORKFLOWS = workflows(schema, APP, prepare_step, excluded, SCENARIOS, STEPS)
globals().update({f"TestWorkflowsSeed{seed}": case for seed, case in WORKFLOWS.items()})
