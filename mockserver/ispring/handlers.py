"""The iSpring operations that are not a generic list: REST handlers take the call and return the payload; SOAP
handlers take the call and the request's values (after <credentials>) and return the result's values."""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote_plus, urlsplit

from flask import request

from ..api.paging import DEFAULT_PAGE_SIZE, token_page
from ..errors import BadRequestError, MockError, NotFoundError, echo
from ..world import ispring as world
from ..world.ispring import (DUE_DATE_TYPES, PROFILE_FIELDS, ROLE_TYPES, Schedule, UserChange, UserConflict,
                             UserFilter)
from . import auth, inputs, items
from .inputs import RequestBody, body_ids, body_object, body_texts, profile_fields_input, query_ids, query_texts
from .items import (content_item, department, detailed_group, rest_content_item,
                    rest_department, rest_enrollment, smart_group_rules, soap_enrollment, soap_group, user_profile)
from .responses import wants_json

# --- REST -----------------------------------------------------------------------------------------------------


def access_request(call) -> dict:
    """The docs' form; or a JSON (or XML) body; and the client's ID and secret in HTTP Basic auth instead of the body
    (RFC 6749 section 2.3.1, as generic OAuth2 libraries send them: each form-urlencoded, then base64)."""
    body = RequestBody.read(empty_ok=True)
    basic = _basic_client()
    given = {}
    for name in ("client_id", "client_secret", "grant_type"):
        value = body.text(name)
        if basic and name in basic:
            if value is not None and value != basic[name]:
                raise BadRequestError(f"{name} differs between the body and the Authorization header")
            value = basic[name]
        if not value:
            raise BadRequestError(f"{name} is required (form, JSON body, or client_id and client_secret in HTTP "
                                  "Basic auth)")
        given[name] = value
    if given["grant_type"] != "client_credentials":
        raise BadRequestError("grant_type must be client_credentials")
    token = auth.issue_token(call.rt, given["client_id"], given["client_secret"])
    return {"access_token": token, "expires_in": call.config.ispring_token_ttl, "token_type": "bearer"}


def _basic_client() -> dict | None:
    """`Authorization: Basic base64(urlencode(id):urlencode(secret))`, or None when the header is not Basic."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise BadRequestError("the Basic Authorization header is not base64 of client_id:client_secret") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise BadRequestError("the Basic Authorization header is not base64 of client_id:client_secret")
    return {"client_id": unquote_plus(client_id), "client_secret": unquote_plus(secret)}


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


# --- content --------------------------------------------------------------------------------------------------------


def get_content_item(call) -> dict:
    return {"contentItem": rest_content_item(world.content_item(call.world, call.path["contentId"]))}


# --- users ----------------------------------------------------------------------------------------------------------



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
    return [items.rest_user(call.world, u) for u in world.find_users(call.world, user_filter())]


def get_users_v2(call) -> list:
    return [items.rest_user_v2(call.world, u) for u in world.find_users(call.world, user_filter())]


def get_user_profile(call) -> dict:
    return {"response": items.rest_user(call.world, world.learner(call.world, call.path["userId"]))}


def get_user_profile_v2(call) -> dict:
    return {"response": items.rest_user_v2(call.world, world.learner(call.world, call.path["userId"]))}


def list_users_v2_by_post(call) -> dict:
    body = RequestBody.read()
    rows = world.find_users(call.world, _body_filter(body), by_id=True)
    size = body.integer("pageSize")
    if size is not None and size < 1:
        raise BadRequestError("pageSize must be a positive integer")
    chosen, next_token = token_page(rows, lambda u: u.user_id, size, body.text("pageToken"))
    return {"userProfiles": [items.rest_user_v2(call.world, u) for u in chosen], "nextPageToken": next_token}


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
            "userProfiles": [items.rest_user(call.world, u) for u in chosen]}


def find_existing_users(call) -> list:
    body = RequestBody.read()
    asked = body_ids(body, "userIds")
    if asked is None:
        raise BadRequestError("userIds is required")
    return [uid for uid in dict.fromkeys(asked) if uid in call.world.learner_by_id]


def get_user_profile_fields(call) -> list:
    return [items.user_field_info(n, info) for n, info in enumerate(items.PROFILE_FIELD_INFO, 1)]


def get_roles(call) -> list:
    return [items.role(r) for r in call.world.roles]


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
    return [items.user_field_info(n, info, soap=True) for n, info in enumerate(items.PROFILE_FIELD_INFO, 1)]


def soap_addUser(call, email, login, password, departmentId, sendLoginEmail, invitationMessage, sendLoginSMS,
                 invitationSMSMessage, role, roleId, manageableDepartmentIds, groups):
    change = UserChange(fields={"login": login, "email": email}, department_id=departmentId, role=role or None,
                        role_id=roleId or None, group_ids=groups or None,
                        manageable_department_ids=manageableDepartmentIds or None)
    return world.add_user(call.world, call.state, change), None


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
    status = inputs.body_int_choice(body, "status", world.USER_STATUSES)
    world.change_status(call.world, call.state, [call.path["userId"]], status, name="userId")


def _within(prefix: str, read):
    """`read()`, its refusal naming the field inside the object: `subordination.subordinationType is required`."""
    try:
        return read()
    except BadRequestError as error:
        raise BadRequestError(f"{prefix}.{error.detail}") from None


def _subordination(body: RequestBody, name: str):
    found = inputs.body_objects(body, name, many=False)
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
              for n, item in enumerate(inputs.body_objects(body, "workLeaveStatuses", many=True))]
    world.set_work_leave(call.world, call.state, leaves)


def remove_work_leave_statuses(call) -> None:
    body = RequestBody.read()
    world.remove_work_leave(call.world, call.state, body.ids("userIds", required=True))


def get_task_status(call) -> dict:
    raw = call.path["taskId"]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:  # int() of 4300+ digits raises
        raise BadRequestError(f"taskId must be an integer, got {echo(raw)!r}")
    return {"status": world.task_status(call.world, world.task(call.world, int(raw)))}


# --- departments ----------------------------------------------------------------------------------------------------

# REST: GetDepartments and ListDepartments are list rows (operations.py); the rest are here. SOAP: listDepartments,
# setAccountUrl (getDepartments and getDepartment are above).

ACCOUNT_HOSTS = ("ispringlearn.com", "ispringlearn.ru", "ispringlearn.eu", "ispring.com", "ispring.ru", "ispring.eu")
# setAccountUrl: the names the vendor's own services use (`URL is internal`), and the mock's stand-ins for other
# accounts (`URL is busy`): the mock plays one account, so "another account" is a fixed name.
INTERNAL_ACCOUNT_NAMES = frozenset(("www", "api", "api-learn", "learn-app", "app", "admin", "go", "help", "docs",
                                    "static", "cdn", "mail"))
BUSY_ACCOUNT_NAMES = frozenset(("otheraccount", "demo"))


class SoapFaultString(BadRequestError):
    """A client mistake with its own documented SOAP faultstring (`URL is busy`), not `Wrong parameters`."""

    def __init__(self, faultstring: str):
        super().__init__(faultstring)
        self.faultstring = faultstring


def departments_rows(call):
    return world.find_departments(call.world, request.args.get("code"))


def departments_page_rows(call):
    return world.departments_by_id(call.world)


def department_item(w, d):
    return rest_department(d)


def get_department(call) -> dict:
    found = rest_department(world.department(call.world, call.path["departmentId"]))
    # The spec: JSON `{"response": Department}`; XML `<response><department>` (the docs' sample).
    return {"response": found} if wants_json() else {"department": found}


def _text_or_header(body: RequestBody, name: str, header: str) -> str | None:
    """A body field, or the spec's X-* header twin of POST /department when the body leaves it out. A header sent
    is checked even when the body gives the field: an ID header must be a UUID (the spec's format)."""
    value, sent = body.text(name), request.headers.get(header)
    if sent is not None and header.endswith("-Id") and not inputs.is_uuid(sent):
        raise BadRequestError(f"{header} must be a UUID, got {sent!r}")
    return value if value is not None else sent


def add_department(call) -> str:
    body = RequestBody.read()
    name = _text_or_header(body, "name", "X-Name")
    parent_id = _text_or_header(body, "parentDepartmentId", "X-Parent-Department-Id")
    for field, value in (("name", name), ("parentDepartmentId", parent_id)):
        if not value:
            raise BadRequestError(f"{field} is required")
    return world.add_department(call.world, call.state, name, parent_id, _text_or_header(body, "code", "X-Code"))


def update_department(call) -> None:
    body = RequestBody.read()
    world.update_department(call.world, call.state, call.path["departmentId"], body.text("name"),
                            body.text("parentDepartmentId"), body.text("code"))


def remove_department(call) -> None:
    world.remove_department(call.world, call.state, call.path["departmentId"])


def change_department_subordination(call) -> None:
    body = RequestBody.read()
    world.change_department_subordination(call.world, call.state, call.path["departmentId"],
                                          body_object(body, "subordination"), body_object(body, "coSubordination"))


def move_users_to_department(call) -> None:
    body = RequestBody.read()
    world.move_users_to_department(call.world, call.state, call.path["departmentId"],
                                   body.ids("userIds", required=True))


def move_departments(call) -> None:
    body = RequestBody.read()
    # The spec's MoveDepartments requires `departmnetIds` (sic) but names the property departmentIds: both work.
    name = "departmnetIds" if body.values.get("departmentIds") is None and "departmnetIds" in body.values \
        else "departmentIds"
    world.move_departments(call.world, call.state, call.path["parentId"], body.ids(name, required=True))


def soap_listDepartments(call, pageSize, pageToken):
    chosen, next_token = token_page(world.departments_by_id(call.world), lambda d: d.department_id, pageSize,
                                    pageToken)
    return [department(d) for d in chosen], next_token


def account_url(value: str) -> str:
    """A new account URL as setAccountUrl takes it: http(s)://<name>.<an iSpring host>, nothing after the host."""
    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower()
    name, _, domain = host.partition(".")
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/") or parts.query or parts.fragment \
            or parts.username or parts.port or domain not in ACCOUNT_HOSTS or not re.fullmatch(r"[a-z0-9-]+", name):
        raise BadRequestError(f"accountUrl must be http(s)://<name>.{ACCOUNT_HOSTS[0]} or another iSpring host")
    if name in INTERNAL_ACCOUNT_NAMES:
        raise SoapFaultString("URL is internal")
    if name in BUSY_ACCOUNT_NAMES:
        raise SoapFaultString("URL is busy")
    return f"{parts.scheme}://{host}"


def soap_setAccountUrl(call, accountUrl):
    new = account_url(accountUrl)
    if auth.same_account(new, call.world.company.account_url):
        return True  # already the account's URL: nothing to change
    world.set_account_url(call.world, call.state, new)
    return True



# --- groups ---------------------------------------------------------------------------------------------------------



def _group_list(call) -> list:
    return [items.group(g) for g in list(call.world.groups)]


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
