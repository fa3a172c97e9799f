"""The Ruangkerja face of the world: the queries its operations ask. Rows come back in the vendor's list order.

Derived numbers (summary counts, learning-plan counters, averages) are never stored: the queries hand the item
mappers the rows themselves, and the rules below turn rows into numbers. User-scoped and learning-plan queries read
`world.online_assignments` itself, so an online assignment written to it counts everywhere at once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import NotFoundError
from .model import Assignment, Batch, Course, LearningPlan, OnlineAssignment, OrgUnit, Person, PlanCourse
from .store import World


def courses_named(world: World, fragment: str | None) -> list[Course]:
    """The docs' `name` filter: courses whose name contains it (case-insensitive); all of them without one."""
    wanted = (fragment or "").casefold()
    return [c for c in world.courses if wanted in c.name.casefold()] if wanted else world.courses


def course(world: World, serial: str) -> Course:
    found = world.course_by_serial.get(serial)
    if found is None:
        raise NotFoundError("course", serial)
    return found


def course_batches(world: World, course_serial: str) -> list[Batch]:
    return world.batches_by_course[course(world, course_serial).serial]  # an online course has none


def batch(world: World, course_serial: str, batch_serial: str, category: str) -> Batch:
    """A batch of the course; 404 when the batch belongs to another course or the course is not `category`."""
    found_course = course(world, course_serial)
    found = world.batch_by_serial.get(batch_serial)
    if found_course.category != category:
        raise NotFoundError(f"{category.lower()} course", found_course.serial)
    if found is None or found.course_serial != found_course.serial:
        raise NotFoundError("batch", batch_serial)
    return found


def batch_users(world: World, course_serial: str, batch_serial: str, category: str) -> list[Assignment]:
    """The people assigned to a batch of an Offline or Webinar course, with their outcomes."""
    return world.assignments_by_batch[batch(world, course_serial, batch_serial, category).serial]


def online_users(world: World, course_serial: str) -> list[OnlineAssignment]:
    """The people assigned to an Online course, with their progress; 404 when the course is not online."""
    found = course(world, course_serial)
    if found.category != "Online":
        raise NotFoundError("online course", found.serial)
    return world.online_assignments_by_course[found.serial]


def employee(world: World, employee_id_or_serial: str) -> Person:
    """The docs' `:employeeID` slot takes an employee ID, and their examples pass a user serial: accept both."""
    found = world.person_by_employee_id.get(employee_id_or_serial) or world.person_by_serial.get(
        employee_id_or_serial)
    if found is None:
        raise NotFoundError("employee", employee_id_or_serial)
    return found


def employee_course_activity(world: World, employee_id: str, category: str) -> list[Assignment]:
    """A person's assignments to batches of `category` (Offline or Webinar) courses."""
    person = employee(world, employee_id)
    return [a for a in world.assignments_by_employee[person.employee_id]
            if world.course_by_serial[a.course_serial].category == category]


def employee_online_activity(world: World, employee_id: str) -> list[OnlineAssignment]:
    """A person's online assignments, in world order."""
    person = employee(world, employee_id)
    return [o for o in world.online_assignments if o.employee_id == person.employee_id]


def org_path(world: World, serial: str) -> list[OrgUnit]:
    """The company-structure nodes from the top down to `serial`."""
    path = []
    unit = world.org_unit_by_serial.get(serial)
    while unit is not None and unit not in path:
        path.insert(0, unit)
        unit = world.org_unit_by_serial.get(unit.parent_serial) if unit.parent_serial else None
    return path


# --- the rules that turn rows into numbers (README, compatibility notes) ------------------------------------------

NOT_STARTED, IN_PROGRESS, COMPLETED, EXPIRED, FAILED = "not_started", "in_progress", "completed", "expired", "failed"


def batch_status(a: Assignment) -> str:
    """An offline or webinar assignment in the online courses' vocabulary: Cleared is completed; Failed is expired
    when its post activity ran out, failed otherwise; Ongoing is in progress once attended or once the post
    activity started, not started before."""
    if a.user_assigned_status == "Cleared":
        return COMPLETED
    if a.user_assigned_status == "Failed":
        return EXPIRED if a.post_activity_status == "EXPIRED" else FAILED
    return IN_PROGRESS if a.is_attend or a.post_activity_status == "IN PROGRESS" else NOT_STARTED


def plan_status(statuses: list[str]) -> str:
    """A participant's status in a learning plan, from their status on each of its courses: COMPLETED when every
    course is completed, else FAILED when one failed, else EXPIRED when one expired, else NOT STARTED when none
    started (or the plan has no course), else IN PROGRESS."""
    if statuses and all(s == COMPLETED for s in statuses):
        return "COMPLETED"
    if FAILED in statuses:
        return "FAILED"
    if EXPIRED in statuses:
        return "EXPIRED"
    if all(s == NOT_STARTED for s in statuses):
        return "NOT STARTED"
    return "IN PROGRESS"


def tally(statuses) -> Counter:
    return Counter(statuses)


def mean(values) -> int | float | None:
    """The average of the values that are there (None: not submitted); None when none is. A whole number is
    written as one (80, not 80.0), as Go writes a float64."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    average = sum(present) / len(present)
    return int(average) if average == int(average) else average


def online_status(row: OnlineAssignment | None) -> str:
    return row.status if row is not None else NOT_STARTED  # a participant with no assignment yet has not started


# --- learning plans -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberProgress:
    """One participant of a plan, and their online assignment to each course of it, in the plan's order."""

    plan: LearningPlan
    person: Person
    rows: tuple[OnlineAssignment | None, ...]

    @property
    def statuses(self) -> list[str]:
        return [online_status(row) for row in self.rows]


@dataclass(frozen=True)
class PlanProgress:
    plan: LearningPlan
    members: tuple[MemberProgress, ...]


@dataclass(frozen=True)
class PlanCourseProgress:
    """A course of a plan, and each participant's online assignment to it, in the plan's order of participants."""

    plan_course: PlanCourse
    course: Course
    rows: tuple[OnlineAssignment | None, ...]


def _online_by_pair(world: World) -> dict[tuple[str, str], OnlineAssignment]:
    return {(o.employee_id, o.course_serial): o for o in world.online_assignments}


def _members(world: World, plan: LearningPlan, by_pair: dict) -> tuple[MemberProgress, ...]:
    return tuple(
        MemberProgress(plan, world.person_by_employee_id[e],
                       tuple(by_pair.get((e, c.course_serial)) for c in plan.courses))
        for e in plan.employee_ids if e in world.person_by_employee_id
    )


def learning_plans_named(world: World, fragment: str | None) -> list[PlanProgress]:
    """The docs' `name` filter: plans whose name contains it (case-insensitive); all of them without one."""
    wanted = (fragment or "").casefold()
    by_pair = _online_by_pair(world)
    return [PlanProgress(plan, _members(world, plan, by_pair)) for plan in world.learning_plans
            if wanted in plan.name.casefold()]


def learning_plan(world: World, serial: str) -> LearningPlan:
    found = world.learning_plan_by_serial.get(serial)
    if found is None:
        raise NotFoundError("learning plan", serial)
    return found


def learning_plan_courses(world: World, serial: str) -> list[PlanCourseProgress]:
    plan = learning_plan(world, serial)
    members = _members(world, plan, _online_by_pair(world))
    return [PlanCourseProgress(c, world.course_by_serial[c.course_serial], tuple(m.rows[i] for m in members))
            for i, c in enumerate(plan.courses)]


def learning_plan_members(world: World, serial: str) -> list[MemberProgress]:
    plan = learning_plan(world, serial)
    return list(_members(world, plan, _online_by_pair(world)))


def employee_learning_plans(world: World, employee_id: str) -> list[MemberProgress]:
    """The plans a person takes part in, in world order, with their progress on each."""
    person = employee(world, employee_id)
    by_pair = _online_by_pair(world)
    return [MemberProgress(plan, person, tuple(by_pair.get((person.employee_id, c.course_serial))
                                                for c in plan.courses))
            for plan in world.learning_plans if person.employee_id in plan.employee_ids]


# --- summaries ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySummary:
    """A person and every course assignment of theirs: online ones, and batches of offline and webinar courses."""

    person: Person
    online: list[OnlineAssignment]
    batches: list[Assignment]


def activity_summary(world: World, employee_id: str) -> ActivitySummary:
    person = employee(world, employee_id)
    return ActivitySummary(person, employee_online_activity(world, person.employee_id),
                           list(world.assignments_by_employee[person.employee_id]))


@dataclass(frozen=True)
class Completion:
    """A course assignment completed at `completed` (UTC)."""

    serial: str
    employee_id: str
    course_name: str
    completed: datetime
    updated: datetime


def online_assignment_serial(o: OnlineAssignment) -> str:
    """Online assignments show no serial on their own pages; User Course Status names each one: ASGC- and eight
    characters derived from its course and employee, the same on every worker, every run and every export."""
    digest = hashlib.sha256(f"{o.course_serial}/{o.employee_id}".encode()).digest()
    return "ASGC-" + "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b % 36] for b in digest[:8])


def _instant(text: str) -> datetime | None:
    """An ISO time of a row as UTC (one without an offset is UTC); None when the row holds none."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def completions(world: World) -> list[Completion]:
    """Every completed course assignment, the newest first (as the docs' example lists them). An online one was
    completed at its last access on its `completedAt` day (that day's start if the last access is another day); a
    Cleared batch one when its batch's post activity ended, or its main activity if it has none."""
    found = []
    for o in world.online_assignments:
        if o.status == COMPLETED and o.completed_at:
            seen = _instant(o.last_access_mission)
            same_day = seen is not None and o.last_access_mission.startswith(o.completed_at)
            done = seen if same_day else _instant(o.completed_at[:10])
            if done is None:
                continue
            found.append(Completion(online_assignment_serial(o), o.employee_id,
                                    world.course_by_serial[o.course_serial].name, done, max(done, seen or done)))
    for a in world.assignments:
        if a.user_assigned_status == "Cleared":
            b = world.batch_by_serial[a.batch_serial]
            done = _instant(b.post_activity_end_at or b.main_activity_end_at)
            if done is None:
                continue
            found.append(Completion(a.serial, a.employee_id, world.course_by_serial[a.course_serial].name, done, done))
    return sorted(found, key=lambda c: (c.completed, c.serial), reverse=True)


def course_completions(world: World, start: datetime, end: datetime) -> list[Completion]:
    """The course assignments completed between `start` and `end` (both included)."""
    return [c for c in completions(world) if start <= c.completed <= end]


# --- users ------------------------------------------------------------------------------------------------------------


# --- tags -------------------------------------------------------------------------------------------------------------


# --- company structure and course assignment --------------------------------------------------------------------------
