"""World entities as Ruangkerja wire items: plain dicts with the vendor's keys, in the docs' key order."""

from __future__ import annotations

from ..world import ruangkerja as faces
from ..world.model import Assignment, Batch, Course, OnlineAssignment, OrgUnit, Person, Tag
from ..world.store import World


def user_ref(person: Person) -> dict:
    return {"serial": person.serial, "name": person.name, "employeeID": person.employee_id}


def assignment_outcome(a: Assignment) -> dict:
    return {
        "absentReason": a.absent_reason,
        "assignedCourseSerial": a.serial,
        "feedback": a.feedback,
        "isAttend": a.is_attend,
        "userAssignedStatus": a.user_assigned_status,
        "postActivityStatus": a.post_activity_status,
        "postTestAttempt": a.post_test_attempt,
        "postTestScore": a.post_test_score,
        "postTestPassingScore": a.post_test_passing_score,
    }


def course(world: World, c: Course) -> dict:
    # The docs' copy of this page is cut off after `description`: no field past it is guessed.
    return {"serial": c.serial, "name": c.name, "description": c.description}


def batch(world: World, b: Batch) -> dict:
    return {
        "serial": b.serial,
        "name": b.name,
        "mainActivityStartAt": b.main_activity_start_at,
        "mainActivityEndAt": b.main_activity_end_at,
        "postActivityStartAt": b.post_activity_start_at,
        "postActivityEndAt": b.post_activity_end_at,
        "platform": b.platform,
        "location": b.location,
        "note": b.note,
        "status": b.status,
    }


def online_user(world: World, o: OnlineAssignment) -> dict:
    return {
        "user": user_ref(world.person_by_employee_id[o.employee_id]),
        "postTest": o.post_test,
        "preTest": o.pre_test,
        "timeSpent": o.time_spent,
        "lastAccessMission": o.last_access_mission,
        "completedAt": o.completed_at,
        "status": o.status,
    }


def batch_user(world: World, a: Assignment) -> dict:
    """An item of a batch's users (offline and webinar alike)."""
    return {"user": user_ref(world.person_by_employee_id[a.employee_id]), **assignment_outcome(a)}


def user_batch_activity(world: World, a: Assignment) -> dict:
    """An item of a user's offline or webinar course activity."""
    c, b = world.course_by_serial[a.course_serial], world.batch_by_serial[a.batch_serial]
    return {"course": {"serial": c.serial, "name": c.name}, "batch": {"serial": b.serial, "name": b.name},
            **assignment_outcome(a)}


# --- users ------------------------------------------------------------------------------------------------------------


def user(world: World, p: Person) -> dict:
    org_serial, org_name = faces.organization(world, p)
    return {
        "employeeID": p.employee_id,
        "name": p.name,
        "username": p.username,
        "email": p.email,
        "phone": p.phone,
        "isActive": p.is_active,
        "companyName": world.company.name,
        "companySerial": world.company.serial,
        "organizationDisplayName": org_name,
        "organizationLevelSerial": org_serial,
        "tags": [{"serial": t.serial, "name": t.name} for t in faces.person_tags(world, p)],
    }


# --- tags -------------------------------------------------------------------------------------------------------------


def tag(world: World, t: Tag) -> dict:
    return {"name": t.name, "serial": t.serial}


# --- company structure and course assignment --------------------------------------------------------------------------


def organization(unit: OrgUnit, children: dict[str, list[OrgUnit]]) -> dict:
    """A company-structure node and, nested the same way, its children (keys in the docs' alphabetical order)."""
    return {
        "childOrganizations": [organization(child, children) for child in children.get(unit.serial, [])],
        "isActive": unit.is_active,
        "name": unit.name,
        "serial": unit.serial,
    }
