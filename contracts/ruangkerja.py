"""Ruangkerja response contracts. Field order is the docs' key order; enums and nullability as documented.

Source of every shape: ../shared/vendor-notes/ruangkerja.md (with the doc page URLs) and ../shared/seeds/000, 001.
"""

from __future__ import annotations

from marshmallow import fields as mfields

from .base import StrictSchema, one_of
from .fields import Bool, Int, List, Nested, Number, Str

USER_ASSIGNED_STATUS = ("Ongoing", "Cleared", "Failed")
POST_ACTIVITY_STATUS = ("NOT STARTED", "IN PROGRESS", "COMPLETED", "EXPIRED", "")
ONLINE_STATUS = ("not_started", "completed", "expired", "failed", "in_progress")


class ErrorSchema(StrictSchema):
    """Every failure: `{"errorCode","message","detail"}` and nothing else (no `status`)."""

    errorCode = Int()
    message = Str()
    detail = Str()


# --- POST /oauth/token ------------------------------------------------------------------------------------


class TokenDataSchema(StrictSchema):
    accessToken = Str()
    expiresIn = Str()  # a string of seconds, e.g. "43199"
    tokenType = Str(validate=one_of("bearer"))


class TokenResponseSchema(StrictSchema):
    status = Str(validate=one_of("success"))
    message = Str(validate=one_of("success"))  # lower case on this call only
    data = Nested(TokenDataSchema)


# --- shared pieces ------------------------------------------------------------------------------------------


class UserRefSchema(StrictSchema):
    serial = Str()
    name = Str()
    employeeID = Str()


class CourseRefSchema(StrictSchema):
    serial = Str()
    name = Str()


class BatchRefSchema(StrictSchema):
    serial = Str()
    name = Str()


def _assignment_fields() -> dict:
    """The outcome fields of an offline/webinar assignment, in the docs' order."""
    return {
        "absentReason": Str(),
        "assignedCourseSerial": Str(),
        "feedback": Str(),
        "isAttend": Bool(),
        "userAssignedStatus": Str(validate=one_of(*USER_ASSIGNED_STATUS)),
        "postActivityStatus": Str(validate=one_of(*POST_ACTIVITY_STATUS)),
        "postTestAttempt": Int(),
        "postTestScore": Number(),
        "postTestPassingScore": Int(allow_none=True),
    }


def page_schema(item: type[StrictSchema], name: str) -> type[StrictSchema]:
    """`{"currentPage","totalItems","totalPage","items"}`: `totalPage` singular, as documented."""
    return StrictSchema.from_dict(
        {"currentPage": Int(), "totalItems": Int(), "totalPage": Int(), "items": List(Nested(item))}, name=name
    )


def envelope_schema(data: mfields.Field, name: str) -> type[StrictSchema]:
    return StrictSchema.from_dict(
        {"status": Str(validate=one_of("success")), "message": Str(validate=one_of("Success")), "data": data},
        name=name,
    )


# --- GET /ruangkerja/dashboard/courses/:courseSerial/online/users -----------------------------------------------

OnlineUserAssignmentSchema = StrictSchema.from_dict({
    "user": Nested(UserRefSchema),
    "postTest": Number(allow_none=True),  # null until submitted
    "preTest": Number(allow_none=True),
    "timeSpent": Int(),  # seconds
    "lastAccessMission": Str(),  # 2022-07-22T01:00:00.000Z
    "completedAt": Str(),  # "" until completed, then 2022-07-22
    "status": Str(validate=one_of(*ONLINE_STATUS)),
}, name="OnlineUserAssignmentSchema")
CourseOnlineUsersResponseSchema = envelope_schema(
    Nested(page_schema(OnlineUserAssignmentSchema, "OnlineUserAssignmentPageSchema")), "CourseOnlineUsersResponseSchema"
)

# --- GET /ruangkerja/dashboard/courses/:courseSerial/offline/:batchSerial/users -----------------------------

BatchUserAssignmentSchema = StrictSchema.from_dict(
    {"user": Nested(UserRefSchema), **_assignment_fields()}, name="BatchUserAssignmentSchema"
)
BatchUserAssignmentPageSchema = page_schema(BatchUserAssignmentSchema, "BatchUserAssignmentPageSchema")
CourseOfflineUsersResponseSchema = envelope_schema(
    Nested(BatchUserAssignmentPageSchema), "CourseOfflineUsersResponseSchema"
)

# --- GET /ruangkerja/dashboard/courses/:courseSerial/webinar/:batchSerial/users (the offline page's fields) ----

CourseWebinarUsersResponseSchema = envelope_schema(
    Nested(BatchUserAssignmentPageSchema), "CourseWebinarUsersResponseSchema"
)

# --- GET /ruangkerja/dashboard/users/:employeeID/courses/webinar --------------------------------------------

UserBatchActivitySchema = StrictSchema.from_dict(
    {"course": Nested(CourseRefSchema), "batch": Nested(BatchRefSchema), **_assignment_fields()},
    name="UserBatchActivitySchema",
)
UserWebinarActivityListResponseSchema = envelope_schema(
    List(Nested(UserBatchActivitySchema)), "UserWebinarActivityListResponseSchema"
)
UserBatchActivityPageSchema = page_schema(UserBatchActivitySchema, "UserBatchActivityPageSchema")
UserWebinarActivityPageResponseSchema = envelope_schema(
    Nested(UserBatchActivityPageSchema), "UserWebinarActivityPageResponseSchema"
)

# --- GET /ruangkerja/dashboard/users/:employeeID/courses/offline (the webinar page's fields and readings) --------

UserOfflineActivityListResponseSchema = envelope_schema(
    List(Nested(UserBatchActivitySchema)), "UserOfflineActivityListResponseSchema"
)
UserOfflineActivityPageResponseSchema = envelope_schema(
    Nested(UserBatchActivityPageSchema), "UserOfflineActivityPageResponseSchema"
)

# --- GET /ruangkerja/dashboard/users/:employeeID/courses/online (a bare list, or the page object) --------------

UserOnlineActivitySchema = StrictSchema.from_dict({
    "course": Nested(CourseRefSchema),
    "postTest": Number(allow_none=True),  # null until submitted
    "preTest": Number(allow_none=True),
    "timeSpent": Int(),  # seconds
    "completedAt": Str(),  # "" until completed, then 2022-07-22
    "status": Str(validate=one_of(*ONLINE_STATUS)),
}, name="UserOnlineActivitySchema")
UserOnlineActivityListResponseSchema = envelope_schema(
    List(Nested(UserOnlineActivitySchema)), "UserOnlineActivityListResponseSchema"
)
UserOnlineActivityPageResponseSchema = envelope_schema(
    Nested(page_schema(UserOnlineActivitySchema, "UserOnlineActivityPageSchema")),
    "UserOnlineActivityPageResponseSchema",
)

# --- GET /ruangkerja/dashboard/courses ----------------------------------------------------------------------------


class CourseSchema(StrictSchema):
    """A course of the course list. The docs' copy is cut off after `description` (vendor notes §1.4), so the
    fields after it are not known: this one item schema lets unknown fields through, and only checks these three."""

    class Meta:
        unknown = "include"

    serial = Str()
    name = Str()
    description = Str()


CourseListResponseSchema = envelope_schema(
    Nested(page_schema(CourseSchema, "CoursePageSchema")), "CourseListResponseSchema"
)

# --- GET /ruangkerja/dashboard/courses/:courseSerial/batches -------------------------------------------------------


class BatchSchema(StrictSchema):
    serial = Str()
    name = Str()
    mainActivityStartAt = Str()  # 2022-07-30T02:00:00.000Z
    mainActivityEndAt = Str()
    postActivityStartAt = Str(allow_none=True)
    postActivityEndAt = Str(allow_none=True)
    platform = Str()  # "" (offline) or "Google Meet"
    location = Str()  # an address, or a meeting URL
    note = Str()
    status = Str()  # "Completed", "Ongoing", ... (the docs list no full enum)


CourseBatchListResponseSchema = envelope_schema(
    Nested(page_schema(BatchSchema, "BatchPageSchema")), "CourseBatchListResponseSchema"
)


# --- learning plans -----------------------------------------------------------------------------------------------
# avgPostTest / avgPreTest: float64, null when no participant submitted one. A participant's `status` is upper case;
# the docs show COMPLETED and EXPIRED and list no enum, so any string passes (as for the batch status).


def _averages() -> dict:
    return {"avgPostTest": Number(allow_none=True), "avgPreTest": Number(allow_none=True)}


# GET /ruangkerja/dashboard/learning-plans
LearningPlanSchema = StrictSchema.from_dict({
    "serial": Str(),  # LRPN-YFXP3P98
    "name": Str(),
    "description": Str(),
    "createdAt": Str(),  # 2022-07-22T01:00:00.000Z
    "updatedAt": Str(),
    **_averages(),
    "numberOfCompleted": Int(),
    "numberOfCourses": Int(),
    "numberOfExpired": Int(),
    "numberOfFailed": Int(),
    "numberOfInProgress": Int(),
    "numberOfNotStarted": Int(),
    "numberOfParticipants": Int(),
}, name="LearningPlanSchema")
LearningPlanListResponseSchema = envelope_schema(
    Nested(page_schema(LearningPlanSchema, "LearningPlanPageSchema")), "LearningPlanListResponseSchema"
)

# GET /ruangkerja/dashboard/learning-plans/:learningPlanSerial/courses (`name` before `serial` here, as documented)
LearningPlanCourseRefSchema = StrictSchema.from_dict({"name": Str(), "serial": Str()},
                                                     name="LearningPlanCourseRefSchema")
LearningPlanCourseSchema = StrictSchema.from_dict({
    "course": Nested(LearningPlanCourseRefSchema),
    "deadline": Str(),  # 2022-07-19T06:00:00Z
    **_averages(),
    "numberOfCompleted": Int(),
    "numberOfExpired": Int(),
    "numberOfFailed": Int(),
    "numberOfInProgress": Int(),
    "numberOfNotStarted": Int(),
    "numberOfParticipants": Int(),
}, name="LearningPlanCourseSchema")
LearningPlanCourseListResponseSchema = envelope_schema(
    Nested(page_schema(LearningPlanCourseSchema, "LearningPlanCoursePageSchema")),
    "LearningPlanCourseListResponseSchema",
)


def _participant_fields() -> dict:
    return {**_averages(), "numberOfCompleted": Int(), "numberOfCourses": Int(), "status": Str()}


# GET /ruangkerja/dashboard/learning-plans/:learningPlanSerial/users
LearningPlanUserSchema = StrictSchema.from_dict({"user": Nested(UserRefSchema), **_participant_fields()},
                                                name="LearningPlanUserSchema")
LearningPlanUserListResponseSchema = envelope_schema(
    Nested(page_schema(LearningPlanUserSchema, "LearningPlanUserPageSchema")), "LearningPlanUserListResponseSchema"
)

# GET /ruangkerja/dashboard/users/:employeeID/learning-plans (a page object, unlike the user course activity pages)
LearningPlanRefSchema = StrictSchema.from_dict({"serial": Str(), "name": Str()}, name="LearningPlanRefSchema")
UserLearningPlanSchema = StrictSchema.from_dict(
    {"learningPlan": Nested(LearningPlanRefSchema), **_participant_fields()}, name="UserLearningPlanSchema"
)
UserLearningPlanListResponseSchema = envelope_schema(
    Nested(page_schema(UserLearningPlanSchema, "UserLearningPlanPageSchema")), "UserLearningPlanListResponseSchema"
)

# --- GET /ruangkerja/dashboard/users/:employeeID/activity-summary (an object, no paging) --------------------------

ActivitySummaryUserSchema = StrictSchema.from_dict({
    "serial": Str(),
    "name": Str(),
    "employeeID": Str(),
    "email": Str(),
    "tags": List(Str()),  # tag names
    "organizationLevelDisplayName": Str(),  # "Ruangkerja > Marketing"
    "organizationLevelSerial": Str(),
    "lastAccessMission": Str(),  # "2021-08-10 07:40:53"
}, name="ActivitySummaryUserSchema")
UserActivitySummarySchema = StrictSchema.from_dict({
    "user": Nested(ActivitySummaryUserSchema),
    "numberOfCoursesAssigned": Int(),
    "numberOfCoursesCompleted": Int(),
    "numberOfCoursesExpired": Int(),
    "numberOfCoursesFailed": Int(),
    "numberOfCoursesInProgress": Int(),
    "numberOfCoursesNotStarted": Int(),
    "overallProgress": Int(),  # percent
    **_averages(),
    "timeSpent": Int(),  # seconds
}, name="UserActivitySummarySchema")
UserActivitySummaryResponseSchema = envelope_schema(Nested(UserActivitySummarySchema),
                                                    "UserActivitySummaryResponseSchema")

# --- GET /ruangkerja/dashboard/user-course-status?startTimestamp&endTimestamp (`{"items": [...]}`, no paging) ------

UserCourseStatusSchema = StrictSchema.from_dict({
    "assignedCourseSerial": Str(),
    "employeeID": Str(),
    "courseName": Str(),
    "completedAt": Str(),  # 2023-10-12T12:00:00+07:00
    "updatedAt": Str(),
    "status": Str(validate=one_of(*ONLINE_STATUS)),  # the docs show "completed"
}, name="UserCourseStatusSchema")
UserCourseStatusResponseSchema = envelope_schema(
    Nested(StrictSchema.from_dict({"items": List(Nested(UserCourseStatusSchema))}, name="UserCourseStatusListSchema")),
    "UserCourseStatusResponseSchema",
)


# --- users ------------------------------------------------------------------------------------------------------------
# Find Users, Find User by Employee ID, Create User (Bulk), Update User By Employee ID (Bulk), Update User Email Bulk:
# https://api.ruangkerja.id/docs/user/...


class TagRefSchema(StrictSchema):
    serial = Str()
    name = Str()


class UserSchema(StrictSchema):
    employeeID = Str()
    name = Str()
    username = Str()
    email = Str()  # "" when the user has only a phone
    phone = Str()  # "" when the user has only an email
    isActive = Bool()
    companyName = Str()
    companySerial = Str()
    organizationDisplayName = Str()
    organizationLevelSerial = Str()
    tags = List(Nested(TagRefSchema))


FindUsersResponseSchema = envelope_schema(Nested(page_schema(UserSchema, "UserPageSchema")), "FindUsersResponseSchema")
FindUserResponseSchema = envelope_schema(Nested(UserSchema), "FindUserResponseSchema")


class SerialSchema(StrictSchema):
    serial = Str()


# Create User, Update User By Employee ID, Create Tag, Update Tag By Serial: `data` is the entity's serial.
SerialResponseSchema = envelope_schema(Nested(SerialSchema), "SerialResponseSchema")


class BulkItemErrorSchema(StrictSchema):
    """A failed bulk item's error: the failure triple, in the docs' (alphabetical) order."""

    detail = Str()
    errorCode = Int()
    message = Str()


def bulk_response_schema(payload: type[StrictSchema], name: str) -> type[StrictSchema]:
    """`{"data":{"failedItems":[{error,payload}],"successItems":[{payload,response{serial}}]},"status","message"}`:
    `data` first and lower-case `"success"` twice, as every bulk page shows, whatever failed."""
    failed = StrictSchema.from_dict({"error": Nested(BulkItemErrorSchema), "payload": Nested(payload)},
                                    name=f"{name}FailedItemSchema")
    succeeded = StrictSchema.from_dict({"payload": Nested(payload), "response": Nested(SerialSchema)},
                                       name=f"{name}SuccessItemSchema")
    data = StrictSchema.from_dict({"failedItems": List(Nested(failed)), "successItems": List(Nested(succeeded))},
                                  name=f"{name}DataSchema")
    return StrictSchema.from_dict({"data": Nested(data), "status": Str(validate=one_of("success")),
                                   "message": Str(validate=one_of("success"))}, name=f"{name}ResponseSchema")


def _optional_text(**kwargs):
    return Str(allow_none=True, **kwargs)


class CreateUserPayloadSchema(StrictSchema):
    """A Create User Bulk item as the answer echoes it: every documented field, null when not sent."""

    employeeID = Str()
    name = Str()
    username = _optional_text()
    email = _optional_text()
    phone = _optional_text()
    password = _optional_text()
    isActive = Bool()
    tagSerials = List(Str(), allow_none=True)
    organizationSerial = _optional_text()


class UpdateUserPayloadSchema(StrictSchema):
    employeeID = Str()
    name = Str()
    newEmployeeID = _optional_text()
    username = _optional_text()
    phone = _optional_text()
    isActive = Bool()
    tagSerials = List(Str(), allow_none=True)
    organizationSerial = _optional_text()


class UpdateUserEmailPayloadSchema(StrictSchema):
    employeeID = Str()
    email = Str()
    password = _optional_text()


CreateUsersResponseSchema = bulk_response_schema(CreateUserPayloadSchema, "CreateUsers")
UpdateUsersResponseSchema = bulk_response_schema(UpdateUserPayloadSchema, "UpdateUsers")
UpdateUsersEmailResponseSchema = bulk_response_schema(UpdateUserEmailPayloadSchema, "UpdateUsersEmail")


def _business_error(code: int, name: str, detail: str, schema_name: str) -> type[StrictSchema]:
    return StrictSchema.from_dict({"errorCode": Int(validate=one_of(code)), "message": Str(validate=one_of(name)),
                                   "detail": Str(validate=one_of(detail))}, name=schema_name)


# The documented business errors (vendor notes §1.7), each a stricter ErrorSchema.
UserEmployeeIDExistsErrorSchema = _business_error(10101, "USER_EMPLOYEE_ID_EXISTS", "employee id already been taken",
                                                  "UserEmployeeIDExistsErrorSchema")
UserEmailExistsErrorSchema = _business_error(10102, "USER_EMAIL_EXISTS", "user email already been taken",
                                             "UserEmailExistsErrorSchema")
TagNameExistsErrorSchema = _business_error(11101, "TAG_NAME_EXISTS", "tag name already been taken",
                                           "TagNameExistsErrorSchema")


# --- tags -------------------------------------------------------------------------------------------------------------
# Find Tags, Find Tag by Serial, Create Tag (Bulk), Update Tag By Serial (Bulk), Delete Tag Bulk:
# https://api.ruangkerja.id/docs/tag/...


class TagSchema(StrictSchema):
    name = Str()  # name first, as the tag pages show it (a user's tags are {serial, name})
    serial = Str()


FindTagsResponseSchema = envelope_schema(Nested(page_schema(TagSchema, "TagPageSchema")), "FindTagsResponseSchema")
FindTagResponseSchema = envelope_schema(Nested(TagSchema), "FindTagResponseSchema")


class TagPayloadSchema(StrictSchema):
    """A Create/Update Tag Bulk item as the answer echoes it: the name only (an update's serial is in `response`)."""

    name = Str()


CreateTagsResponseSchema = bulk_response_schema(TagPayloadSchema, "CreateTags")
UpdateTagsResponseSchema = bulk_response_schema(TagPayloadSchema, "UpdateTags")


class DeleteTagsDataSchema(StrictSchema):
    failed = List(Str())
    success = List(Str())


class DeleteTagsResponseSchema(StrictSchema):
    """`"status":"success"` even when every serial failed (the page's failure example)."""

    data = Nested(DeleteTagsDataSchema)
    status = Str(validate=one_of("success"))
    message = Str(validate=one_of("success"))


# --- company structure and course assignment --------------------------------------------------------------------------
# Get Company Structure: https://api.ruangkerja.id/docs/company/get-company-structure
# Assign Online Course: https://api.ruangkerja.id/docs/course/assignment/assign-online-course/


class OrganizationSchema(StrictSchema):
    """A node of the company structure, its children nested the same way; keys in the docs' (alphabetical) order."""

    childOrganizations = List(Nested(lambda: OrganizationSchema()))
    isActive = Bool()
    name = Str()
    serial = Str()


class CompanyStructureDataSchema(StrictSchema):
    organizations = List(Nested(OrganizationSchema))


class CompanyStructureResponseSchema(StrictSchema):
    data = Nested(CompanyStructureDataSchema)
    status = Str(validate=one_of("success"))
    message = Str(validate=one_of("success"))  # lower case, as documented


class AssignmentDataSchema(StrictSchema):
    """The copy of the Assign Online Course page read for this project is cut off before its success example, so
    what `data` holds is not known: any object is let through (the mock sends `{}`), and only the envelope is checked."""

    class Meta:
        unknown = "include"


AssignOnlineCourseResponseSchema = envelope_schema(Nested(AssignmentDataSchema), "AssignOnlineCourseResponseSchema")
