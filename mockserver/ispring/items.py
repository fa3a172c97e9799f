"""World entities as iSpring payloads: plain dicts with the vendor's names, in the vendor's order.

None means "leave the element out" (the docs: dueDate only when set, expirationDate only with a lock, certificate
only when issued). REST follows the official spec (dates as `date`); SOAP follows the doc samples (certificate
dates as dateTime, seed 002), so the few differences are parameters here rather than two copies.
"""

from __future__ import annotations

from ..world import World
from ..world.ispring import user_status
from ..world.model import Certificate, ContentItem, Department, Enrollment, Learner


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _datetime(value: str | None) -> str | None:
    # Generated certificates carry a date; the doc example a full timestamp. SOAP types both as xs:dateTime.
    if not value:
        return None
    return value if "T" in value else f"{value}T00:00:00+00:00"


def certificate(c: Certificate | None, *, timestamps: bool) -> dict | None:
    if c is None:
        return None
    fmt = _datetime if timestamps else _date
    return {"issuedCertificateId": c.issued_certificate_id, "issueDate": fmt(c.issue_date),
            "expiryDate": fmt(c.expiry_date)}


def rest_enrollment(e: Enrollment) -> dict:
    """The spec's Enrollment, in the spec's property order."""
    return {
        "enrollmentId": e.enrollment_id,
        "courseId": e.course_id,
        "learnerId": e.learner_id,
        "accessDate": e.access_date,
        "dueDate": e.due_date,
        "expirationDate": e.expiration_date,
        "shouldLockAfterDueDate": e.should_lock_after_due_date,
        "certificate": certificate(e.certificate, timestamps=False),
        "enrollmentTypeGroup": e.enrollment_type_group,
    }


def soap_enrollment(e: Enrollment) -> dict:
    """The SOAP enrollment; its element order comes from the Spyne model (soap/types.py), as in seed 002."""
    return {
        "enrollmentId": e.enrollment_id,
        "courseId": e.course_id,
        "learnerId": e.learner_id,
        "accessDate": e.access_date,
        "dueDate": e.due_date,
        "expirationDate": e.expiration_date,
        "enrollmentTypeGroup": e.enrollment_type_group,
        "shouldLockAfterDueDate": e.should_lock_after_due_date,
        "certificate": certificate(e.certificate, timestamps=True),
    }


def profile_fields(u: Learner) -> list[tuple[str, str]]:
    """The user's profile fields (name, value), the system ones first, as getUserProfileFields lists them."""
    system = [("LOGIN", u.login), ("EMAIL", u.email), ("FIRST_NAME", u.first_name), ("LAST_NAME", u.last_name),
              ("JOB_TITLE", u.job_title), ("PHONE", u.phone)]
    return [(name, value) for name, value in system if value] + list((u.extra_fields or {}).items())


def user_profile(world: World, u: Learner) -> dict:
    """The SOAP userProfile."""
    return {
        "userId": u.user_id,
        "role": u.role,
        "departmentId": u.department_id,
        "status": user_status(world, u),  # a scheduled deactivation or termination counts from its day
        "fields": [{"name": name, "value": value} for name, value in profile_fields(u)
                   if name in ("LOGIN", "EMAIL", "FIRST_NAME", "LAST_NAME", "JOB_TITLE")],
    }


def content_item(c: ContentItem) -> dict:
    return {
        "contentItemId": c.content_item_id,
        "title": c.title,
        "subtitle": c.subtitle,
        "description": c.description,
        "userId": c.author_id,
        "addedDate": c.added_date,
        "viewUrl": c.view_url,
        "type": c.type,
    }


def rest_content_item(world: World, c: ContentItem) -> dict:
    """The spec's ContentItemInformation: SOAP's fields, then `contentItemType`, which real clients read (`type` is
    deprecated in the spec), and a seeded course's `courseFields` (content section)."""
    from ..world.ispring_content import course_field_values

    values = course_field_values(world, c)
    return {**content_item(c), "contentItemType": c.type,
            "courseFields": None if values is None else [{"fieldId": f, "fieldValue": v} for f, v in values]}


def department(d: Department) -> dict:
    return {
        "departmentId": d.department_id,
        "name": d.name,
        "code": d.code,
        "parentDepartmentId": d.parent_id,
        "subordination": d.subordination,
        "coSubordination": d.co_subordination,
    }


# --- users ----------------------------------------------------------------------------------------------------------

# name, label, type, unique, required: the profile fields the world's users carry, in getUserProfileFields' order.
PROFILE_FIELD_INFO = (
    ("LOGIN", "Login", "text", True, True),
    ("EMAIL", "Email", "email", True, True),
    ("FIRST_NAME", "First Name", "text", False, False),
    ("LAST_NAME", "Last Name", "text", False, False),
    ("JOB_TITLE", "Job Title", "text", False, False),
    ("PHONE", "Phone", "phone", False, False),
)


def _user_shape() -> str:
    from ..context import runtime  # the setting of the server answering (items are mapped inside a request)

    return runtime().config.ispring_user_shape


def user_fields(u: Learner, shape: str = "clients"):
    """`fields`: the clients' array of {name, value} (LOGIN, EMAIL ...), or the spec's object {login, email ...}."""
    if shape == "spec":
        return {"login": u.login, "email": u.email,
                **{name.lower(): value for name, value in profile_fields(u) if name not in ("LOGIN", "EMAIL")}}
    return [{"name": name, "value": value} for name, value in profile_fields(u)]


def rest_user(world: World, u: Learner, *, v2: bool = False, shape: str | None = None) -> dict:
    """The spec's User (UserV2 with v2), in the spec's property order; None leaves a property out."""
    from ..world.ispring import groups_of

    shape = shape or _user_shape()
    managed = list(u.manageable_department_ids or [])
    return {
        "userId": u.user_id,
        "role": u.role,
        "roleId": u.role_id,
        "departmentId": u.department_id,
        "status": user_status(world, u),  # a scheduled deactivation or termination counts from its day
        "fields": user_fields(u, shape),
        "addedDate": u.added_date,
        "lastLoginDate": u.last_login_date,
        "manageableDepartmentIds": managed,
        "userRoles": [{"roleId": u.role_id, "manageableDepartmentIds": managed or None, "roleType": u.role}],
        "groups": groups_of(world, u.user_id),
        "subordination": u.subordination,
        "coSubordination": u.co_subordination,
        "workLeaveStatus": u.work_leave or None,
        "securityPolicyAcceptanceDate": None,
        "privacyPolicyConsentAcceptanceDate" if v2 else "personalDataConsentAcceptanceDate": None,
    }


def rest_user_v2(world: World, u: Learner) -> dict:
    return rest_user(world, u, v2=True)


# How a user is written in XML: `fields` as <field> items, ID arrays as <id> items, userRoles unwrapped (<userRole>).
USER_XML_LISTS = {"fields": ("field", True), "manageableDepartmentIds": ("id", True), "groups": ("id", True),
                  "userRoles": ("userRole", False)}


def user_field_info(n: int, info: tuple, *, soap: bool = False) -> dict:
    """UserFieldInfo: REST has the spec's 0/1 integers, SOAP the docs' booleans and isVisible."""
    name, label, kind, unique, required = info
    flag = (lambda b: b) if soap else int
    return {"userFieldInfoId": name, "name": name, "label": label, "type": kind, "isUnique": flag(unique),
            **({"isVisible": True} if soap else {}), "isRequired": flag(required), "orderPriority": n}


def role(r) -> dict:
    return {"roleId": r.role_id, "type": r.type, "title": r.title, "description": r.description}


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


def rest_department(d: Department) -> dict:
    """The spec's Department, in its property order (SOAP's `department` above keeps the SOAP samples' order)."""
    return {
        "departmentId": d.department_id,
        "name": d.name,
        "parentDepartmentId": d.parent_id,  # None (left out) for the root
        "code": d.code or None,  # a department added with no code has none
        "subordination": d.subordination,
        "coSubordination": d.co_subordination,
    }



# --- groups ---------------------------------------------------------------------------------------------------------


def group(g) -> dict:
    """The spec's Group (GET /group, GET /groups) and, without isSmart, the SOAP group of getGroups."""
    return {"groupId": g.group_id, "name": g.name, "isSmart": g.is_smart}


def detailed_group(world: World, g) -> dict:
    """The spec's DetailedGroup, in its property order; a smart group's members are the users its rules select now."""
    from ..world.ispring import group_members

    members = group_members(world, g)
    return {"usersCount": len(members), "groupId": g.group_id, "userIds": members, "name": g.name,
            "isSmart": g.is_smart}


def smart_group_rules(g) -> dict:
    """GET /group/smart/{id}/rules: SmartGroupRules, the rules as they were given (normalized)."""
    return {"smartGroupRules": {"groupId": g.group_id, "rules": g.rules or {"and": []}}}


def soap_group(g) -> dict:
    return {"groupId": g.group_id, "name": g.name}


# --- content --------------------------------------------------------------------------------------------------------

# How content is written in XML: the spec's unwrapped arrays repeat their item in place (<courseField>, <module>), its
# wrapped ones hold them (<contentItems><contentItem/>, <results><result/>, <parentCourseIds><id/>).
CONTENT_XML_LISTS = {"courseFields": ("courseField", False), "contentItems": ("contentItem", True)}


def courses_module(m) -> dict:
    """CoursesModule."""
    return {"moduleId": m.module_id, "contentItemId": m.content_item_id, "courseId": m.course_id, "title": m.title,
            "description": m.description, "authorId": m.author_id, "addedDate": m.added_date, "viewUrl": m.view_url}


def course_field(f) -> dict:
    return {"fieldId": f.field_id, "fieldCustomId": f.custom_id, "fieldLabel": f.label, "fieldType": f.field_type}


def course_tree_item(t) -> dict:
    return {"contentItemId": t.content_item_id, "title": t.title, "type": t.content_type,
            "description": t.description, "addedDate": t.added_date, "viewUrl": t.view_url, "parentId": t.parent_id,
            "isShared": t.is_shared}


def quiz(q) -> dict:
    return {"quizId": q.quiz_id, "quizTitle": q.title, "contentItemId": q.content_item_id,
            "parentCourseIds": list(q.parent_course_ids)}


def answer_breakdown_result(r) -> dict:
    """AnswerBreakdownResult, in the spec's property order (questionGroup, statementTitle, customAnswerText: none of
    the world's questions has them)."""
    return {"userId": r.user_id, "enrollmentId": r.enrollment_id, "quizVersion": r.quiz_version,
            "attemptDate": r.attempt_date, "isAttemptPassed": r.is_attempt_passed, "attemptScore": r.attempt_score,
            "passingScore": r.passing_score, "questionNumber": r.question_number, "questionTitle": r.question_title,
            "questionType": r.question_type, "questionScore": r.question_score, "answerText": r.answer_text,
            "isAnswerCorrect": r.is_answer_correct, "answerScore": r.answer_score}

# --- results --------------------------------------------------------------------------------------------------------
# Results read off the enrollment's progress (world/ispring_results.py); dates are the spec's `datetime`.


def learner_result(world: World, e: Enrollment) -> dict:
    """The spec's LearnerResult, in its property order (no `duration`: the world's courses state none)."""
    from ..world import ispring_results as results

    item = world.content_item_by_id.get(e.course_id)
    passing = results.passing_score(world, e.course_id)
    return {
        "userId": e.learner_id,
        "courseId": e.course_id,
        "courseTitle": item.title if item is not None else "",
        "enrollmentId": e.enrollment_id,
        "accessDate": _datetime(e.access_date),
        "dueDate": _datetime(e.due_date),
        "expirationDate": _datetime(e.expiration_date),
        "completionDate": e.completion_date,
        "timeSpent": e.time_spent,
        "completionStatus": e.status,
        "awardedScore": e.awarded_score,
        "passingScore": None if passing is None else float(passing),
        "progress": e.progress,
        "isOverdue": results.is_overdue(e, world.now().date()),
        "viewsCount": e.views_count,
    }


def learner_module_result(world: World, e: Enrollment, module, state: dict) -> dict:
    """The spec's LearnerModuleResult: one module of an enrollment's course, as module_states reads it."""
    from ..world import ispring_results as results

    passing = results.passing_score(world, e.course_id)
    return {
        "userId": e.learner_id,
        "courseId": e.course_id,
        "moduleId": module.module_id,
        "moduleTitle": module.title,
        "courseItemId": module.course_item_id,
        "enrollmentId": e.enrollment_id,
        "accessDate": _datetime(e.access_date),
        "dueDate": _datetime(e.due_date),
        "expirationDate": _datetime(e.expiration_date),
        "completionDate": state["completion_date"],
        "timeSpent": e.time_spent if state["status"] != "not_started" else 0,
        "completionStatus": state["status"],
        "awardedScore": state["score"],
        "passingScore": None if passing is None else float(passing),
        "progress": state["progress"],
        "isOverdue": results.is_overdue(e, world.now().date()),
        "viewsCount": e.views_count if state["status"] != "not_started" else 0,
    }


def final_status(e: Enrollment) -> dict:
    """The spec's ContentItemFinalStatus."""
    return {"userId": e.learner_id, "status": e.status, "progress": e.progress, "completionDate": e.completion_date,
            "lastViewDate": e.last_view_date}
