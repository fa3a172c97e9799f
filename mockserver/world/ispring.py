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
        departments = {value} if rule.get("operator") == ONLY else _department_tree(world, value)
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


def _department_tree(world: World, department_id: str) -> set[str]:
    """The department and every department nested under it (by parent_id)."""
    children: dict[str | None, list[str]] = {}
    for d in list(world.departments):
        children.setdefault(d.parent_id, []).append(d.department_id)
    found, todo = set(), [department_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


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
    now = datetime.now(timezone.utc)
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
        group(w, group_id)
        return {"group_id": group_id, "name": _check_name(w, name, group_id)}

    world.commit(state, GROUP_CHANGED, decide)


def update_group_members(world: World, state, group_id: str, user_ids: list[str]) -> None:
    """Replace the members (the docs: "will completely replace existing group members"; empty removes all)."""
    user_ids = _unique(user_ids)

    def decide(w: World) -> dict:
        if group(w, group_id).is_smart:
            raise BadRequestError(f"group {group_id} is a smart group: its rules choose its members")
        _check_users(w, user_ids)
        return {"group_id": group_id, "user_ids": user_ids}

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
