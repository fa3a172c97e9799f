"""iSpring Learn response contracts: REST bodies (JSON, and XML read through contracts.xml) and SOAP results.

Sources: the official REST OpenAPI spec (../shared/specs/ispring-learn-rest-openapi.yaml: Enrollment,
EnrollmentsPage, TokenResponse, ErrorResponse), the SOAP doc samples (../shared/seeds/002, vendor notes §1), and
../shared/vendor-notes/ispring.md for the rest. Field order is the vendor's: the spec's property order for REST,
the samples' element order for SOAP.
"""

from __future__ import annotations

import re

from marshmallow import ValidationError, validates_schema
from marshmallow.validate import Regexp

from .base import BareValueSchema, StrictSchema, one_of
from .fields import Bool, Int, List, Nested, Str
from .xml import Flag, XmlList

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


class RestContentItemSchema(ContentItemSchema):
    """ContentItemInformation (REST): the SOAP item and `contentItemType`."""

    contentItemType = Str(validate=one_of(*CONTENT_TYPES))


class ContentItemAnswerSchema(StrictSchema):
    """GET /content/{contentId}: `{"contentItem": {...}}`, XML `<response><contentItem/></response>`."""

    contentItem = Nested(RestContentItemSchema)


# --- users ----------------------------------------------------------------------------------------------------------


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


class GroupListSchema(GroupSchema):
    """GET /group, JSON: the spec's bare array of Group."""

    OPENAPI = {"type": "array", "items": GroupSchema}

    def __init__(self, *args, **kwargs):
        kwargs["many"] = True
        super().__init__(*args, **kwargs)


class GroupListXmlSchema(StrictSchema):
    """GET /group, XML: `<response><group/>...</response>` (the spec's array named response; the docs' sample)."""

    OPENAPI = {"type": "array", "items": GroupSchema, "xml": {"name": "response", "wrapped": True}}

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
