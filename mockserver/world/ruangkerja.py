"""The Ruangkerja face of the world: the queries its operations ask, and the writes they make. Rows come back in the
vendor's list order.

Derived numbers (summary counts, learning-plan counters, averages) are never stored: the queries hand the item
mappers the rows themselves, and the rules below turn rows into numbers. User-scoped and learning-plan queries read
`world.online_assignments` itself, so an online assignment written to it counts everywhere at once.

A write is one event of the shared log (store.py) with everything decided in it (serials, the rows as stored): a bulk
call is one event holding its successful items, so they are stored all together or, when the log refuses, not at
all. Items of one call are decided in order against a draft of the world, so the second of two items taking the
same name fails as if the first were already stored.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from typing import Callable

from ..errors import AlreadyExistsError, BadRequestError, MockError, NotFoundError
from .ids import code, rng_for, user_serial
from .model import Assignment, Batch, Course, LearningPlan, OnlineAssignment, OrgUnit, Person, PlanCourse, Tag
from .store import ENTITY_TYPES, World, applies

USERS_WRITTEN = "ruangkerja.users_written"
TAGS_WRITTEN = "ruangkerja.tags_written"
TAGS_DELETED = "ruangkerja.tags_deleted"
ONLINE_COURSE_ASSIGNED = "ruangkerja.online_course_assigned"

Outcome = str | MockError  # of one item of a write: the serial it got, or why it failed


class _NothingToStore(Exception):
    """Raised in a write's `decide` when every item failed or changes nothing: the log gets no event."""


def _commit(world: World, state, kind: str, decide: Callable[[World], dict]) -> None:
    try:
        world.commit(state, kind, decide)
    except _NothingToStore:
        pass


def _differing(rows: list[dict], stored: dict) -> list[dict]:
    """The rows a write decided that differ from the entity stored under their serial (new ones too): a row written
    as it is changes nothing, and a write left with none stores nothing."""
    return [row for row in rows if (old := stored.get(row["serial"])) is None or asdict(old) != row]


def _contains(value: str, fragment: str | None) -> bool:
    return not fragment or fragment.casefold() in value.casefold()


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


def batch(world: World, course_serial: str, batch_serial: str) -> Batch:
    """A batch of the course; 404 when either is unknown or the batch belongs to another course."""
    found_course = course(world, course_serial)
    found = world.batch_by_serial.get(batch_serial)
    if found is None or found.course_serial != found_course.serial:
        raise NotFoundError("batch", batch_serial)
    return found


def batch_users(world: World, course_serial: str, batch_serial: str, category: str) -> list[Assignment]:
    """The people assigned to a batch as `category` (Offline or Webinar) training: the category filters, it does not
    refuse, because the docs' own curls ask one batch as both (README, "Course categories")."""
    found = batch(world, course_serial, batch_serial)
    return world.assignments_by_batch[found.serial] if world.course_by_serial[found.course_serial].category == \
        category else []


def online_users(world: World, course_serial: str) -> list[OnlineAssignment]:
    """The people assigned to the course online, with their progress (none for a course nobody was assigned)."""
    return as_of_now(world, world.online_assignments_by_course[course(world, course_serial).serial])


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
    return as_of_now(world, [o for o in world.online_assignments if o.employee_id == person.employee_id])


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
    return {(o.employee_id, o.course_serial): o for o in as_of_now(world, world.online_assignments)}


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


def find_users(world: World, is_active: bool | None = None, employee_id: str | None = None, name: str | None = None,
               email: str | None = None, phone: str | None = None) -> list[Person]:
    """Find Users' filters: isActive, employeeID exact, name, email and phone containing (case-insensitive)."""
    return [p for p in world.people
            if (is_active is None or p.is_active == is_active) and (not employee_id or p.employee_id == employee_id)
            and _contains(p.name, name) and _contains(p.email, email) and _contains(p.phone, phone)]


def organization(world: World, person: Person) -> tuple[str, str]:
    """(serial, name) of the person's organization: their org unit, or the company itself for a user created
    without an organizationSerial."""
    unit = world.org_unit_by_serial.get(person.org_serial)
    return (unit.serial, unit.name) if unit else (world.company.serial, world.company.display_name)


def person_tags(world: World, person: Person) -> list[Tag]:
    return [world.tag_by_serial[s] for s in person.tag_serials if s in world.tag_by_serial]


@dataclass(frozen=True)
class NewUser:
    """A Create User (Bulk) item."""

    employee_id: str
    name: str
    is_active: bool
    username: str | None = None  # None: the employee ID, lower-cased
    email: str | None = None
    phone: str | None = None
    tag_serials: list[str] | None = None
    org_serial: str | None = None  # None: the company's top level


@dataclass(frozen=True)
class UserChange:
    """An Update User (Bulk) or Update User Email Bulk item: None leaves a field as it is."""

    employee_id: str  # who: an employee ID (or a user serial, for the single route's path)
    name: str | None = None
    new_employee_id: str | None = None
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    is_active: bool | None = None
    tag_serials: list[str] | None = None
    org_serial: str | None = None


class _People:
    """The people as a write leaves them, item after item, before anything is stored."""

    def __init__(self, world: World):
        self.world = world
        self.by_id = dict(world.person_by_employee_id)
        self.emails = {p.email.casefold(): p.serial for p in world.people if p.email}
        self.changed: dict[str, Person] = {}  # by serial, in the order first written

    def find(self, key: str) -> Person:
        found = self.by_id.get(key)
        if found is None and key in self.world.person_by_serial:
            found = self.changed.get(key, self.world.person_by_serial[key])
        if found is None:
            raise NotFoundError("employee", key)
        return found

    def check_references(self, tag_serials: list[str] | None, org_serial: str | None) -> None:
        for serial in tag_serials or ():
            if serial not in self.world.tag_by_serial:
                raise NotFoundError("tag", serial)
        if org_serial and org_serial not in self.world.org_unit_by_serial:
            raise NotFoundError("organization", org_serial)

    def claim_email(self, email: str | None, serial: str | None) -> None:
        if email and self.emails.get(email.casefold(), serial) != serial:
            raise AlreadyExistsError("email", email)

    def keep(self, old: Person | None, new: Person) -> Person:
        if old is not None:
            if self.by_id.get(old.employee_id) is old:
                del self.by_id[old.employee_id]
            if old.email and self.emails.get(old.email.casefold()) == old.serial:
                del self.emails[old.email.casefold()]
        self.by_id[new.employee_id] = new
        if new.email:
            self.emails[new.email.casefold()] = new.serial
        self.changed[new.serial] = new
        return new

    def new_serial(self, first_name: str, index: int) -> str:
        for attempt in range(100):
            rng = rng_for(self.world.seed, "user-write", f"{self.world.seq + 1}/{index}/{attempt}")
            serial = user_serial(rng, first_name)
            if serial not in self.world.person_by_serial and serial not in self.changed:
                return serial
        raise RuntimeError("no free user serial")


def _names(name: str) -> tuple[str, str]:
    first, _, last = name.partition(" ")
    return first, last


def _create_user(people: _People, u: NewUser, index: int) -> Person:
    if not u.email and not u.phone:
        raise BadRequestError("email or phone is required (or both)")
    if u.employee_id in people.by_id:
        raise AlreadyExistsError("employee id", u.employee_id)
    people.claim_email(u.email, None)
    people.check_references(u.tag_serials, u.org_serial)
    first, last = _names(u.name)
    return people.keep(None, Person(
        employee_id=u.employee_id, serial=people.new_serial(first, index), first_name=first, last_name=last,
        username=u.username or u.employee_id.lower(), email=u.email or "", phone=u.phone or "", is_active=u.is_active,
        org_serial=u.org_serial or "", tag_serials=list(dict.fromkeys(u.tag_serials or ())),
        last_access_mission="", user_id="", job_title="",  # no iSpring account: Ruangkerja created it
    ))


def _change_user(people: _People, c: UserChange, index: int) -> Person:
    old = people.find(c.employee_id)
    new = replace(old, tag_serials=list(old.tag_serials))
    if c.new_employee_id and c.new_employee_id != old.employee_id:
        if c.new_employee_id in people.by_id:
            raise AlreadyExistsError("employee id", c.new_employee_id)
        new.employee_id = c.new_employee_id
    if c.email is not None:
        people.claim_email(c.email, old.serial)
        new.email = c.email
    people.check_references(c.tag_serials, c.org_serial)
    if c.name is not None:
        new.first_name, new.last_name = _names(c.name)
    if c.username:
        new.username = c.username
    if c.phone is not None:
        new.phone = c.phone
    if not new.email and not new.phone:
        raise BadRequestError(f"phone is required: user {old.employee_id} has no email")
    if c.is_active is not None:
        new.is_active = c.is_active
    if c.tag_serials is not None:
        new.tag_serials = list(dict.fromkeys(c.tag_serials))
    if c.org_serial:
        new.org_serial = c.org_serial
    return people.keep(old, new)


def _write_users(world: World, state, items: list, step) -> list[Outcome]:
    outcomes: list[Outcome] = []

    def decide(w: World) -> dict:
        outcomes.clear()
        people = _People(w)
        for index, item in enumerate(items):
            try:
                outcomes.append(step(people, item, index).serial)
            except MockError as error:
                outcomes.append(error)
        rows = _differing([asdict(p) for p in people.changed.values()], w.person_by_serial)
        if not rows:
            raise _NothingToStore()
        return {"people": rows}

    _commit(world, state, USERS_WRITTEN, decide)
    return outcomes


def create_users(world: World, state, users: list[NewUser]) -> list[Outcome]:
    """Create each user, in order; one event holds every one created."""
    return _write_users(world, state, users, _create_user)


def change_users(world: World, state, changes: list[UserChange]) -> list[Outcome]:
    """Change each user, in order (a new employee ID, a new email ...); one event holds every one changed."""
    return _write_users(world, state, changes, _change_user)


def only(outcomes: list[Outcome]) -> str:
    """The serial of a single-item write, or its error raised."""
    if isinstance(outcomes[0], MockError):
        raise outcomes[0]
    return outcomes[0]


def _rename_employee(world: World, old: str, new: str) -> None:
    """Every entity of the Ruangkerja face that names the employee (assignments ...) follows a new employee ID."""
    for name in ENTITY_TYPES:
        for entity in world._entities(name):
            if getattr(entity, "employee_id", None) == old:
                entity.employee_id = new


@applies(USERS_WRITTEN)
def _apply_users(world: World, payload: dict) -> None:
    for row in payload["people"]:
        new = Person(**row)
        old = world.person_by_serial.get(new.serial)
        if old is None:
            world.people.append(new)
            continue
        if old.employee_id != new.employee_id:
            _rename_employee(world, old.employee_id, new.employee_id)
        for f in fields(Person):  # in place: every list and index holding the person sees the change
            setattr(old, f.name, getattr(new, f.name))
    world._index()


# --- tags -------------------------------------------------------------------------------------------------------------


def find_tags(world: World, fragment: str | None) -> list[Tag]:
    """Find Tags' `name` filter: the tags whose name contains it (case-insensitive)."""
    return [t for t in world.tags if _contains(t.name, fragment)]


def tag(world: World, serial: str) -> Tag:
    found = world.tag_by_serial.get(serial)
    if found is None:
        raise NotFoundError("tag", serial)
    return found


class _Tags:
    """The tags as a write leaves them, item after item."""

    def __init__(self, world: World):
        self.world = world
        self.by_serial = dict(world.tag_by_serial)
        self.names = {t.name.casefold(): t.serial for t in world.tags}
        self.changed: dict[str, Tag] = {}

    def find(self, serial: str) -> Tag:
        found = self.by_serial.get(serial)
        if found is None:
            raise NotFoundError("tag", serial)
        return found

    def name(self, serial: str | None, name: str, index: int) -> Tag:
        """The tag `serial` (a new one when None) named `name`; AlreadyExistsError when another has that name."""
        old = self.find(serial) if serial is not None else None
        if self.names.get(name.casefold(), serial) != serial:
            raise AlreadyExistsError("tag name", name)
        if old is not None:
            del self.names[old.name.casefold()]
        new = Tag(serial or self._new_serial(index), name)
        self.by_serial[new.serial] = self.changed[new.serial] = new
        self.names[name.casefold()] = new.serial
        return new

    def _new_serial(self, index: int) -> str:
        for attempt in range(100):
            serial = "RUKRTAG-" + code(rng_for(self.world.seed, "tag-write", f"{self.world.seq + 1}/{index}/{attempt}"), 8)
            if serial not in self.by_serial:
                return serial
        raise RuntimeError("no free tag serial")


def write_tags(world: World, state, items: list[tuple[str | None, str]]) -> list[Outcome]:
    """Name tags, in order: (None, name) creates one, (serial, name) renames that one; one event holds every one
    written."""
    outcomes: list[Outcome] = []

    def decide(w: World) -> dict:
        outcomes.clear()
        tags = _Tags(w)
        for index, (serial, name) in enumerate(items):
            try:
                outcomes.append(tags.name(serial, name, index).serial)
            except MockError as error:
                outcomes.append(error)
        rows = _differing([asdict(t) for t in tags.changed.values()], w.tag_by_serial)
        if not rows:
            raise _NothingToStore()
        return {"tags": rows}

    _commit(world, state, TAGS_WRITTEN, decide)
    return outcomes


def delete_tags(world: World, state, serials: list[str]) -> tuple[list[str], list[str]]:
    """(failed, deleted): a serial that is unknown (or named twice) fails; one event deletes the others, and takes
    them off every user."""
    failed: list[str] = []
    deleted: list[str] = []

    def decide(w: World) -> dict:
        failed.clear()
        deleted.clear()
        for serial in serials:
            (deleted if serial in w.tag_by_serial and serial not in deleted else failed).append(serial)
        if not deleted:
            raise _NothingToStore()
        return {"serials": list(deleted)}

    _commit(world, state, TAGS_DELETED, decide)
    return failed, deleted


@applies(TAGS_WRITTEN)
def _apply_tags(world: World, payload: dict) -> None:
    for row in payload["tags"]:
        found = world.tag_by_serial.get(row["serial"])
        if found is None:
            world.tags.append(Tag(**row))
        else:
            found.name = row["name"]
    world._index()


@applies(TAGS_DELETED)
def _apply_tags_deleted(world: World, payload: dict) -> None:
    gone = set(payload["serials"])
    world.tags = [t for t in world.tags if t.serial not in gone]
    for person in world.people:
        if gone.intersection(person.tag_serials):
            person.tag_serials = [s for s in person.tag_serials if s not in gone]
    world._index()


# --- company structure and course assignment --------------------------------------------------------------------------


def company_structure(world: World) -> tuple[list[OrgUnit], dict[str, list[OrgUnit]]]:
    """The top organizations, and each organization's children by its serial, in the world's order."""
    children: dict[str, list[OrgUnit]] = {}
    for unit in world.org_units:
        if unit.parent_serial:
            children.setdefault(unit.parent_serial, []).append(unit)
    return [u for u in world.org_units if not u.parent_serial], children


def assign_online_course(world: World, state, course_serial: str, user_serials: list[str],
                         employee_ids: list[str], due_date: str | None = None) -> list[str]:
    """Assign users (by serial or employee ID) to a course online, not started, due by `due_date` (an ISO time, or
    None); one already assigned keeps their assignment and progress. An unknown course, user or employee refuses the
    whole call. Returns the employee IDs newly assigned."""
    assigned: list[str] = []

    def decide(w: World) -> dict:
        found = course(w, course_serial)
        people = [w.person_by_serial.get(s) or _missing("user", s) for s in user_serials]
        people += [w.person_by_employee_id.get(e) or _missing("employee", e) for e in employee_ids]
        taken = {o.employee_id for o in w.online_assignments_by_course[found.serial]}
        assigned[:] = [e for e in dict.fromkeys(p.employee_id for p in people) if e not in taken]
        if not assigned:
            raise _NothingToStore()
        return {"assignments": [asdict(OnlineAssignment(e, found.serial, None, None, 0, "", "", "not_started",
                                                        due_date)) for e in assigned]}

    _commit(world, state, ONLINE_COURSE_ASSIGNED, decide)
    return assigned


def _missing(what: str, key: str):
    raise NotFoundError(what, key)


@applies(ONLINE_COURSE_ASSIGNED)
def _apply_online_assigned(world: World, payload: dict) -> None:
    world.online_assignments.extend(OnlineAssignment(**row) for row in payload["assignments"])
    world._index()


# --- driving ----------------------------------------------------------------------------------------------------------
# The clock and the activity of POST /__admin/activity. An online assignment's due date is compared with the world's
# clock on read (an open one past it reads expired); an activity is one event holding the assignment as it becomes,
# and every count that reads the assignment (summaries, learning-plan counters, course users) follows.

ACTIVITY_RECORDED = "ruangkerja.activity_recorded"
ACTIVITY_ACTIONS = ("start", "complete", "fail", "expire", "attend", "miss")


def current(o: OnlineAssignment, now: datetime) -> OnlineAssignment:
    """The assignment as it reads at `now`: not started or in progress past its due date is expired."""
    if o.due_date and o.status in (NOT_STARTED, IN_PROGRESS):
        due = _instant(o.due_date)
        if due is not None and due < now:
            return replace(o, status=EXPIRED)
    return o


def as_of_now(world: World, rows: list[OnlineAssignment]) -> list[OnlineAssignment]:
    now = world.now()
    return [current(o, now) for o in rows]


@dataclass(frozen=True)
class Activity:
    """What a learner did: `action` (ACTIVITY_ACTIONS) and what goes with it."""

    action: str
    score: int | None = None  # the post test's
    pre_test: int | None = None  # an online course's pre test, on start
    time_spent: int | None = None  # seconds, added to the assignment's
    absent_reason: str | None = None  # miss
    feedback: str | None = None  # attend


def find_assignment(w: World, employee_id: str | None, course_serial: str | None, batch_serial: str | None,
                    serial: str | None) -> OnlineAssignment | Assignment:
    """The assignment a tester names: its serial (ASGC-..., as User Course Status shows it), or the employee (ID or
    serial) and the course, and the batch when the employee is in several batches of it. Unknown: a 400."""
    if serial:
        found = next((a for a in w.assignments if a.serial == serial), None) or next(
            (o for o in w.online_assignments if online_assignment_serial(o) == serial), None)
        if found is None:
            raise BadRequestError(f"assignmentSerial: no course assignment {serial}")
        return found
    if not employee_id or not course_serial:
        raise BadRequestError("employeeId and courseId are required (or assignmentSerial)")
    person = w.person_by_employee_id.get(employee_id) or w.person_by_serial.get(employee_id)
    if person is None:
        raise BadRequestError(f"employeeId: unknown employee {employee_id}")
    found_course = w.course_by_serial.get(course_serial)
    if found_course is None:
        raise BadRequestError(f"courseId: unknown course {course_serial}")
    if found_course.category == "Online":
        if batch_serial:
            raise BadRequestError(f"batchId: course {course_serial} is an online course, it has no batches")
        row = next((o for o in w.online_assignments_by_course[course_serial] if o.employee_id == person.employee_id),
                   None)
        if row is None:
            raise BadRequestError(f"employee {person.employee_id} is not assigned to course {course_serial} "
                                  "(Assign Online Course first)")
        return row
    rows = [a for a in w.assignments_by_employee[person.employee_id] if a.course_serial == course_serial
            and (not batch_serial or a.batch_serial == batch_serial)]
    if not rows:
        where = f"batch {batch_serial} of course" if batch_serial else "a batch of course"
        raise BadRequestError(f"employee {person.employee_id} is not assigned to {where} {course_serial}")
    if len(rows) > 1:
        raise BadRequestError(f"employee {person.employee_id} is in batches {', '.join(a.batch_serial for a in rows)} "
                              f"of course {course_serial}: name one as batchId")
    return rows[0]


def _check_score(score: int | None, passing: int | None, action: str, course_serial: str) -> None:
    if passing is None:
        return
    if action == "complete" and score is None:
        raise BadRequestError(f"score is required: course {course_serial} passes at {passing}")
    if action == "complete" and score < passing:
        raise BadRequestError(f"score {score} is below course {course_serial}'s passing score {passing}: "
                              "that is a fail")
    if action == "fail" and score is not None and score >= passing:
        raise BadRequestError(f"score {score} reaches course {course_serial}'s passing score {passing}: "
                              "that is a complete")


def _online_activity(w: World, o: OnlineAssignment, act: Activity) -> OnlineAssignment:
    from .generate import iso_z

    if act.action in ("attend", "miss"):
        raise BadRequestError(f"action {act.action} is for webinar and offline batches; course {o.course_serial} "
                              "is online")
    if o.status == COMPLETED:
        raise BadRequestError(f"the assignment of {o.employee_id} to {o.course_serial} is completed already")
    if act.pre_test is not None and act.action != "start":
        raise BadRequestError("preTest goes with start")
    _check_score(act.score, w.course_by_serial[o.course_serial].passing_score, act.action, o.course_serial)
    if act.score is not None and act.action in ("start", "expire"):
        raise BadRequestError(f"score goes with complete or fail, not {act.action}")
    now = w.now()
    new = replace(o, last_access_mission=iso_z(now), time_spent=o.time_spent + (act.time_spent or 0))
    if act.action == "start":
        new.status = IN_PROGRESS
        new.pre_test = o.pre_test if act.pre_test is None else act.pre_test
    elif act.action == "complete":
        new.status, new.completed_at = COMPLETED, f"{now:%Y-%m-%d}"
        new.post_test = act.score if act.score is not None else o.post_test
    elif act.action == "fail":
        new.status = FAILED
        new.post_test = act.score if act.score is not None else o.post_test
    else:
        new.status, new.last_access_mission = EXPIRED, o.last_access_mission  # nobody came: no access
    return new


def _batch_activity(w: World, a: Assignment, act: Activity) -> Assignment:
    if a.user_assigned_status == "Cleared":
        raise BadRequestError(f"assignment {a.serial} is cleared already")
    if act.pre_test is not None:
        raise BadRequestError("preTest goes with an online course's start; batches have no pre test")
    if act.time_spent is not None:
        raise BadRequestError("timeSpent goes with online courses; batches count no time")
    if act.absent_reason is not None and act.action != "miss":
        raise BadRequestError("absentReason goes with miss")
    if act.feedback is not None and act.action != "attend":
        raise BadRequestError("feedback goes with attend")
    passing = a.post_test_passing_score
    post = passing is not None
    if act.score is not None and (act.action not in ("complete", "fail") or not post):
        raise BadRequestError(f"score goes with complete or fail of a post test (batch {a.batch_serial}'s course "
                              f"{'has one' if post else 'has no post test'})")
    if act.action in ("start", "expire") and not post:
        raise BadRequestError(f"{act.action}: the course {a.course_serial} of batch {a.batch_serial} has no post test")
    if act.action in ("start", "complete") and not a.is_attend:
        raise BadRequestError(f"{act.action}: {a.employee_id} did not attend batch {a.batch_serial} (attend first)")
    if act.action == "fail" and post and act.score is None:
        raise BadRequestError(f"score is required: the post test of course {a.course_serial} passes at {passing}")
    _check_score(act.score, passing, act.action, a.course_serial)
    new = replace(a)
    if act.action == "attend":
        new.is_attend, new.absent_reason = True, ""
        new.feedback = a.feedback if act.feedback is None else act.feedback
        new.user_assigned_status = "Ongoing" if post else "Cleared"
        new.post_activity_status = "NOT STARTED" if post else ""
    elif act.action == "miss":
        new.is_attend, new.absent_reason, new.feedback = False, act.absent_reason or "", ""
        new.user_assigned_status, new.post_activity_status = "Failed", "EXPIRED" if post else ""
    elif act.action == "start":
        new.post_activity_status = "IN PROGRESS"
    elif act.action in ("complete", "fail"):
        new.user_assigned_status = "Cleared" if act.action == "complete" else "Failed"
        if post:
            new.post_activity_status, new.post_test_attempt = "COMPLETED", a.post_test_attempt + 1
            new.post_test_score = act.score
    else:
        new.user_assigned_status, new.post_activity_status = "Failed", "EXPIRED"
    return new


def record_activity(world: World, state, act: Activity, employee_id: str | None = None,
                    course_serial: str | None = None, batch_serial: str | None = None,
                    serial: str | None = None) -> tuple[OnlineAssignment | Assignment, OnlineAssignment | Assignment]:
    """(before, after) of the assignment a learner's activity moves: one event, or a 400 and nothing stored."""
    found: list = []

    def decide(w: World) -> dict:
        if act.action not in ACTIVITY_ACTIONS:
            raise BadRequestError(f"action must be one of {', '.join(ACTIVITY_ACTIONS)}")
        row = find_assignment(w, employee_id, course_serial, batch_serial, serial)
        if isinstance(row, OnlineAssignment):
            new = _online_activity(w, row, act)
            found[:] = [current(row, w.now()), current(new, w.now())]
            return {"online": asdict(new)}
        new = _batch_activity(w, row, act)
        found[:] = [row, new]
        return {"assignment": asdict(new)}

    world.commit(state, ACTIVITY_RECORDED, decide)
    return found[0], found[1]


@applies(ACTIVITY_RECORDED)
def _apply_activity(world: World, payload: dict) -> None:
    # New objects in new lists: a reader on another thread sees the old row or the new one.
    if "online" in payload:
        new = OnlineAssignment(**payload["online"])
        key = (new.employee_id, new.course_serial)
        world.online_assignments = [new if (o.employee_id, o.course_serial) == key else o
                                    for o in world.online_assignments]
    else:
        new = Assignment(**payload["assignment"])
        world.assignments = [new if a.serial == new.serial else a for a in world.assignments]
    world._index()
