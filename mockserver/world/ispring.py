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
    """A login or e-mail already registered; `field` says which. Its message is the vendor's (legacy docs)."""

    def __init__(self, field: str):
        super().__init__(f"User with the same {field} is already registered.")
        self.field = field


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


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


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
        now = _now()
        taken, user_id = set(w.learner_by_id), None
        for attempt in range(100):
            rng = rng_for(w.seed, "ispring-user-write", f"{w.seq + 1}/{fields['login']}/{attempt}")
            user_id = time_uuid(rng, now, now + timedelta(seconds=1))
            if user_id not in taken:
                break
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S+00:00")
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
        return {"user_id": found.user_id, "updates": updates,
                "group_ids": None if change.group_ids is None else _unique(change.group_ids)}

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


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------


def smart_members(world: World, g: Group) -> list[str]:
    """The users a smart group's rules select."""
    return []  # evaluated in the groups slice
