"""World entities as Ruangkerja wire items: plain dicts with the vendor's keys, in the docs' key order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..world import ruangkerja as rules
from ..world.model import Assignment, Batch, Course, OnlineAssignment, OrgUnit, Person, Tag
from ..world.ruangkerja import (
    COMPLETED,
    EXPIRED,
    FAILED,
    IN_PROGRESS,
    NOT_STARTED,
    ActivitySummary,
    Completion,
    MemberProgress,
    PlanCourseProgress,
    PlanProgress,
    mean,
    tally,
)
from ..world.store import World

WIB = timezone(timedelta(hours=7))  # the docs write User Course Status times in Jakarta time: +07:00


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


def user_online_activity(world: World, o: OnlineAssignment) -> dict:
    """An item of a user's online course activity."""
    c = world.course_by_serial[o.course_serial]
    return {"course": {"serial": c.serial, "name": c.name}, "postTest": o.post_test, "preTest": o.pre_test,
            "timeSpent": o.time_spent, "completedAt": o.completed_at, "status": o.status}


def _scores(rows) -> dict:
    rows = [r for r in rows if r is not None]
    return {"avgPostTest": mean(r.post_test for r in rows), "avgPreTest": mean(r.pre_test for r in rows)}


def learning_plan(world: World, p: PlanProgress) -> dict:
    """A plan, its averages over every participant's assignments to its courses, and its participants counted by
    their status in the plan (world/ruangkerja.py plan_status)."""
    counts = tally(rules.plan_status(m.statuses) for m in p.members)
    return {
        "serial": p.plan.serial,
        "name": p.plan.name,
        "description": p.plan.description,
        "createdAt": p.plan.created_at,
        "updatedAt": p.plan.updated_at,
        **_scores(row for m in p.members for row in m.rows),
        "numberOfCompleted": counts["COMPLETED"],
        "numberOfCourses": len(p.plan.courses),
        "numberOfExpired": counts["EXPIRED"],
        "numberOfFailed": counts["FAILED"],
        "numberOfInProgress": counts["IN PROGRESS"],
        "numberOfNotStarted": counts["NOT STARTED"],
        "numberOfParticipants": len(p.members),
    }


def learning_plan_course(world: World, pc: PlanCourseProgress) -> dict:
    """A course of a plan (`name` before `serial`, as documented), and its participants counted by their status on
    it."""
    counts = tally(rules.online_status(row) for row in pc.rows)
    return {
        "course": {"name": pc.course.name, "serial": pc.course.serial},
        "deadline": pc.plan_course.deadline,
        **_scores(pc.rows),
        "numberOfCompleted": counts[COMPLETED],
        "numberOfExpired": counts[EXPIRED],
        "numberOfFailed": counts[FAILED],
        "numberOfInProgress": counts[IN_PROGRESS],
        "numberOfNotStarted": counts[NOT_STARTED],
        "numberOfParticipants": len(pc.rows),
    }


def _member_progress(m: MemberProgress) -> dict:
    return {**_scores(m.rows), "numberOfCompleted": m.statuses.count(COMPLETED), "numberOfCourses": len(m.rows),
            "status": rules.plan_status(m.statuses)}


def learning_plan_user(world: World, m: MemberProgress) -> dict:
    return {"user": user_ref(m.person), **_member_progress(m)}


def user_learning_plan(world: World, m: MemberProgress) -> dict:
    return {"learningPlan": {"serial": m.plan.serial, "name": m.plan.name}, **_member_progress(m)}


def activity_summary(world: World, s: ActivitySummary) -> dict:
    """Every assignment of the person counted by status (batches in the online vocabulary: rules.batch_status);
    overallProgress is the completed share in percent, rounded up (the docs' 1 of 24 is 5)."""
    p = s.person
    statuses = [o.status for o in s.online] + [rules.batch_status(a) for a in s.batches]
    counts, assigned = tally(statuses), len(statuses)
    path = rules.org_path(world, p.org_serial)
    return {
        "user": {
            "serial": p.serial,
            "name": p.name,
            "employeeID": p.employee_id,
            "email": p.email,
            "tags": [world.tag_by_serial[t].name for t in p.tag_serials if t in world.tag_by_serial],
            "organizationLevelDisplayName": " > ".join([world.company.display_name, *(u.name for u in path)]),
            "organizationLevelSerial": p.org_serial,
            "lastAccessMission": p.last_access_mission,
        },
        "numberOfCoursesAssigned": assigned,
        "numberOfCoursesCompleted": counts[COMPLETED],
        "numberOfCoursesExpired": counts[EXPIRED],
        "numberOfCoursesFailed": counts[FAILED],
        "numberOfCoursesInProgress": counts[IN_PROGRESS],
        "numberOfCoursesNotStarted": counts[NOT_STARTED],
        "overallProgress": -(-100 * counts[COMPLETED] // assigned) if assigned else 0,
        "avgPostTest": mean([o.post_test for o in s.online]
                            + [a.post_test_score for a in s.batches if a.post_test_attempt > 0]),
        "avgPreTest": mean(o.pre_test for o in s.online),
        "timeSpent": sum(o.time_spent for o in s.online),
    }


def _wib(moment: datetime) -> str:
    return moment.astimezone(WIB).isoformat(timespec="seconds")


def course_completion(world: World, c: Completion) -> dict:
    return {"assignedCourseSerial": c.serial, "employeeID": c.employee_id, "courseName": c.course_name,
            "completedAt": _wib(c.completed), "updatedAt": _wib(c.updated), "status": COMPLETED}


# --- users ------------------------------------------------------------------------------------------------------------


def user(world: World, p: Person) -> dict:
    org_serial, org_name = rules.organization(world, p)
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
        "tags": [{"serial": t.serial, "name": t.name} for t in rules.person_tags(world, p)],
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
