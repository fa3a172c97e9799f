"""THE TABLE: every Ruangkerja operation the mock serves, one row each (api/operation.py says what a row holds).

Names are the doc pages' slugs (https://api.ruangkerja.id/docs/...), in snake case. A list row gives its world query
(`rows`) and its item mapper (`item`); paging is the wing's, done once (responses.py): `paging="pages"` answers the
page object, `paging="bare"` the docs' bare list of the page's items (a setting turns it into the page object).
"""

from __future__ import annotations

from mockserver.contracts.ruangkerja import (
    AssignOnlineCourseResponseSchema,
    CompanyStructureResponseSchema,
    CourseBatchListResponseSchema,
    CourseListResponseSchema,
    CourseOfflineUsersResponseSchema,
    CourseOnlineUsersResponseSchema,
    CourseWebinarUsersResponseSchema,
    CreateTagsResponseSchema,
    CreateUsersResponseSchema,
    DeleteTagsResponseSchema,
    ErrorSchema,
    FindTagResponseSchema,
    FindTagsResponseSchema,
    FindUserResponseSchema,
    FindUsersResponseSchema,
    LearningPlanCourseListResponseSchema,
    LearningPlanListResponseSchema,
    LearningPlanUserListResponseSchema,
    SerialResponseSchema,
    TokenResponseSchema,
    UpdateTagsResponseSchema,
    UpdateUsersEmailResponseSchema,
    UpdateUsersResponseSchema,
    UserActivitySummaryResponseSchema,
    UserCourseStatusResponseSchema,
    UserLearningPlanListResponseSchema,
    UserOfflineActivityListResponseSchema,
    UserOfflineActivityPageResponseSchema,
    UserOnlineActivityListResponseSchema,
    UserOnlineActivityPageResponseSchema,
    UserWebinarActivityListResponseSchema,
    UserWebinarActivityPageResponseSchema,
)

from ..api.operation import Operation, Param
from ..api.paging import NUMBERED_PARAMS
from ..world import ruangkerja as world
from . import handlers, inputs, items

NAME = "ruangkerja"
DASHBOARD = "/ruangkerja/dashboard"
TOKEN_REQUEST = {
    "type": "object",
    "required": ["clientID", "clientSecret", "grantType"],
    "properties": {"clientID": {"type": "string", "minLength": 1}, "clientSecret": {"type": "string", "minLength": 1},
                   "grantType": {"type": "string", "enum": ["client_credentials"]}},
}
OPENAPI = {  # what every row shares, for api/openapi.py
    "media_types": ("application/json",),
    "error": ErrorSchema,
    "auth": {"in": "header", "name": "Authorization", "required": True, "schema": {"type": "string"},
             "description": "The token from POST /oauth/token (raw, as the docs send it, or `Bearer <token>`)."},
    "paging": {"pages": NUMBERED_PARAMS, "bare": NUMBERED_PARAMS},
    "required_paging": ("pages", "bare"),
}
NAME_FILTER = Param("name", description="only those whose name contains it")
TIMESTAMP = {"type": "string", "format": "date-time"}
WINDOW = (
    Param("startTimestamp", TIMESTAMP, required=True, example="2023-10-10T12:00:00+07:00",
          description="start of the window (RFC 3339 with an offset, e.g. 2019-10-12T14:20:50+07:00), included"),
    Param("endTimestamp", TIMESTAMP, required=True, example="2023-10-13T12:00:00+07:00",
          description="end of the window (RFC 3339 with an offset), included"),
)
CONFLICT = (400, 403, 404, 409)  # the errors of a write that can find the name taken (--ruangkerja-conflict-status)


def row(name: str, method: str, path: str, contracts, summary: str, **more) -> Operation:
    contracts = contracts if isinstance(contracts, tuple) else (contracts,)
    if more.get("paging") == "bare":  # (the bare list's contract, the page object's): the body's shape picks one
        more.setdefault("choose", _reading(*contracts))
    errors = more.pop("errors", (400,) if more.get("public") else (400, 403, 404))
    return Operation(NAME, name, method, path, summary, contracts, errors=errors, **more)


def _reading(listed, paged):
    """User course activity: the docs' examples show a bare list, their field tables a page object (README,
    compatibility notes); the contract is the one of the shape the body has."""
    def choose(data):
        return paged if isinstance(data, dict) and isinstance(data.get("data"), dict) else listed

    return choose


def json_body(schema, *, any_of: tuple[str, ...] = (), kind: str = "string") -> dict:
    """A write's request body: its marshmallow schema (ruangkerja/inputs.py), which the OpenAPI document describes,
    and the fields (of JSON type `kind`) of which one at least must be filled."""
    if any_of:
        return {"application/json": {"allOf": [schema], "anyOf": inputs.any_of_filled(any_of, kind)}}
    return {"application/json": schema}


def user_filters(c) -> dict:
    """Find Users' query filters, as world.ruangkerja.find_users takes them."""
    return {"is_active": inputs.query_bool("isActive", c.arg("isActive")), "employee_id": c.arg("employeeID"),
            "name": c.arg("name"), "email": c.arg("email"), "phone": c.arg("phone")}



OPERATIONS = [
    # The docs head the token call POST, and their curl sends it as GET with the same JSON body.
    row("generate_access_token", "POST", "/oauth/token", TokenResponseSchema,
        "an access token for a client ID and secret", handler=handlers.generate_access_token, public=True,
        body={"application/json": TOKEN_REQUEST}, also=(("GET", "/oauth/token"),)),

    # --- dashboard ----------------------------------------------------------------------------------------------
    row("course", "GET", f"{DASHBOARD}/courses", CourseListResponseSchema, "the course list",
        rows=lambda c: world.courses_named(c.world, c.arg("name")), item=items.course, paging="pages",
        params=(NAME_FILTER,)),
    row("course_batch", "GET", f"{DASHBOARD}/courses/:courseSerial/batches", CourseBatchListResponseSchema,
        "a course's batches", rows=lambda c: world.course_batches(c.world, c.path["courseSerial"]),
        item=items.batch, paging="pages"),
    row("course_online_user_assignment", "GET", f"{DASHBOARD}/courses/:courseSerial/online/users",
        CourseOnlineUsersResponseSchema, "the users assigned to an online course",
        rows=lambda c: world.online_users(c.world, c.path["courseSerial"]), item=items.online_user, paging="pages"),
    row("course_offline_user_assignment", "GET", f"{DASHBOARD}/courses/:courseSerial/offline/:batchSerial/users",
        CourseOfflineUsersResponseSchema, "the users assigned to an offline batch",
        rows=lambda c: world.batch_users(c.world, c.path["courseSerial"], c.path["batchSerial"], "Offline"),
        item=items.batch_user, paging="pages"),
    row("course_webinar_user_assignment", "GET", f"{DASHBOARD}/courses/:courseSerial/webinar/:batchSerial/users",
        CourseWebinarUsersResponseSchema, "the users assigned to a webinar batch",
        rows=lambda c: world.batch_users(c.world, c.path["courseSerial"], c.path["batchSerial"], "Webinar"),
        item=items.batch_user, paging="pages"),
    row("user_online_course_activity", "GET", f"{DASHBOARD}/users/:employeeID/courses/online",
        (UserOnlineActivityListResponseSchema, UserOnlineActivityPageResponseSchema),
        "a user's online course activity: a bare list or a page object",
        rows=lambda c: world.employee_online_activity(c.world, c.path["employeeID"]),
        item=items.user_online_activity, paging="bare"),
    row("user_offline_course_activity", "GET", f"{DASHBOARD}/users/:employeeID/courses/offline",
        (UserOfflineActivityListResponseSchema, UserOfflineActivityPageResponseSchema),
        "a user's offline course activity: a bare list or a page object",
        rows=lambda c: world.employee_course_activity(c.world, c.path["employeeID"], "Offline"),
        item=items.user_batch_activity, paging="bare"),
    row("user_webinar_course_activity", "GET", f"{DASHBOARD}/users/:employeeID/courses/webinar",
        (UserWebinarActivityListResponseSchema, UserWebinarActivityPageResponseSchema),
        "a user's webinar course activity: a bare list or a page object",
        rows=lambda c: world.employee_course_activity(c.world, c.path["employeeID"], "Webinar"),
        item=items.user_batch_activity, paging="bare"),
    row("learning_plan", "GET", f"{DASHBOARD}/learning-plans", LearningPlanListResponseSchema,
        "the learning plans, with their participants counted by status",
        rows=lambda c: world.learning_plans_named(c.world, c.arg("name")), item=items.learning_plan,
        paging="pages", params=(NAME_FILTER,)),
    row("learning_plan_course", "GET", f"{DASHBOARD}/learning-plans/:learningPlanSerial/courses",
        LearningPlanCourseListResponseSchema, "a learning plan's courses, with its participants counted by status",
        rows=lambda c: world.learning_plan_courses(c.world, c.path["learningPlanSerial"]),
        item=items.learning_plan_course, paging="pages"),
    row("learning_plan_user_assignment", "GET", f"{DASHBOARD}/learning-plans/:learningPlanSerial/users",
        LearningPlanUserListResponseSchema, "a learning plan's participants and their progress",
        rows=lambda c: world.learning_plan_members(c.world, c.path["learningPlanSerial"]),
        item=items.learning_plan_user, paging="pages"),
    row("user_learning_plan", "GET", f"{DASHBOARD}/users/:employeeID/learning-plans",
        UserLearningPlanListResponseSchema, "a user's learning plans and their progress in each",
        rows=lambda c: world.employee_learning_plans(c.world, c.path["employeeID"]),
        item=items.user_learning_plan, paging="pages"),
    row("user_activity_summary", "GET", f"{DASHBOARD}/users/:employeeID/activity-summary",
        UserActivitySummaryResponseSchema, "a user's course assignments counted by status",
        handler=handlers.user_activity_summary),
    row("user_course_status", "GET", f"{DASHBOARD}/user-course-status", UserCourseStatusResponseSchema,
        "the course assignments completed between two times", handler=handlers.user_course_status,
        params=WINDOW),

    # --- users --------------------------------------------------------------------------------------------------
    row("find_users", "GET", "/ruangkerja/users", FindUsersResponseSchema, "the users, paginated and filtered",
        rows=lambda c: world.find_users(c.world, **user_filters(c)), item=items.user, paging="pages",
        params=(Param("isActive", {"type": "boolean"}, description="only active (true) or inactive (false) users"),
                Param("employeeID", description="only the user of exactly this employee ID"),
                Param("name", description="only those whose name contains it"),
                Param("email", description="only those whose email contains it"),
                Param("phone", description="only those whose phone contains it"))),
    row("find_user", "GET", "/ruangkerja/users/:employeeID", FindUserResponseSchema,
        "one user, by employee ID (or user serial)", handler=handlers.find_user),
    row("create_user", "POST", "/ruangkerja/users", SerialResponseSchema, "create a user (Ruangkerja only)",
        handler=handlers.create_user, write=True, errors=CONFLICT,
        body=json_body(inputs.CreateUserRequestSchema, any_of=("email", "phone"))),
    row("update_user", "PUT", "/ruangkerja/users/:employeeID", SerialResponseSchema, "change a user",
        handler=handlers.update_user, write=True, errors=CONFLICT, body=json_body(inputs.UpdateUserRequestSchema)),
    row("create_users", "POST", "/ruangkerja/users/create-bulk", CreateUsersResponseSchema,
        "create up to 100 users: those that can be, each failure named", handler=handlers.create_users, write=True,
        body=json_body(inputs.CreateUsersRequestSchema)),
    row("update_users", "POST", "/ruangkerja/users/update-bulk", UpdateUsersResponseSchema,
        "change up to 100 users: those that can be, each failure named", handler=handlers.update_users,
        write=True, body=json_body(inputs.UpdateUsersRequestSchema)),
    # Headed update-email-bulk; the docs' curl calls update-bulk-email.
    row("update_users_email", "POST", "/ruangkerja/users/update-email-bulk", UpdateUsersEmailResponseSchema,
        "change the email of up to 100 users", handler=handlers.update_users_email, write=True,
        body=json_body(inputs.UpdateUsersEmailRequestSchema), also=(("POST", "/ruangkerja/users/update-bulk-email"),)),

    # --- tags ---------------------------------------------------------------------------------------------------
    row("find_tags", "GET", "/ruangkerja/tags", FindTagsResponseSchema, "the tags, paginated",
        rows=lambda c: world.find_tags(c.world, c.arg("name")), item=items.tag, paging="pages",
        params=(NAME_FILTER,)),
    row("find_tag", "GET", "/ruangkerja/tags/:tagSerial", FindTagResponseSchema, "one tag",
        handler=handlers.find_tag),
    row("create_tag", "POST", "/ruangkerja/tags", SerialResponseSchema, "create a tag", handler=handlers.create_tag,
        write=True, errors=CONFLICT, body=json_body(inputs.TagRequestSchema)),
    row("update_tag", "PUT", "/ruangkerja/tags/:tagSerial", SerialResponseSchema, "rename a tag",
        handler=handlers.update_tag, write=True, errors=CONFLICT, body=json_body(inputs.TagRequestSchema)),
    row("create_tags", "POST", "/ruangkerja/tags/create-bulk", CreateTagsResponseSchema, "create up to 100 tags",
        handler=handlers.create_tags, write=True, body=json_body(inputs.CreateTagsRequestSchema)),
    row("update_tags", "POST", "/ruangkerja/tags/update-bulk", UpdateTagsResponseSchema, "rename up to 100 tags",
        handler=handlers.update_tags, write=True, body=json_body(inputs.UpdateTagsRequestSchema)),
    row("delete_tags", "POST", "/ruangkerja/tags/delete-bulk", DeleteTagsResponseSchema,
        "delete up to 100 tags (and take them off their users)", handler=handlers.delete_tags, write=True,
        body=json_body(inputs.DeleteTagsRequestSchema)),

    # --- company structure and course assignment ------------------------------------------------------------------
    row("get_company_structure", "GET", "/ruangkerja/company-structure", CompanyStructureResponseSchema,
        "the organizations, each with its children", handler=handlers.get_company_structure),
    # Headed /courses/online/:courseSerial/assignment; the docs' curl calls /courses/:courseSerial/assignment.
    row("assign_online_course", "POST", "/ruangkerja/courses/online/:courseSerial/assignment",
        AssignOnlineCourseResponseSchema, "assign users to an online course", handler=handlers.assign_online_course,
        write=True, also=(("POST", "/ruangkerja/courses/:courseSerial/assignment"),),
        body=json_body(inputs.AssignOnlineCourseRequestSchema, any_of=("userSerials", "employeeIDs"), kind="array")),
]
