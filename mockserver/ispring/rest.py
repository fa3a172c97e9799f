"""iSpring Learn REST views: the token call and the enrollment routes, on the vendor's paths (api-learn host).

Every route but the token call needs a caller: `Authorization: [Bearer ]<token>` or the legacy
X-Auth-Account-Url / X-Auth-Email / X-Auth-Password headers. View names follow the spec's operationIds.
"""

from __future__ import annotations

from flask import Blueprint, request

from contracts.ispring import (
    CreatedEnrollmentsSchema,
    EnrollmentListSchema,
    EnrollmentListXmlSchema,
    EnrollmentSchema,
    EnrollmentsPageSchema,
    EnrollmentXmlSchema,
    TokenSchema,
)

from ..context import runtime
from ..errors import BadRequestError, InvalidTokenError
from ..world import enrollments
from ..world.enrollments import DUE_DATE_TYPES, Schedule, find_enrollments
from . import auth
from .body import RequestBody, query_ids, query_int
from .paging import page
from .payloads import rest_enrollment
from .representation import XmlShape, empty, respond

blueprint = Blueprint("ispring", __name__)
PUBLIC_ENDPOINTS = {"ispring.access_request"}
ENROLLMENT_LIST = XmlShape(EnrollmentListXmlSchema, lists={"enrollments": ("enrollment", False)})
ENROLLMENTS_PAGE = XmlShape(lists={"enrollments": ("enrollment", True)})


@blueprint.before_request
def authorize() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    rt = runtime()
    headers = request.headers
    if "Authorization" in headers:
        caller = auth.by_token(rt, auth.bearer(headers["Authorization"]))
    elif any(h in headers for h in ("X-Auth-Account-Url", "X-Auth-Email", "X-Auth-Password")):
        caller = auth.by_login(rt, headers.get("X-Auth-Account-Url"), headers.get("X-Auth-Email"),
                               headers.get("X-Auth-Password"))
    else:
        raise InvalidTokenError("send Authorization: Bearer <token>, or the X-Auth-* headers")
    caller.require_api_rights()


@blueprint.post("/api/v3/token")
def access_request():
    form = request.form
    for name in ("client_id", "client_secret", "grant_type"):
        if not form.get(name):
            raise BadRequestError(f"{name} is required (application/x-www-form-urlencoded)")
    if form["grant_type"] != "client_credentials":
        raise BadRequestError("grant_type must be client_credentials")
    rt = runtime()
    token = auth.issue_token(rt, form["client_id"], form["client_secret"])
    payload = {"access_token": token, "expires_in": rt.config.ispring_token_ttl, "token_type": "bearer"}
    return respond(payload, TokenSchema)


@blueprint.get("/enrollment")
def get_enrollments():
    rows = find_enrollments(runtime().world, query_ids("courseIds"), query_ids("learnerIds"),
                            query_ids("enrollmentIds"))
    return respond({"enrollments": [rest_enrollment(e) for e in rows]}, EnrollmentListSchema, xml=ENROLLMENT_LIST)


@blueprint.get("/enrollments")
def list_enrollments():
    rows = find_enrollments(runtime().world, query_ids("courseIds"), query_ids("learnerIds"),
                            query_ids("enrollmentIds"))
    chosen, next_token = page(rows, lambda e: e.enrollment_id, query_int("pageSize"), request.args.get("pageToken"))
    payload = {"enrollments": [rest_enrollment(e) for e in chosen], "nextPageToken": next_token}
    return respond(payload, EnrollmentsPageSchema, xml=ENROLLMENTS_PAGE)


@blueprint.get("/enrollment/<enrollment_id>")
def get_enrollment(enrollment_id: str):
    found = enrollments.get_enrollment(runtime().world, enrollment_id)
    return respond(rest_enrollment(found), EnrollmentSchema, xml=XmlShape(EnrollmentXmlSchema, wrap="enrollment"))


def _schedule(body: RequestBody, access_required: bool) -> Schedule:
    due = body.moment("dueDate")
    return Schedule(
        due_date_type=body.text("dueDateType", required=True, choices=DUE_DATE_TYPES),
        access=body.moment("accessDate", required=access_required),
        due_date=due.date() if due else None,
        due_period_hours=body.integer("duePeriod"),
        lock_after_due_date=body.flag("lockAfterDueDate"),
    )


@blueprint.post("/enrollment")
def enroll_learners_in_courses():
    body = RequestBody.read()
    course_ids, learner_ids = body.ids("courseIds", required=True), body.ids("learnerIds", required=True)
    rt = runtime()
    ids = enrollments.enroll_learners_in_courses(rt.world, rt.state, course_ids, learner_ids, _schedule(body, False))
    return respond({"enrollmentIds": ids}, CreatedEnrollmentsSchema, 201,
                   xml=XmlShape(lists={"enrollmentIds": ("id", True)}))


@blueprint.post("/enrollment/<enrollment_id>")
def change_enrollment(enrollment_id: str):
    body = RequestBody.read()
    rt = runtime()
    enrollments.change_enrollment(rt.world, rt.state, enrollment_id, _schedule(body, True))
    return empty(200)


@blueprint.post("/enrollment/delete")
def unenroll():
    body = RequestBody.read()
    rt = runtime()
    enrollments.unenroll(rt.world, rt.state, body.ids("enrollmentIds", required=True))
    return empty(204)
