"""The iSpring face of the world: the queries both iSpring faces (SOAP and REST) ask, and the writes they make.

A write is one event in the shared log (state.py) with everything decided in it (IDs, dates), so every worker
applies the same change. Wire formats stay out of here: callers pass dates, ints and bools, not strings.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from ..errors import BadRequestError, MockError, NotFoundError
from . import ispring_seed
from .ids import rng_for, time_uuid
from .model import Certificate, ContentItem, Department, Enrollment, Group, Learner, Task
from .store import Unchanged, World, applies

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
    return world.derived("groups_by_user", lambda: _groups_by_user(world)).get(user_id, [])


def _groups_by_user(world: World) -> dict[str, list[str]]:
    """Every user's groups at once: a page of users asks for each, and a smart group's members cost a pass over
    every learner (at 10,000 people, a page took a second)."""
    found: dict[str, list[str]] = {}
    for g in world.groups:
        for user_id in dict.fromkeys(group_members(world, g)):
            found.setdefault(user_id, []).append(g.group_id)
    return found


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


def _today(world: World) -> date:
    return world.now().date()


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
        access, due, lock = schedule.resolve(_today(w))
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
                rows.append(asdict(Enrollment(new_id, cid, lid, access, due, lock, 0, None, status="not_started")))
        return {"enrollments": rows, "ids": ids} if rows else Unchanged(enrollments=rows, ids=ids)

    return world.commit(state, CREATED, decide)["ids"]


def _new_enrollment_id(world: World, course_id: str, learner_id: str, access: str, taken: set[str]) -> str:
    """A time-based UUID like production's, derived from the seed, the log position and the pair."""
    day = datetime.fromisoformat(access).replace(tzinfo=timezone.utc)
    # accessDate 9999-12-31 is a date clients send for "never": its day ends without a next one to count to
    end = day + timedelta(days=1) if day.date() < date.max else day.replace(hour=23, minute=59, second=59)
    for attempt in range(100):
        rng = rng_for(world.seed, "enrollment-write", f"{world.seq + 1}/{course_id}/{learner_id}/{attempt}")
        candidate = time_uuid(rng, day, end)
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free enrollment ID")  # 100 collisions of random 74-bit IDs: not in this universe


def change_enrollment(world: World, state, enrollment_id: str, schedule: Schedule) -> None:
    def decide(w: World) -> dict:
        found = get_enrollment(w, enrollment_id)
        access, due, lock = schedule.resolve(_today(w))
        payload = {"enrollment_id": enrollment_id, "access_date": access, "due_date": due,
                   "should_lock_after_due_date": lock}
        same = (found.access_date, found.due_date, found.should_lock_after_due_date) == (access, due, lock)
        return Unchanged(payload) if same else payload

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

USER_ADDED = "ispring.user_added"
USER_UPDATED = "ispring.user_updated"
USER_REMOVED = "ispring.user_removed"
# The profile fields a user carries (items.profile_fields), as REST requests name them (`<fields><login/>...`).
PROFILE_FIELDS = ("login", "email", "first_name", "last_name", "job_title", "phone")
ROLE_TYPES = ("learner", "administrator", "department_administrator", "publisher", "custom")


@dataclass(frozen=True)
class UserFilter:
    """The filters of the user lists (None = no filter): a user matches every filter given, any value of each."""

    departments: list[str] | None = None
    groups: list[str] | None = None
    logins: list[str] | None = None
    emails: list[str] | None = None
    user_ids: list[str] | None = None


def find_users(world: World, f: UserFilter = UserFilter(), *, by_id: bool = False) -> list[Learner]:
    """iSpring's users matching `f`, in the world's order (by_id: in userId order, the order a page cursor walks)."""
    members = None
    if f.groups is not None:
        members = {uid for gid in f.groups if (g := world.group_by_id.get(gid)) for uid in group_members(world, g)}
    departments = None if f.departments is None else set(f.departments)
    logins = None if f.logins is None else set(f.logins)
    emails = None if f.emails is None else {e.lower() for e in f.emails}  # e-mail addresses ignore case
    ids = None if f.user_ids is None else set(f.user_ids)
    rows = [u for u in list(world.learners)
            if (departments is None or u.department_id in departments)
            and (members is None or u.user_id in members)
            and (logins is None or u.login in logins)
            and (emails is None or u.email.lower() in emails)
            and (ids is None or u.user_id in ids)]
    return sorted(rows, key=lambda u: u.user_id) if by_id else rows


@dataclass(frozen=True)
class UserChange:
    """What AddUser or UpdateUserProfile asks for; None leaves a thing as it is (AddUser: its default)."""

    fields: dict[str, str] | None = None  # PROFILE_FIELDS names -> value
    department_id: str | None = None
    role: str | None = None
    role_id: str | None = None
    group_ids: list[str] | None = None
    manageable_department_ids: list[str] | None = None


class UserConflict(BadRequestError):
    """A login or e-mail already registered; `field` says which. Its message is the vendor's (legacy docs), and
    SOAP's faultstring too (addUser), not `Wrong parameters`."""

    def __init__(self, field: str):
        super().__init__(f"User with the same {field} is already registered.")
        self.field = field
        self.faultstring = self.detail


def _check_change(w: World, change: UserChange, user_id: str | None) -> tuple[str, str] | None:
    """Validate `change` against the world; the (role type, roleId) it settles on, or None when it sets none."""
    fields = change.fields or {}
    for name in fields:
        if name not in PROFILE_FIELDS:
            raise BadRequestError(f"fields.{name} is not a profile field ({', '.join(PROFILE_FIELDS)})")
    for name in ("login", "email"):
        if name in fields and not fields[name].strip():
            raise BadRequestError(f"fields.{name} must not be empty")
    others = [u for u in w.learners if u.user_id != user_id]
    if "email" in fields and any(u.email.lower() == fields["email"].lower() for u in others):
        raise UserConflict("email")
    if "login" in fields and any(u.login == fields["login"] for u in others):
        raise UserConflict("login")
    if change.department_id is not None and change.department_id not in w.department_by_id:
        raise BadRequestError(f"unknown departmentId {change.department_id}")
    for did in change.manageable_department_ids or ():
        if did not in w.department_by_id:
            raise BadRequestError(f"unknown manageableDepartmentIds {did}")
    for gid in change.group_ids or ():
        group = w.group_by_id.get(gid)
        if group is None:
            raise BadRequestError(f"unknown groupIds {gid}")
        if group.is_smart:
            raise BadRequestError(f"groupIds {gid} is a smart group: its rules choose its members")
    if change.role is not None and change.role not in ROLE_TYPES:
        raise BadRequestError(f"role must be one of {', '.join(ROLE_TYPES)}")
    if change.role_id is not None:
        found = w.role_by_id.get(change.role_id)
        if found is None:
            raise BadRequestError(f"unknown roleId {change.role_id}")
        if change.role is not None and change.role != found.type:
            raise BadRequestError(f"role {change.role} does not match roleId {change.role_id} ({found.type})")
        return found.type, found.role_id
    if change.role is not None:
        return change.role, next(r.role_id for r in w.roles if r.type == change.role)
    return None


def _now(world: World) -> datetime:
    return world.now().replace(microsecond=0)


def add_user(world: World, state, change: UserChange) -> str:
    """A new iSpring user (not a Ruangkerja employee); returns its userId. login, email and departmentId required."""

    def decide(w: World) -> dict:
        fields = change.fields or {}
        for name in ("login", "email"):
            if not fields.get(name):
                raise BadRequestError(f"fields.{name} is required")
        if change.department_id is None:
            raise BadRequestError("departmentId is required")
        role, role_id = _check_change(w, change, None) or (w.roles[0].type, w.roles[0].role_id)
        now = _now(w)
        taken, user_id = set(w.learner_by_id), None
        for attempt in range(100):
            rng = rng_for(w.seed, "ispring-user-write", f"{w.seq + 1}/{fields['login']}/{attempt}")
            user_id = time_uuid(rng, now, now + timedelta(seconds=1))
            if user_id not in taken:
                break
        stamp = ispring_seed.timestamp(now)
        learner = Learner(user_id, fields["login"], fields["email"], fields.get("first_name", ""),
                          fields.get("last_name", ""), fields.get("phone", ""), fields.get("job_title", ""),
                          change.department_id, role, role_id, 1, stamp, stamp, {"subordinationType": "inherit"},
                          {"subordinationType": "no_supervisor"}, list(change.manageable_department_ids or []))
        return {"learner": asdict(learner), "group_ids": _unique(change.group_ids or [])}

    return world.commit(state, USER_ADDED, decide)["learner"]["user_id"]


def update_user(world: World, state, user_id: str, change: UserChange) -> None:
    """Change a user's profile fields (those given), department, role, groups (exactly these, smart groups aside)
    and manageable departments."""

    def decide(w: World) -> dict:
        found = learner(w, user_id)
        settled = _check_change(w, change, user_id)
        updates = {name: value for name, value in (change.fields or {}).items()}
        if change.department_id is not None:
            updates["department_id"] = change.department_id
        if settled is not None:
            updates["role"], updates["role_id"] = settled
        if change.manageable_department_ids is not None:
            updates["manageable_department_ids"] = _unique(change.manageable_department_ids)
        payload = {"user_id": found.user_id, "updates": updates,
                   "group_ids": None if change.group_ids is None else _unique(change.group_ids)}
        in_groups = {g.group_id for g in w.groups if not g.is_smart and found.user_id in g.user_ids}
        same_groups = payload["group_ids"] is None or set(payload["group_ids"]) == in_groups
        return _unless_held(w, payload, {found.user_id: updates}) if same_groups else payload

    world.commit(state, USER_UPDATED, decide)


def remove_user(world: World, state, user_id: str) -> None:
    """Delete a user, their enrollments and their group memberships: nothing is left pointing at them."""

    def decide(w: World) -> dict:
        found = learner(w, user_id)
        enrollments = sorted(e.enrollment_id for e in list(w.enrollments.values()) if e.learner_id == found.user_id)
        return {"user_id": found.user_id, "enrollment_ids": enrollments}

    world.commit(state, USER_REMOVED, decide)


def _set_membership(world: World, user_id: str, group_ids: list[str] | None, *, only_add: bool) -> None:
    """Put the user in `group_ids` (only_add) or in exactly those (None: out of every group); smart groups untouched."""
    wanted = set(group_ids or ())
    groups = []
    for g in world.groups:
        inside = user_id in g.user_ids
        should = (user_id in g.user_ids or g.group_id in wanted) if only_add else g.group_id in wanted
        if g.is_smart or inside == should:
            groups.append(g)
        else:
            users = [*g.user_ids, user_id] if should else [u for u in g.user_ids if u != user_id]
            groups.append(replace(g, user_ids=users))
    world.groups = groups


@applies(USER_ADDED)
def _apply_user_added(world: World, payload: dict) -> None:
    added = Learner(**payload["learner"])
    world.learners = [*world.learners, added]
    _set_membership(world, added.user_id, payload["group_ids"], only_add=True)
    world._index()


@applies(USER_UPDATED)
def _apply_user_updated(world: World, payload: dict) -> None:
    found = world.learner_by_id.get(payload["user_id"])
    if found is None:  # removed by an earlier event
        return
    changed = replace(found, **payload["updates"])
    world.learners = [changed if u.user_id == found.user_id else u for u in world.learners]
    if payload["group_ids"] is not None:
        _set_membership(world, found.user_id, payload["group_ids"], only_add=False)
    world._index()


@applies(USER_REMOVED)
def _apply_user_removed(world: World, payload: dict) -> None:
    user_id = payload["user_id"]
    for eid in payload["enrollment_ids"]:
        world.enrollments.pop(eid, None)
    world.learners = [u for u in world.learners if u.user_id != user_id]
    _set_membership(world, user_id, None, only_add=False)
    world._index()


# --- user lifecycle -------------------------------------------------------------------------------------------------
# Passwords, statuses (one user or many), subordination, scheduled deactivation/termination, work leave, leaving
# groups, and async tasks. Each write validates everything first and changes nothing when one value is wrong.

ACTIVE, INACTIVE, TERMINATED = 1, 3, 5  # UserStatus
USER_STATUSES = (ACTIVE, INACTIVE, TERMINATED)
SUBORDINATION_TYPES = ("manual", "inherit", "no_supervisor")
WORK_LEAVE_REASONS = ("OutOfTheOffice", "OnVacation", "PersonalLeave", "BusinessTrip", "SickLeave", "ParentalLeave",
                      "EducationalLeave")
TASK_STATUSES = ("waiting", "in_progress", "complete", "cancelled", "error")  # TaskStatusEnum

PASSWORD_CHANGED = "ispring.user_password_changed"
STATUS_CHANGED = "ispring.user_status_changed"
SUBORDINATION_CHANGED = "ispring.user_subordination_changed"
DEACTIVATION_SCHEDULED = "ispring.user_deactivation_scheduled"
TERMINATION_SCHEDULED = "ispring.user_termination_scheduled"
GROUPS_LEFT = "ispring.user_groups_left"
WORK_LEAVE_SET = "ispring.work_leave_set"
WORK_LEAVE_REMOVED = "ispring.work_leave_removed"
TASK_STARTED = "ispring.task_started"


def known_user(w: World, user_id: str, name: str = "userId") -> Learner:
    """The learner `user_id` names; an unknown one is a bad request naming the field (the spec lists no 404)."""
    found = w.learner_by_id.get(user_id)
    if found is None:
        raise BadRequestError(f"unknown {name} {user_id}")
    return found


def _known_users(w: World, user_ids, name: str = "userIds") -> list[str]:
    user_ids = _unique(user_ids)
    if not user_ids:
        raise BadRequestError(f"{name} must name at least one ID")
    for uid in user_ids:
        known_user(w, uid, name)
    return user_ids


def _not_past(world: World, day: date, name: str) -> str:
    if day < _today(world):
        raise BadRequestError(f"{name} {day.isoformat()} is in the past")
    return day.isoformat()


@dataclass(frozen=True)
class Subordination:
    """A Subordination as a request gives it: subordinationType, and supervisorId when manual."""

    type: str
    supervisor_id: str | None = None

    def resolve(self, w: World, user_id: str, name: str) -> dict:
        if self.type not in SUBORDINATION_TYPES:
            raise BadRequestError(f"{name}.subordinationType must be one of {', '.join(SUBORDINATION_TYPES)}")
        if self.type != "manual":
            return {"subordinationType": self.type}  # a supervisor only goes with manual
        if not self.supervisor_id:
            raise BadRequestError(f"{name}.supervisorId is required when subordinationType is manual")
        known_user(w, self.supervisor_id, f"{name}.supervisorId")
        if self.supervisor_id == user_id:
            raise BadRequestError(f"{name}.supervisorId: a user cannot be their own supervisor")
        return {"subordinationType": "manual", "supervisorId": self.supervisor_id}


@dataclass(frozen=True)
class WorkLeave:
    """One WorkLeaveStatusData of POST /users/work-leave-status."""

    user_id: str
    reason: str
    start: date | None = None  # None: today
    end: date | None = None


def change_password(world: World, state, user_id: str, password: str) -> None:
    def decide(w: World) -> dict:
        known_user(w, user_id)
        if not password:
            raise BadRequestError("password must not be empty")
        digest = hashlib.sha256(password.encode()).hexdigest()
        return _unless_held(w, {"user_id": user_id, "password_sha256": digest}, {user_id: {"password_sha256": digest}})

    world.commit(state, PASSWORD_CHANGED, decide)


def change_status(world: World, state, user_ids, status: int, name: str = "userIds") -> None:
    """Set the UserStatus of one user (POST /user/{userId}/status) or several (activate, deactivate, terminate):
    all of them, or none when one ID is unknown."""
    def decide(w: World) -> dict:
        if status not in USER_STATUSES:
            raise BadRequestError("status must be one of 1 (active), 3 (inactive), 5 (terminated)")
        known = _known_users(w, user_ids, name)
        return _unless_held(w, {"user_ids": known, "status": status}, {uid: {"status": status} for uid in known})

    world.commit(state, STATUS_CHANGED, decide)


def change_subordination(world: World, state, user_id: str, subordination: Subordination | None,
                         co_subordination: Subordination | None) -> None:
    def decide(w: World) -> dict:
        known_user(w, user_id)
        return {"user_id": user_id,
                "subordination": subordination and subordination.resolve(w, user_id, "subordination"),
                "co_subordination": co_subordination and co_subordination.resolve(w, user_id, "coSubordination")}

    world.commit(state, SUBORDINATION_CHANGED, decide)


def schedule_deactivation(world: World, state, user_id: str, day: date | None) -> None:
    """Set (a day, not in the past) or remove (None) the date the user is to be deactivated."""
    _schedule(world, state, DEACTIVATION_SCHEDULED, user_id, day)


def schedule_termination(world: World, state, user_id: str, day: date | None) -> None:
    _schedule(world, state, TERMINATION_SCHEDULED, user_id, day)


def _schedule(world: World, state, kind: str, user_id: str, day: date | None) -> None:
    def decide(w: World) -> dict:
        known_user(w, user_id)
        payload = {"user_id": user_id, "date": None if day is None else _not_past(w, day, "date")}
        field = "scheduled_deactivation" if kind == DEACTIVATION_SCHEDULED else "scheduled_termination"
        return _unless_held(w, payload, {user_id: {field: payload["date"]}})

    world.commit(state, kind, decide)


def leave_groups(world: World, state, user_id: str, group_ids) -> None:
    """Take the user out of the groups; a group the user is not in is left as it is."""
    group_ids = _unique(group_ids)

    def decide(w: World) -> dict:
        known_user(w, user_id)
        if not group_ids:
            raise BadRequestError("groupIds must name at least one ID")
        for gid in group_ids:
            g = w.group_by_id.get(gid)
            if g is None:
                raise BadRequestError(f"unknown groupId {gid}")
            if g.is_smart:
                raise BadRequestError(f"groupId {gid} is a smart group: its rules choose its members")
        payload = {"user_id": user_id, "group_ids": group_ids}
        member = any(user_id in w.group_by_id[gid].user_ids for gid in group_ids)
        return payload if member else Unchanged(payload)

    world.commit(state, GROUPS_LEFT, decide)


def set_work_leave(world: World, state, leaves: list[WorkLeave]) -> None:
    """Put users on leave (a later entry for the same user wins); all of them, or none when one entry is wrong."""
    def decide(w: World) -> dict:
        rows = []
        for n, leave in enumerate(leaves):
            name = f"workLeaveStatuses[{n}]"
            known_user(w, leave.user_id, f"{name}.userId")
            if leave.reason not in WORK_LEAVE_REASONS:
                raise BadRequestError(f"{name}.workLeaveReason must be one of {', '.join(WORK_LEAVE_REASONS)}")
            start = leave.start or _today(w)
            if leave.end is not None and leave.end < start:
                raise BadRequestError(f"{name}.endDate is before its startDate")
            status = {"workLeaveReason": leave.reason, "startDate": start.isoformat()}
            if leave.end is not None:
                status["endDate"] = leave.end.isoformat()
            rows.append({"user_id": leave.user_id, "work_leave": status})
        return _unless_held(w, {"leaves": rows}, {row["user_id"]: {"work_leave": row["work_leave"]} for row in rows})

    world.commit(state, WORK_LEAVE_SET, decide)


def remove_work_leave(world: World, state, user_ids) -> None:
    def decide(w: World) -> dict:
        known = _known_users(w, user_ids)
        return _unless_held(w, {"user_ids": known}, {uid: {"work_leave": None} for uid in known})

    world.commit(state, WORK_LEAVE_REMOVED, decide)


# Async tasks. A task is one event of the shared log recording when it started and how long it runs; its status is
# a function of those and the clock, so every worker answers the same. The work a task stands for is applied by the
# event that starts it (a reader sees it at once); the status only reports progress, as clients poll it.


def start_task(world: World, state, kind: str, seconds: int, payload: dict | None = None) -> int:
    """Record a new async task (for the rows that answer a taskId); returns its ID, a growing integer."""
    def decide(w: World) -> dict:
        return {**task_row(w, kind, seconds), **(payload or {})}

    return world.commit(state, TASK_STARTED, decide)["task_id"]


def task_row(w: World, kind: str, seconds: int) -> dict:
    """The Task a write starting one records (its event's `task`, or TASK_STARTED's payload)."""
    task_id = ispring_seed.task_base(w.seed) + 100 + w.seq + 1  # above the seeded ones; never reused
    return {"task_id": task_id, "kind": kind, "started_at": ispring_seed.timestamp(w.now()), "seconds": seconds}


def task(world: World, task_id: int) -> Task:
    found = world.task_by_id.get(task_id)
    if found is None:
        raise BadRequestError(f"unknown taskId {task_id}")
    return found


def task_status(world: World, t: Task) -> str:
    """waiting for the first half of its run, in_progress for the second, then complete. The mock's tasks never
    fail: a request with a wrong value is refused (400) before any task starts, so cancelled and error never come."""
    elapsed = (world.now() - datetime.fromisoformat(t.started_at)).total_seconds()
    if elapsed >= t.seconds:
        return "complete"
    return "waiting" if elapsed < t.seconds / 2 else "in_progress"


def _unless_held(world: World, payload: dict, changes: dict[str, dict]) -> dict:
    """`payload`, or Unchanged(payload) when each learner of `changes` (user ID -> field -> value, as
    _replace_learners takes) holds those values already: a write that changes nothing adds nothing to the log."""
    for user_id, fields in changes.items():
        found = world.learner_by_id.get(user_id)
        if found is None or any(getattr(found, name) != value for name, value in fields.items()):
            return payload
    return Unchanged(payload)


def _replace_learners(world: World, changes: dict[str, dict]) -> None:
    """New Learner objects for the changed ones (a reader mid-iteration keeps the old list), then the indexes."""
    world.learners = [replace(u, **changes[u.user_id]) if u.user_id in changes else u for u in world.learners]
    world._index()


@applies(PASSWORD_CHANGED)
def _apply_password(world: World, payload: dict) -> None:
    _replace_learners(world, {payload["user_id"]: {"password_sha256": payload["password_sha256"]}})


@applies(STATUS_CHANGED)
def _apply_status(world: World, payload: dict) -> None:
    _replace_learners(world, {uid: {"status": payload["status"]} for uid in payload["user_ids"]})


@applies(SUBORDINATION_CHANGED)
def _apply_subordination(world: World, payload: dict) -> None:
    changes = {field: payload[key] for key, field in (("subordination", "subordination"),
                                                      ("co_subordination", "co_subordination")) if payload[key]}
    _replace_learners(world, {payload["user_id"]: changes})


@applies(DEACTIVATION_SCHEDULED)
def _apply_deactivation(world: World, payload: dict) -> None:
    _replace_learners(world, {payload["user_id"]: {"scheduled_deactivation": payload["date"]}})


@applies(TERMINATION_SCHEDULED)
def _apply_termination(world: World, payload: dict) -> None:
    _replace_learners(world, {payload["user_id"]: {"scheduled_termination": payload["date"]}})


@applies(GROUPS_LEFT)
def _apply_groups_left(world: World, payload: dict) -> None:
    user, leaving = payload["user_id"], set(payload["group_ids"])
    world.groups = [replace(g, user_ids=[u for u in g.user_ids if u != user]) if g.group_id in leaving else g
                    for g in world.groups]
    world._index()


@applies(WORK_LEAVE_SET)
def _apply_work_leave(world: World, payload: dict) -> None:
    _replace_learners(world, {row["user_id"]: {"work_leave": row["work_leave"]} for row in payload["leaves"]})


@applies(WORK_LEAVE_REMOVED)
def _apply_work_leave_removed(world: World, payload: dict) -> None:
    _replace_learners(world, {uid: {"work_leave": None} for uid in payload["user_ids"]})


@applies(TASK_STARTED)
def _apply_task(world: World, payload: dict) -> None:
    world.tasks = [*world.tasks, Task(payload["task_id"], payload["kind"], payload["started_at"], payload["seconds"])]
    world._index()



# --- departments ----------------------------------------------------------------------------------------------------

# Department writes. Each is one event with the decided records in it; the iSpring departments are iSpring's own
# (world.departments), so none of this touches Ruangkerja's company structure (world.org_units).

DEPARTMENTS_SAVED = "ispring.departments_saved"  # added, renamed, re-coded, moved, re-subordinated: the new records
DEPARTMENTS_REMOVED = "ispring.departments_removed"
USERS_MOVED = "ispring.users_moved_to_department"
ACCOUNT_URL_SET = "ispring.account_url_set"


class DepartmentNotFoundError(MockError):
    """The department a move's path names does not exist: a 404, on the two rows whose spec lists one (elsewhere
    an unknown ID is a NotFoundError, which iSpring REST answers 400)."""

    status = 404

    def __init__(self, department_id: str):
        super().__init__(f"department {department_id} not found")


def find_departments(world: World, code: str | None = None) -> list[Department]:
    """Every department in world order (the root first), or those whose code is exactly `code`."""
    return [d for d in list(world.departments) if code is None or d.code == code]


def departments_by_id(world: World) -> list[Department]:
    """Every department in departmentId order: the order a page cursor walks."""
    return sorted(world.departments, key=lambda d: d.department_id)


def subtree(world: World, department_id: str) -> list[str]:
    """The department and every department below it, parents before children."""
    children: dict[str | None, list[str]] = {}
    for d in list(world.departments):
        children.setdefault(d.parent_id, []).append(d.department_id)
    found, queue = [], [department_id]
    while queue:
        current = queue.pop(0)
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def _known_parent(world: World, parent_id: str, field: str) -> Department:
    found = world.department_by_id.get(parent_id)
    if found is None:
        raise BadRequestError(f"{field}: unknown department {parent_id}")
    return found


def _check_subordination(world: World, value: dict | None, field: str, is_root: bool) -> dict | None:
    """{"subordinationType", "supervisorId"?} as stored (see Subordination); the root has nothing to inherit."""
    if value is None:
        return None
    if value.get("subordinationType") == "inherit" and is_root:
        raise BadRequestError(f"{field}.subordinationType: the root department has no parent to inherit from")
    return Subordination(value.get("subordinationType"), value.get("supervisorId")).resolve(world, None, field)


def _check_move(world: World, moved: Department, parent_id: str, field: str) -> None:
    if moved.parent_id is None:
        raise BadRequestError(f"{field}: the root department cannot be moved")
    if parent_id in subtree(world, moved.department_id):
        raise BadRequestError(f"{field}: department {moved.department_id} cannot move under itself or a "
                              "department below it")


def _new_department_id(world: World, name: str) -> str:
    """A time-based UUID of today, like production's, derived from the seed, the log position and the name."""
    day = datetime.combine(_today(world), time(), timezone.utc)
    for attempt in range(100):
        rng = rng_for(world.seed, "department-write", f"{world.seq + 1}/{name}/{attempt}")
        candidate = time_uuid(rng, day, day + timedelta(days=1))
        if candidate not in world.department_by_id:
            return candidate
    raise RuntimeError("no free department ID")


def _departments_saved(world: World, rows: list[dict]) -> dict:
    """The DEPARTMENTS_SAVED payload of `rows`, Unchanged when each is the department as stored."""
    payload = {"departments": rows}
    stored = [world.department_by_id.get(row["department_id"]) for row in rows]
    return Unchanged(payload) if all(d is not None and asdict(d) == row for d, row in zip(stored, rows)) else payload


def add_department(world: World, state, name: str, parent_id: str, code: str | None) -> str:
    """A new department under `parent_id`; it inherits its supervisor from the parent. Returns its ID."""
    def decide(w: World) -> dict:
        if not name.strip():
            raise BadRequestError("name must not be empty")
        _known_parent(w, parent_id, "parentDepartmentId")
        new = Department(_new_department_id(w, name), name, parent_id, code or "", {"subordinationType": "inherit"},
                         dict(ispring_seed.NO_SUPERVISOR))
        return {"departments": [asdict(new)]}

    return world.commit(state, DEPARTMENTS_SAVED, decide)["departments"][0]["department_id"]


def update_department(world: World, state, department_id: str, name: str | None, parent_id: str | None,
                      code: str | None) -> None:
    """Change what the request gives: the name, the code, the parent (a move, by the moves' rules)."""
    def decide(w: World) -> dict:
        found = department(w, department_id)
        changes: dict = {}
        if name is not None:
            if not name.strip():
                raise BadRequestError("name must not be empty")
            changes["name"] = name
        if code is not None:
            changes["code"] = code
        if parent_id is not None and parent_id != found.parent_id:
            _known_parent(w, parent_id, "parentDepartmentId")
            _check_move(w, found, parent_id, "parentDepartmentId")
            changes["parent_id"] = parent_id
        return _departments_saved(w, [asdict(replace(found, **changes))])

    world.commit(state, DEPARTMENTS_SAVED, decide)


def change_department_subordination(world: World, state, department_id: str, subordination: dict | None,
                                    co_subordination: dict | None) -> None:
    def decide(w: World) -> dict:
        found = department(w, department_id)
        root = found.parent_id is None
        changes = {}
        checked = _check_subordination(w, subordination, "subordination", root)
        if checked is not None:
            changes["subordination"] = checked
        checked = _check_subordination(w, co_subordination, "coSubordination", root)
        if checked is not None:
            changes["co_subordination"] = checked
        return _departments_saved(w, [asdict(replace(found, **changes))])

    world.commit(state, DEPARTMENTS_SAVED, decide)


def move_departments(world: World, state, parent_id: str, department_ids: list[str]) -> None:
    """Put every department under `parent_id` (all of them, or none when one cannot move)."""
    department_ids = _unique(department_ids)

    def decide(w: World) -> dict:
        if parent_id not in w.department_by_id:
            raise DepartmentNotFoundError(parent_id)
        if not department_ids:
            raise BadRequestError("departmentIds must name at least one ID")
        moved = []
        for did in department_ids:
            found = w.department_by_id.get(did)
            if found is None:
                raise BadRequestError(f"departmentIds: unknown department {did}")
            _check_move(w, found, parent_id, "departmentIds")
            moved.append(asdict(replace(found, parent_id=parent_id)))
        return _departments_saved(w, moved)

    world.commit(state, DEPARTMENTS_SAVED, decide)


def remove_department(world: World, state, department_id: str) -> None:
    """The docs: a department cannot be deleted while it contains users, is managed by a department administrator,
    or is the root. Its sub-departments are not deleted with it: they move up to its parent."""
    def decide(w: World) -> dict:
        found = department(w, department_id)
        if found.parent_id is None:
            raise BadRequestError("departmentId: the root department cannot be deleted")
        if any(u.department_id == department_id for u in list(w.learners)):
            raise BadRequestError(f"departmentId: department {department_id} contains users; move them first")
        if any(department_id in (u.manageable_department_ids or ()) for u in list(w.learners)):
            raise BadRequestError(f"departmentId: department {department_id} is managed by a department "
                                  "administrator")
        children = [asdict(replace(d, parent_id=found.parent_id)) for d in list(w.departments)
                    if d.parent_id == department_id]
        return {"department_ids": [department_id], "departments": children}

    world.commit(state, DEPARTMENTS_REMOVED, decide)


def move_users_to_department(world: World, state, department_id: str, user_ids: list[str]) -> None:
    user_ids = _unique(user_ids)

    def decide(w: World) -> dict:
        if department_id not in w.department_by_id:
            raise DepartmentNotFoundError(department_id)
        if not user_ids:
            raise BadRequestError("userIds must name at least one ID")
        for uid in user_ids:
            if uid not in w.learner_by_id:
                raise BadRequestError(f"userIds: unknown user {uid}")
        return {"department_id": department_id, "user_ids": user_ids}

    world.commit(state, USERS_MOVED, decide)


def set_account_url(world: World, state, account_url: str) -> None:
    """The account's new URL (validated by the caller); the legacy login and the content viewUrls follow it."""
    world.commit(state, ACCOUNT_URL_SET, lambda w: {"account_url": account_url})


@applies(DEPARTMENTS_SAVED)
def _apply_departments_saved(world: World, payload: dict) -> None:
    saved = {row["department_id"]: Department(**row) for row in payload["departments"]}
    kept = [saved.pop(d.department_id, d) for d in world.departments]
    world.departments = kept + list(saved.values())  # a new list: a reader mid-iteration keeps the old one
    world._index()


@applies(DEPARTMENTS_REMOVED)
def _apply_departments_removed(world: World, payload: dict) -> None:
    gone = set(payload["department_ids"])
    moved = {row["department_id"]: Department(**row) for row in payload["departments"]}
    world.departments = [moved.get(d.department_id, d) for d in world.departments if d.department_id not in gone]
    world._index()


@applies(USERS_MOVED)
def _apply_users_moved(world: World, payload: dict) -> None:
    moved, target = set(payload["user_ids"]), payload["department_id"]
    world.learners = [replace(u, department_id=target) if u.user_id in moved else u for u in world.learners]
    world._index()


@applies(ACCOUNT_URL_SET)
def _apply_account_url_set(world: World, payload: dict) -> None:
    old, new = world.company.account_url, payload["account_url"]
    old_host, new_host = _url_host(old), _url_host(new)
    world.company = replace(world.company, account_url=new)
    # The content items' viewUrls live on the account's host: they move with it.
    world.content_items = [replace(c, view_url=_rehost(c.view_url, old_host, new_host)) for c in world.content_items]
    world._index()


def _url_host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def _rehost(url: str, old_host: str, new_host: str) -> str:
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}://{new_host}{slash}{path}" if host.lower() == old_host else url



# --- groups ---------------------------------------------------------------------------------------------------------


GROUP_ADDED = "ispring.group_added"
GROUP_CHANGED = "ispring.group_changed"
GROUP_REMOVED = "ispring.group_removed"

DEPARTMENT, GROUP, PROFILE_FIELD = 1, 2, 3  # SmartGroupRule.attributeType
ONLY, NESTED = 1, 2  # SmartGroupRule.operator: for a department, it alone or it and every department under it


def group(world: World, group_id: str) -> Group:
    found = world.group_by_id.get(group_id)
    if found is None:
        raise NotFoundError("group", group_id)
    return found


def smart_members(world: World, g: Group) -> list[str]:
    """The users a smart group's rules select, live, in user order: every AND node holds when one of its OR rules
    does (the docs: "All groups of conditions should be met at the same time ... Any of the rules can be completed").
    A rule naming a department or group that is gone selects nobody; a smart group among the rules of another counts
    with its own rules (a cycle of smart groups selects nobody along the cycle)."""
    return _smart_members(world, g, frozenset())


def _smart_members(world: World, g: Group, seen: frozenset) -> list[str]:
    nodes = (g.rules or {}).get("and") or []
    if not nodes:
        return []
    seen = seen | {g.group_id}
    chosen = None
    for node in nodes:
        selected: set[str] = set()
        for entry in node.get("or") or []:
            selected |= _rule_selects(world, entry.get("rule") or {}, seen)
        chosen = selected if chosen is None else chosen & selected
    return [u.user_id for u in list(world.learners) if u.user_id in chosen]


def _rule_selects(world: World, rule: dict, seen: frozenset) -> set[str]:
    kind, value = rule.get("attributeType"), rule.get("value")
    if kind == DEPARTMENT:
        departments = {value} if rule.get("operator") == ONLY else set(subtree(world, value))
        return {u.user_id for u in list(world.learners) if u.department_id in departments}
    if kind == GROUP:
        other = world.group_by_id.get(value)
        if other is None or other.group_id in seen:
            return set()
        return set(_smart_members(world, other, seen) if other.is_smart else other.user_ids)
    if kind == PROFILE_FIELD:
        from ..ispring.items import profile_fields  # the wire's field names: LOGIN, EMAIL, FIRST_NAME ...

        field = rule.get("attributeId")
        return {u.user_id for u in list(world.learners) if (field, value) in profile_fields(u)}
    return set()


def _check_rules(w: World, rules: dict) -> None:
    """Rules that name what exists, with the operator the docs allow (groups and profile fields: always 1)."""
    if not rules.get("and"):
        raise BadRequestError("rules must hold at least one and node")
    for node in rules["and"]:
        if not node.get("or"):
            raise BadRequestError("rules: every and node must hold at least one or rule")
        for entry in node["or"]:
            rule = entry["rule"]
            kind, operator, value = rule.get("attributeType"), rule.get("operator"), rule.get("value")
            if kind not in (DEPARTMENT, GROUP, PROFILE_FIELD) or operator not in (ONLY, NESTED) or not value:
                raise BadRequestError("rules: every rule needs attributeType 1-3, operator 1-2 and a value")
            if kind == DEPARTMENT and value not in w.department_by_id:
                raise BadRequestError(f"rules: unknown departmentId {value}")
            if kind == GROUP and value not in w.group_by_id:
                raise BadRequestError(f"rules: unknown groupId {value}")
            if kind != DEPARTMENT and operator != ONLY:
                raise BadRequestError("rules: operator must be 1 for a group or profile field rule")
            if kind == PROFILE_FIELD and not rule.get("attributeId"):
                raise BadRequestError("rules: attributeId is required for a profile field rule (attributeType 3)")


def _check_name(w: World, name: str, group_id: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise BadRequestError("name must not be empty")
    # The docs: "400 A group with a given name already exists".
    if any(g.name == name and g.group_id != group_id for g in list(w.groups)):
        raise BadRequestError(f"A group with a given name already exists: {name}")
    return name


def _check_users(w: World, user_ids: list[str]) -> None:
    for uid in user_ids:
        if uid not in w.learner_by_id:
            raise BadRequestError(f"userIds: unknown userId {uid}")


def _new_group_id(w: World, name: str) -> str:
    now = w.now()
    for attempt in range(100):
        rng = rng_for(w.seed, "group-write", f"{w.seq + 1}/{name}/{attempt}")
        candidate = time_uuid(rng, now - timedelta(seconds=1), now)
        if candidate not in w.group_by_id:
            return candidate
    raise RuntimeError("no free group ID")


def add_group(world: World, state, name: str, user_ids: list[str] | None = None) -> str:
    """A plain group with these members; its new groupId."""
    user_ids = _unique(user_ids or [])

    def decide(w: World) -> dict:
        checked = _check_name(w, name)
        _check_users(w, user_ids)
        return {"group": asdict(Group(_new_group_id(w, checked), checked, False, user_ids, None))}

    return world.commit(state, GROUP_ADDED, decide)["group"]["group_id"]


def add_smart_group(world: World, state, name: str, rules: dict) -> str:
    def decide(w: World) -> dict:
        checked = _check_name(w, name)
        _check_rules(w, rules)
        return {"group": asdict(Group(_new_group_id(w, checked), checked, True, [], rules))}

    return world.commit(state, GROUP_ADDED, decide)["group"]["group_id"]


def edit_smart_group(world: World, state, group_id: str, name: str | None, rules: dict) -> None:
    def decide(w: World) -> dict:
        g = group(w, group_id)
        if not g.is_smart:
            raise BadRequestError(f"group {group_id} is not a smart group")
        _check_rules(w, rules)
        return {"group_id": group_id, "name": g.name if name is None else _check_name(w, name, group_id),
                "rules": rules}

    world.commit(state, GROUP_CHANGED, decide)


def update_group(world: World, state, group_id: str, name: str) -> None:
    def decide(w: World) -> dict:
        found = group(w, group_id)
        payload = {"group_id": group_id, "name": _check_name(w, name, group_id)}
        return Unchanged(payload) if found.name == payload["name"] else payload

    world.commit(state, GROUP_CHANGED, decide)


def update_group_members(world: World, state, group_id: str, user_ids: list[str]) -> None:
    """Replace the members (the docs: "will completely replace existing group members"; empty removes all)."""
    user_ids = _unique(user_ids)

    def decide(w: World) -> dict:
        found = group(w, group_id)
        if found.is_smart:
            raise BadRequestError(f"group {group_id} is a smart group: its rules choose its members")
        _check_users(w, user_ids)
        payload = {"group_id": group_id, "user_ids": user_ids}
        return Unchanged(payload) if list(found.user_ids) == user_ids else payload

    world.commit(state, GROUP_CHANGED, decide)


def remove_group(world: World, state, group_id: str) -> None:
    def decide(w: World) -> dict:
        group(w, group_id)
        return {"group_id": group_id}

    world.commit(state, GROUP_REMOVED, decide)


@applies(GROUP_ADDED)
def _apply_group_added(world: World, payload: dict) -> None:
    world.groups = [*world.groups, Group(**payload["group"])]
    world._index()


@applies(GROUP_CHANGED)
def _apply_group_changed(world: World, payload: dict) -> None:
    """name, rules and user_ids, whichever the event carries; a group removed meanwhile stays removed."""
    changes = {key: payload[key] for key in ("name", "rules", "user_ids") if key in payload}
    world.groups = [replace(g, **changes) if g.group_id == payload["group_id"] else g for g in world.groups]
    world._index()


@applies(GROUP_REMOVED)
def _apply_group_removed(world: World, payload: dict) -> None:
    world.groups = [g for g in world.groups if g.group_id != payload["group_id"]]
    world._index()


# --- progress -------------------------------------------------------------------------------------------------------
# Where a learner stands in an enrolled course: moved by POST /statistics/course, by POST /__admin/activity, and back
# to the start by a re-enrollment. Results, final statuses, certificates and points are read from it, never stored.

PROGRESS_SET = "ispring.progress_set"
# What a write may set: CompletionStatus values a learner reaches, and "automatic" (passed or failed by the score).
PROGRESS_STATUSES = ("not_started", "in_progress", "incomplete", "complete", "passed", "failed")
DONE = ("complete", "passed", "failed")  # a completion date, progress 100
COMPLETED = ("complete", "passed")  # a certificate, where the course issues one


def set_progress(world: World, state, enrollment_ids, status: str, *, course_id: str | None = None,
                 when: datetime | None = None, score: float | None = None, progress: int | None = None,
                 time_spent: int | None = None, task: tuple[str, int] | None = None,
                 reason: str | None = None) -> list[dict]:
    """Move enrollments to `status` (PROGRESS_STATUSES or "automatic": passed at or above the course's passing
    score, failed below it, complete for an unscored course); all of them, or none when one is wrong. Returns what
    each enrollment became: the event's rows, which say too which certificate was issued.

    `task` (kind, seconds): the async task a REST call answers (POST /statistics/course's taskId), started by the
    same event, whose `task` then holds it; `reason`: the request's, kept in the event."""
    return progress_event(world, state, enrollment_ids, status, course_id=course_id, when=when, score=score,
                          progress=progress, time_spent=time_spent, task=task, reason=reason)["enrollments"]


def progress_event(world: World, state, enrollment_ids, status: str, *, course_id: str | None = None,
                   when: datetime | None = None, score: float | None = None, progress: int | None = None,
                   time_spent: int | None = None, task: tuple[str, int] | None = None,
                   reason: str | None = None) -> dict:
    """set_progress, answering the whole PROGRESS_SET event (its `task` too, for the taskId a REST call answers)."""
    enrollment_ids = _unique(enrollment_ids)

    def decide(w: World) -> dict:
        if not enrollment_ids:
            raise BadRequestError("enrollmentIds must name at least one ID")
        if status not in PROGRESS_STATUSES + ("automatic",):
            raise BadRequestError(f"status must be one of {', '.join(PROGRESS_STATUSES + ('automatic',))}")
        if score is not None and not 0 <= score <= 100:
            raise BadRequestError("awardedScore must be from 0 to 100")
        if progress is not None and not 0 <= progress <= 100:
            raise BadRequestError("progress must be from 0 to 100")
        if course_id is not None and course_id not in w.content_item_by_id:
            raise BadRequestError(f"unknown courseId {course_id}")
        moment = ispring_seed.timestamp(when or _now(w))
        rows = []
        for eid in enrollment_ids:
            e = w.enrollments.get(eid)
            if e is None:
                raise BadRequestError(f"enrollmentIds: unknown enrollmentId {eid}")
            if course_id is not None and e.course_id != course_id:
                raise BadRequestError(f"enrollmentIds: enrollment {eid} is not of course {course_id}")
            rows.append(_progress_row(w, e, status, moment, score, progress, time_spent))
        found = {"enrollments": rows}
        if task is not None:
            found["task"] = task_row(w, *task)
        if reason is not None:
            found["reason"] = reason
        return found

    return world.commit(state, PROGRESS_SET, decide)


def _progress_row(w: World, e: Enrollment, status: str, moment: str, score: float | None, progress: int | None,
                  time_spent: int | None) -> dict:
    passing = ispring_seed.passing_score(w.seed, w.content_item_by_id[e.course_id]) \
        if e.course_id in w.content_item_by_id else None
    score = e.awarded_score if score is None and status in DONE else score
    if status == "automatic":
        status = "complete" if passing is None or score is None else "passed" if score >= passing else "failed"
    if status == "not_started":
        progress, score = 0, None
    elif status in DONE:
        progress = 100
    elif progress is None:
        progress = e.progress if e.progress < 100 else 0  # back to incomplete or in progress: not finished
    row = {"enrollment_id": e.enrollment_id, "course_id": e.course_id, "learner_id": e.learner_id, "status": status,
           "progress": progress, "awarded_score": score, "completion_date": moment if status in DONE else None,
           "time_spent": e.time_spent if time_spent is None else time_spent,
           "views_count": e.views_count + (status != "not_started"),
           "last_view_date": moment if status != "not_started" else e.last_view_date, "certificate": None}
    if status in COMPLETED and e.certificate is None and e.course_id in w.certifying_items:
        rng = rng_for(w.seed, "certificate-write", f"{w.seq + 1}/{e.enrollment_id}")
        issued = datetime.fromisoformat(moment)
        row["certificate"] = {"issued_certificate_id": time_uuid(rng, issued - timedelta(seconds=1), issued),
                              "issue_date": moment, "expiry_date": None}
    return row


@applies(PROGRESS_SET)
def _apply_progress_set(world: World, payload: dict) -> None:
    for row in payload["enrollments"]:
        found = world.enrollments.get(row["enrollment_id"])
        if found is None:  # deleted by an earlier event
            continue
        changes = {k: v for k, v in row.items() if k not in ("enrollment_id", "course_id", "learner_id", "certificate")}
        if row["certificate"] is not None:  # issued now; one issued before stays (certificates are not revoked)
            changes["certificate"] = Certificate(**row["certificate"])
        world.enrollments[found.enrollment_id] = replace(found, **changes)
    if payload.get("task") is not None:
        world.tasks = [*world.tasks, Task(**payload["task"])]
        world._index()


# --- driving ----------------------------------------------------------------------------------------------------------
# The clock and POST /__admin/activity on the iSpring face: a scheduled deactivation or termination takes effect on
# its day, read from the clock (no timer); an enrollment moves through set_progress (the one progress write), and
# lets its due date pass through the enrollment's own change event.

ACTIVITY_ACTIONS = ("start", "complete", "fail", "expire")


def user_status(world: World, u: Learner) -> int:
    """The UserStatus as it reads now: terminated from a scheduled termination's day on, inactive from a scheduled
    deactivation's day on (an active user), else as stored."""
    today = _today(world).isoformat()
    if u.scheduled_termination and u.scheduled_termination <= today:
        return TERMINATED
    if u.scheduled_deactivation and u.scheduled_deactivation <= today and u.status == ACTIVE:
        return INACTIVE
    return u.status


def find_enrollment(w: World, enrollment_id: str | None, user_id: str | None, course_id: str | None) -> Enrollment:
    """The enrollment a tester names: its enrollmentId, or the learner's userId and the courseId. Unknown: a 400."""
    if enrollment_id:
        found = w.enrollments.get(enrollment_id)
        if found is None:
            raise BadRequestError(f"enrollmentId: unknown enrollment {enrollment_id}")
        return found
    if not user_id or not course_id:
        raise BadRequestError("enrollmentId is required (or userId and courseId)")
    known_user(w, user_id)
    if course_id not in w.content_item_by_id:
        raise BadRequestError(f"courseId: unknown course {course_id}")
    found = next((e for e in list(w.enrollments.values()) if e.learner_id == user_id and e.course_id == course_id),
                 None)
    if found is None:
        raise BadRequestError(f"user {user_id} is not enrolled in course {course_id} (enroll first)")
    return found


def record_activity(world: World, state, action: str, enrollment_id: str | None = None, user_id: str | None = None,
                    course_id: str | None = None, score: float | None = None, progress: int | None = None,
                    time_spent: int | None = None) -> tuple[Enrollment, Enrollment]:
    """(before, after) of the enrollment a learner's activity moves. start: in progress; complete: passed (with a
    score reaching the course's passing score) or complete; fail: failed; expire: its due date was yesterday."""
    if action not in ACTIVITY_ACTIONS:
        raise BadRequestError(f"action must be one of {', '.join(ACTIVITY_ACTIONS)} (attend and miss are "
                              "Ruangkerja's batches)")
    world.catch_up(state)
    before = find_enrollment(world, enrollment_id, user_id, course_id)
    item = world.content_item_by_id.get(before.course_id)
    passing = ispring_seed.passing_score(world.seed, item) if item is not None else None
    if before.status in COMPLETED:
        raise BadRequestError(f"enrollment {before.enrollment_id} is {before.status} already")
    if score is not None and action not in ("complete", "fail"):
        raise BadRequestError(f"score goes with complete or fail, not {action}")
    if progress is not None and action != "start":
        raise BadRequestError("progress goes with start (complete and fail are 100)")
    if passing is not None and score is not None and (action == "complete") != (score >= passing):
        raise BadRequestError(f"score {score:g} {'is below' if action == 'complete' else 'reaches'} course "
                              f"{before.course_id}'s passing score {passing}: that is a "
                              f"{'fail' if action == 'complete' else 'complete'}")
    spent = None if time_spent is None else before.time_spent + time_spent
    if action == "expire":
        _let_expire(world, state, before)
    else:
        status = {"start": "in_progress", "fail": "failed"}.get(action) or (
            "passed" if passing is not None and score is not None else "complete")
        set_progress(world, state, [before.enrollment_id], status, course_id=before.course_id, score=score,
                     progress=progress, time_spent=spent)
    return before, world.enrollments[before.enrollment_id]


def _let_expire(world: World, state, e: Enrollment) -> None:
    """The enrollment's due date becomes yesterday (its access date no later), so it is overdue from today."""
    def decide(w: World) -> dict:
        found = get_enrollment(w, e.enrollment_id)
        due = _today(w) - timedelta(days=1)
        access = min(date.fromisoformat(found.access_date), due)
        return {"enrollment_id": found.enrollment_id, "access_date": access.isoformat(), "due_date": due.isoformat(),
                "should_lock_after_due_date": found.should_lock_after_due_date}

    world.commit(state, CHANGED, decide)
