"""The world's enrollment writes, below HTTP: due-date terms, IDs derived from the seed, one event per write, reset."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from mockserver.errors import BadRequestError, NotFoundError
from mockserver.state import SharedState
from mockserver.world import World
from mockserver.world.ispring import (
    CREATED,
    Schedule,
    change_enrollment,
    enroll_learners_in_courses,
    find_enrollments,
    unenroll,
)

from .helpers.apps import SEED
from .helpers.ispring_wire import COMMUNICATION, JOHN_DOE, JOHN_SMITH, PLACEHOLDER, SMITH_ENROLLMENT, SPREADSHEETS

TODAY = dt.date(2024, 6, 1)
EVENING = dt.datetime(2024, 6, 1, 20, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("schedule, expected", [
    (Schedule("unlimited", dt.date(2024, 5, 1), due_date=dt.date(2024, 5, 9)), ("2024-05-01", None, False)),
    (Schedule("default"), ("2024-06-01", None, False)),
    (Schedule("due_date", dt.date(2024, 5, 1), due_date=dt.date(2024, 5, 9), lock_after_due_date=True),
     ("2024-05-01", "2024-05-09", True)),
    (Schedule("due_period", EVENING, due_period_hours=3), ("2024-06-01", "2024-06-01", False)),
    (Schedule("due_period", EVENING, due_period_hours=5), ("2024-06-01", "2024-06-02", False)),
    (Schedule("due_period", None, due_period_hours=48), ("2024-06-01", "2024-06-03", False)),
])
def test_schedule_terms(schedule, expected):
    assert schedule.resolve(TODAY) == expected


@pytest.mark.parametrize("schedule", [
    Schedule("sometime"), Schedule("due_date"), Schedule("due_period"), Schedule("due_period", due_period_hours=-1),
    Schedule("due_date", dt.date(2024, 5, 2), due_date=dt.date(2024, 5, 1)),
])
def test_incoherent_terms_are_bad_requests(schedule):
    with pytest.raises(BadRequestError):
        schedule.resolve(TODAY)


def fresh(world_json, tmp_path, name: str, seed_json=None) -> tuple[World, SharedState]:
    return World.from_json(seed_json or world_json), SharedState(str(tmp_path / f"{name}.sqlite3"))


def test_ids_derive_from_the_seed_and_the_log(world_json, tmp_path):
    """Same seed and history: the same ID on any server; another seed: another ID for the same write."""
    worlds = [World.from_json(world_json), World.from_json(world_json), World.build(SEED + 1, 200, 30)]
    doc_learners = [JOHN_DOE, JOHN_SMITH, PLACEHOLDER]  # the same user IDs in every world (doc examples)
    course, learner = next((c, p) for c in (SPREADSHEETS, COMMUNICATION, PLACEHOLDER) for p in doc_learners
                           if not any(find_enrollments(w, [c], [p]) for w in worlds))
    terms = Schedule("unlimited", dt.date(2024, 6, 3))
    made = [enroll_learners_in_courses(w, SharedState(str(tmp_path / f"{i}.sqlite3")), [course], [learner], terms)
            for i, w in enumerate(worlds)]
    assert made[0] == made[1] != made[2]
    created = uuid.UUID(made[0][0])
    assert created.version == 1 and str(created) == made[0][0]  # lower-case, time-based, as production's
    moment = dt.datetime(1582, 10, 15, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=created.time // 10)
    assert moment.date() == dt.date(2024, 6, 3)  # its time is the enrollment's access date


def test_each_write_is_one_event_applied_the_same_everywhere(world_json, tmp_path):
    world, state = fresh(world_json, tmp_path, "shared")
    mirror = World.from_json(world_json)
    learner = world.people[20].user_id
    (new_id,) = enroll_learners_in_courses(world, state, [SPREADSHEETS], [learner], Schedule("unlimited"))
    change_enrollment(world, state, new_id, Schedule("due_date", dt.date(2024, 1, 1), due_date=dt.date(2024, 2, 1)))
    unenroll(world, state, [SMITH_ENROLLMENT])
    assert [kind for _, kind, _ in state.events_after(0)] == [CREATED, "ispring.enrollment_changed",
                                                              "ispring.enrollments_deleted"]
    mirror.catch_up(state)
    assert mirror.enrollments == world.enrollments
    assert find_enrollments(mirror, learner_ids=[learner], course_ids=[SPREADSHEETS])[0].due_date == "2024-02-01"


def test_refused_writes_append_nothing(world_json, tmp_path):
    world, state = fresh(world_json, tmp_path, "refused")
    with pytest.raises(NotFoundError):
        unenroll(world, state, [SMITH_ENROLLMENT, "00000000-0000-1000-8000-000000000000"])
    with pytest.raises(BadRequestError):
        enroll_learners_in_courses(world, state, [SPREADSHEETS], ["nobody"], Schedule("unlimited"))
    assert state.head() == 0 and SMITH_ENROLLMENT in world.enrollments


def test_reset_undoes_enrollment_writes_on_every_worker(world_json, tmp_path):
    world, state = fresh(world_json, tmp_path, "reset")
    other = World.from_json(world_json)
    pristine = dict(world.enrollments)
    enroll_learners_in_courses(world, state, [SPREADSHEETS], [world.people[30].user_id], Schedule("unlimited"))
    unenroll(world, state, [SMITH_ENROLLMENT])
    other.reset(state)
    world.catch_up(state)
    assert world.enrollments == pristine == other.enrollments
