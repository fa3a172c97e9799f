"""THE TABLE: every Ruangkerja operation the mock serves, one row each (api/operation.py says what a row holds).

Names are the doc pages' slugs (https://api.ruangkerja.id/docs/...), in snake case. A list row gives its world query
(`rows`) and its item mapper (`item`); paging is the wing's, done once (responses.py): `paging="pages"` answers the
page object, `paging="bare"` the docs' bare list of the page's items (a setting turns it into the page object).
"""

from __future__ import annotations

from mockserver.contracts.ruangkerja import (
    CourseBatchListResponseSchema,
    CourseListResponseSchema,
    CourseOfflineUsersResponseSchema,
    CourseOnlineUsersResponseSchema,
    CourseWebinarUsersResponseSchema,
    ErrorSchema,
    TokenResponseSchema,
    UserWebinarActivityListResponseSchema,
    UserWebinarActivityPageResponseSchema,
)

from ..api.operation import Operation, Param
from ..api.paging import NUMBERED_PARAMS
from ..world import ruangkerja as world
from . import handlers, items

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


def row(name: str, method: str, path: str, contracts, summary: str, **more) -> Operation:
    contracts = contracts if isinstance(contracts, tuple) else (contracts,)
    errors = (400,) if more.get("public") else (400, 403, 404)
    return Operation(NAME, name, method, path, summary, contracts, errors=errors, **more)


def _activity_reading(data):
    """The docs' example shows a bare list, their field table a page object (README, compatibility notes)."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        return UserWebinarActivityPageResponseSchema
    return UserWebinarActivityListResponseSchema


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
    row("user_webinar_course_activity", "GET", f"{DASHBOARD}/users/:employeeID/courses/webinar",
        (UserWebinarActivityListResponseSchema, UserWebinarActivityPageResponseSchema),
        "a user's webinar course activity: a bare list or a page object",
        rows=lambda c: world.employee_course_activity(c.world, c.path["employeeID"], "Webinar"),
        item=items.user_batch_activity, paging="bare", choose=_activity_reading),

    # --- users --------------------------------------------------------------------------------------------------

    # --- tags ---------------------------------------------------------------------------------------------------

    # --- company structure and course assignment ------------------------------------------------------------------
]
