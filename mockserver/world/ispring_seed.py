"""iSpring's own copy of the seeded organisation: its users, departments, groups and roles, and its learners' progress.

Derived from the seeded entities whenever a world loads (not stored in the world file), so every worker derives the
same records; after the seed each platform keeps its own writes (DESIGN.md decision 3). The learners are the
employees who have an iSpring userId (same names and e-mails), the departments the company structure under a root
named after the company, the groups the tags.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from .ids import rng_for, time_uuid
from .model import Company, ContentItem, Department, Enrollment, Group, Learner, OrgUnit, Person, Role, Tag, Task

ACTIVE, INACTIVE, TERMINATED = 1, 3, 5
INHERIT = {"subordinationType": "inherit"}
NO_SUPERVISOR = {"subordinationType": "no_supervisor"}
_EPOCH = (datetime(2019, 1, 1, tzinfo=timezone.utc), datetime(2019, 6, 1, tzinfo=timezone.utc))

ROLES = (  # UserRoleEnum, one role of each type, as a new account has them
    ("learner", "Learner", "Takes courses and training"),
    ("administrator", "Account Administrator", "Manages the whole account"),
    ("department_administrator", "Department Administrator", "Manages the users and learning of departments"),
    ("publisher", "Publisher", "Uploads and manages content"),
    ("custom", "Training Manager", "Enrolls learners and reads their results"),
)


def timestamp(moment: datetime) -> str:
    """iSpring's datetime: 2019-03-26T06:34:57+00:00."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def roles(seed: int) -> list[Role]:
    return [Role(time_uuid(rng_for(seed, "ispring-role", kind), *_EPOCH), kind, title, description)
            for kind, title, description in ROLES]


def departments(seed: int, company: Company, units: list[OrgUnit]) -> list[Department]:
    root = Department(time_uuid(rng_for(seed, "ispring-root", 0), *_EPOCH), company.name, None, company.serial, NO_SUPERVISOR,
                      NO_SUPERVISOR)
    by_serial = {u.serial: u for u in units}
    return [root] + [Department(u.department_id, u.name,
                                by_serial[u.parent_serial].department_id if u.parent_serial else root.department_id,
                                u.code, INHERIT, NO_SUPERVISOR) for u in units]


def learners(seed: int, people: list[Person], units: list[OrgUnit], learner_role: Role) -> list[Learner]:
    department_of = {u.serial: u.department_id for u in units}
    found = []
    for p in people:
        if not p.user_id:
            continue
        added, last_login = _dates(seed, p.user_id, p.last_access_mission)
        found.append(Learner(p.user_id, p.username, p.email, p.first_name, p.last_name, p.phone, p.job_title,
                             department_of[p.org_serial], learner_role.type, learner_role.role_id,
                             ACTIVE if p.is_active else INACTIVE, added, last_login, dict(INHERIT),
                             dict(NO_SUPERVISOR), []))
    return found


@functools.lru_cache(maxsize=65_536)
def _dates(seed: int, user_id: str, last_access_mission: str) -> tuple[str, str]:
    """(addedDate, lastLoginDate) of a learner: the same for every load of a world, so worked out once (a world loads
    on every reset, and the tests load one per test)."""
    added = datetime.fromtimestamp(rng_for(seed, "ispring-user", user_id).uniform(*(m.timestamp() for m in _EPOCH)),
                                   timezone.utc)
    last_login = datetime.fromisoformat(last_access_mission).replace(tzinfo=timezone.utc) \
        if last_access_mission else added
    return timestamp(added), timestamp(max(added, last_login))


def groups(seed: int, tags: list[Tag], people: list[Person], departments: list[Department] = ()) -> list[Group]:
    """One group per tag; then one smart group, everyone in the first department under the root and the departments
    nested in it, so a world has a smart group for its rules to be read and edited."""
    found = [Group(time_uuid(rng_for(seed, "ispring-group", t.serial), *_EPOCH), t.name, False,
                   [p.user_id for p in people if p.user_id and t.serial in p.tag_serials]) for t in tags]
    top = next((d for d in departments if d.parent_id is not None and d.parent_id == departments[0].department_id),
               None)
    if top is not None and all(g.name != f"Everyone in {top.name}" for g in found):
        rule = {"attributeType": 1, "operator": 2, "value": top.department_id}
        found.append(Group(time_uuid(rng_for(seed, "ispring-smart-group", top.department_id), *_EPOCH),
                           f"Everyone in {top.name}", True, [], {"and": [{"or": [{"rule": rule}]}]}))
    return found


def task_base(seed: int) -> int:
    """Where the account's task IDs stand (the docs show 58931, 99817, 100027: growing integers)."""
    return rng_for(seed, "ispring-task", 0).randrange(50_000, 90_000)


def tasks(seed: int) -> list[Task]:
    """The account's earlier async requests (course status edits): long finished, so all complete."""
    base = task_base(seed)
    return [Task(base + step, "course_status", timestamp(datetime(2020, 7, 22, 10, 30, tzinfo=timezone.utc)), 0)
            for step in (0, 3, 8)]


# --- progress: where each seeded enrollment stands, and which courses issue certificates ---------------------------

NOT_STARTED, IN_PROGRESS, COMPLETE, PASSED, INCOMPLETE, FAILED = (
    "not_started", "in_progress", "complete", "passed", "incomplete", "failed")
SCORED_TYPES = ("Course", "Quiz", "OnlineQuiz", "iSpringSuiteModule", "SCORM")


def passing_score(seed: int, item: ContentItem) -> int | None:
    """The score a learner needs to pass a scored item (None: the item is not scored, so it is completed, never
    passed or failed)."""
    if item.type not in SCORED_TYPES:
        return None
    return rng_for(seed, "passing-score", item.content_item_id).choice((60, 70, 75, 80))


def certifying_items(seed: int, items: list[ContentItem], enrollments: list[Enrollment]) -> set[str]:
    """The content items that issue a certificate on completion: every item a seeded enrollment holds one of, and
    some of the other courses and learning tracks."""
    found = {e.course_id for e in enrollments if e.certificate is not None}
    found.update(i.content_item_id for i in items if i.type in ("Course", "LearningTrack")
                 and rng_for(seed, "certifying", i.content_item_id).random() < 0.5)
    return found


def with_progress(seed: int, e: Enrollment, item: ContentItem | None, certifying: bool) -> Enrollment:
    """A seeded enrollment with its learner's progress: passed (or complete) where it holds a certificate, on the
    certificate's date; else started, failed or not started, or completed where the course issues no certificate (a
    completed enrollment of a certifying course always holds one)."""
    if e.status is not None:
        return e
    passing = passing_score(seed, item) if item is not None else None
    fields = _progress(seed, e.enrollment_id, e.access_date, e.certificate.issue_date if e.certificate else None,
                       passing, certifying)
    return replace(e, **fields)


@functools.lru_cache(maxsize=65_536)
def _progress(seed: int, enrollment_id: str, access_date: str, certified_on: str | None, passing: int | None,
              certifying: bool) -> dict:
    rng = rng_for(seed, "progress", enrollment_id)
    access = datetime.fromisoformat(access_date).replace(tzinfo=timezone.utc)
    if certified_on is not None:
        status = PASSED if passing is not None else COMPLETE
        done = datetime.fromisoformat(certified_on)
        done = done if done.tzinfo else done.replace(tzinfo=timezone.utc) + timedelta(hours=rng.randint(8, 17))
    else:
        choices = [NOT_STARTED, IN_PROGRESS] + ([FAILED] if passing is not None else []) + \
            ([] if certifying else [PASSED if passing is not None else COMPLETE])
        status = rng.choice(choices)
        done = access + timedelta(days=rng.randint(1, 30), hours=rng.randint(8, 17)) \
            if status in (PASSED, COMPLETE, FAILED) else None
    if status == NOT_STARTED:
        return {"status": status}
    score = None
    if passing is not None and status in (PASSED, FAILED):
        score = float(rng.randint(passing, 100) if status == PASSED else rng.randint(0, passing - 1))
    viewed = done or access + timedelta(days=rng.randint(0, 20), hours=rng.randint(8, 17))
    return {"status": status, "progress": 100 if done is not None else rng.randint(5, 95), "awarded_score": score,
            "completion_date": timestamp(done) if done else None, "time_spent": rng.randint(5, 120) * 60,
            "views_count": rng.randint(1, 12), "last_view_date": timestamp(viewed)}
