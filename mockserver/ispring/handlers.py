"""The iSpring operations that are not a generic list: REST handlers take the call and return the payload; SOAP
handlers take the call and the request's values (after <credentials>) and return the result's values."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from urllib.parse import unquote_plus, urlsplit

from flask import request

from ..api.paging import DEFAULT_PAGE_SIZE, token_page
from ..errors import BadRequestError, ListedNotFoundError, MockError, NotFoundError, echo
from ..world import ispring as world
from ..world import ispring_content as content
from ..world import ispring_results as results
from ..world.ispring import (DUE_DATE_TYPES, PROFILE_FIELDS, ROLE_TYPES, Schedule, UserChange, UserConflict,
                             UserFilter)
from . import auth, inputs, items
from .inputs import (RequestBody, body_ids, body_number, body_object, body_texts, profile_fields_input, query_choices,
                     query_ids, query_range, query_texts, query_values)
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
    inputs.target_locale()
    return {"contentItem": rest_content_item(call.world, world.content_item(call.world, call.path["contentId"]))}


def _content_rows(w, item_ids: list[str] | None, kinds: list[str] | None, *, by_id: bool):
    """The content items among `item_ids` and of `kinds` (None: any; an unknown ID matches nothing), in catalogue
    order, or in contentItemId order (the order a page cursor walks)."""
    ids = None if item_ids is None else set(item_ids)
    rows = [c for c in list(w.content_items)
            if (ids is None or c.content_item_id in ids) and (kinds is None or c.type in kinds)]
    return sorted(rows, key=lambda c: c.content_item_id) if by_id else rows


def get_content(call) -> list:
    """GET /content: every content item, or those of `contentTypes`: a bare array."""
    inputs.target_locale()
    return [rest_content_item(call.world, c)
            for c in _content_rows(call.world, None, inputs.query_content_types(), by_id=False)]


def list_content_rows(call) -> list:
    """GET /contents: the rows of the page (contentItemIds[], contentTypes)."""
    inputs.target_locale()
    return _content_rows(call.world, query_ids("contentItemIds"), inputs.query_content_types(), by_id=True)


def content_page_item(w, c) -> dict:
    return rest_content_item(w, c)


def _page_size(body: RequestBody) -> int | None:
    size = body.integer("pageSize")
    if size is None:
        size = inputs.query_int("pageSize")
    if size is not None and size < 1:
        raise BadRequestError("pageSize must be a positive integer")
    return size


def list_content_by_post(call) -> dict:
    """POST /contents: GET /contents with the filters in the body (`contentItemIds`, `contentTypes`, repeated or
    wrapped); pageSize and pageToken in the body or the query."""
    body = RequestBody.read()
    rows = _content_rows(call.world, body_ids(body, "contentItemIds"), inputs.body_content_types(body), by_id=True)
    token = body.text("pageToken") or request.args.get("pageToken")
    chosen, next_token = token_page(rows, lambda c: c.content_item_id, _page_size(body), token)
    return {"contentItems": [rest_content_item(call.world, c) for c in chosen], "nextPageToken": next_token}


def list_courses_modules(call) -> dict:
    """GET /courses/modules (deprecated): the modules of `courseIds`, a page at a time, the next page's token under
    the spec's name `nextPageToekn`."""
    course_ids = query_ids("courseIds")
    if not course_ids:
        raise BadRequestError("courseIds is required")
    rows = content.find_modules(call.world, course_ids)
    chosen, next_token = token_page(rows, lambda m: m.module_id, inputs.query_int("pageSize"),
                                    request.args.get("pageToken"))
    return {"modules": [items.courses_module(m) for m in chosen], "nextPageToekn": next_token}


def list_course_modules(call) -> dict:
    found = call.world.content_item_by_id.get(call.path["courseId"])
    if found is None:
        raise ListedNotFoundError(f"Unknown content item {call.path['courseId']}")  # the spec lists this 404
    if found.type != "Course":
        raise BadRequestError(f"courseId {found.content_item_id} is a {found.type}, not a Course: it has no modules")
    return {"modules": [items.courses_module(m) for m in content.modules(call.world, found)]}


def list_course_fields(call) -> dict:
    return {"courseFields": [items.course_field(f) for f in content.course_fields(call.world)]}


def create_content(call) -> str:
    """POST /content/create/{contentType}: CreateCourseRequest `{folder_id, title}` -> 201, the new contentItemId."""
    body = RequestBody.read()
    folder_id = body.text("folder_id", required=True)
    if not inputs.is_uuid(folder_id):
        raise BadRequestError(f"folder_id must be a UUID, got {folder_id!r}")
    title = body.text("title", required=True)
    if not title.strip():
        raise BadRequestError("title must not be empty")
    return content.create_content(call.world, call.state, call.path["contentType"], folder_id, title.strip())


def get_courses_tree(call) -> list:
    inputs.target_locale()
    return [items.course_tree_item(t) for t in content.courses_tree(call.world, query_ids("contentItemIds"))]


def list_learning_tracks_courses(call) -> list:
    pairs = content.learning_tracks_courses(call.world, inputs.query_comma_ids("learningTrackIds"))
    return [{"learningTrackId": track, "courseId": course} for track, course in pairs]


def quizzes_rows(call) -> list:
    return content.find_quizzes(call.world, query_ids("quizIds"), query_ids("contentItemIds"),
                                query_ids("parentCourseIds"))


def quiz_item(w, q) -> dict:
    return items.quiz(q)


def answer_breakdown_rows(call) -> list:
    found = content.quiz(call.world, inputs.query_id("quizId", required=True))
    span = inputs.query_date_range("attemptDate")
    f = content.AnswerFilter(inputs.query_id("parentCourseId"), query_ids("userIds"), query_ids("enrollmentIds"),
                             query_ids("departmentIds"), query_ids("groupIds"), *(span or (None, None)))
    return content.answer_breakdown(call.world, found, f)


def answer_breakdown_item(w, r) -> dict:
    return items.answer_breakdown_result(r)


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

    def read():
        kind, supervisor = found[0].text("subordinationType", required=True), found[0].text("supervisorId")
        if supervisor is not None and not inputs.is_uuid(supervisor):  # a UUID even where it goes unused
            raise BadRequestError("supervisorId must be a UUID")
        return world.Subordination(kind, supervisor)

    return _within(name, read)


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
            rule = getattr(entry, "rule", None)
            if rule is None:  # a nil or empty <or>: a rule of nothing, which the world's check refuses
                found.append({"rule": {}})
                continue
            found.append({"rule": {k: v for k, v in (("attributeType", rule.attributeType),
                                                      ("attributeId", rule.attributeId or None),
                                                      ("operator", rule.operator), ("value", rule.value))
                                   if v is not None}})
        nodes.append({"or": found})
    return {"and": nodes}


# --- results --------------------------------------------------------------------------------------------------------
# Results, final statuses, certificates, statistics, points and activity: read off the enrollments' progress
# (world/ispring_results.py), moved by world/ispring.py set_progress (POST /statistics/*) and the writes there.

COURSE_STATUSES = ("complete", "incomplete", "passed", "failed", "automatic")  # CourseCompletionStatus
ACTIVITY_DAYS = 30  # GET /report/active-users-by-period without activityDate: the last 30 days


def _texts(name: str, uuids: bool) -> list[str] | None:
    """`name`, `name[]` or `name[0]`: UUIDs where the spec types them so (a 400 otherwise), else any text."""
    if uuids:
        return query_ids(name)
    found = query_values(name)
    if found is not None and not all(found):
        raise BadRequestError(f"{name} must not be empty")
    return found


def result_filter(uuids: bool) -> results.ResultFilter:
    """The filters of /learners/results and /learners/modules/results (the spec's names, without `[]`: both work)."""
    return results.ResultFilter(
        user_ids=_texts("userIds", uuids), course_ids=_texts("courseIds", uuids),
        department_ids=_texts("departmentIds", uuids), enrollment_ids=_texts("enrollmentIds", uuids),
        statuses=query_choices("completionStatuses", results.COMPLETION_STATUSES),
        completion=query_range("completionDate"), access=query_range("accessDate"), due=query_range("dueDate"),
        user_statuses=query_choices("userStatuses", results.USER_STATUSES, int))


def learner_results_rows(call):
    return results.find_results(call.world, result_filter(uuids=False))


def learner_result_item(w, e):
    return items.learner_result(w, e)


def module_results_rows(call):
    """(enrollment, module, its state) for each module of each matching enrollment; the moduleIds and
    courseItemIds filters pick modules, completionStatuses the module's own status."""
    module_ids, item_ids = query_ids("moduleIds"), query_ids("courseItemIds")
    f = result_filter(uuids=True)
    statuses = f.statuses
    rows = []
    for e in results.find_results(call.world, results.ResultFilter(**{**f.__dict__, "statuses": None})):
        modules = results.course_modules(call.world, e.course_id)
        for n, (module, state) in enumerate(zip(modules, results.module_states(e, modules))):
            if (module_ids is None or module.module_id in module_ids) and (
                    item_ids is None or module.course_item_id in item_ids) and (
                    statuses is None or state["status"] in statuses):
                rows.append((f"{e.enrollment_id}/{n:04d}", e, module, state))
    return rows


def module_result_item(w, row):
    _, e, module, state = row
    return items.learner_module_result(w, e, module, state)


def content_item_final_statuses(call) -> list:
    if not inputs.is_uuid(call.path["contentId"]):  # the spec's format: not a content item's ID at all
        raise BadRequestError(f"contentId must be a UUID, got {call.path['contentId']!r}")
    try:
        found = results.final_statuses(call.world, call.path["contentId"])
    except NotFoundError:
        raise ListedNotFoundError("Unknown content item") from None  # the spec's text/plain 404
    return [items.final_status(e) for e in found]


def issued_certificate(call) -> dict:
    certificate, _, _ = results.issued_certificate(call.world, call.path["issuedCertificateId"])
    return {"url": results.certificate_url(call.world, certificate.issued_certificate_id)}


def _body_or_query(body: RequestBody, name: str) -> str | None:
    """UpdateCourseStatus's fields: in the body (the spec requires it), or as its query parameters of that name."""
    value = body.text(name)
    return value if value is not None else request.args.get(name)


def _check_status_query() -> None:
    """UpdateCourseStatus's query parameters are checked whenever sent, as its body's fields are (a wrong one is a
    400 even when the body gives the field)."""
    args = request.args
    if "courseId" in args and not inputs.is_uuid(args["courseId"]):
        raise BadRequestError(f"courseId must be a UUID, got {args['courseId']!r}")
    query_ids("enrollmentIds")
    if "status" in args and args["status"] not in COURSE_STATUSES:
        raise BadRequestError(f"status must be one of {', '.join(COURSE_STATUSES)}")
    if "date" in args:
        inputs.docs_moment(args["date"], "date")
    if "awardedScore" in args:
        score = body_number(RequestBody({"awardedScore": args["awardedScore"]}, False, True), "awardedScore", True)
        if not 0 <= score <= 100:
            raise BadRequestError("awardedScore must be from 0 to 100")


def update_course_status(call) -> dict:
    """POST /statistics/course: the documented way to mark a course completed (or not), applied at once; the
    taskId it answers reports the change complete after --ispring-task-seconds."""
    body = RequestBody.read()
    _check_status_query()
    course_id = _body_or_query(body, "courseId")
    ids = body.ids("enrollmentIds") or query_ids("enrollmentIds")
    status = _body_or_query(body, "status")
    for name, value in (("courseId", course_id), ("enrollmentIds", ids), ("status", status)):
        if not value:
            raise BadRequestError(f"{name} is required")
    if status not in COURSE_STATUSES:
        raise BadRequestError(f"status must be one of {', '.join(COURSE_STATUSES)}")
    for value in [course_id, *ids]:
        if not inputs.is_uuid(value):
            raise BadRequestError(f"courseId and enrollmentIds must be UUIDs, got {value!r}")
    when = body.moment("date") or (inputs.docs_moment(request.args["date"], "date")
                                   if request.args.get("date") else None)
    score = body_number(body, "awardedScore")
    if score is None and request.args.get("awardedScore"):
        score = body_number(RequestBody({"awardedScore": request.args["awardedScore"]}, False, True), "awardedScore")
    if score is not None and not 0 <= score <= 100:
        raise BadRequestError("awardedScore must be from 0 to 100")
    event = world.progress_event(call.world, call.state, ids, status, course_id=course_id, when=when, score=score,
                                 task=("course_status", call.config.ispring_task_seconds),
                                 reason=_body_or_query(body, "reason"))
    return {"taskId": event["task"]["task_id"]}


def _module_statuses(body: RequestBody) -> list[tuple[str, str, float | None, object]]:
    """moduleStatuses: [(contentItemId, status, awardedScore, date)], each field required (the spec's ModuleStatus)."""
    found = []
    for n, item in enumerate(inputs.body_items(body, "moduleStatuses", "moduleStatus")):
        def read(item=item):
            module_id = item.text("contentItemId", required=True)
            if not inputs.is_uuid(module_id):
                raise BadRequestError(f"contentItemId must be a UUID, got {module_id!r}")
            status = item.text("status", required=True, choices=results.COMPLETION_STATUSES)
            item.text("reason", required=True)
            score = body_number(item, "awardedScore", required=True)
            if not 0 <= score <= 100:
                raise BadRequestError("awardedScore must be from 0 to 100")
            return module_id, status, score, item.moment("date", required=True)
        found.append(_within(f"moduleStatuses[{n}]", read))
    if not found:
        raise BadRequestError("moduleStatuses must hold at least one module status")
    return found


def update_module_statuses(call) -> dict:
    """POST /statistics/module: modules of a course finished or not; the course's progress follows (the share of
    its modules finished), and once every module is finished the course is passed or failed by the scores given
    (their mean) or complete."""
    body = RequestBody.read()
    course_id = body.text("courseId", required=True)
    ids = body_ids(body, "enrollmentIds")
    if not ids:
        raise BadRequestError("enrollmentIds is required")
    statuses = _module_statuses(body)
    w = call.world
    if course_id not in w.content_item_by_id:
        raise BadRequestError(f"unknown courseId {course_id}")
    modules = {m.module_id for m in results.course_modules(w, course_id)}
    for module_id, *_ in statuses:
        if module_id not in modules:
            raise BadRequestError(f"moduleStatuses: contentItemId {module_id} is no module of course {course_id}")
    changes = {module_id: status for module_id, status, *_ in statuses}
    scores = [score for *_, score, _ in statuses if score is not None]
    score = sum(scores) / len(scores) if scores else None
    when = max(moment for *_, moment in statuses)
    groups: dict[tuple, list[str]] = {}
    for eid in dict.fromkeys(ids):
        e = w.enrollments.get(eid)
        if e is None:
            raise BadRequestError(f"enrollmentIds: unknown enrollmentId {eid}")
        if e.course_id != course_id:
            raise BadRequestError(f"enrollmentIds: enrollment {eid} is not of course {course_id}")
        groups.setdefault(results.module_progress(w, e, changes), []).append(eid)
    task_id = None
    for (status, progress), members in groups.items():  # one event per outcome; the first starts the task
        event = world.progress_event(w, call.state, members, status, course_id=course_id, when=when,
                                     score=score if status == "automatic" else None,
                                     progress=progress if status == "in_progress" else None,
                                     task=None if task_id else ("module_status", call.config.ispring_task_seconds))
        task_id = task_id or event["task"]["task_id"]
    return {"taskId": task_id}


def reset_module_statistics(call) -> dict:
    """DELETE /statistics/module: the modules' statistics cleared, so the enrollments' progress is back to not
    started (all of their course's modules, or those contentItemIds names: then the modules left finished stay)."""
    course_id = request.args.get("courseId")
    ids = query_ids("enrollmentIds")
    item_ids = query_ids("contentItemIds")
    w = call.world
    if course_id is not None and not inputs.is_uuid(course_id):
        raise BadRequestError(f"courseId must be a UUID, got {course_id!r}")
    if course_id is not None and course_id not in w.content_item_by_id:
        raise BadRequestError(f"unknown courseId {course_id}")
    # Every filter is optional (the spec): none given clears every enrollment's statistics.
    ids = ids or [e.enrollment_id for e in world.find_enrollments(w, None if course_id is None else [course_id])]
    groups: dict[tuple, list[str]] = {}
    for eid in dict.fromkeys(ids):
        e = w.enrollments.get(eid)
        if e is None:
            raise BadRequestError(f"enrollmentIds: unknown enrollmentId {eid}")
        if course_id is not None and e.course_id != course_id:
            raise BadRequestError(f"enrollmentIds: enrollment {eid} is not of course {course_id}")
        modules = [m.module_id for m in results.course_modules(w, e.course_id)]
        for item_id in item_ids or ():
            if item_id not in modules:
                raise BadRequestError(f"contentItemIds: {item_id} is no module of course {e.course_id}")
        cleared = modules if item_ids is None else item_ids
        outcome = results.module_progress(w, e, {m: "not_started" for m in cleared})
        groups.setdefault((e.course_id, *outcome), []).append(eid)
    if not groups:  # a course nobody is enrolled in: nothing to clear, a task all the same
        return {"taskId": world.start_task(w, call.state, "module_reset", call.config.ispring_task_seconds)}
    task_id = None
    for (_, status, progress), members in groups.items():
        event = world.progress_event(w, call.state, members, status,
                                     progress=progress if status == "in_progress" else None,
                                     task=None if task_id else ("module_reset", call.config.ispring_task_seconds))
        task_id = task_id or event["task"]["task_id"]
    return {"taskId": task_id}


def list_enrollments_by_post(call) -> dict:
    """POST /enrollments: GET /enrollments with its filters and paging in the body (ListEnrollmentsRequest)."""
    body = RequestBody.read()
    size = body.integer("pageSize")
    token = body.values.get("pageToken")
    if token is not None and not isinstance(token, (str, int)) or isinstance(token, bool):
        raise BadRequestError("pageToken must be the nextPageToken of the previous page")
    rows = world.find_enrollments(call.world, body_ids(body, "courseIds"), body_ids(body, "learnerIds"),
                                  body_ids(body, "enrollmentIds"))
    chosen, next_token = token_page(rows, lambda e: e.enrollment_id, size,
                                    None if token in (None, "") else str(token))
    return {"enrollments": [rest_enrollment(e) for e in chosen], "nextPageToken": next_token}


def reenroll(call) -> None:
    body = RequestBody.read()
    results.reenroll(call.world, call.state, call.path["enrollmentId"], _schedule(body, True))


def gamification_points(call) -> list:
    user_ids = query_ids("userIds")
    if user_ids is None:
        user_ids = [u.user_id for u in list(call.world.learners)]
    for uid in user_ids:
        world.known_user(call.world, uid, "userIds")
    return [{"userId": uid, "points": results.points(call.world, uid)} for uid in dict.fromkeys(user_ids)]


def _points_change(sign: int):
    def handler(call) -> None:
        body = RequestBody.read()
        user_id = body.text("userId", required=True)
        amount = body_number(body, "amount", required=True)
        reason = body.text("reason", required=True)
        if amount <= 0:
            raise BadRequestError("amount must be more than 0")
        results.change_points(call.world, call.state, user_id, sign * amount, reason)

    return handler


award_gamification_points = _points_change(+1)
withdraw_gamification_points = _points_change(-1)


def users_with_activity(call):
    """JSON: the bare array of userIds; XML: `<response><activeUsersByPeriod><ids><ids>..` with the period."""
    period = query_range("activityDate")
    if period is None:
        now = call.world.now()
        period = (now - timedelta(days=ACTIVITY_DAYS), now)
    ids = results.active_users(call.world, *period)
    if wants_json():
        return ids
    return {"activeUsersByPeriod": {"ids": ids, "activityStartDate": period[0].date().isoformat(),
                                    "activityEndDate": period[1].date().isoformat()}}
