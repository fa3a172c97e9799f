"""The iSpring face of the world: the queries both iSpring faces (SOAP and REST) ask, and the writes they make.

A write is one event in the shared log (state.py) with everything decided in it (IDs, dates), so every worker
applies the same change. Wire formats stay out of here: callers pass dates, ints and bools, not strings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from ..errors import BadRequestError, NotFoundError
from .ids import rng_for, time_uuid
from .model import ContentItem, Department, Enrollment, Group, Learner
from .store import World, applies

DUE_DATE_TYPES = ("unlimited", "default", "due_date", "due_period")

CREATED = "ispring.enrollments_created"
CHANGED = "ispring.enrollment_changed"
DELETED = "ispring.enrollments_deleted"


# --- queries ----------------------------------------------------------------------------------------------


def find_enrollments(
    world: World,
    course_ids: Iterable[str] | None = None,
    learner_ids: Iterable[str] | None = None,
    enrollment_ids: Iterable[str] | None = None,
) -> list[Enrollment]:
    """Enrollments matching every filter given (None = no filter), in enrollmentId order: the order a page
    cursor walks, so a page stays right when rows before it are deleted."""
    courses = None if course_ids is None else set(course_ids)
    learners = None if learner_ids is None else set(learner_ids)
    wanted = None if enrollment_ids is None else set(enrollment_ids)
    rows = (  # list(): a snapshot, as another thread of this worker may be applying the log meanwhile
        e for e in list(world.enrollments.values())
        if (courses is None or e.course_id in courses)
        and (learners is None or e.learner_id in learners)
        and (wanted is None or e.enrollment_id in wanted)
    )
    return sorted(rows, key=lambda e: e.enrollment_id)


def get_enrollment(world: World, enrollment_id: str) -> Enrollment:
    found = world.enrollments.get(enrollment_id)
    if found is None:
        raise NotFoundError("enrollment", enrollment_id)
    return found


def content_item(world: World, content_item_id: str) -> ContentItem:
    found = world.content_item_by_id.get(content_item_id)
    if found is None:
        raise NotFoundError("content item", content_item_id)
    return found


def learner(world: World, user_id: str) -> Learner:
    found = world.learner_by_id.get(user_id)
    if found is None:
        raise NotFoundError("user", user_id)
    return found


def department(world: World, department_id: str) -> Department:
    found = world.department_by_id.get(department_id)
    if found is None:
        raise NotFoundError("department", department_id)
    return found


def group_members(world: World, g: Group) -> list[str]:
    """The userIds of a group: its members, or for a smart group the users its rules select (groups section)."""
    return smart_members(world, g) if g.is_smart else list(g.user_ids)


def groups_of(world: World, user_id: str) -> list[str]:
    """The groupIds a user belongs to, in group order."""
    return [g.group_id for g in world.groups if user_id in group_members(world, g)]


# --- what a write asks for ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """Access and due terms of an enrollment as a request states them (dueDateType and its companions)."""

    due_date_type: str
    access: date | datetime | None = None  # None: today
    due_date: date | None = None
    due_period_hours: int | None = None
    lock_after_due_date: bool = False

    def resolve(self, today: date) -> tuple[str, str | None, bool]:
        """(accessDate, dueDate or None, shouldLockAfterDueDate) as stored; BadRequestError when incoherent."""
        if self.due_date_type not in DUE_DATE_TYPES:
            raise BadRequestError(f"dueDateType must be one of {', '.join(DUE_DATE_TYPES)}")
        start = self.access if self.access is not None else today
        start_at = start if isinstance(start, datetime) else datetime.combine(start, time(), timezone.utc)
        due: date | None = None
        if self.due_date_type == "due_date":
            if self.due_date is None:
                raise BadRequestError("dueDate is required when dueDateType is due_date")
            due = self.due_date
        elif self.due_date_type == "due_period":
            if self.due_period_hours is None:
                raise BadRequestError("duePeriod is required when dueDateType is due_period")
            if self.due_period_hours < 0:
                raise BadRequestError("duePeriod must not be negative")
            try:
                due = (start_at + timedelta(hours=self.due_period_hours)).date()
            except OverflowError:  # the spec allows any int32 of hours: 245,000 years past 9999-12-31
                raise BadRequestError("duePeriod puts the due date after the year 9999") from None
        # "default" takes the content item's default due date; the world's items set none, so like "unlimited".
        if due is not None and due < start_at.date():
            raise BadRequestError("dueDate is before accessDate")
        return start_at.date().isoformat(), due.isoformat() if due else None, self.lock_after_due_date


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# --- writes ---------------------------------------------------------------------------------------------


def enroll_learners_in_courses(world: World, state, course_ids, learner_ids, schedule: Schedule) -> list[str]:
    """Enroll every learner in every course; a (course, learner) pair already enrolled keeps its enrollment.

    Returns the enrollment IDs of all requested pairs, course by course, learner by learner.
    """
    course_ids, learner_ids = _unique(course_ids), _unique(learner_ids)

    def decide(w: World) -> dict:
        if not course_ids or not learner_ids:
            raise BadRequestError("courseIds and learnerIds must each name at least one ID")
        for cid in course_ids:
            if cid not in w.content_item_by_id:
                raise BadRequestError(f"unknown courseId {cid}")
        for lid in learner_ids:
            if lid not in w.learner_by_id:
                raise BadRequestError(f"unknown learnerId {lid}")
        access, due, lock = schedule.resolve(_today())
        existing = {(e.course_id, e.learner_id): e.enrollment_id for e in list(w.enrollments.values())}
        taken = set(w.enrollments)
        rows, ids = [], []
        for cid in course_ids:
            for lid in learner_ids:
                if (cid, lid) in existing:
                    ids.append(existing[(cid, lid)])
                    continue
                new_id = _new_enrollment_id(w, cid, lid, access, taken)
                taken.add(new_id)
                ids.append(new_id)
                rows.append(asdict(Enrollment(new_id, cid, lid, access, due, lock, 0, None)))
        return {"enrollments": rows, "ids": ids}

    return world.commit(state, CREATED, decide)["ids"]


def _new_enrollment_id(world: World, course_id: str, learner_id: str, access: str, taken: set[str]) -> str:
    """A time-based UUID like production's, derived from the seed, the log position and the pair."""
    day = datetime.fromisoformat(access).replace(tzinfo=timezone.utc)
    for attempt in range(100):
        rng = rng_for(world.seed, "enrollment-write", f"{world.seq + 1}/{course_id}/{learner_id}/{attempt}")
        candidate = time_uuid(rng, day, day + timedelta(days=1))
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free enrollment ID")  # 100 collisions of random 74-bit IDs: not in this universe


def change_enrollment(world: World, state, enrollment_id: str, schedule: Schedule) -> None:
    def decide(w: World) -> dict:
        get_enrollment(w, enrollment_id)
        access, due, lock = schedule.resolve(_today())
        return {"enrollment_id": enrollment_id, "access_date": access, "due_date": due,
                "should_lock_after_due_date": lock}

    world.commit(state, CHANGED, decide)


def unenroll(world: World, state, enrollment_ids) -> None:
    """Delete enrollments: all of them, or none when one ID is unknown."""
    enrollment_ids = _unique(enrollment_ids)

    def decide(w: World) -> dict:
        if not enrollment_ids:
            raise BadRequestError("enrollmentIds must name at least one ID")
        for eid in enrollment_ids:
            get_enrollment(w, eid)
        return {"enrollment_ids": enrollment_ids}

    world.commit(state, DELETED, decide)


# --- applying the log -------------------------------------------------------------------------------------


@applies(CREATED)
def _apply_created(world: World, payload: dict) -> None:
    for row in payload["enrollments"]:
        world.enrollments[row["enrollment_id"]] = Enrollment(**row)


@applies(CHANGED)
def _apply_changed(world: World, payload: dict) -> None:
    found = world.enrollments.get(payload["enrollment_id"])
    if found is not None:  # None: deleted by an earlier event, nothing left to change
        # A new object, not edits in place: a reader on another thread sees the old row or the new one.
        world.enrollments[found.enrollment_id] = replace(
            found, access_date=payload["access_date"], due_date=payload["due_date"],
            should_lock_after_due_date=payload["should_lock_after_due_date"])


@applies(DELETED)
def _apply_deleted(world: World, payload: dict) -> None:
    for eid in payload["enrollment_ids"]:
        world.enrollments.pop(eid, None)


# --- users ----------------------------------------------------------------------------------------------------------


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------


def smart_members(world: World, g: Group) -> list[str]:
    """The users a smart group's rules select."""
    return []  # evaluated in the groups slice
