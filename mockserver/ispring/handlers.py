"""The iSpring operations that are not a generic list: REST handlers take the call and return the payload; SOAP
handlers take the call and the request's values (after <credentials>) and return the result's values."""

from __future__ import annotations

from flask import request

from ..api.paging import token_page
from ..errors import BadRequestError, NotFoundError
from ..world import ispring as world
from ..world.ispring import DUE_DATE_TYPES, Schedule
from . import auth
from . import inputs as lifecycle_inputs
from .inputs import RequestBody
from .items import content_item, department, rest_enrollment, soap_enrollment, user_profile

# --- REST -----------------------------------------------------------------------------------------------------


def access_request(call) -> dict:
    form = request.form
    for name in ("client_id", "client_secret", "grant_type"):
        if not form.get(name):
            raise BadRequestError(f"{name} is required (application/x-www-form-urlencoded)")
    if form["grant_type"] != "client_credentials":
        raise BadRequestError("grant_type must be client_credentials")
    token = auth.issue_token(call.rt, form["client_id"], form["client_secret"])
    return {"access_token": token, "expires_in": call.config.ispring_token_ttl, "token_type": "bearer"}


def get_enrollment(call) -> dict:
    return rest_enrollment(world.get_enrollment(call.world, call.path["enrollmentId"]))


def _schedule(body: RequestBody, access_required: bool) -> Schedule:
    due = body.moment("dueDate")
    return Schedule(
        due_date_type=body.text("dueDateType", required=True, choices=DUE_DATE_TYPES),
        access=body.moment("accessDate", required=access_required),
        due_date=due.date() if due else None,
        due_period_hours=body.integer("duePeriod"),
        lock_after_due_date=body.flag("lockAfterDueDate"),
    )


def enroll_learners_in_courses(call) -> dict:
    body = RequestBody.read()
    course_ids, learner_ids = body.ids("courseIds", required=True), body.ids("learnerIds", required=True)
    ids = world.enroll_learners_in_courses(call.world, call.state, course_ids, learner_ids, _schedule(body, False))
    return {"enrollmentIds": ids}


def change_enrollment(call) -> None:
    body = RequestBody.read()
    world.change_enrollment(call.world, call.state, call.path["enrollmentId"], _schedule(body, True))


def unenroll(call) -> None:
    body = RequestBody.read()
    world.unenroll(call.world, call.state, body.ids("enrollmentIds", required=True))


# --- SOAP -----------------------------------------------------------------------------------------------------


def _filter(ids: list[str] | None) -> list[str] | None:
    return ids or None  # an absent or empty list filters nothing


def _known(find, *args):
    """SOAP answers `Wrong parameters` for an unknown ID: a not-found is a bad request there."""
    try:
        return find(*args)
    except NotFoundError as error:
        raise BadRequestError(error.detail) from None


def soap_getEnrollments(call, courseIds, learnerIds):
    return [soap_enrollment(e) for e in world.find_enrollments(call.world, _filter(courseIds), _filter(learnerIds))]


def soap_getEnrollment(call, enrollmentId):
    return soap_enrollment(world.get_enrollment(call.world, enrollmentId))  # faults `Unknown Enrollment`


def soap_listEnrollments(call, pageSize, pageToken, courseIds, learnerIds, enrollmentIds):
    rows = world.find_enrollments(call.world, _filter(courseIds), _filter(learnerIds), _filter(enrollmentIds))
    chosen, next_token = token_page(rows, lambda e: e.enrollment_id, pageSize, pageToken)
    return [soap_enrollment(e) for e in chosen], next_token


def _soap_schedule(accessDate, dueDateType, dueDate, duePeriod, lockAfterDueDate) -> Schedule:
    return Schedule(dueDateType, accessDate, dueDate, duePeriod, bool(lockAfterDueDate))


def soap_enrollLearnersInCourses(call, courseIds, learnerIds, accessDate, *schedule):
    world.enroll_learners_in_courses(call.world, call.state, courseIds, learnerIds,
                                     _soap_schedule(accessDate, *schedule))
    return True


def soap_changeEnrollment(call, enrollmentId, accessDate, *schedule):
    world.change_enrollment(call.world, call.state, enrollmentId, _soap_schedule(accessDate, *schedule))
    return True


def soap_unenroll(call, enrollmentId):
    _known(world.unenroll, call.world, call.state, [enrollmentId])  # the docs: `Wrong parameters` when unknown
    return True


def soap_getUsers(call):
    return [user_profile(call.world, u) for u in call.world.learners]  # iSpring's own: not Ruangkerja's writes


def soap_getContent(call):
    return [content_item(c) for c in call.world.content_items]


def soap_getContentItem(call, contentItemId):
    return content_item(_known(world.content_item, call.world, contentItemId))


def soap_getDepartments(call):
    return [department(d) for d in call.world.departments]


def soap_getDepartment(call, departmentId):
    return department(_known(world.department, call.world, departmentId))


# --- users ----------------------------------------------------------------------------------------------------------


# --- user lifecycle -------------------------------------------------------------------------------------------------
# Every write here answers its status with no body (200, or 204 for subordination), as the spec and the docs have
# them; GetTaskStatus answers TaskStatus.


def _date(body: RequestBody, name: str, required: bool = False):
    moment = body.moment(name, required=required)
    return moment.date() if moment else None


def update_user_password(call) -> None:
    body = RequestBody.read()
    world.change_password(call.world, call.state, call.path["userId"], body.text("password", required=True))


def change_user_status(call) -> None:
    body = RequestBody.read()
    status = lifecycle_inputs.body_int_choice(body, "status", world.USER_STATUSES)
    world.change_status(call.world, call.state, [call.path["userId"]], status, name="userId")


def _within(prefix: str, read):
    """`read()`, its refusal naming the field inside the object: `subordination.subordinationType is required`."""
    try:
        return read()
    except BadRequestError as error:
        raise BadRequestError(f"{prefix}.{error.detail}") from None


def _subordination(body: RequestBody, name: str):
    found = lifecycle_inputs.body_objects(body, name, many=False)
    if not found:
        return None
    return _within(name, lambda: world.Subordination(found[0].text("subordinationType", required=True),
                                                     found[0].text("supervisorId")))


def change_user_subordination(call) -> None:
    body = RequestBody.read()
    world.change_subordination(call.world, call.state, call.path["userId"], _subordination(body, "subordination"),
                               _subordination(body, "coSubordination"))


def schedule_user_deactivation(call) -> None:
    body = RequestBody.read()
    world.schedule_deactivation(call.world, call.state, call.path["userId"], _date(body, "date", required=True))


def remove_scheduled_user_deactivation(call) -> None:
    world.schedule_deactivation(call.world, call.state, call.path["userId"], None)


def schedule_user_termination(call) -> None:
    body = RequestBody.read()
    world.schedule_termination(call.world, call.state, call.path["userId"], _date(body, "date", required=True))


def remove_scheduled_user_termination(call) -> None:
    world.schedule_termination(call.world, call.state, call.path["userId"], None)


def remove_user_from_groups(call) -> None:
    body = RequestBody.read()
    world.leave_groups(call.world, call.state, call.path["userId"], body.ids("groupIds", required=True))


def _bulk_status(status: int):
    def handler(call) -> None:
        body = RequestBody.read()
        world.change_status(call.world, call.state, body.ids("userIds", required=True), status)

    return handler


activate_users = _bulk_status(world.ACTIVE)
deactivate_users = _bulk_status(world.INACTIVE)
terminate_users = _bulk_status(world.TERMINATED)


def update_work_leave_statuses(call) -> None:
    body = RequestBody.read()
    leaves = [_within(f"workLeaveStatuses[{n}]", lambda: world.WorkLeave(
                  item.text("userId", required=True), item.text("workLeaveReason", required=True),
                  _date(item, "startDate"), _date(item, "endDate")))
              for n, item in enumerate(lifecycle_inputs.body_objects(body, "workLeaveStatuses", many=True))]
    world.set_work_leave(call.world, call.state, leaves)


def remove_work_leave_statuses(call) -> None:
    body = RequestBody.read()
    world.remove_work_leave(call.world, call.state, body.ids("userIds", required=True))


def get_task_status(call) -> dict:
    raw = call.path["taskId"]
    if not raw.isascii() or not raw.isdigit():
        raise BadRequestError(f"taskId must be an integer, got {raw!r}")
    return {"status": world.task_status(world.task(call.world, int(raw)))}


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------
