"""iSpring's own copy of the seeded organisation: its users, departments, groups and roles.

Derived from the seeded entities whenever a world loads (not stored in the world file), so every worker derives the
same records; after the seed each platform keeps its own writes (DESIGN.md decision 3). The learners are the
employees who have an iSpring userId (same names and e-mails), the departments the company structure under a root
named after the company, the groups the tags.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone

from .ids import rng_for, time_uuid
from .model import Company, Department, Group, Learner, OrgUnit, Person, Role, Tag, Task

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
