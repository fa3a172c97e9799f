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

from ..api.paging import DEFAULT_PAGE_SIZE  # noqa: E402  (the users section's own imports)
from ..errors import MockError  # noqa: E402
from ..world.ispring import PROFILE_FIELDS, ROLE_TYPES, UserChange, UserConflict, UserFilter  # noqa: E402
from . import items as _items  # noqa: E402
from .inputs import body_ids, body_texts, profile_fields_input, query_ids, query_texts  # noqa: E402
from .soap.wire import VendorFault  # noqa: E402


class _UserConflict409(MockError):
    status = 409  # --ispring-user-conflict-status 409: the legacy docs' status


def user_filter() -> UserFilter:
    """The user lists' query filters: departments[], groups[], logins[], emails[], userIds[]."""
    return UserFilter(query_ids("departments"), query_ids("groups"), query_texts("logins"), query_texts("emails"),
                      query_ids("userIds"))


def _body_filter(body: RequestBody) -> UserFilter:
    return UserFilter(body_ids(body, "departments"), body_ids(body, "groups"), body_texts(body, "logins"),
                      body_texts(body, "emails"), body_ids(body, "userIds"))


def get_users(call) -> list:
    return [_items.rest_user(call.world, u) for u in world.find_users(call.world, user_filter())]


def get_users_v2(call) -> list:
    return [_items.rest_user_v2(call.world, u) for u in world.find_users(call.world, user_filter())]


def get_user_profile(call) -> dict:
    return {"response": _items.rest_user(call.world, world.learner(call.world, call.path["userId"]))}


def get_user_profile_v2(call) -> dict:
    return {"response": _items.rest_user_v2(call.world, world.learner(call.world, call.path["userId"]))}


def list_users_v2_by_post(call) -> dict:
    body = RequestBody.read()
    rows = world.find_users(call.world, _body_filter(body), by_id=True)
    size = body.integer("pageSize")
    if size is not None and size < 1:
        raise BadRequestError("pageSize must be a positive integer")
    chosen, next_token = token_page(rows, lambda u: u.user_id, size, body.text("pageToken"))
    return {"userProfiles": [_items.rest_user_v2(call.world, u) for u in chosen], "nextPageToken": next_token}


def _profile_field_filter(body: RequestBody):
    """GetPagedUsersList's profileFields [{name, values}] (a user matches any value of each) and
    profileFieldsDateRange [{name, from, to}] (no field of the world holds dates: a range names no date field)."""
    wanted, ranges = body.values.get("profileFields"), body.values.get("profileFieldsDateRange")
    if body.from_xml and (wanted is not None or ranges is not None):
        raise BadRequestError("profileFields and profileFieldsDateRange are read from JSON bodies only")
    for r in ranges or ():
        name = r.get("name") if isinstance(r, dict) else None
        raise BadRequestError(f"profileFieldsDateRange: {name!r} is no date field")
    if wanted is None:
        return None
    if not isinstance(wanted, list) or not all(
            isinstance(w, dict) and isinstance(w.get("name"), str) and isinstance(w.get("values"), list)
            and all(isinstance(v, str) for v in w["values"]) for w in wanted):
        raise BadRequestError("profileFields must be a list of {name, values[]}")
    for w in wanted:
        if w["name"].lower() not in PROFILE_FIELDS:
            raise BadRequestError(f"profileFields: {w['name']!r} is not a profile field")

    def matches(u) -> bool:
        return all(getattr(u, w["name"].lower()) in w["values"] for w in wanted)

    return matches


def get_paged_users_list(call) -> dict:
    body = RequestBody.read()
    page, size = body.integer("page"), body.integer("pageSize")
    if page is None:
        raise BadRequestError("page is required")
    if page < 1:
        raise BadRequestError("page must be at least 1")
    if size is not None and size < 1:
        raise BadRequestError("pageSize must be at least 1")
    size = size or DEFAULT_PAGE_SIZE
    rows = world.find_users(call.world, UserFilter(body_ids(body, "departments"), body_ids(body, "groups"),
                                                   body_texts(body, "logins"), body_texts(body, "emails")))
    matches = _profile_field_filter(body)
    rows = [u for u in rows if matches is None or matches(u)]
    chosen = rows[(page - 1) * size:page * size]
    return {"pageNumber": page, "totalUsersNumber": len(rows),
            "userProfiles": [_items.rest_user(call.world, u) for u in chosen]}


def find_existing_users(call) -> list:
    body = RequestBody.read()
    asked = body_ids(body, "userIds")
    if asked is None:
        raise BadRequestError("userIds is required")
    return [uid for uid in dict.fromkeys(asked) if uid in call.world.learner_by_id]


def get_user_profile_fields(call) -> list:
    return [_items.user_field_info(n, info) for n, info in enumerate(_items.PROFILE_FIELD_INFO, 1)]


def get_roles(call) -> list:
    return [_items.role(r) for r in call.world.roles]


def _user_change(body: RequestBody) -> UserChange:
    """AddUser's and UpdateUserProfile's body: departmentId, fields, role, roleId, groupIds,
    manageableDepartmentIds; the invitation options are accepted and checked, and change nothing here."""
    if body.values.get("roles") not in (None, "", []):
        raise BadRequestError("roles: the mock keeps one role per user; send role or roleId")
    for flag in ("sendLoginEmail", "sendLoginSMS"):
        body.flag(flag)
    for text in ("password", "invitationMessage", "invitationSMSMessage"):
        body.text(text)
    return UserChange(
        fields=profile_fields_input(body, PROFILE_FIELDS),
        department_id=body.text("departmentId"),
        role=body.text("role", choices=ROLE_TYPES),
        role_id=body.text("roleId"),
        group_ids=body_ids(body, "groupIds"),
        manageable_department_ids=body_ids(body, "manageableDepartmentIds"),
    )


def add_user(call) -> str:
    body = RequestBody.read()
    body.text("departmentId", required=True)
    change = _user_change(body)
    if change.fields is None:
        raise BadRequestError("fields is required")
    try:
        return world.add_user(call.world, call.state, change)
    except UserConflict as conflict:
        if call.config.ispring_user_conflict_status == 409:
            raise _UserConflict409(conflict.detail) from None
        raise


def update_user_profile(call) -> None:
    world.update_user(call.world, call.state, call.path["userId"], _user_change(RequestBody.read()))


def remove_user(call) -> None:
    world.remove_user(call.world, call.state, call.path["userId"])


def soap_getUserProfileFields(call):
    return [_items.user_field_info(n, info, soap=True) for n, info in enumerate(_items.PROFILE_FIELD_INFO, 1)]


def soap_addUser(call, email, login, password, departmentId, sendLoginEmail, invitationMessage, sendLoginSMS,
                 invitationSMSMessage, role, roleId, manageableDepartmentIds, groups):
    change = UserChange(fields={"login": login, "email": email}, department_id=departmentId, role=role or None,
                        role_id=roleId or None, group_ids=groups or None,
                        manageable_department_ids=manageableDepartmentIds or None)
    try:
        user_id = world.add_user(call.world, call.state, change)
    except UserConflict as conflict:  # the documented faultstring, not `Wrong parameters`
        fault = VendorFault(conflict)
        fault.faultstring = conflict.detail
        raise fault from None
    return user_id, None


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------
