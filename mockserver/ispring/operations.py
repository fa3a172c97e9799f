"""THE TABLE: every iSpring Learn operation the mock serves, REST and SOAP, one row each (api/operation.py).

REST rows are named by the official spec's operationId (../shared/specs/ispring-learn-rest-openapi.yaml) and answer
XML by default, JSON on Accept (responses.py); their contracts are (JSON, XML) where the two differ. A list row gives
its world query and item mapper, `items_key` names where the items go, and `paging="token"` pages them with
pageSize/pageToken. SOAP rows are named `soap.<method>` and published by soap/service.py with their signature.
"""

from __future__ import annotations

from dataclasses import replace

from mockserver.contracts.ispring import (
    SOAP_RESULTS,
    ContentItemAnswerSchema,
    CreatedEnrollmentsSchema,
    CreatedIdSchema,
    CreatedUserSchema,
    DepartmentInfoSchema,
    DepartmentInfoXmlSchema,
    DepartmentListSchema,
    DepartmentListXmlSchema,
    DepartmentsPageSchema,
    DetailedGroupSchema,
    DetailedGroupXmlSchema,
    EnrollmentListSchema,
    EnrollmentListXmlSchema,
    EnrollmentSchema,
    EnrollmentXmlSchema,
    EnrollmentsPageSchema,
    ErrorSchema,
    GroupListSchema,
    GroupListXmlSchema,
    GroupsPageSchema,
    PagedUsersListSchema,
    PagedUsersListXmlSchema,
    RolesSchema,
    RolesXmlSchema,
    SmartGroupRulesPageSchema,
    TaskStatusSchema,
    TokenSchema,
    UserFieldInfosSchema,
    UserFieldInfosXmlSchema,
    UserIdsSchema,
    UserIdsXmlSchema,
    UserResponseSchema,
    UserResponseXmlSchema,
    UserV2ResponseSchema,
    UserV2ResponseXmlSchema,
    UsersPageSchema,
    UsersPageV2Schema,
    UsersPageV2XmlSchema,
    UsersPageXmlSchema,
    UsersSchema,
    UsersV2Schema,
    UsersV2XmlSchema,
    UsersXmlSchema,
)

from mockserver.contracts.ispring import (  # results
    ActiveUserIdsSchema,
    ActiveUsersXmlSchema,
    ContentItemFinalStatusesSchema,
    ContentItemFinalStatusesXmlSchema,
    IssuedCertificateSchema,
    LearnersModulesResultsSchema,
    LearnersResultsSchema,
    TaskIdSchema,
    UserPointsSchema,
    UserPointsXmlSchema,
)

from ..api.operation import Operation, Param, SoapSignature
from ..api.paging import TOKEN_PARAMS
from ..world import ispring as world
from ..world import ispring_results as world_results
from . import handlers, items
from .inputs import query_ids
from .items import USER_XML_LISTS
from .responses import XmlShape

NAME = "ispring"
SOAP_PATHS = ("/api/v2/soap/2.0", "/go/services/api/soap")
ERRORS = (400, 401, 403)  # the spec lists no 404: an unknown ID is a 400
# Rows named otherwise than the spec's operationId, which holds spaces that `contract list`/`verify` cannot carry.
SPEC_OPERATION_IDS = {"ActivateUsers": "Activate users", "DeactivateUsers": "Deactivate users",
                      "TerminateUsers": "Terminate users"}

OPENAPI = {  # what every REST row shares, for api/openapi.py: JSON first, then XML (the default on the wire)
    "media_types": ("application/json", "application/xml"),
    "error": ErrorSchema,
    "auth": {"in": "header", "name": "Authorization", "required": True, "schema": {"type": "string"},
             "description": "Bearer <token from POST /api/v3/token>; the legacy X-Auth-Account-Url, X-Auth-Email "
                            "and X-Auth-Password headers work instead."},
    "paging": {"token": TOKEN_PARAMS},
}
UUID = {"type": "string", "format": "uuid"}
IDS = {"type": "array", "items": UUID}
DATE = {"type": "string", "format": "date"}
SUBORDINATION = {"type": "object", "required": ["subordinationType"],  # the spec's Subordination
                 "properties": {"subordinationType": {"type": "string", "enum": list(world.SUBORDINATION_TYPES)},
                                "supervisorId": UUID}}
WORK_LEAVE = {"type": "object", "required": ["userId", "workLeaveReason"],  # the spec's WorkLeaveStatusData
              "properties": {"userId": UUID,
                             "workLeaveReason": {"type": "string", "enum": list(world.WORK_LEAVE_REASONS)},
                             "startDate": DATE, "endDate": DATE}}
ID_FILTERS = tuple(Param(f"{name}[]", IDS, description=f"only these {name}") for name in
                   ("courseIds", "learnerIds", "enrollmentIds"))
SCHEDULE = {
    "dueDateType": {"type": "string", "enum": list(world.DUE_DATE_TYPES)},
    "dueDate": {"type": "string", "format": "date"},
    "duePeriod": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
    "accessDate": {"type": "string", "format": "date"},
    "lockAfterDueDate": {"type": "boolean"},
}


def _body(required: list[str], **properties) -> dict:
    """A request body of the spec, in JSON and in XML (`<request>`)."""
    schema = {"type": "object", "required": required, "properties": properties}
    return {"application/json": schema, "application/xml": {**schema, "xml": {"name": "request"}}}


def rest(name: str, method: str, path: str, contracts: tuple, summary: str, **more) -> Operation:
    # The token call too: the spec lists 400, 401 and 403 for it, and an unknown client is a 401.
    return Operation(NAME, name, method, path, summary, contracts, errors=ERRORS, **more)


def soap(method: str, handler, summary: str, params=(), results=(), *, result: str | None = None,
         write: bool = False):
    """A SOAP row: `getEnrollments` answers <GetEnrollmentsResult> (or `result`) to <GetEnrollmentsRequest>."""
    title = method[0].upper() + method[1:]
    element = result or f"{title}Result"
    return Operation(NAME, f"soap.{method}", "POST", SOAP_PATHS[0], summary, (SOAP_RESULTS[element],),
                     handler=handler, write=write, errors=(500,),
                     also=tuple(("POST", path) for path in SOAP_PATHS[1:]),
                     soap=SoapSignature(tuple(params), tuple(results), element), soap_request=f"{title}Request")


def _enrollment_item(world, e):
    return items.rest_enrollment(e)


def _enrollments(call):
    return world.find_enrollments(call.world, query_ids("courseIds"), query_ids("learnerIds"),
                                  query_ids("enrollmentIds"))


# --- departments: what the department rows share ---
DEPARTMENT_FIELDS = {"name": {"type": "string", "minLength": 1}, "parentDepartmentId": UUID, "code": {"type": "string"}}
DEPARTMENT_HEADERS = tuple(Param(header, schema, where="header", description=f"{field}, when the body leaves it out")
                           for header, field, schema in (("X-Name", "name", {"type": "string"}),
                                                         ("X-Parent-Department-Id", "parentDepartmentId", UUID),
                                                         ("X-Code", "code", {"type": "string"})))

# --- groups ---
GROUP_NAME = {"type": "string", "minLength": 1, "example": "New Hires"}
SMART_GROUP_RULE = {"type": "object", "required": ["attributeType", "operator", "value"], "properties": {
    "attributeType": {"type": "integer", "enum": [1, 2, 3], "description": "1 department, 2 group, 3 profile field"},
    "attributeId": {"type": "string", "description": "the profile field (attributeType 3): LOGIN, EMAIL, ..."},
    "operator": {"type": "integer", "enum": [1, 2], "description": "1 only, 2 the department and nested ones"},
    "value": {"type": "string", "minLength": 1}}}
SMART_GROUP_RULES = {"type": "object", "required": ["and"], "properties": {"and": {"type": "array", "items": {
    "type": "object", "required": ["or"], "properties": {"or": {"type": "array", "items": {
        "type": "object", "required": ["rule"], "properties": {"rule": SMART_GROUP_RULE}}}}}}},
    "example": {"and": [{"or": [{"rule": {"attributeType": 3, "attributeId": "LOGIN", "operator": 1,
                                          "value": "example.login"}}]}]}}


def _groups(call):
    return sorted(call.world.groups, key=lambda g: g.group_id)  # the cursor's order


def _group_item(world, g):
    return items.group(g)


SCHEDULE_PARAMS = (("dueDateType", "DueDateType"), ("dueDate", "DocsDate?"), ("duePeriod", "Integer32?"),
                   ("lockAfterDueDate", "Boolean?"))
SUCCESS = (("success", "Boolean!"),)  # the docs print <success>true</success>


# --- users ---
USER_FILTERS = (  # the spec's order: departments[], groups[], logins[], emails[]; userIds[] on /users/v2
    Param("departments[]", IDS, description="only users of these departments"),
    Param("groups[]", IDS, description="only members of these groups"),
    Param("logins[]", {"type": "array", "items": {"type": "string"}}, description="only these logins"),
    Param("emails[]", {"type": "array", "items": {"type": "string"}}, description="only these e-mails"),
    Param("userIds[]", IDS, description="only these users"),
)
TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_PROFILE = {name: {"type": "string"} for name in ("login", "email", "first_name", "last_name", "job_title", "phone")}
USER_FIELDS = {"type": "object", "properties": _PROFILE, "additionalProperties": False}
# A new user's fields; the example is a login and e-mail no seeded user has (the table suite sends it).
NEW_USER_FIELDS = {**USER_FIELDS, "required": ["login", "email"],
                   "example": {"login": "new.learner", "email": "new.learner@example.com"}}
USER_WRITE = {
    "role": {"type": "string", "enum": list(world.ROLE_TYPES)}, "roleId": UUID, "groupIds": IDS,
    "manageableDepartmentIds": IDS, "password": {"type": "string"}, "sendLoginEmail": {"type": "boolean"},
    "invitationMessage": {"type": "string"}, "sendLoginSMS": {"type": "boolean"},
    "invitationSMSMessage": {"type": "string"},
}


def _users(call):
    return world.find_users(call.world, handlers.user_filter(), by_id=True)


def _users_v2_xml(config) -> XmlShape:
    """GET /user/v2: the real client reads <userProfileV2> items; the spec names them <userProfile>."""
    item = "userProfile" if config.ispring_user_shape == "spec" else "userProfileV2"
    return XmlShape(array=item, lists=USER_XML_LISTS)


# --- results ---
def _ids_param(name: str, items: dict) -> Param:
    return Param(name, {"type": "array", "items": items}, description=f"only these {name} (also {name}[])")


STRING = {"type": "string"}
RESULT_FILTERS = (  # the spec's names, without []: `userIds[]` and `userIds[0]` work too
    _ids_param("userIds", STRING), _ids_param("courseIds", STRING), _ids_param("enrollmentIds", STRING),
    _ids_param("departmentIds", STRING),
    Param("completionStatuses", {"type": "array", "items": {"type": "string", "enum": list(
        world_results.COMPLETION_STATUSES)}}, description="only results with these statuses"),
    *(Param(name, {"type": "object", "properties": {"startDate": STRING, "endDate": STRING}},
            description=f"{name}[startDate] and {name}[endDate] (deepObject)")
      for name in ("completionDate", "accessDate", "dueDate")),
    Param("userStatuses", {"type": "array", "items": {"type": "integer", "enum": [1, 3, 5]}},
          description="only users with these statuses"),
)
DATE_RANGE = {"type": "object", "properties": {"startDate": STRING, "endDate": STRING}}
COURSE_STATUS = {"courseId": UUID, "enrollmentIds": IDS,
                 "status": {"type": "string", "enum": list(handlers.COURSE_STATUSES)},
                 "date": {"type": "string", "format": "date-time"}, "reason": STRING,
                 "awardedScore": {"type": "number", "minimum": 0, "maximum": 100}}
COURSE_STATUS_PARAMS = tuple(Param(name, schema, description=f"{name}, when the body leaves it out")
                             for name, schema in COURSE_STATUS.items())
MODULE_STATUS = {"type": "object", "required": ["contentItemId", "date", "reason", "status", "awardedScore"],
                 "xml": {"name": "moduleStatus"}, "properties": {
                     "contentItemId": UUID, "date": {"type": "string", "format": "date-time"},
                     "reason": {"type": "string", "example": "Passed on paper"},
                     "status": {"type": "string", "enum": list(world_results.COMPLETION_STATUSES)},
                     "awardedScore": {"type": "number", "minimum": 0, "maximum": 100, "example": 90}}}
POINTS = {"userId": UUID, "amount": {"type": "number", "exclusiveMinimum": 0, "example": 50},
          "reason": {"type": "string", "minLength": 1, "example": "Helped a colleague"}}


OPERATIONS = [
    # The docs' token example answers JSON, and token clients parse JSON: XML only for who asks for it.
    rest("AccessRequest", "POST", "/api/v3/token", (TokenSchema,), "an access token for a client ID and secret",
         handler=handlers.access_request, public=True, body={"application/x-www-form-urlencoded": {
             "type": "object", "required": ["client_id", "client_secret", "grant_type"],
             "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string"},
                            "grant_type": {"type": "string", "enum": ["client_credentials"]}}}}),
    rest("GetEnrollments", "GET", "/enrollment", (EnrollmentListSchema, EnrollmentListXmlSchema),
         "enrollments, filtered by courseIds[], learnerIds[], enrollmentIds[]", params=ID_FILTERS,
         rows=_enrollments, item=_enrollment_item, items_key="enrollments",
         xml=XmlShape(lists={"enrollments": ("enrollment", False)})),
    rest("ListEnrollments", "GET", "/enrollments", (EnrollmentsPageSchema,),
         "enrollments a page at a time (pageSize, pageToken -> nextPageToken)", params=ID_FILTERS,
         rows=_enrollments, item=_enrollment_item, items_key="enrollments", paging="token",
         cursor=lambda e: e.enrollment_id,
         xml=XmlShape(lists={"enrollments": ("enrollment", True)})),
    rest("GetEnrollment", "GET", "/enrollment/:enrollmentId", (EnrollmentSchema, EnrollmentXmlSchema),
         "one enrollment", handler=handlers.get_enrollment, xml=XmlShape(wrap="enrollment")),
    rest("EnrollLearnersInCourses", "POST", "/enrollment", (CreatedEnrollmentsSchema,),
         "enroll learners in courses (201)", handler=handlers.enroll_learners_in_courses, status=201, write=True,
         body=_body(["courseIds", "learnerIds", "dueDateType"], courseIds=IDS, learnerIds=IDS, **SCHEDULE),
         xml=XmlShape(lists={"enrollmentIds": ("id", True)})),
    rest("ChangeEnrollment", "POST", "/enrollment/:enrollmentId", (), "change an enrollment (200, empty body)",
         handler=handlers.change_enrollment, write=True, body=_body(["accessDate", "dueDateType"], **SCHEDULE)),
    rest("Unenroll", "POST", "/enrollment/delete", (), "delete enrollments (204, empty body)",
         handler=handlers.unenroll, status=204, write=True, body=_body(["enrollmentIds"], enrollmentIds=IDS)),

    # --- content (REST) ---
    rest("GetContentItem", "GET", "/content/:contentId", (ContentItemAnswerSchema,), "one content item",
         handler=handlers.get_content_item),

    # --- users (REST) ---
    rest("GetUsers", "GET", "/user", (UsersSchema, UsersXmlSchema),
         "users, filtered by departments[], groups[], logins[], emails[] (a bare array; XML <userProfile> items)",
         handler=handlers.get_users, params=USER_FILTERS[:4],
         xml=XmlShape(array="userProfile", lists=USER_XML_LISTS)),
    rest("AddUser", "POST", "/user", (CreatedUserSchema,),
         "add a user (201, the bare userId: <response>{uuid}</response>)", handler=handlers.add_user, status=201,
         write=True, body=_body(["departmentId", "fields"], departmentId={"type": "string"}, fields=NEW_USER_FIELDS,
                                **USER_WRITE)),
    rest("GetUserProfile", "GET", "/user/:userId", (UserResponseSchema, UserResponseXmlSchema), "one user",
         handler=handlers.get_user_profile, xml=XmlShape(rename={"response": "userProfile"}, lists=USER_XML_LISTS)),
    rest("UpdateUserProfile", "POST", "/user/:userId", (),
         "change a user's fields, department, role, groups (200, empty body)", handler=handlers.update_user_profile,
         write=True, body=_body([], departmentId={"type": "string"}, fields=USER_FIELDS, **USER_WRITE)),
    rest("RemoveUser", "DELETE", "/user/:userId", (), "delete a user, their enrollments and memberships (204)",
         handler=handlers.remove_user, status=204, write=True),
    rest("FindExistingUsers", "POST", "/users/find_existing", (UserIdsSchema, UserIdsXmlSchema),
         "which of userIds exist (a bare array; XML <id> items)", handler=handlers.find_existing_users,
         body=_body(["userIds"], userIds=IDS), xml=XmlShape(array="id")),
    rest("GetUserProfileV2", "GET", "/user/:userId/v2", (UserV2ResponseSchema, UserV2ResponseXmlSchema),
         "one user (UserV2)", handler=handlers.get_user_profile_v2,
         xml=XmlShape(rename={"response": "userProfile"}, lists=USER_XML_LISTS)),
    rest("GetUsersV2", "GET", "/user/v2", (UsersV2Schema, UsersV2XmlSchema),
         "users (UserV2), filtered as GET /user (XML <userProfileV2> items, as clients read them)",
         handler=handlers.get_users_v2, params=USER_FILTERS[:4], xml=_users_v2_xml),
    rest("ListUsers", "GET", "/users", (UsersPageSchema, UsersPageXmlSchema),
         "users a page at a time (pageSize, pageToken -> nextPageToken), filtered as GET /user",
         params=USER_FILTERS[:4], rows=_users, item=items.rest_user, items_key="userProfiles", paging="token",
         cursor=lambda u: u.user_id, xml=XmlShape(lists={"userProfiles": ("userProfile", True), **USER_XML_LISTS})),
    rest("ListUsersV2", "GET", "/users/v2", (UsersPageV2Schema, UsersPageV2XmlSchema),
         "users (UserV2) a page at a time, filtered as GET /user and by userIds[]", params=USER_FILTERS,
         rows=_users, item=items.rest_user_v2, items_key="userProfiles", paging="token",
         cursor=lambda u: u.user_id, xml=XmlShape(lists={"userProfiles": ("userProfile", True), **USER_XML_LISTS})),
    rest("ListUsersV2ByPost", "POST", "/users/v2", (UsersPageV2Schema, UsersPageV2XmlSchema),
         "users (UserV2) a page at a time, the filters (and pageSize, pageToken) in an XML body",
         handler=handlers.list_users_v2_by_post,
         body={"application/xml": {"type": "object", "xml": {"name": "request"}, "properties": {
             "groups": IDS, "departments": IDS, "logins": TEXTS, "emails": TEXTS, "userIds": IDS,
             "pageSize": {"type": "integer", "minimum": 1}, "pageToken": {"type": "string"}}}},
         xml=XmlShape(lists={"userProfiles": ("userProfile", True), **USER_XML_LISTS})),
    rest("GetUserProfileFields", "GET", "/user/profile/fields", (UserFieldInfosSchema, UserFieldInfosXmlSchema),
         "the profile fields users carry (UserFieldInfo)", handler=handlers.get_user_profile_fields,
         xml=XmlShape(array="userFieldInfo")),
    rest("GetPagedUsersList", "POST", "/user/list", (PagedUsersListSchema, PagedUsersListXmlSchema),
         "users by page number ({page, pageSize} -> {pageNumber, totalUsersNumber, userProfiles})",
         handler=handlers.get_paged_users_list,
         body=_body(["page"], page={"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                    pageSize={"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, groups=IDS, departments=IDS,
                    logins=TEXTS, emails=TEXTS),
         xml=XmlShape(lists={"userProfiles": ("userProfile", False), **USER_XML_LISTS})),
    rest("GetRoles", "GET", "/role", (RolesSchema, RolesXmlSchema), "the account's roles, one of each type",
         handler=handlers.get_roles, xml=XmlShape(array="role")),

    # --- user lifecycle (REST) ---
    # Writes answer their status with no body (the spec gives none); bulk ones are all-or-nothing. The spec's
    # operationIds "Activate users", "Deactivate users", "Terminate users" hold spaces: here ActivateUsers ... (README).
    rest("UpdateUserPassword", "POST", "/user/:userId/password", (), "set a user's password (200, empty body)",
         handler=handlers.update_user_password, write=True,
         body=_body(["password"], password={"type": "string", "format": "password", "minLength": 1,
                                            "example": "N3w-Passw0rd"})),
    rest("ChangeUserStatus", "POST", "/user/:userId/status", (), "activate (1) or deactivate (3) a user (200)",
         handler=handlers.change_user_status, write=True,
         body=_body(["status"], status={"type": "integer", "enum": list(world.USER_STATUSES)})),
    rest("ChangeUserSubordination", "POST", "/user/:userId/subordination", (),
         "a user's supervisor and co-supervisor (204)", handler=handlers.change_user_subordination, status=204,
         write=True, body=_body([], subordination=SUBORDINATION, coSubordination=SUBORDINATION)),
    rest("ScheduleUserDeactivation", "POST", "/user/:userId/scheduled_deactivation", (),
         "the date a user is to be deactivated (200)", handler=handlers.schedule_user_deactivation, write=True,
         body=_body(["date"], date=DATE)),
    rest("RemoveScheduledUserDeactivation", "DELETE", "/user/:userId/scheduled_deactivation", (),
         "forget a scheduled deactivation (200)", handler=handlers.remove_scheduled_user_deactivation, write=True),
    rest("ScheduleUserTermination", "POST", "/user/:userId/scheduled_termination", (),
         "the date a user's employment ends (200)", handler=handlers.schedule_user_termination, write=True,
         body=_body(["date"], date=DATE)),
    rest("RemoveScheduledUserTermination", "DELETE", "/user/:userId/scheduled_termination", (),
         "forget a scheduled termination (200)", handler=handlers.remove_scheduled_user_termination, write=True),
    rest("RemoveUserFromGroups", "POST", "/user/:userId/groups/remove", (), "take a user out of groups (200)",
         handler=handlers.remove_user_from_groups, write=True, body=_body(["groupIds"], groupIds=IDS)),
    rest("ActivateUsers", "POST", "/users/activate", (), "activate users: status 1 (200; spec: 'Activate users')",
         handler=handlers.activate_users, write=True, body=_body(["userIds"], userIds=IDS)),
    rest("DeactivateUsers", "POST", "/users/deactivate", (),
         "deactivate users: status 3 (200; spec: 'Deactivate users')", handler=handlers.deactivate_users,
         write=True, body=_body(["userIds"], userIds=IDS)),
    rest("TerminateUsers", "POST", "/users/terminate", (), "terminate users: status 5 (200; spec: 'Terminate users')",
         handler=handlers.terminate_users, write=True, body=_body(["userIds"], userIds=IDS)),
    rest("UpdateWorkLeaveStatuses", "POST", "/users/work-leave-status", (), "put users on work leave (200)",
         handler=handlers.update_work_leave_statuses, write=True,
         body=_body([], workLeaveStatuses={"type": "array", "items": WORK_LEAVE, "xml": {"wrapped": False}})),
    rest("RemoveWorkLeaveStatuses", "POST", "/users/work-leave-status/delete", (), "end users' work leave (200)",
         handler=handlers.remove_work_leave_statuses, write=True, body=_body(["userIds"], userIds=IDS)),
    rest("GetTaskStatus", "GET", "/task/:taskId/status", (TaskStatusSchema,),
         "an async task's status: waiting, in_progress, complete", handler=handlers.get_task_status),

    # --- departments (REST) ---
    rest("GetDepartments", "GET", "/department", (DepartmentListSchema, DepartmentListXmlSchema),
         "every department (the root first), or those with the `code` given", rows=handlers.departments_rows,
         item=handlers.department_item, items_key="departments", params=(Param("code", description=
             "only the departments with exactly this code"),),
         xml=XmlShape(lists={"departments": ("department", False)})),
    rest("AddDepartment", "POST", "/department", (CreatedIdSchema,),
         "add a department (201, the new departmentId)", handler=handlers.add_department, status=201, write=True,
         params=DEPARTMENT_HEADERS, body=_body(["name", "parentDepartmentId"], **DEPARTMENT_FIELDS)),
    rest("GetDepartment", "GET", "/department/:departmentId", (DepartmentInfoSchema, DepartmentInfoXmlSchema),
         "one department", handler=handlers.get_department),
    rest("UpdateDepartment", "POST", "/department/:departmentId", (),
         "rename, re-code or move a department (204)", handler=handlers.update_department, status=204, write=True,
         body=_body([], **DEPARTMENT_FIELDS)),
    rest("RemoveDepartment", "DELETE", "/department/:departmentId", (),
         "delete a department with no users; its sub-departments move up (204)", handler=handlers.remove_department,
         status=204, write=True),
    rest("ListDepartments", "GET", "/departments", (DepartmentsPageSchema,),
         "departments a page at a time (pageSize, pageToken -> nextPageToken)", rows=handlers.departments_page_rows,
         item=handlers.department_item, items_key="departments", paging="token", cursor=lambda d: d.department_id,
         xml=XmlShape(lists={"departments": ("department", True)})),
    rest("ChangeDepartmentSubordination", "POST", "/department/:departmentId/subordination", (),
         "set a department's supervisor and functional manager subordination (204)",
         handler=handlers.change_department_subordination, status=204, write=True,
         body=_body([], subordination=SUBORDINATION, coSubordination=SUBORDINATION)),
    replace(rest("MoveUsersToDepartment", "POST", "/department/:departmentId/user/move", (),
                 "move users into a department (204; 404 for an unknown department)",
                 handler=handlers.move_users_to_department, status=204, write=True,
                 body=_body(["userIds"], userIds=IDS)), errors=(*ERRORS, 404)),
    replace(rest("MoveDepartments", "POST", "/department/:parentId/department/move", (),
                 "move departments under a parent (204; 404 for an unknown parent)",
                 handler=handlers.move_departments, status=204, write=True,
                 body=_body(["departmentIds"], departmentIds=IDS)), errors=(*ERRORS, 404)),

    # --- groups (REST) ---
    rest("GetGroups", "GET", "/group", (GroupListSchema, GroupListXmlSchema), "every group (a bare array)",
         handler=handlers.get_groups, xml=XmlShape(array="group")),
    rest("AddGroup", "POST", "/group", (CreatedIdSchema,), "add a group (201, the new groupId)",
         handler=handlers.add_group, status=201, write=True, body=_body(["name"], name=GROUP_NAME, userIds=IDS)),
    rest("AddSmartGroup", "POST", "/group/smart", (CreatedIdSchema,),
         "add a smart group: its rules choose its members (201, the new groupId)", handler=handlers.add_smart_group,
         status=201, write=True, body=_body(["name", "rules"], name=GROUP_NAME, rules=SMART_GROUP_RULES)),
    rest("EditSmartGroup", "POST", "/group/smart/:groupId", (), "change a smart group's rules and name (200)",
         handler=handlers.edit_smart_group, write=True,
         body=_body(["rules"], name=GROUP_NAME, rules=SMART_GROUP_RULES)),
    rest("GetSmartGroupRules", "GET", "/group/smart/:groupId/rules", (SmartGroupRulesPageSchema,),
         "a smart group's rules", handler=handlers.get_smart_group_rules,
         xml=XmlShape(lists={"and": ("and", False), "or": ("or", False)})),
    rest("GetGroup", "GET", "/group/:groupId", (DetailedGroupSchema, DetailedGroupXmlSchema),
         "one group with its members (a smart group's: whom its rules select now)", handler=handlers.get_group,
         xml=XmlShape(wrap="group", lists={"userIds": ("id", True)})),
    rest("UpdateGroup", "POST", "/group/:groupId", (), "rename a group (200)", handler=handlers.update_group,
         write=True, body=_body(["name"], name=GROUP_NAME)),
    rest("RemoveGroup", "DELETE", "/group/:groupId", (), "delete a group (204)", handler=handlers.remove_group,
         status=204, write=True),
    rest("UpdateGroupMembers", "POST", "/group/:groupId/members", (),
         "replace a group's members (200; an empty userIds leaves none)", handler=handlers.update_group_members,
         write=True, body=_body(["userIds"], userIds=IDS)),
    rest("ListGroups", "GET", "/groups", (GroupsPageSchema,),
         "groups a page at a time (pageSize, pageToken -> nextPageToken)", rows=_groups, item=_group_item,
         items_key="groups", paging="token", cursor=lambda g: g.group_id,
         xml=XmlShape(lists={"groups": ("group", True)})),

    soap("getEnrollments", handlers.soap_getEnrollments, "enrollments, filtered by courseIds, learnerIds",
         [("courseIds", "Ids?"), ("learnerIds", "Ids?")], [("enrollment", "Enrollment*")]),
    soap("getEnrollment", handlers.soap_getEnrollment, "one enrollment", [("enrollmentId", "Unicode!")],
         [("enrollment", "Enrollment!")]),
    soap("listEnrollments", handlers.soap_listEnrollments, "enrollments a page at a time",
         [("pageSize", "Integer32?"), ("pageToken", "Unicode?"), ("courseIds", "Ids?"), ("learnerIds", "Ids?"),
          ("enrollmentIds", "Ids?")], [("enrollment", "Enrollment*"), ("nextPageToken", "Unicode?")]),
    soap("enrollLearnersInCourses", handlers.soap_enrollLearnersInCourses, "enroll learners in courses",
         [("courseIds", "Ids!"), ("learnerIds", "Ids!"), ("accessDate", "DocsDateTime?"), *SCHEDULE_PARAMS],
         SUCCESS, write=True),
    soap("changeEnrollment", handlers.soap_changeEnrollment, "change an enrollment",
         [("enrollmentId", "Unicode!"), ("accessDate", "DocsDateTime!"), *SCHEDULE_PARAMS], SUCCESS, write=True),
    soap("unenroll", handlers.soap_unenroll, "delete an enrollment", [("enrollmentId", "Unicode!")], SUCCESS,
         result="successResult",
         write=True),
    soap("getUsers", handlers.soap_getUsers, "every user profile", [], [("userProfile", "UserProfile*")]),
    soap("getContent", handlers.soap_getContent, "every content item", [], [("contentItem", "ContentItem*")]),
    soap("getContentItem", handlers.soap_getContentItem, "one content item", [("contentItemId", "Unicode!")],
         [("contentItem", "ContentItem!")]),
    soap("getDepartments", handlers.soap_getDepartments, "every department", [], [("department", "Department*")]),
    soap("getDepartment", handlers.soap_getDepartment, "one department", [("departmentId", "Unicode!")],
         [("department", "Department!")]),

    # --- users (SOAP) ---
    soap("getUserProfileFields", handlers.soap_getUserProfileFields, "the profile fields users carry", [],
         [("userFieldInfo", "UserFieldInfo*")]),
    soap("addUser", handlers.soap_addUser, "add a user", [
        ("email", "Email!"), ("login", "Login!"), ("password", "Unicode?"), ("departmentId", "Unicode!"),
        ("sendLoginEmail", "Boolean?"), ("invitationMessage", "Unicode?"), ("sendLoginSMS", "Boolean?"),
        ("invitationSMSMessage", "Unicode?"), ("role", "Unicode?"), ("roleId", "Unicode?"),
        ("manageableDepartmentIds", "Ids?"), ("groups", "Ids?")],
         [("userId", "Unicode!"), ("exceededGroups", "Ids?")], write=True),

    # --- user lifecycle (SOAP) ---

    # --- departments (SOAP) ---
    soap("listDepartments", handlers.soap_listDepartments, "departments a page at a time",
         [("pageSize", "Integer32?"), ("pageToken", "Unicode?")],
         [("department", "Department*"), ("nextPageToken", "Unicode?")]),
    soap("setAccountUrl", handlers.soap_setAccountUrl, "change the account URL", [("accountUrl", "Unicode!")],
         SUCCESS, write=True),

    # --- groups (SOAP) ---
    soap("getGroups", handlers.soap_getGroups, "every group", [], [("group", "SoapGroup*")]),
    soap("addSmartGroup", handlers.soap_addSmartGroup, "add a smart group",
         [("name", "Unicode!"), ("rules", "SmartGroupRules!")], [("groupId", "Unicode!")], write=True),

    # --- results (REST) ---
    rest("ListLearnerResults", "GET", "/learners/results", (LearnersResultsSchema,),
         "learners' results in their courses a page at a time, filtered as the spec lists (userIds or userIds[] ...)",
         params=RESULT_FILTERS, rows=handlers.learner_results_rows, item=handlers.learner_result_item,
         items_key="results", paging="token", cursor=lambda e: e.enrollment_id,
         xml=XmlShape(lists={"results": ("result", True)})),
    rest("ListLearnerModulesResults", "GET", "/learners/modules/results", (LearnersModulesResultsSchema,),
         "learners' results in each module of their courses a page at a time",
         params=(*RESULT_FILTERS[:2], _ids_param("moduleIds", UUID), _ids_param("courseItemIds", UUID),
                 *RESULT_FILTERS[2:]),
         rows=handlers.module_results_rows, item=handlers.module_result_item, items_key="results", paging="token",
         cursor=lambda row: row[0], xml=XmlShape(lists={"results": ("result", True)})),
    replace(rest("GetContentItemFinalStatuses", "GET", "/content/:contentId/final_statuses",
                 (ContentItemFinalStatusesSchema, ContentItemFinalStatusesXmlSchema),
                 "each enrolled learner's status in a content item (404 for an unknown one)",
                 handler=handlers.content_item_final_statuses, xml=XmlShape(root="statuses", array="status")),
            errors=(*ERRORS, 404)),
    replace(rest("GetIssuedCertificate", "GET", "/certificate/:issuedCertificateId", (IssuedCertificateSchema,),
                 "an issued certificate's URL (404 text/plain `Issued certificate not found`)",
                 handler=handlers.issued_certificate, xml=XmlShape(root="attachment")), errors=(*ERRORS, 404)),
    rest("UpdateCourseStatus", "POST", "/statistics/course", (TaskIdSchema,),
         "mark enrollments of a course complete, passed, failed, incomplete or by score (a taskId; applied at once)",
         handler=handlers.update_course_status, write=True, params=COURSE_STATUS_PARAMS,
         body=_body(["courseId", "enrollmentIds", "status"], **COURSE_STATUS)),
    rest("UpdateModuleStatuses", "POST", "/statistics/module", (TaskIdSchema,),
         "mark modules of a course finished or not; the course's progress follows (a taskId)",
         handler=handlers.update_module_statuses, write=True,
         body=_body(["enrollmentIds", "courseId", "moduleStatuses"], enrollmentIds=IDS, courseId=UUID,
                    moduleStatuses={"type": "array", "items": MODULE_STATUS, "xml": {"wrapped": True}})),
    rest("ResetModuleStatistics", "DELETE", "/statistics/module", (TaskIdSchema,),
         "clear modules' statistics: the enrollments' progress back to not started (a taskId)",
         handler=handlers.reset_module_statistics, write=True,
         params=(Param("courseId", UUID), _ids_param("enrollmentIds", UUID), _ids_param("contentItemIds", UUID))),
    rest("ListEnrollmentsByPost", "POST", "/enrollments", (EnrollmentsPageSchema,),
         "enrollments a page at a time, the filters and paging in the body", handler=handlers.list_enrollments_by_post,
         body=_body([], pageSize={"type": "integer", "minimum": 1}, pageToken={"type": "string"}, courseIds=IDS,
                    learnerIds=IDS, enrollmentIds=IDS),
         xml=XmlShape(lists={"enrollments": ("enrollment", True)})),
    rest("Reenroll", "POST", "/enrollment/:enrollmentId/reenroll", (),
         "re-enroll: new access and due terms, progress back to not started (200, empty body)",
         handler=handlers.reenroll, write=True, body=_body(["accessDate", "dueDateType"], **SCHEDULE)),
    rest("GetGamificationPoints", "GET", "/gamification/points", (UserPointsSchema, UserPointsXmlSchema),
         "users' gamification points, filtered by userIds[] (a bare array; XML <userPointsInfo> items)",
         handler=handlers.gamification_points, params=(Param("userIds[]", IDS, description="only these users"),),
         xml=XmlShape(array="userPointsInfo")),
    rest("AwardGamificationPoints", "POST", "/gamification/points/award", (), "award points to a user (200)",
         handler=handlers.award_gamification_points, write=True, body=_body(["userId", "amount", "reason"], **POINTS)),
    rest("WithdrawGamificationPoints", "POST", "/gamification/points/withdraw", (),
         "withdraw points from a user, at most what they have (200)", handler=handlers.withdraw_gamification_points,
         write=True, body=_body(["userId", "amount", "reason"], **POINTS)),
    rest("GetUsersWithActivity", "GET", "/report/active-users-by-period", (ActiveUserIdsSchema, ActiveUsersXmlSchema),
         "users who logged in or studied in activityDate[startDate]..activityDate[endDate] (default: 30 days)",
         handler=handlers.users_with_activity, params=(Param("activityDate", DATE_RANGE, description=
             "activityDate[startDate] and activityDate[endDate] (deepObject)"),),
         xml=XmlShape(lists={"ids": ("ids", True)})),
]
