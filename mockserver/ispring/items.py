"""World entities as iSpring payloads: plain dicts with the vendor's names, in the vendor's order.

None means "leave the element out" (the docs: dueDate only when set, expirationDate only with a lock, certificate
only when issued). REST follows the official spec (dates as `date`); SOAP follows the doc samples (certificate
dates as dateTime, seed 002), so the few differences are parameters here rather than two copies.
"""

from __future__ import annotations

from ..world import World
from ..world.model import Certificate, ContentItem, Enrollment, OrgUnit, Person

STATUS_ACTIVE, STATUS_INACTIVE = 1, 3


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


def user_profile(world: World, p: Person) -> dict:
    unit = world.org_unit_by_serial[p.org_serial]
    fields = [("LOGIN", p.username), ("EMAIL", p.email), ("FIRST_NAME", p.first_name), ("LAST_NAME", p.last_name),
              ("JOB_TITLE", p.job_title)]
    return {
        "userId": p.user_id,
        "role": "learner",
        "departmentId": unit.department_id,
        "status": STATUS_ACTIVE if p.is_active else STATUS_INACTIVE,
        "fields": [{"name": name, "value": value} for name, value in fields],
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


def department(world: World, unit: OrgUnit) -> dict:
    parent = world.org_unit_by_serial[unit.parent_serial] if unit.parent_serial else None
    # The world has no supervisors: a division reports to no one, a department inherits its division's line.
    return {
        "departmentId": unit.department_id,
        "name": unit.name,
        "code": unit.code,
        "parentDepartmentId": parent.department_id if parent else None,
        "subordination": {"subordinationType": "inherit" if parent else "no_supervisor"},
        "coSubordination": {"subordinationType": "no_supervisor"},
    }
