"""The iSpring operations that are not a generic list: REST handlers take the call and return the payload; SOAP
handlers take the call and the request's values (after <credentials>) and return the result's values."""

from __future__ import annotations

from flask import request

from ..api.paging import token_page
from ..errors import BadRequestError, NotFoundError
from ..world import ispring as world
from ..world.ispring import DUE_DATE_TYPES, Schedule
from . import auth
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


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------

from . import inputs  # noqa: E402  (the groups section's own imports, kept here to spare the shared header)
from .items import detailed_group, group as groups_item, smart_group_rules, soap_group  # noqa: E402


def _group_list(call) -> list:
    return [groups_item(g) for g in list(call.world.groups)]


def get_groups(call) -> list:
    """GET /group: every group, a bare array (the spec), `<response><group/>...</response>` in XML."""
    return _group_list(call)


def get_group(call) -> dict:
    return detailed_group(call.world, world.group(call.world, call.path["groupId"]))


def get_smart_group_rules(call) -> dict:
    g = world.group(call.world, call.path["groupId"])
    if not g.is_smart:
        raise BadRequestError(f"group {g.group_id} is not a smart group")
    return smart_group_rules(g)


def add_group(call) -> str:
    body = RequestBody.read()
    name = body.text("name", required=True)
    return world.add_group(call.world, call.state, name, body.ids("userIds") or [])


def add_smart_group(call) -> str:
    body = RequestBody.read()
    name = body.text("name", required=True)
    return world.add_smart_group(call.world, call.state, name, inputs.smart_group_rules(body))


def edit_smart_group(call) -> None:
    body = RequestBody.read()
    name = body.text("name")
    world.edit_smart_group(call.world, call.state, call.path["groupId"], name, inputs.smart_group_rules(body))


def update_group(call) -> None:
    body = RequestBody.read()
    world.update_group(call.world, call.state, call.path["groupId"], body.text("name", required=True))


def remove_group(call) -> None:
    world.remove_group(call.world, call.state, call.path["groupId"])


def update_group_members(call) -> None:
    body = RequestBody.read()
    world.update_group_members(call.world, call.state, call.path["groupId"], inputs.member_ids(body))


def soap_getGroups(call):
    return [soap_group(g) for g in list(call.world.groups)]


def soap_addSmartGroup(call, name, rules):
    return world.add_smart_group(call.world, call.state, name, _soap_rules(rules))


def _soap_rules(rules) -> dict:
    """The Spyne SmartGroupRules as the JSON shape the world keeps (inputs.smart_group_rules')."""
    nodes = []
    for node in getattr(rules, "and", None) or []:
        found = []
        for entry in getattr(node, "or", None) or []:
            rule = entry.rule
            found.append({"rule": {k: v for k, v in (("attributeType", rule.attributeType),
                                                      ("attributeId", rule.attributeId or None),
                                                      ("operator", rule.operator), ("value", rule.value))
                                   if v is not None}})
        nodes.append({"or": found})
    return {"and": nodes}
