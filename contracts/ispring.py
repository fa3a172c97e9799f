"""iSpring Learn response contracts: REST bodies (JSON, and XML read through contracts.xml) and SOAP results.

Sources: the official REST OpenAPI spec (../shared/specs/ispring-learn-rest-openapi.yaml: Enrollment,
EnrollmentsPage, TokenResponse, ErrorResponse), the SOAP doc samples (../shared/seeds/002, vendor notes §1), and
../shared/vendor-notes/ispring.md for the rest. Field order is the vendor's: the spec's property order for REST,
the samples' element order for SOAP.
"""

from __future__ import annotations

from marshmallow import ValidationError, validates_schema
from marshmallow.validate import Regexp

from .base import StrictSchema, one_of
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
FAULT_STRINGS = ("Authorization failed", "Wrong parameters", "Permission denied", "Unknown Enrollment",
                 "Internal Error")


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


class SoapFaultSchema(StrictSchema):
    """`<SOAP-ENV:Fault>`'s children: unprefixed lower-case `client`, a documented faultstring, nothing else."""

    faultcode = Str(validate=one_of("client", "server"))
    faultstring = Str(validate=one_of(*FAULT_STRINGS))


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


# --- users ----------------------------------------------------------------------------------------------------------


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


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


class CreatedGroupSchema(StrictSchema):
    """POST /group and POST /group/smart, 201: the new group's ID, bare: `<response>uuid</response>` in XML (real
    clients cut it out with a regex), the JSON string `"uuid"` in JSON (the spec: `type: string, format: uuid`)."""

    OPENAPI = {"type": "string", "format": "uuid", "description": "The group ID",
               "xml": {"name": "response", "wrapped": True}}
    xml_text = True

    def load(self, data, **kwargs):
        if not isinstance(data, str) or UUID.regex.match(data) is None:
            raise ValidationError(f"expected the new group's ID, a lower-case UUID, got {data!r}")
        return data


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
