"""THE TABLE: every iSpring Learn operation the mock serves, REST and SOAP, one row each (api/operation.py).

REST rows are named by the official spec's operationId (../shared/specs/ispring-learn-rest-openapi.yaml) and answer
XML by default, JSON on Accept (responses.py); their contracts are (JSON, XML) where the two differ. A list row gives
its world query and item mapper, `items_key` names where the items go, and `paging="token"` pages them with
pageSize/pageToken. SOAP rows are named `soap.<method>` and published by soap/service.py with their signature.
"""

from __future__ import annotations

from dataclasses import replace

from mockserver.contracts.ispring import (
    CONTENT_TYPES,
    SOAP_RESULTS,
    ActiveUserIdsSchema,
    ActiveUsersXmlSchema,
    AnswerBreakdownResultsPageSchema,
    AssignmentAttemptsSchema,
    AssignmentAttemptsXmlSchema,
    AssignmentsPageSchema,
    ContentItemAnswerSchema,
    ContentItemAnswerXmlSchema,
    ContentItemFinalStatusesSchema,
    ContentItemFinalStatusesXmlSchema,
    ContentItemsPageSchema,
    ContentItemsPageXmlSchema,
    ContentItemsSchema,
    ContentItemsXmlSchema,
    CourseFieldsSchema,
    CourseModulesSchema,
    CourseModulesXmlSchema,
    CoursesModulesPageSchema,
    CoursesTreeSchema,
    CoursesTreeXmlSchema,
    CreatedEnrollmentsSchema,
    CreatedIdSchema,
    CreatedUserSchema,
    DayAnswerSchema,
    DayAnswerXmlSchema,
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
    IssuedCertificateSchema,
    LearnersModulesResultsSchema,
    LearnersResultsSchema,
    LearningTracksCoursesSchema,
    LearningTracksCoursesXmlSchema,
    PagedUsersListSchema,
    PagedUsersListXmlSchema,
    ParticipantIdsSchema,
    ParticipantIdsXmlSchema,
    QuizzesPageSchema,
    RolesSchema,
    RolesXmlSchema,
    SmartGroupRulesPageSchema,
    SubscriberInfoSchema,
    SubscriptionsSchema,
    SubscriptionsXmlSchema,
    TaskIdSchema,
    TaskStatusSchema,
    TokenSchema,
    TrainingAnswerSchema,
    TrainingAnswerXmlSchema,
    TrainingSessionAnswerSchema,
    TrainingSessionAnswerXmlSchema,
    TrainingSessionsSchema,
    TrainingSessionsXmlSchema,
    UserFieldInfosSchema,
    UserFieldInfosXmlSchema,
    UserIdsSchema,
    UserIdsXmlSchema,
    UserPointsSchema,
    UserPointsXmlSchema,
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

from ..api.operation import Operation, Param, SoapSignature
from ..api.paging import TOKEN_PARAMS
from ..config import Config
from ..world import ispring as world
from ..world import ispring_content as content
from ..world import ispring_results as world_results
from ..world import webhooks as webhook_world
from . import handlers, items, training
from . import webhooks as webhook_handlers
from .inputs import TARGET_LOCALES, query_ids
from .items import CONTENT_XML_LISTS, USER_XML_LISTS
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


# --- content ---


LOCALE = Param("X-Target-Locale", {"type": "string", "enum": list(TARGET_LOCALES)}, where="header",
               description="the catalogue's language (one here: checked, changes nothing)")
CONTENT_TYPE_LIST = {"type": "array", "items": {"type": "string", "enum": list(CONTENT_TYPES)}}
CONTENT_TYPES_PARAM = Param("contentTypes", CONTENT_TYPE_LIST, description="only items of these ContentTypes")
PAGE_PARAMS = (Param("pageSize", {"type": "integer", "minimum": 1}, description="items per page (default 1000)"),
               Param("pageToken", description="nextPageToken (here nextPageToekn) of the previous page"))
# Examples of the required IDs (the OpenAPI document's, and what the table suite sends): the doc course, and the
# default world's (seed 20240601) first learning track and first quiz.
EXAMPLE_COURSE = "1cf62af4-02c3-11ed-8874-3ebfbdfaeb70"
EXAMPLE_TRACK = "0ddb163e-43f3-11ee-8413-0a580af48f2b"
EXAMPLE_QUIZ = content.quiz_id(Config().seed, "a45a34e8-8eb2-11e9-8269-0a580af44fe0")
DATE_RANGE = {"type": "object", "required": ["startDate", "endDate"], "properties": {
    "startDate": {"type": "string", "format": "date-time"}, "endDate": {"type": "string", "format": "date-time"}}}
ANSWER_FILTERS = (
    Param("quizId", UUID, required=True, example=EXAMPLE_QUIZ, description="the quiz (a 400 when unknown)"),
    Param("parentCourseId", UUID, description="only attempts in this course (a quiz module's)"),
    *(Param(name, IDS, description=f"only these {what}") for name, what in (
        ("userIds", "learners"), ("enrollmentIds", "enrollments"), ("departmentIds", "departments' learners"),
        ("groupIds", "groups' members"))),
    Param("attemptDate", DATE_RANGE, description="attemptDate[startDate], attemptDate[endDate]: attempts between"),
)

# --- webhooks: what the webhook rows share ---
# A subscriber the world holds (world/webhooks.py SAMPLE, the docs' sample name), and a loopback URL to call back.
SUBSCRIBER_NAME = {"type": "string", "example": webhook_world.SAMPLE["name"]}
CALLBACK_URL = {"type": "string", "example": "http://127.0.0.1:9/callback-url"}
SUBSCRIBER = {"subscriberName": SUBSCRIBER_NAME}
SUBSCRIBER_SETTINGS = {"callbackUrl": CALLBACK_URL, "secret": {"type": "string"}}
SUBSCRIPTION = {"type": "object", "required": ["subscriptionType"], "properties": {
    "subscriptionType": {"type": "string", "enum": list(webhook_world.SUBSCRIPTION_TYPES)},
    "params": {"type": "array", "items": {"type": "object", "required": ["name", "value"], "properties": {
        "name": {"type": "string"}, "value": {"type": "string", "description": "a JSON array of IDs"}}}}},
    "example": {"subscriptionType": "LEARNERS_ENROLLED_IN_COURSE"}}
SUBSCRIBER_QUERY = (Param("subscriberName", required=True, example=webhook_world.SAMPLE["name"],
                          description="the subscriber's name"),)


def webhook(name: str, path: str, handler, summary: str, body: dict | None, *, not_found: bool = True,
            **more) -> Operation:
    """A /webhook/* row: a POST writes (200, no body), a GET reads; 404 where the spec lists it."""
    method = "POST" if body is not None else "GET"
    row = rest(name, method, f"/webhook/{path}", more.pop("contracts", ()), summary, handler=handler,
               write=body is not None, body=body, **more)
    return replace(row, errors=(*ERRORS, 404)) if not_found else row

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
POINTS = {"userId": UUID, "amount": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "example": 50},
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
    rest("GetContentItem", "GET", "/content/:contentId", (ContentItemAnswerSchema, ContentItemAnswerXmlSchema),
         "one content item", handler=handlers.get_content_item, params=(LOCALE,),
         xml=XmlShape(lists=CONTENT_XML_LISTS)),
    rest("GetContent", "GET", "/content", (ContentItemsSchema, ContentItemsXmlSchema),
         "every content item, or those of contentTypes (a bare array; XML <contentItem> items)",
         handler=handlers.get_content, params=(LOCALE, CONTENT_TYPES_PARAM),
         xml=XmlShape(array="contentItem", lists=CONTENT_XML_LISTS)),
    rest("ListContent", "GET", "/contents", (ContentItemsPageSchema, ContentItemsPageXmlSchema),
         "content items a page at a time, filtered by contentItemIds[], contentTypes",
         params=(LOCALE, Param("contentItemIds[]", IDS, description="only these items"), CONTENT_TYPES_PARAM),
         rows=handlers.list_content_rows, item=handlers.content_page_item, items_key="contentItems",
         paging="token", cursor=lambda c: c.content_item_id, xml=XmlShape(lists=CONTENT_XML_LISTS)),
    rest("ListContentByPost", "POST", "/contents", (ContentItemsPageSchema, ContentItemsPageXmlSchema),
         "content items a page at a time, the filters (and pageSize, pageToken) in an XML body",
         handler=handlers.list_content_by_post,
         body={"application/xml": {"type": "object", "xml": {"name": "request"}, "properties": {
             "contentItemIds": IDS, "contentTypes": CONTENT_TYPE_LIST,
             "pageSize": {"type": "integer", "minimum": 1}, "pageToken": {"type": "string"}}}},
         xml=XmlShape(lists=CONTENT_XML_LISTS)),
    rest("ListCoursesModules", "GET", "/courses/modules", (CoursesModulesPageSchema,),
         "the modules of courseIds a page at a time (deprecated; the token as nextPageToekn, the spec's)",
         handler=handlers.list_courses_modules,
         params=(Param("courseIds", IDS, required=True, example=EXAMPLE_COURSE, description="these courses"),
                 *PAGE_PARAMS),
         xml=XmlShape(lists={"modules": ("module", True)})),
    rest("ListCourseFields", "GET", "/course_fields", (CourseFieldsSchema,), "the account's course fields",
         handler=handlers.list_course_fields, xml=XmlShape(lists={"courseFields": ("courseField", True)})),
    rest("CreateContent", "POST", "/content/create/:contentType", (CreatedIdSchema,),
         "add a course to a folder (201, the new contentItemId: JSON `\"uuid\"`, XML <response>uuid</response>)",
         handler=handlers.create_content, status=201, write=True,
         body={"application/json": {"type": "object", "required": ["folder_id", "title"], "properties": {
             "folder_id": UUID, "title": {"type": "string", "minLength": 1, "example": "Kursus Baru"}}}}),
    replace(rest("ListCourseModules", "GET", "/course/:courseId/modules", (CourseModulesSchema, CourseModulesXmlSchema),
                 "a course's modules (404 for an unknown content item)", handler=handlers.list_course_modules,
                 xml=XmlShape(lists={"modules": ("module", False)})), errors=(*ERRORS, 404)),
    rest("GetCoursesTree", "GET", "/courses_tree", (CoursesTreeSchema, CoursesTreeXmlSchema),
         "the content library's folders and items, or those of contentItemIds (a bare array)",
         handler=handlers.get_courses_tree,
         params=(LOCALE, Param("contentItemIds", IDS, description="only these entries")),
         xml=XmlShape(array="contentItem")),
    rest("ListLearningTracksCourses", "GET", "/learning_track/courses",
         (LearningTracksCoursesSchema, LearningTracksCoursesXmlSchema),
         "the courses of the learning tracks named (learningTrackIds, comma-separated)",
         handler=handlers.list_learning_tracks_courses,
         params=(Param("learningTrackIds", {"type": "string"}, required=True, example=EXAMPLE_TRACK,
                       description="comma-separated learning track IDs"),),
         xml=XmlShape(array="learningTracksCourse")),
    rest("ListQuizzes", "GET", "/quizzes", (QuizzesPageSchema,),
         "quizzes a page at a time, filtered by quizIds, contentItemIds, parentCourseIds",
         params=tuple(Param(name, IDS, description=f"only these {name}") for name in
                      ("quizIds", "contentItemIds", "parentCourseIds")),
         rows=handlers.quizzes_rows, item=handlers.quiz_item, items_key="results", paging="token",
         cursor=lambda q: q.quiz_id, xml=XmlShape(lists={"results": ("result", True), "parentCourseIds": ("id", True)})),
    rest("ListAnswerBreakdownResults", "GET", "/report/answer-breakdown", (AnswerBreakdownResultsPageSchema,),
         "each answer of each attempt at a quiz, a page at a time (XML root <results>, the spec's)",
         params=ANSWER_FILTERS, rows=handlers.answer_breakdown_rows, item=handlers.answer_breakdown_item,
         items_key="results", paging="token", cursor=lambda r: r.key,
         xml=XmlShape(root="results", lists={"results": ("result", True)})),

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

    # --- training (REST) ---
    # Trainings, sessions and days of world/ispring_training.py; the spec lists a 404 for an unknown session or day
    # (and for a training's sessions), GetTrainingById none (an unknown training is a 400 there).
    rest("GetTrainingById", "GET", "/training/:trainingId", (TrainingAnswerSchema, TrainingAnswerXmlSchema),
         "one training: title, organizer, sessions, type", handler=training.get_training_by_id,
         xml=XmlShape(rename={"response": "training"}, lists={"sessions": ("id", True)})),
    replace(rest("GetTrainingSession", "GET", "/training/session/:trainingSessionId",
                 (TrainingSessionAnswerSchema, TrainingSessionAnswerXmlSchema),
                 "one training session (404 text/plain for an unknown one, as the spec)",
                 handler=training.get_training_session,
                 xml=XmlShape(rename={"response": "trainingSession"}, lists={"dayIds": ("id", True)})),
            errors=(*ERRORS, 404), text_errors=(404,)),
    replace(rest("ListSessionsByTrainingId", "GET", "/training/:trainingId/sessions",
                 (TrainingSessionsSchema, TrainingSessionsXmlSchema),
                 "a training's sessions (a bare array; XML <trainingSession> items; 404 for an unknown training)",
                 handler=training.list_sessions_by_training_id,
                 xml=XmlShape(array="trainingSession", lists={"dayIds": ("id", True)})), errors=(*ERRORS, 404)),
    replace(rest("GetDay", "GET", "/training/day/:dayId", (DayAnswerSchema, DayAnswerXmlSchema),
                 "one session day: start, duration (s), location or url (404 text/plain for an unknown one)",
                 handler=training.get_day, xml=XmlShape(rename={"response": "Day"})), errors=(*ERRORS, 404),
            text_errors=(404,)),
    replace(rest("UpdateDay", "POST", "/training/day/:dayId", (), "set a day's url (200, empty body; 404)",
                 handler=training.update_day, write=True,
                 body=_body(["url"], url={"type": "string", "example": "https://meet.google.com/abc-defg-hij"})),
            errors=(*ERRORS, 404)),
    replace(rest("ListSessionParticipants", "GET", "/training/session/participants/:sessionId",
                 (ParticipantIdsSchema, ParticipantIdsXmlSchema),
                 "a session's participants' userIds (a bare array, pageSize and pageToken; XML <id> items; 404)",
                 handler=training.list_session_participants, params=tuple(
                     Param(name, schema, description=text) for name, schema, text in TOKEN_PARAMS),
                 xml=XmlShape(array="id")), errors=(*ERRORS, 404)),
    replace(rest("UpdateDayParticipantsAttendance", "POST", "/training/day/:dayId/participants/attendance/update",
                 (), "mark participants of a day attended or not (200, empty body; 404)",
                 handler=training.update_day_participants_attendance, write=True,
                 body=_body([], participantsAttendance={"type": "array", "items": {
                     "type": "object", "required": ["participantId", "isAttended"],
                     "xml": {"name": "trainingParticipantAttendance"},
                     "properties": {"participantId": UUID, "isAttended": {"type": "boolean"},
                                    "duration": {"type": "integer", "minimum": 0}}}})),
            errors=(*ERRORS, 404)),
    # Assignments: content items of type Assignment and the attempts their learners submitted.
    rest("ListAssignments", "GET", "/assignments", (AssignmentsPageSchema,),
         "assignments a page at a time (pageSize, pageToken -> nextPageToken); ungraded=1: those with attempts to grade",
         params=(Param("ungraded", {"type": "integer", "enum": [0, 1]},
                       description="1: only assignments with an ungraded attempt"),),
         rows=training.assignments_rows, item=training.assignment_item, items_key="assignments", paging="token",
         cursor=lambda a: a.assignment_id, xml=XmlShape(lists={"assignments": ("assignment", True)})),
    rest("ListAssignmentAttempts", "GET", "/assignment/:assignmentId/attempts/ungraded",
         (AssignmentAttemptsSchema, AssignmentAttemptsXmlSchema),
         "an assignment's ungraded attempts, of the userIds[] given (a bare array; XML <attempt> items)",
         handler=training.list_assignment_attempts, params=(Param("userIds[]", IDS, description="only these users"),),
         xml=XmlShape(array="attempt", lists={"attachments": ("attachment", False)})),
    rest("GradeAssignments", "POST", "/assignments/attempts/grade", (),
         "grade ungraded attempts: score 0-100, comment (200, empty body)", handler=training.grade_assignments,
         write=True, body=_body(["assignmentAttemptGrades"], assignmentAttemptGrades={
             "type": "array", "xml": {"wrapped": True}, "items": {
                 "type": "object", "required": ["attemptId", "score"], "xml": {"name": "attemptGrade"},
                 "properties": {"attemptId": UUID, "score": {"type": "number", "minimum": 0, "maximum": 100},
                                "comment": {"type": "string"}}}})),

    # --- training (SOAP) ---
    soap("listSessionsByTraining", training.soap_listSessionsByTraining, "a training's sessions",
         [("trainingId", "Unicode!")], [("trainingSession", "TrainingSession*")]),

    # --- webhooks (REST) ---
    webhook("RegisterSubscriber", "register", webhook_handlers.register_subscriber,
            "register a subscriber: its callbackUrl (a host of --webhook-hosts) and secret (200)",
            _body(["subscriberName", "callbackUrl"], subscriberName={"type": "string", "example": "new-subscriber"},
                  **SUBSCRIBER_SETTINGS), not_found=False),
    webhook("SendConfirmationCode", "code/send", webhook_handlers.send_confirmation_code,
            "send a new confirmation code to the subscriber's callbackUrl (200)", _body(["subscriberName"], **SUBSCRIBER)),
    webhook("Confirm", "confirm", webhook_handlers.confirm, "confirm the callbackUrl with the code sent to it (200)",
            _body(["subscriberName", "code"], subscriberName={"type": "string"}, code={"type": "string"})),
    webhook("Subscribe", "subscribe", webhook_handlers.subscribe,
            "subscribe to an event type, with its filters (200)",
            _body(["subscriberName", "subscription"], **SUBSCRIBER, subscription=SUBSCRIPTION)),
    webhook("unsubscribe", "unsubscribe", webhook_handlers.unsubscribe,
            "unsubscribe from an event type (200; 404 when not subscribed)",
            _body(["subscriberName", "subscriptionType"], **SUBSCRIBER,
                  subscriptionType={"type": "string", "enum": list(webhook_world.SUBSCRIPTION_TYPES)})),
    webhook("EnableSubscriber", "enable", webhook_handlers.enable_subscriber, "enable a subscriber (200)",
            _body(["subscriberName"], **SUBSCRIBER)),
    webhook("DisabableSubscriber", "disable", webhook_handlers.disable_subscriber,
            "disable a subscriber: nothing is sent to it (200)", _body(["subscriberName"], **SUBSCRIBER)),
    webhook("ChangeSubscriberSettings", "settings/change", webhook_handlers.change_subscriber_settings,
            "change a subscriber's callbackUrl (to confirm again) and secret (200)",
            _body(["subscriberName", "callbackUrl"], **SUBSCRIBER, **SUBSCRIBER_SETTINGS)),
    webhook("RemoveSubscriber", "remove", webhook_handlers.remove_subscriber, "remove a subscriber (200)",
            _body(["subscriberName"], **SUBSCRIBER)),
    webhook("ListSubscriptions", "subscription/list", webhook_handlers.list_subscriptions,
            "a subscriber's subscriptions (a bare array; XML <subscription> items)", None,
            contracts=(SubscriptionsSchema, SubscriptionsXmlSchema), params=SUBSCRIBER_QUERY,
            xml=XmlShape(array="subscription", lists={"params": ("params", False)})),
    webhook("GetSubscriberInfo", "subscriber/info", webhook_handlers.get_subscriber_info,
            "a subscriber's status, confirmation and delivery status", None, contracts=(SubscriberInfoSchema,),
            params=SUBSCRIBER_QUERY, fresh=True),  # delivery outcomes live in the outbox, not the log

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
            errors=(*ERRORS, 404), text_errors=(404,)),
    replace(rest("GetIssuedCertificate", "GET", "/certificate/:issuedCertificateId", (IssuedCertificateSchema,),
                 "an issued certificate's URL (404 text/plain `Issued certificate not found`)",
                 handler=handlers.issued_certificate, xml=XmlShape(root="attachment")), errors=(*ERRORS, 404),
            text_errors=(404,)),
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
