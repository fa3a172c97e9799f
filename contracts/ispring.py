"""iSpring Learn response contracts: REST bodies (JSON, and XML read through contracts.xml) and SOAP results.

Sources: the official REST OpenAPI spec (../shared/specs/ispring-learn-rest-openapi.yaml: Enrollment,
EnrollmentsPage, TokenResponse, ErrorResponse), the SOAP doc samples (../shared/seeds/002, vendor notes §1), and
../shared/vendor-notes/ispring.md for the rest. Field order is the vendor's: the spec's property order for REST,
the samples' element order for SOAP.
"""

from __future__ import annotations

import re

from lxml import etree
from marshmallow import ValidationError, fields, validates_schema
from marshmallow.validate import Regexp

from .base import BareValueSchema, StrictSchema, one_of, violations
from .fields import Bool, Int, List, Nested, Number, Str
from .xml import Flag, XmlList, xml_data

UUID = Regexp(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", error="expected a lower-case UUID")
DATE = Regexp(r"^\d{4}-\d{2}-\d{2}$", error="expected YYYY-MM-DD")
DATETIME = Regexp(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", error="expected an ISO dateTime")
URL = Regexp(r"^https?://\S+$", error="expected a URL")
CONTENT_TYPES = (
    "iSpringSuiteModule", "Audio", "Video", "Image", "Quiz", "Survey", "SCORM", "Course", "LearningTrack",
    "WordDocument", "PowerPointPresentation", "PDFDocument", "ExcelSpreadsheet", "RolePlay", "Link", "Assignment",
    "Book", "Interaction", "Page", "OnlineQuiz", "ExternalCourse",
)
# A list, so that each section below can add its methods' documented faultstrings (the schema reads it at check time).
FAULT_STRINGS = ["Authorization failed", "Wrong parameters", "Permission denied", "Unknown Enrollment",
                 "Internal Error"]


def _check_expiration(data: dict, lock: str) -> None:
    """The docs: expirationDate only with a due date and shouldLockAfterDueDate = 1, and then always."""
    expected = data.get("dueDate") is not None and data.get(lock) is True
    if ("expirationDate" in data) != expected:
        raise ValidationError("expirationDate must appear exactly when dueDate is set and the lock is on",
                              "expirationDate")
    if expected and data["expirationDate"] != data["dueDate"]:
        raise ValidationError("expirationDate must equal dueDate", "expirationDate")


# --- REST -------------------------------------------------------------------------------------------------


class CertificateSchema(StrictSchema):
    """IssuedCertificateInformation."""

    issuedCertificateId = Str(validate=UUID)
    issueDate = Str(validate=DATE)
    expiryDate = Str(validate=DATE, required=False)


class EnrollmentSchema(StrictSchema):
    enrollmentId = Str(validate=UUID)
    courseId = Str(validate=UUID)
    learnerId = Str(validate=UUID)
    accessDate = Str(validate=DATE)
    dueDate = Str(validate=DATE, required=False)
    expirationDate = Str(validate=DATE, required=False)
    shouldLockAfterDueDate = Bool()
    certificate = Nested(CertificateSchema, required=False)
    enrollmentTypeGroup = Int(validate=one_of(0, 1))

    @validates_schema
    def _expiration(self, data, **kwargs):
        _check_expiration(data, "shouldLockAfterDueDate")


class EnrollmentListSchema(StrictSchema):
    """GET /enrollment, JSON: `{"enrollments": [...]}`."""

    enrollments = List(Nested(EnrollmentSchema))


class EnrollmentListXmlSchema(StrictSchema):
    """GET /enrollment, XML: `<response><enrollment/>...</response>` (unwrapped, as clients read it)."""

    enrollment = XmlList(Nested(EnrollmentSchema), required=False)


class EnrollmentXmlSchema(StrictSchema):
    """GET /enrollment/{id}, XML: `<response><enrollment/></response>` (JSON: the Enrollment itself)."""

    enrollment = Nested(EnrollmentSchema)


class EnrollmentsPageSchema(StrictSchema):
    """GET /enrollments: `<response><enrollments><enrollment/>...</enrollments><nextPageToken/></response>`."""

    enrollments = XmlList(Nested(EnrollmentSchema), item="enrollment")
    nextPageToken = Str(required=False)  # left out on the last page


class CreatedEnrollmentsSchema(StrictSchema):
    """POST /enrollment 201 (seed 003: the body carries the IDs; the spec shows none)."""

    enrollmentIds = XmlList(Str(validate=UUID), item="id")


class TokenSchema(StrictSchema):
    """POST /api/v3/token: TokenResponse."""

    access_token = Str()
    expires_in = Int()
    token_type = Str(validate=one_of("bearer"))


class ErrorSchema(StrictSchema):
    """ErrorResponse: `<response><code/><message/></response>` / `{"code","message"}`."""

    code = Int()
    message = Str()


# --- SOAP (children of the {Op}Result element, in the target namespace) ------------------------------------


class SoapCertificateSchema(StrictSchema):
    issuedCertificateId = Str(validate=UUID)
    issueDate = Str(validate=DATETIME)  # seed 002: 2022-07-15T07:19:00+00:00
    expiryDate = Str(validate=DATETIME, required=False)


class SoapEnrollmentSchema(StrictSchema):
    """Seed 002's element order; dueDate and expirationDate where the docs' field table has them."""

    enrollmentId = Str(validate=UUID)
    courseId = Str(validate=UUID)
    learnerId = Str(validate=UUID)
    accessDate = Str(validate=DATE)
    dueDate = Str(validate=DATE, required=False)
    expirationDate = Str(validate=DATE, required=False)
    enrollmentTypeGroup = Int(validate=one_of(0, 1))
    shouldLockAfterDueDate = Flag(Bool())
    certificate = Nested(SoapCertificateSchema, required=False)

    @validates_schema
    def _expiration(self, data, **kwargs):
        _check_expiration(data, "shouldLockAfterDueDate")


class GetEnrollmentsResultSchema(StrictSchema):
    enrollment = XmlList(Nested(SoapEnrollmentSchema), required=False)


class GetEnrollmentResultSchema(StrictSchema):
    enrollment = Nested(SoapEnrollmentSchema)


class ListEnrollmentsResultSchema(StrictSchema):
    enrollment = XmlList(Nested(SoapEnrollmentSchema), required=False)
    nextPageToken = Str(required=False)


class SuccessResultSchema(StrictSchema):
    """EnrollLearnersInCoursesResult, ChangeEnrollmentResult and unenroll's successResult: `<success>true</success>`."""

    success = Bool(validate=one_of(True))


class UserProfileFieldSchema(StrictSchema):
    name = Str()
    value = Str()


class UserProfileSchema(StrictSchema):
    userId = Str(validate=UUID)
    role = Str(validate=one_of("learner", "administrator", "department_administrator", "publisher", "custom"))
    departmentId = Str(validate=UUID)
    status = Int(validate=one_of(1, 3, 5))
    fields = XmlList(Nested(UserProfileFieldSchema), item="field")


class GetUsersResultSchema(StrictSchema):
    userProfile = XmlList(Nested(UserProfileSchema), required=False)


class ContentItemSchema(StrictSchema):
    contentItemId = Str(validate=UUID)
    title = Str()
    subtitle = Str()
    description = Str()
    userId = Str(validate=UUID)
    addedDate = Str(validate=DATETIME)
    viewUrl = Str(validate=URL)
    type = Str(validate=one_of(*CONTENT_TYPES))


class GetContentResultSchema(StrictSchema):
    contentItem = XmlList(Nested(ContentItemSchema), required=False)


class GetContentItemResultSchema(StrictSchema):
    contentItem = Nested(ContentItemSchema)


class SubordinationSchema(StrictSchema):
    subordinationType = Str(validate=one_of("manual", "inherit", "no_supervisor"))
    supervisorId = Str(validate=UUID, required=False)


class DepartmentSchema(StrictSchema):
    departmentId = Str(validate=UUID)
    name = Str()
    code = Str()
    parentDepartmentId = Str(validate=UUID, required=False)
    subordination = Nested(SubordinationSchema)
    coSubordination = Nested(SubordinationSchema)


class GetDepartmentsResultSchema(StrictSchema):
    department = XmlList(Nested(DepartmentSchema), required=False)


class GetDepartmentResultSchema(StrictSchema):
    department = Nested(DepartmentSchema)


def _fault_string(value: str) -> None:
    """A documented faultstring, or the mock's `Unknown operation: fooBar` (the docs name none for it)."""
    if value not in FAULT_STRINGS and not re.fullmatch(r"Unknown operation: \S.*", value):
        raise ValidationError(f"unexpected value {value!r}, expected one of {', '.join(FAULT_STRINGS)} or "
                              "'Unknown operation: …'")


class SoapFaultSchema(StrictSchema):
    """`<SOAP-ENV:Fault>`'s children: unprefixed lower-case `client`, a documented faultstring, nothing else."""

    faultcode = Str(validate=one_of("client", "server"))
    faultstring = Str(validate=_fault_string)


SOAP_RESULTS = {  # result element -> its contract
    "GetEnrollmentsResult": GetEnrollmentsResultSchema,
    "GetEnrollmentResult": GetEnrollmentResultSchema,
    "ListEnrollmentsResult": ListEnrollmentsResultSchema,
    "EnrollLearnersInCoursesResult": SuccessResultSchema,
    "ChangeEnrollmentResult": SuccessResultSchema,
    "successResult": SuccessResultSchema,
    "GetUsersResult": GetUsersResultSchema,
    "GetContentResult": GetContentResultSchema,
    "GetContentItemResult": GetContentItemResultSchema,
    "GetDepartmentsResult": GetDepartmentsResultSchema,
    "GetDepartmentResult": GetDepartmentResultSchema,
}


# --- content --------------------------------------------------------------------------------------------------------
# ContentItemInformation and the catalogue around it (the spec's schemas, in their property order). Where the spec
# gives an array no `xml.wrapped`, XML repeats its item element in place (a course's <courseField>s, ListCourseModules'
# <module>s), so those answers have an XML twin naming the item element.


class CourseFieldValueSchema(StrictSchema):
    fieldId = Str(validate=UUID)
    fieldValue = Str()


class RestContentItemSchema(ContentItemSchema):
    """ContentItemInformation (REST): the SOAP item, `contentItemType`, and a seeded course's `courseFields`."""

    contentItemType = Str(validate=one_of(*CONTENT_TYPES))
    courseFields = List(Nested(CourseFieldValueSchema), required=False)


class RestContentItemXmlSchema(ContentItemSchema):
    """ContentItemInformation in XML: `courseFields` unwrapped, <courseField> repeated."""

    contentItemType = Str(validate=one_of(*CONTENT_TYPES))
    courseField = XmlList(Nested(CourseFieldValueSchema), required=False)


class ContentItemAnswerSchema(StrictSchema):
    """GET /content/{contentId}: `{"contentItem": {...}}`, XML `<response><contentItem/></response>`."""

    contentItem = Nested(RestContentItemSchema)


class ContentItemAnswerXmlSchema(StrictSchema):
    contentItem = Nested(RestContentItemXmlSchema)


class ContentItemsSchema(BareValueSchema):
    """GET /content, JSON: a bare array of ContentItemInformation."""

    value = List(Nested(RestContentItemSchema))


class ContentItemsXmlSchema(StrictSchema):
    """GET /content, XML: `<response><contentItem/>...</response>`."""

    contentItem = XmlList(Nested(RestContentItemXmlSchema), required=False)


class ContentItemsPageSchema(StrictSchema):
    """GET and POST /contents: ContentItemsInformationPage, `<response><contentItems><contentItem/>...`."""

    contentItems = List(Nested(RestContentItemSchema))
    nextPageToken = Str(required=False)  # left out on the last page


class ContentItemsPageXmlSchema(StrictSchema):
    contentItems = XmlList(Nested(RestContentItemXmlSchema), item="contentItem")
    nextPageToken = Str(required=False)


class CoursesModuleSchema(StrictSchema):
    """CoursesModule: a module of a course (its material's contentItemId)."""

    moduleId = Str(validate=UUID)
    contentItemId = Str(validate=UUID)
    courseId = Str(validate=UUID)
    title = Str()
    description = Str()
    authorId = Str(validate=UUID)
    addedDate = Str(validate=DATETIME)
    viewUrl = Str(validate=URL)


class CoursesModulesPageSchema(StrictSchema):
    """GET /courses/modules: CoursesModulesPage, `<response><modules><module/>...</modules>`; the next page's token
    under the spec's own name, `nextPageToekn` (sic; README)."""

    modules = XmlList(Nested(CoursesModuleSchema), item="module")
    nextPageToekn = Str(required=False)


class CourseModulesSchema(StrictSchema):
    """GET /course/{courseId}/modules, JSON: `{"modules": [...]}`."""

    modules = List(Nested(CoursesModuleSchema))


class CourseModulesXmlSchema(StrictSchema):
    """GET /course/{courseId}/modules, XML: `<response><module/>...</response>` (the spec's unwrapped array)."""

    module = XmlList(Nested(CoursesModuleSchema), required=False)


class CourseFieldSchema(StrictSchema):
    fieldId = Str(validate=UUID)
    fieldCustomId = Str()
    fieldLabel = Str()
    fieldType = Str(validate=one_of("TEXT"))


class CourseFieldsSchema(StrictSchema):
    """GET /course_fields: CourseFields, `<response><courseFields><courseField/>...</courseFields></response>`."""

    courseFields = XmlList(Nested(CourseFieldSchema), item="courseField")


class CourseTreeItemSchema(StrictSchema):
    contentItemId = Str(validate=UUID)
    title = Str()
    type = Str()  # a ContentType, or Folder
    description = Str()
    addedDate = Str(validate=DATETIME)
    viewUrl = Str(validate=URL)
    parentId = Str(validate=UUID)
    isShared = Bool()


class CoursesTreeSchema(BareValueSchema):
    """GET /courses_tree, JSON: a bare array of CourseTreeItem."""

    value = List(Nested(CourseTreeItemSchema))


class CoursesTreeXmlSchema(StrictSchema):
    """GET /courses_tree, XML: `<response><contentItem/>...</response>`."""

    contentItem = XmlList(Nested(CourseTreeItemSchema), required=False)


class LearningTrackCourseSchema(StrictSchema):
    learningTrackId = Str(validate=UUID)
    courseId = Str(validate=UUID)


class LearningTracksCoursesSchema(BareValueSchema):
    """GET /learning_track/courses, JSON: a bare array of LearningTrackCourse."""

    value = List(Nested(LearningTrackCourseSchema))


class LearningTracksCoursesXmlSchema(StrictSchema):
    """GET /learning_track/courses, XML: `<response><learningTracksCourse/>...</response>`."""

    learningTracksCourse = XmlList(Nested(LearningTrackCourseSchema), required=False)


class QuizSchema(StrictSchema):
    quizId = Str(validate=UUID)
    quizTitle = Str()
    contentItemId = Str(validate=UUID)
    parentCourseIds = XmlList(Str(validate=UUID), item="id")  # ArrayOfIds: <parentCourseIds><id/>...


class QuizzesPageSchema(StrictSchema):
    """GET /quizzes: QuizzesPage, `<response><results><result/>...</results><nextPageToken/></response>`."""

    results = XmlList(Nested(QuizSchema), item="result")
    nextPageToken = Str(required=False)


class AnswerBreakdownResultSchema(StrictSchema):
    userId = Str(validate=UUID)
    enrollmentId = Str(validate=UUID)
    quizVersion = Str()
    attemptDate = Str(validate=DATETIME)
    isAttemptPassed = Bool()
    attemptScore = Number()
    passingScore = Number()
    questionNumber = Int()
    questionTitle = Str()
    questionType = Str()
    questionScore = Number()
    questionGroup = Str(required=False)
    statementTitle = Str(required=False)
    answerText = Str()
    customAnswerText = Str(required=False)
    isAnswerCorrect = Bool()
    answerScore = Number()


class AnswerBreakdownResultsPageSchema(StrictSchema):
    """GET /report/answer-breakdown: AnswerBreakdownResultsPage, whose XML root the spec names <results>:
    `<results><results><result/>...</results><nextPageToken/></results>` (the row's XmlShape names the root)."""

    results = XmlList(Nested(AnswerBreakdownResultSchema), item="result")
    nextPageToken = Str(required=False)


# --- users ----------------------------------------------------------------------------------------------------------
# The spec's User/UserV2 (property order), UsersPage, GetPagedUsersListResponse, UserFieldInfo, Role; the bare
# arrays and the 201's bare UUID as BareValueSchema. JSON and XML differ only where the spec's `xml` hints say: the
# unwrapped `userRoles` array is repeated <userRole> in XML, list items are <userProfile> (GET /user/v2:
# <userProfileV2> by default, as the real client reads it).

ROLE_TYPES = ("learner", "administrator", "department_administrator", "publisher", "custom")
WORK_LEAVE_REASONS = ("OutOfTheOffice", "OnVacation", "PersonalLeave", "BusinessTrip", "SickLeave", "ParentalLeave",
                      "EducationalLeave")


def _read_profile_fields(element, ns, flags):
    """XML `fields`: <field><name/><value/></field> items (the clients' reading), or <login/>, <email/>... (the
    spec's object)."""
    children = [c for c in element if isinstance(c.tag, str)]
    if children and all(etree.QName(c).localname == "field" for c in children):
        return [xml_data(c, UserProfileFieldSchema, ns=ns, flags=flags) for c in children]
    found: dict = {}
    for c in children:
        name = etree.QName(c).localname
        found[name] = (c.text or "") if not len(c) and name not in found else {"unexpected": "nested or repeated"}
    return found


class ProfileFields(fields.Field):
    """A user's `fields`: an array of {name, value} (docs sample, real clients) or the spec's UserProfileFields
    object {login, email, ...: string}; both readings are the vendor's (README), so both conform."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("metadata", {})["xml_read"] = _read_profile_fields
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list):
            problems = {i: found for i, item in enumerate(value)
                        if (found := violations(UserProfileFieldSchema, item, ordered=True))}
            if problems:
                raise ValidationError(problems)
            return value
        if isinstance(value, dict):
            missing = [key for key in ("login", "email") if key not in value]
            wrong = [key for key, v in value.items() if not isinstance(v, str)]
            if missing or wrong:
                raise ValidationError(f"expected strings, with login and email; missing {missing}, not strings {wrong}")
            return value
        raise ValidationError("expected an array of {name, value} or an object of profile fields")


class UserRoleSchema(StrictSchema):
    roleId = Str(validate=UUID)
    manageableDepartmentIds = XmlList(Str(validate=UUID), item="id", required=False)
    roleType = Str(validate=one_of(*ROLE_TYPES))


class WorkLeaveStatusSchema(StrictSchema):
    workLeaveReason = Str(validate=one_of(*WORK_LEAVE_REASONS))
    startDate = Str(validate=DATE)
    endDate = Str(validate=DATE, required=False)


def _user_schema(name: str, *, xml: bool, v2: bool) -> type[StrictSchema]:
    consent = "privacyPolicyConsentAcceptanceDate" if v2 else "personalDataConsentAcceptanceDate"
    roles = XmlList(Nested(UserRoleSchema), required=False) if xml else List(Nested(UserRoleSchema))
    declared = {
        "userId": Str(validate=UUID),
        "role": Str(validate=one_of(*ROLE_TYPES)),
        "roleId": Str(validate=UUID),
        "departmentId": Str(validate=UUID),
        "status": Int(validate=one_of(1, 3, 5)),
        "fields": ProfileFields(),
        "addedDate": Str(validate=DATETIME),
        "lastLoginDate": Str(validate=DATETIME),
        "manageableDepartmentIds": XmlList(Str(validate=UUID), item="id", required=False),
        "userRole" if xml else "userRoles": roles,  # XML: the spec's unwrapped array, <userRole> repeated
        "groups": XmlList(Str(validate=UUID), item="id", required=False),
        "subordination": Nested(SubordinationSchema),
        "coSubordination": Nested(SubordinationSchema),
        "workLeaveStatus": Nested(WorkLeaveStatusSchema, required=False),
        "securityPolicyAcceptanceDate": Str(validate=DATETIME, required=False),
        consent: Str(validate=DATETIME, required=False),
    }
    return type(name, (StrictSchema,), {**declared, "__module__": __name__, "__doc__": f"The spec's {'UserV2' if v2 else 'User'}"
                                                               f"{' in XML' if xml else ''}."})


UserSchema = _user_schema("UserSchema", xml=False, v2=False)
UserXmlSchema = _user_schema("UserXmlSchema", xml=True, v2=False)
UserV2Schema = _user_schema("UserV2Schema", xml=False, v2=True)
UserV2XmlSchema = _user_schema("UserV2XmlSchema", xml=True, v2=True)


class UsersSchema(BareValueSchema):
    """GET /user, JSON: a bare array of User."""

    value = List(Nested(UserSchema))


class UsersXmlSchema(StrictSchema):
    """GET /user, XML: `<response><userProfile/>...</response>`."""

    userProfile = XmlList(Nested(UserXmlSchema), required=False)


class UsersV2Schema(BareValueSchema):
    """GET /user/v2, JSON: a bare array of UserV2."""

    value = List(Nested(UserV2Schema))


class UsersV2XmlSchema(StrictSchema):
    """GET /user/v2, XML: <userProfileV2> items as the real client reads them, or the spec's <userProfile>."""

    userProfileV2 = XmlList(Nested(UserV2XmlSchema), required=False)
    userProfile = XmlList(Nested(UserV2XmlSchema), required=False)


class UserResponseSchema(StrictSchema):
    """GET /user/{userId}, JSON: the spec's `{"response": User}`."""

    response = Nested(UserSchema)


class UserResponseXmlSchema(StrictSchema):
    """GET /user/{userId}, XML: `<response><userProfile>...</userProfile></response>` (docs sample, clients)."""

    userProfile = Nested(UserXmlSchema)


class UserV2ResponseSchema(StrictSchema):
    response = Nested(UserV2Schema)


class UserV2ResponseXmlSchema(StrictSchema):
    userProfile = Nested(UserV2XmlSchema)


class UsersPageSchema(StrictSchema):
    """GET /users: UsersPage, `<response><userProfiles><userProfile/>...</userProfiles><nextPageToken/>`."""

    userProfiles = XmlList(Nested(UserSchema), item="userProfile")
    nextPageToken = Str(required=False)


class UsersPageXmlSchema(StrictSchema):
    userProfiles = XmlList(Nested(UserXmlSchema), item="userProfile")
    nextPageToken = Str(required=False)


class UsersPageV2Schema(StrictSchema):
    """GET and POST /users/v2: UsersPageV2."""

    userProfiles = XmlList(Nested(UserV2Schema), item="userProfile")
    nextPageToken = Str(required=False)


class UsersPageV2XmlSchema(StrictSchema):
    userProfiles = XmlList(Nested(UserV2XmlSchema), item="userProfile")
    nextPageToken = Str(required=False)


class PagedUsersListSchema(StrictSchema):
    """POST /user/list: GetPagedUsersListResponse."""

    pageNumber = Int()
    totalUsersNumber = Int()
    userProfiles = List(Nested(UserSchema))


class PagedUsersListXmlSchema(StrictSchema):
    """POST /user/list, XML: the unwrapped `userProfiles` array, <userProfile> repeated."""

    pageNumber = Int()
    totalUsersNumber = Int()
    userProfile = XmlList(Nested(UserXmlSchema), required=False)


class UserIdsSchema(BareValueSchema):
    """POST /users/find_existing, JSON: the bare array of the userIds that exist."""

    value = List(Str(validate=UUID))


class UserIdsXmlSchema(StrictSchema):
    """POST /users/find_existing, XML: `<response><id/>...</response>`."""

    id = XmlList(Str(validate=UUID), required=False)


class CreatedUserSchema(BareValueSchema):
    """POST /user 201: the new userId, bare: JSON `"uuid"`, XML `<response>uuid</response>`."""

    value = Str(validate=UUID)


class UserFieldInfoSchema(StrictSchema):
    """UserFieldInfo (the spec's 0/1 integers; `values`, for choice fields, left out: no field of the world has
    choices)."""

    userFieldInfoId = Str()
    name = Str()
    label = Str()
    type = Str()
    isUnique = Int(validate=one_of(0, 1))
    isRequired = Int(validate=one_of(0, 1))
    orderPriority = Int()


class UserFieldInfosSchema(BareValueSchema):
    value = List(Nested(UserFieldInfoSchema))


class UserFieldInfosXmlSchema(StrictSchema):
    userFieldInfo = XmlList(Nested(UserFieldInfoSchema), required=False)


class RoleSchema(StrictSchema):
    roleId = Str(validate=UUID)
    type = Str(validate=one_of(*ROLE_TYPES))
    title = Str()
    description = Str()


class RolesSchema(BareValueSchema):
    """GET /role, JSON: a bare array of Role."""

    value = List(Nested(RoleSchema))


class RolesXmlSchema(StrictSchema):
    """GET /role, XML: `<response><role/>...</response>`."""

    role = XmlList(Nested(RoleSchema), required=False)


class SoapUserFieldInfoSchema(StrictSchema):
    """getUserProfileFields' userFieldInfo (docs.ispring.ru 18809452): booleans as true/false."""

    userFieldInfoId = Str()
    name = Str()
    label = Str()
    type = Str()
    isUnique = Bool()
    isVisible = Bool()
    isRequired = Bool()
    orderPriority = Int()


class GetUserProfileFieldsResultSchema(StrictSchema):
    userFieldInfo = XmlList(Nested(SoapUserFieldInfoSchema), required=False)


class AddUserResultSchema(StrictSchema):
    """addUser (legacy docs): the new userId, and exceededGroups (none: the mock sets no group limits)."""

    userId = Str(validate=UUID)
    exceededGroups = XmlList(Str(validate=UUID), item="id", required=False)


SOAP_RESULTS.update({
    "GetUserProfileFieldsResult": GetUserProfileFieldsResultSchema,
    "AddUserResult": AddUserResultSchema,
})


FAULT_STRINGS += ["User with the same email is already registered.",  # addUser (legacy docs, pageId=2623718)
                  "User with the same login is already registered."]


# --- user lifecycle -------------------------------------------------------------------------------------------------


class TaskStatusSchema(StrictSchema):
    """GET /task/{taskId}/status: the spec's TaskStatus, `{"status": ...}` / `<response><status/></response>`."""

    status = Str(validate=one_of("waiting", "in_progress", "complete", "cancelled", "error"))


# --- departments ----------------------------------------------------------------------------------------------------


class RestDepartmentSchema(StrictSchema):
    """The spec's Department, in its property order (the docs' XML sample has the same: departmentId, name,
    parentDepartmentId, code); parentDepartmentId only below the root, code only when the department has one."""

    departmentId = Str(validate=UUID)
    name = Str()
    parentDepartmentId = Str(validate=UUID, required=False)
    code = Str(required=False)
    subordination = Nested(SubordinationSchema)
    coSubordination = Nested(SubordinationSchema)


class DepartmentListSchema(StrictSchema):
    """GET /department, JSON: `{"departments": [...]}`."""

    departments = List(Nested(RestDepartmentSchema))


class DepartmentListXmlSchema(StrictSchema):
    """GET /department, XML: `<response><department/>...</response>` (the spec's unwrapped array; the docs' sample)."""

    department = XmlList(Nested(RestDepartmentSchema), required=False)


class DepartmentInfoSchema(StrictSchema):
    """GET /department/{id}, JSON: the spec's `{"response": Department}`."""

    response = Nested(RestDepartmentSchema)


class DepartmentInfoXmlSchema(StrictSchema):
    """GET /department/{id}, XML: `<response><department/></response>` (the docs' sample)."""

    department = Nested(RestDepartmentSchema)


class DepartmentsPageSchema(StrictSchema):
    """GET /departments: `<response><departments><department/>...</departments><nextPageToken/></response>`."""

    departments = XmlList(Nested(RestDepartmentSchema), item="department")
    nextPageToken = Str(required=False)  # left out on the last page


class CreatedIdSchema(BareValueSchema):
    """POST /department 201: the new ID, `<response>{uuid}</response>` in XML (the docs' sample), the bare JSON
    string in JSON (the spec: `type: string, format: uuid`)."""

    OPENAPI = {"type": "string", "format": "uuid", "description": "The new ID"}
    value = Str(validate=UUID)


class ListDepartmentsResultSchema(StrictSchema):
    department = XmlList(Nested(DepartmentSchema), required=False)
    nextPageToken = Str(required=False)


FAULT_STRINGS += ["URL is busy", "URL is internal"]  # setAccountUrl (vendor notes §1.3)
SOAP_RESULTS.update({
    "ListDepartmentsResult": ListDepartmentsResultSchema,
    "SetAccountUrlResult": SuccessResultSchema,
})



# --- groups ---------------------------------------------------------------------------------------------------------


class GroupSchema(StrictSchema):
    """Group: GET /group's items and GET /groups' page items."""

    groupId = Str(validate=UUID)
    name = Str()
    isSmart = Bool()


class GroupListSchema(BareValueSchema):
    """GET /group, JSON: the spec's bare array of Group."""

    value = List(Nested(GroupSchema))


class GroupListXmlSchema(StrictSchema):
    """GET /group, XML: `<response><group/>...</response>` (the spec's array named response; the docs' sample)."""

    group = XmlList(Nested(GroupSchema), required=False)


class GroupsPageSchema(StrictSchema):
    """GET /groups: GroupsPage, `<response><groups><group/>...</groups><nextPageToken/></response>`."""

    groups = XmlList(Nested(GroupSchema), item="group")
    nextPageToken = Str(required=False)  # left out on the last page


class DetailedGroupSchema(StrictSchema):
    """GET /group/{id}: DetailedGroup, in the spec's property order."""

    usersCount = Int()
    groupId = Str(validate=UUID)
    userIds = XmlList(Str(validate=UUID), item="id")
    name = Str()
    isSmart = Bool()

    @validates_schema
    def _count(self, data, **kwargs):
        if isinstance(data.get("userIds"), list) and data.get("usersCount") != len(data["userIds"]):
            raise ValidationError("usersCount must be the number of userIds", "usersCount")


class DetailedGroupXmlSchema(StrictSchema):
    """GET /group/{id}, XML: `<response><group>...</group></response>` (DetailedGroup's xml name)."""

    group = Nested(DetailedGroupSchema)


class SmartGroupRuleSchema(StrictSchema):
    attributeType = Int(validate=one_of(1, 2, 3))
    attributeId = Str(required=False)
    operator = Int(validate=one_of(1, 2))
    value = Str()


class OrSmartGroupRuleNodeSchema(StrictSchema):
    rule = Nested(SmartGroupRuleSchema)


# `or` and `and` are Python keywords: these two are built from a dict of their fields.
AndSmartGroupRuleNodeSchema = StrictSchema.from_dict(
    {"or": XmlList(Nested(OrSmartGroupRuleNodeSchema))}, name="AndSmartGroupRuleNodeSchema")
SmartGroupRuleNodesSchema = StrictSchema.from_dict(
    {"and": XmlList(Nested(AndSmartGroupRuleNodeSchema))}, name="SmartGroupRuleNodesSchema")
AndSmartGroupRuleNodeSchema.__module__ = SmartGroupRuleNodesSchema.__module__ = __name__


class SmartGroupRulesSchema(StrictSchema):
    groupId = Str(validate=UUID)
    rules = Nested(SmartGroupRuleNodesSchema)


class SmartGroupRulesPageSchema(StrictSchema):
    """GET /group/smart/{id}/rules: `{"smartGroupRules": {"groupId", "rules": {"and": [{"or": [{"rule"}]}]}}}`;
    in XML <and> and <or> repeat (the spec's unwrapped arrays, the docs' SOAP sample)."""

    smartGroupRules = Nested(SmartGroupRulesSchema)


class SoapGroupSchema(StrictSchema):
    """getGroups' group: groupId and name (the docs' sample)."""

    groupId = Str(validate=UUID)
    name = Str()


class GetGroupsResultSchema(StrictSchema):
    group = XmlList(Nested(SoapGroupSchema), required=False)


class AddSmartGroupResultSchema(StrictSchema):
    """addSmartGroup: "returns an object with the following properties: groupId" (docs)."""

    groupId = Str(validate=UUID)


SOAP_RESULTS.update({
    "GetGroupsResult": GetGroupsResultSchema,
    "AddSmartGroupResult": AddSmartGroupResultSchema,
})


# --- training ---


class TrainingSchema(StrictSchema):
    """The spec's Training (xml `training`): sessions an ArrayOfIds, `<sessions><id/>…</sessions>`."""

    title = Str()
    organizer = Str(validate=UUID)
    sessions = XmlList(Str(validate=UUID), item="id")
    type = Str(validate=one_of("Webinar", "Offline"))


class TrainingAnswerSchema(StrictSchema):
    """GET /training/{trainingId}, JSON: `{"response": Training}`."""

    response = Nested(TrainingSchema)


class TrainingAnswerXmlSchema(StrictSchema):
    """GET /training/{trainingId}, XML: `<response><training>…</training></response>` (Training's xml name)."""

    training = Nested(TrainingSchema)


class TrainingSessionSchema(StrictSchema):
    """The spec's TrainingSession (xml `trainingSession`), in its property order; duration in seconds."""

    id = Str(validate=UUID)
    title = Str()
    startTime = Str(validate=DATETIME)
    duration = Int()
    instructor = Str(validate=UUID, required=False)
    dayIds = XmlList(Str(validate=UUID), item="id")


class TrainingSessionAnswerSchema(StrictSchema):
    response = Nested(TrainingSessionSchema)


class TrainingSessionAnswerXmlSchema(StrictSchema):
    trainingSession = Nested(TrainingSessionSchema)


class TrainingSessionsSchema(BareValueSchema):
    """GET /training/{trainingId}/sessions, JSON: the spec's bare array of TrainingSession."""

    value = List(Nested(TrainingSessionSchema))


class TrainingSessionsXmlSchema(StrictSchema):
    """… XML: `<response><trainingSession/>…</response>`."""

    trainingSession = XmlList(Nested(TrainingSessionSchema), required=False)


class DaySchema(StrictSchema):
    """The spec's Day (xml `Day`): an Offline day has a location, a Webinar day a url (or one set since)."""

    dayId = Str(validate=UUID)
    sessionId = Str(validate=UUID)
    trainingId = Str(validate=UUID)
    startTime = Str(validate=DATETIME)
    duration = Int()
    location = Str(required=False)
    url = Str(required=False)


class DayAnswerSchema(StrictSchema):
    response = Nested(DaySchema)


class DayAnswerXmlSchema(StrictSchema):
    Day = Nested(DaySchema)


class ParticipantIdsSchema(BareValueSchema):
    """GET /training/session/participants/{sessionId}, JSON: a bare array of userIds."""

    value = List(Str(validate=UUID))


# --- results --------------------------------------------------------------------------------------------------------
# The spec's results, statistics, certificate, gamification and report schemas, in their property order.

COMPLETION_STATUSES = ("not_started", "in_progress", "pending", "complete", "passed", "accepted", "incomplete",
                       "failed", "declined")  # CompletionStatus


def _percent(value) -> bool:
    return 0 <= value <= 100


class LearnerResultSchema(StrictSchema):
    """LearnerResult (`<result>`)."""

    userId = Str(validate=UUID)
    courseId = Str(validate=UUID)
    courseTitle = Str()
    enrollmentId = Str(validate=UUID, required=False)
    accessDate = Str(validate=DATETIME)
    dueDate = Str(validate=DATETIME, required=False)
    expirationDate = Str(validate=DATETIME, required=False)
    completionDate = Str(validate=DATETIME, required=False)
    duration = Int(required=False)
    timeSpent = Int(required=False)
    completionStatus = Str(validate=one_of(*COMPLETION_STATUSES))
    awardedScore = Number(required=False, validate=_percent)
    passingScore = Number(required=False, validate=_percent)
    progress = Number(required=False, validate=_percent)
    isOverdue = Bool()
    viewsCount = Int(required=False)


class LearnersResultsSchema(StrictSchema):
    """GET /learners/results: LearnersResultsResponse, `<response><results><result/>..</results><nextPageToken/>`."""

    results = XmlList(Nested(LearnerResultSchema), item="result")
    nextPageToken = Str(required=False)


class LearnerModuleResultSchema(StrictSchema):
    """LearnerModuleResult (`<result>`)."""

    userId = Str(validate=UUID)
    courseId = Str(validate=UUID)
    moduleId = Str(validate=UUID)
    moduleTitle = Str()
    courseItemId = Str(validate=UUID)
    enrollmentId = Str(validate=UUID, required=False)
    accessDate = Str(validate=DATETIME)
    dueDate = Str(validate=DATETIME, required=False)
    expirationDate = Str(validate=DATETIME, required=False)
    completionDate = Str(validate=DATETIME, required=False)
    timeSpent = Int(required=False)
    completionStatus = Str(validate=one_of(*COMPLETION_STATUSES))
    awardedScore = Number(required=False, validate=_percent)
    passingScore = Number(required=False, validate=_percent)
    progress = Number(required=False, validate=_percent)
    isOverdue = Bool()
    viewsCount = Int(required=False)


class LearnersModulesResultsSchema(StrictSchema):
    """GET /learners/modules/results: LearnersModulesResultsResponse."""

    results = XmlList(Nested(LearnerModuleResultSchema), item="result")
    nextPageToken = Str(required=False)


class ContentItemFinalStatusSchema(StrictSchema):
    userId = Str(validate=UUID)
    status = Str(validate=one_of(*COMPLETION_STATUSES))
    progress = Int(validate=_percent)
    completionDate = Str(validate=DATETIME, required=False)
    lastViewDate = Str(validate=DATETIME, required=False)


class ContentItemFinalStatusesSchema(BareValueSchema):
    """GET /content/{id}/final_statuses, JSON: a bare array of ContentItemFinalStatus."""

    value = List(Nested(ContentItemFinalStatusSchema))


class ContentItemFinalStatusesXmlSchema(StrictSchema):
    """XML: `<statuses><status/>...</statuses>` (the spec's array named statuses, items status)."""

    status = XmlList(Nested(ContentItemFinalStatusSchema), required=False)


class IssuedCertificateSchema(StrictSchema):
    """GET /certificate/{id}: IssuedCertificate, `{"url"}` / `<attachment><url/></attachment>`."""

    url = Str(validate=URL)


class TaskIdSchema(StrictSchema):
    """POST /statistics/course, POST and DELETE /statistics/module: `{"taskId"}` / `<response><taskId/>`."""

    taskId = Int()


class UserPointsInfoSchema(StrictSchema):
    userId = Str(validate=UUID)
    points = Number()


class UserPointsSchema(BareValueSchema):
    """GET /gamification/points, JSON: a bare array of UserPointsInfo."""

    value = List(Nested(UserPointsInfoSchema))


class UserPointsXmlSchema(StrictSchema):
    """XML: `<response><userPointsInfo/>...</response>` (the cse bot reads `response > userPointsInfo > points`)."""

    userPointsInfo = XmlList(Nested(UserPointsInfoSchema), required=False)


class ActiveUserIdsSchema(BareValueSchema):
    """GET /report/active-users-by-period, JSON: the bare array of userIds."""

    value = List(Str(validate=UUID))


class ParticipantIdsXmlSchema(StrictSchema):
    """… XML: `<response><id/>…</response>`."""

    id = XmlList(Str(validate=UUID), required=False)


class SoapTrainingSessionSchema(StrictSchema):
    """listSessionsByTraining's trainingSession (vendor notes §1.4: id, title, startTime, duration s, dayIds,
    instructor)."""

    id = Str(validate=UUID)
    title = Str()
    startTime = Str(validate=DATETIME)
    duration = Int()
    dayIds = XmlList(Str(validate=UUID), item="id")
    instructor = Str(validate=UUID, required=False)


class ListSessionsByTrainingResultSchema(StrictSchema):
    trainingSession = XmlList(Nested(SoapTrainingSessionSchema), required=False)


SOAP_RESULTS.update({"ListSessionsByTrainingResult": ListSessionsByTrainingResultSchema})


class AssignmentSchema(StrictSchema):
    """The spec's Assignment (xml `assignment`); courseFields left out: the world's items carry no course fields."""

    assignmentId = Str(validate=UUID)
    title = Str()
    instructorId = Str(validate=UUID, required=False)


class AssignmentsPageSchema(StrictSchema):
    """GET /assignments: `<response><assignments><assignment/>…</assignments><nextPageToken/></response>`."""

    assignments = XmlList(Nested(AssignmentSchema), item="assignment")
    nextPageToken = Str(required=False)


class AttachmentSchema(StrictSchema):
    """AssignmentAttemptAttachment (xml `attachment`)."""

    fileName = Str()
    fileSize = Int()
    url = Str(validate=URL)


class AssignmentAttemptSchema(StrictSchema):
    """AssignmentAttempt, JSON: attachments an array."""

    attemptId = Str(validate=UUID)
    enrollmentId = Str(validate=UUID)
    userId = Str(validate=UUID)
    comment = Str()
    attachments = List(Nested(AttachmentSchema))


class AssignmentAttemptXmlSchema(StrictSchema):
    """AssignmentAttempt, XML (`attempt`): `<attachment>` repeated (the spec's unwrapped array)."""

    attemptId = Str(validate=UUID)
    enrollmentId = Str(validate=UUID)
    userId = Str(validate=UUID)
    comment = Str()
    attachment = XmlList(Nested(AttachmentSchema), required=False)


class AssignmentAttemptsSchema(BareValueSchema):
    """GET /assignment/{assignmentId}/attempts/ungraded, JSON: a bare array of AssignmentAttempt."""

    value = List(Nested(AssignmentAttemptSchema))


class AssignmentAttemptsXmlSchema(StrictSchema):
    """… XML: `<response><attempt/>…</response>`."""

    attempt = XmlList(Nested(AssignmentAttemptXmlSchema), required=False)


# --- webhooks ---------------------------------------------------------------------------------------------------------

WEBHOOK_EVENT_TYPES = (  # the spec's Subscription.subscriptionType
    "USER_REGISTERED", "LEARNERS_ENROLLED_IN_COURSE", "TRAINING_MEETING_ADDED", "TRAINING_MEETING_REMOVED",
    "TRAINING_MEETING_UPDATED", "TRAINING_SESSION_PARTICIPANTS_ADDED", "TRAINING_SESSION_PARTICIPANT_REMOVED",
    "COURSE_COMPLETED_SUCCESSFULLY", "COURSE_STATUS_CHANGED", "COURSE_ITEM_COMPLETED_SUCCESSFULLY",
    "COURSE_ITEM_STATUS_CHANGED",
)


class SubscriptionParameterSchema(StrictSchema):
    name = Str()
    value = Str()  # a JSON array of IDs, as text (the docs' sample)


class SubscriptionSchema(StrictSchema):
    """Subscription; in XML its params repeat `<params>` (the spec's array, unwrapped), none when it has none."""

    subscriptionType = Str(validate=one_of(*WEBHOOK_EVENT_TYPES))
    params = XmlList(Nested(SubscriptionParameterSchema), required=False)


class SubscriptionsSchema(BareValueSchema):
    """GET /webhook/subscription/list, JSON: the spec's bare array of Subscription (the docs' sample)."""

    value = List(Nested(SubscriptionSchema))


class SubscriptionsXmlSchema(StrictSchema):
    """GET /webhook/subscription/list, XML: `<response><subscription/>...</response>` (the spec's array named
    response; it names no item, the component's name is taken)."""

    subscription = XmlList(Nested(SubscriptionSchema), required=False)


class SubscriberInfoSchema(StrictSchema):
    """GET /webhook/subscriber/info: GetSubscriberInfoResponse (the docs' sample; the spec's operation names no body
    but defines this schema)."""

    subscriberStatus = Str(validate=one_of("INACTIVE", "ACTIVE"))
    confirmationStatus = Str(validate=one_of("UNCONFIRMED", "CONFIRMED"))
    notificationProcessStatus = Str(validate=one_of("INACTIVE", "ACTIVE", "SUSPENDED"))


class ActiveUsersByPeriodSchema(StrictSchema):
    ids = XmlList(Str(validate=UUID), item="ids")  # the spec's wrapped array; its items take the array's name
    activityStartDate = Str(validate=DATE, required=False)
    activityEndDate = Str(validate=DATE, required=False)


class ActiveUsersXmlSchema(StrictSchema):
    """XML: `<response><activeUsersByPeriod>...</activeUsersByPeriod></response>`."""

    activeUsersByPeriod = Nested(ActiveUsersByPeriodSchema)
