"""The World: the entity lists, their indexes, and the writes applied from the shared log.

The queries each vendor face asks live beside it, one module per face (ruangkerja.py, ispring.py). Reads never touch
SQLite: each worker holds the world in memory. A write goes through `World.commit`, which
appends one event to the shared log (state.py) and applies it here; other workers apply it in `catch_up`
before they answer their next request.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any, Callable

from .. import __version__
from ..errors import StateUnavailableError
from . import ispring_seed
from .clock import Clock
from .generate import generate
from .model import (
    Assignment,
    Batch,
    Certificate,
    Company,
    ContentItem,
    Course,
    Department,
    Enrollment,
    Group,
    GroupMembership,
    Learner,
    LearningPlan,
    OnlineAssignment,
    OrgUnit,
    Person,
    PlanCourse,
    Role,
    Tag,
    Task,
)

ENTITY_TYPES = {
    "org_units": OrgUnit,
    "tags": Tag,
    "people": Person,
    "courses": Course,
    "batches": Batch,
    "assignments": Assignment,
    "online_assignments": OnlineAssignment,
    "learning_plans": LearningPlan,
    "content_items": ContentItem,
    "enrollments": Enrollment,
}

# Event kind -> function(world, payload) that applies it. Filled by the modules that own each write.
APPLIERS: dict[str, Callable[["World", dict], None]] = {}
RESET = "world.reset"
# Functions(world) that add a module's own records to a world being loaded (pristine, or back to it by a reset), after
# the seeded entities are indexed, in the order the modules register them (`@loads`).
LOADERS: list[Callable[["World"], None]] = []
# Functions(world, state, seq, kind, payload) told of each write this worker commits, inside its transaction and
# before it is applied (the world as it was): what a write causes besides itself (webhook deliveries) lands with it.
WATCHERS: list[Callable[..., None]] = []
# The log's epochs. An event of an EPOCHS kind (a reset; driving.py adds another seed and a new --fixtures content)
# loads a pristine world, so nothing before it can matter again but what outlives it: the last event of each group
# of STANDING kinds (the mock clock, which a reset leaves; the origin a reset returns to). Appending one deletes the
# rest before it in the same transaction (SharedState.compact): catching up costs what the writes since cost.
EPOCHS: set[str] = set()
STANDING: list[frozenset[str]] = []


class Unchanged(dict):
    """What a write's `decide` returns when the write changes nothing (an enrollment that exists, a field set to the
    value it has): the payload the caller reads its answer from, as it would have been, but no event is appended or
    applied, so a no-op write costs the log nothing."""


_GENERATIONS = itertools.count(1)


def applies(kind: str):
    def register(fn):
        APPLIERS[kind] = fn
        return fn

    return register


def loads(fn: Callable[["World"], None]) -> Callable[["World"], None]:
    LOADERS.append(fn)
    return fn


class World:
    def __init__(self, seed: int, sizes: dict[str, int], origin: Callable[[], dict[str, Any]]):
        """`origin` gives the pristine entities: the seed's generator, or the file the world was loaded from."""
        self.seed = seed
        self.sizes = sizes
        self._origin = origin
        self.seq = 0  # the last shared-log event applied here
        self._sync_lock = threading.Lock()
        self.clock = Clock()  # real time until POST /__admin/clock moves it; a reset leaves it (world/driving.py)
        self.loaded_sha256: str | None = None  # of the --fixtures content the world was loaded from (driving.py)
        self._started = (seed, sizes, origin)  # what a replay from the start begins with (a reseed changes them)
        self._load(origin())

    def _load(self, entities: dict[str, Any]) -> None:
        self.generation = next(_GENERATIONS)  # this load's number in the process: a cached answer's (api/cache.py)
        self._derived: dict[str, Any] = {}  # derived(): indexes of the world at `_derived_at`
        self._derived_at: tuple[int, int] | None = None
        self.company: Company = entities["company"]
        self.org_units: list[OrgUnit] = entities["org_units"]
        self.tags: list[Tag] = entities["tags"]
        self.people: list[Person] = entities["people"]
        # iSpring's own users, departments, groups and roles, derived from the seeded ones (DESIGN.md decision 3:
        # each platform keeps its own writes; a user created or changed through one is not in the other).
        self.roles: list[Role] = ispring_seed.roles(self.seed)
        self.learners: list[Learner] = ispring_seed.learners(self.seed, self.people, self.org_units, self.roles[0])
        self.departments: list[Department] = ispring_seed.departments(self.seed, self.company, self.org_units)
        self.groups: list[Group] = ispring_seed.groups(self.seed, self.tags, self.people, self.departments)
        self.tasks: list[Task] = ispring_seed.tasks(self.seed)  # async requests (GET /task/{taskId}/status)
        self.courses: list[Course] = entities["courses"]
        self.batches: list[Batch] = entities["batches"]
        self.assignments: list[Assignment] = entities["assignments"]
        self.online_assignments: list[OnlineAssignment] = entities["online_assignments"]
        self.learning_plans: list[LearningPlan] = entities["learning_plans"]
        self.content_items: list[ContentItem] = entities["content_items"]
        items = {i.content_item_id: i for i in self.content_items}
        self.certifying_items: set[str] = ispring_seed.certifying_items(self.seed, self.content_items,
                                                                        entities["enrollments"])
        self.enrollments: dict[str, Enrollment] = {
            e.enrollment_id: ispring_seed.with_progress(self.seed, e, items.get(e.course_id),
                                                        e.course_id in self.certifying_items)
            for e in entities["enrollments"]}
        self._index()
        for load in LOADERS:  # what other modules derive or keep: trainings, webhook subscribers, points ...
            load(self)

    def now(self) -> datetime:
        """The world's "now", in UTC: every date a write decides or a read compares against comes from here, so the
        mock clock (POST /__admin/clock) moves them all. In whole seconds, as the vendors write dates: so an answer
        is a function of the request, the log and the clock's second, and stays right while they do (api/cache.py)."""
        return self.clock.now().replace(microsecond=0)

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """`build()`, kept until the world next changes (a load, an event): for indexes derived from the entities
        that a read would otherwise rebuild at each call. Writes are applied through events only, so the log
        position says when it is stale."""
        position = (self.generation, self.seq)
        if self._derived_at != position:
            self._derived, self._derived_at = {}, position
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    # --- building -------------------------------------------------------------------------------------

    @classmethod
    def build(cls, seed: int, employees: int, courses: int) -> "World":
        return cls(seed, {"employees": employees, "courses": courses}, lambda: generate(seed, employees, courses))

    def _index(self) -> None:
        self.person_by_employee_id = {p.employee_id: p for p in self.people}
        self.person_by_serial = {p.serial: p for p in self.people}
        self.learner_by_id = {u.user_id: u for u in self.learners}
        self.department_by_id = {d.department_id: d for d in self.departments}
        self.group_by_id = {g.group_id: g for g in self.groups}
        self.role_by_id = {r.role_id: r for r in self.roles}
        self.task_by_id = {t.task_id: t for t in self.tasks}
        self.org_unit_by_serial = {u.serial: u for u in self.org_units}
        self.org_unit_by_department_id = {u.department_id: u for u in self.org_units}
        self.tag_by_serial = {t.serial: t for t in self.tags}
        self.course_by_serial = {c.serial: c for c in self.courses}
        self.batch_by_serial = {b.serial: b for b in self.batches}
        self.batches_by_course: dict[str, list[Batch]] = defaultdict(list)
        for b in self.batches:
            self.batches_by_course[b.course_serial].append(b)
        self.content_item_by_id = {c.content_item_id: c for c in self.content_items}
        self.assignments_by_batch: dict[str, list[Assignment]] = defaultdict(list)
        self.assignments_by_employee: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.assignments:
            self.assignments_by_batch[a.batch_serial].append(a)
            self.assignments_by_employee[a.employee_id].append(a)
        self.online_assignments_by_course: dict[str, list[OnlineAssignment]] = defaultdict(list)
        for o in self.online_assignments:
            self.online_assignments_by_course[o.course_serial].append(o)
        self.learning_plan_by_serial = {lp.serial: lp for lp in self.learning_plans}

    @property
    def memberships(self) -> list[GroupMembership]:
        """Every (group, member) pair of the plain groups, in group order (a view of Group.user_ids)."""
        return [GroupMembership(g.group_id, u) for g in list(self.groups) if not g.is_smart for u in g.user_ids]

    @property
    def content_tree(self) -> list:
        """The courses tree: the content library's folders and items (derived, world/ispring_content.py)."""
        from .ispring_content import courses_tree

        return courses_tree(self)

    # --- export / import (`mockserver fixtures export`, `serve --fixtures`) -----------------------------

    def to_json(self) -> dict:
        return {
            "format": "lms-mockserver-world/1",
            "generator": __version__,
            "seed": self.seed,
            "sizes": self.sizes,
            "company": asdict(self.company),
            **{name: [asdict(e) for e in self._entities(name)] for name in ENTITY_TYPES},
        }

    @classmethod
    def from_json(cls, data: dict) -> "World":
        return cls(data["seed"], data["sizes"], json_origin(data))

    def _entities(self, name: str) -> list:
        return list(self.enrollments.values()) if name == "enrollments" else getattr(self, name)

    # --- shared writes ----------------------------------------------------------------------------------

    def catch_up(self, state) -> None:
        """Apply the shared log's events this worker has not seen, in order.

        The log may have been compacted since (EPOCHS): the events missing after `seq` were all before an epoch's
        start, which is kept and comes before anything after it, with the last event of each STANDING group. So
        applying what is left gives the world a replay of everything would: the epoch's start reloads the pristine
        world of the origin the kept events set, and the clock is the last one set."""
        state.verify()
        if state.head() == self.seq:
            return
        with self._sync_lock:
            for seq, kind, payload in state.events_after(self.seq):
                APPLIERS[kind](self, payload)
                self.seq = seq

    def commit(self, state, kind: str, decide: Callable[["World"], dict]) -> dict:
        """One write: under the log's lock, catch up, let `decide` validate and build the event, append it, apply it.

        `decide` raises a MockError to refuse the write; then nothing is appended and nothing changes. It returns an
        `Unchanged` payload for a write that changes nothing: returned as it is, nothing appended. An event that
        starts an epoch deletes the events it makes pointless, in the same transaction.
        """
        applied = False
        try:
            with state.locked():
                self.catch_up(state)
                payload = decide(self)
                if isinstance(payload, Unchanged):
                    return payload
                seq = state.append(kind, payload)
                if kind in EPOCHS:
                    state.compact(seq, [kinds for kinds in STANDING if kind not in kinds])  # (it is the last)
                for watch in WATCHERS:
                    watch(self, state, seq, kind, payload)
                with self._sync_lock:
                    APPLIERS[kind](self, payload)
                    self.seq = seq
                applied = True
        except StateUnavailableError:
            if applied:  # applied here, but its COMMIT never came back: the log may or may not hold it
                self._replay_from_start()
            raise
        return payload

    def _replay_from_start(self) -> None:
        """Back to the world this worker started with (origin and clock), to apply the whole log again at the next
        catch-up: a reseed or a clock this worker applied but could not confirm is undone with the rest."""
        with self._sync_lock:
            if self._origin is not self._started[2]:
                self.loaded_sha256 = None  # fixtures_watch looks at the file again; a replayed load sets it back
            self.seed, self.sizes, self._origin = self._started
            self.clock = Clock()
            self._load(self._origin())
            self.seq = 0

    def reset(self, state) -> int:
        """Back to the pristine world on every worker: the reset is itself an event, so it lands in log order."""
        self.commit(state, RESET, lambda world: {})
        return self.seq


def json_origin(data: dict) -> Callable[[], dict[str, Any]]:
    """The pristine entities of a world file's JSON (World.to_json), built afresh at each call."""
    def entities() -> dict[str, Any]:
        found: dict[str, Any] = {"company": Company(**data["company"])}
        for name, kind in ENTITY_TYPES.items():
            found[name] = [kind(**row) for row in data.get(name, [])]  # a kind newer than the file: none
        for e in found["enrollments"]:
            if e.certificate is not None:
                e.certificate = Certificate(**e.certificate)
        for plan in found["learning_plans"]:
            plan.courses = [PlanCourse(**c) for c in plan.courses]
        return found

    return entities


EPOCHS.add(RESET)


@applies(RESET)
def _restore(world: World, payload: dict) -> None:
    world._load(world._origin())
