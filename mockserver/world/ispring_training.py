"""iSpring trainings (instructor-led: trainings, sessions, days, participants, attendance) and assignments (the
Assignment content type: attempts learners submit and instructors grade), with their queries and writes.

Derived whenever a world loads (never stored in the world file), so every worker derives the same records:
- a training is a Ruangkerja Webinar or Offline course, its sessions the course's batches, a session's days the
  batch's dates (one to three consecutive days at the batch's hours), its participants the people assigned to the
  batch who are iSpring learners, and the seeded attendance of a past day whether they attended the batch;
- an assignment is a content item of type Assignment, and each of its enrollments has, derived per (seed,
  enrollment), a submitted attempt or none, and a submitted attempt a seeded grade or none (then it is ungraded).
After the seed iSpring keeps its own writes (DESIGN.md decision 3): a day's URL, attendance and grades change here
only, never the Ruangkerja batches and assignments they came from.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from ..errors import BadRequestError, ListedNotFoundError, NotFoundError
from .generate import WORLD_DATE
from .ids import rng_for, time_uuid, utc
from .ispring_seed import timestamp
from .store import World, applies, loads

TRAINING_CATEGORIES = ("Webinar", "Offline")  # the Ruangkerja courses that are instructor-led trainings
_ID_TIMES = (utc(2019, 1, 1), utc(2024, 6, 1))
DAY_SECONDS = 8 * 3600  # a training day at most: a batch that spans days meets at its hours on each
COMMENTS = ("Terlampir hasil tugas saya.", "Mohon ditinjau, terima kasih.", "Tugas sudah saya kerjakan sesuai brief.",
            "Revisi kedua, sesuai masukan sebelumnya.")
FEEDBACK = ("Bagus, lanjutkan.", "Sudah sesuai kriteria.", "Perlu lebih banyak contoh.", "")


@dataclass(frozen=True, slots=True)
class Training:
    training_id: str
    title: str
    organizer: str  # a learner's userId
    type: str  # Webinar | Offline, as the Ruangkerja course it is
    session_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrainingSession:
    session_id: str
    training_id: str
    title: str
    instructor: str  # a learner's userId
    day_ids: tuple[str, ...]
    participant_ids: tuple[str, ...]  # userIds, sorted: the participants list's paging order

    @property
    def training_session_id(self) -> str:
        """The spec's path name for session_id (GET /training/session/{trainingSessionId})."""
        return self.session_id


@dataclass(frozen=True, slots=True)
class TrainingDay:
    day_id: str
    session_id: str
    training_id: str
    start_time: str  # 2024-05-02T02:00:00+00:00
    duration: int  # seconds
    location: str | None  # an address (Offline)
    url: str | None  # the webinar link (Webinar), or one set by POST /training/day/{dayId}


@dataclass(frozen=True, slots=True)
class Attendance:
    day_id: str
    participant_id: str
    is_attended: bool
    duration: int | None  # seconds


@dataclass(frozen=True, slots=True)
class ContentAssignment:
    """An Assignment content item as GET /assignments lists it."""

    assignment_id: str  # the content item's ID
    title: str
    instructor_id: str | None


@dataclass(frozen=True, slots=True)
class AssignmentAttempt:
    attempt_id: str
    assignment_id: str
    enrollment_id: str
    user_id: str
    comment: str
    attachments: tuple[dict, ...]  # {fileName, fileSize, url}
    submitted_at: str
    score: float | None = None  # None: ungraded
    grade_comment: str | None = None
    graded_at: str | None = None

    @property
    def ungraded(self) -> bool:
        return self.score is None


# --- deriving ---------------------------------------------------------------------------------------------------


@loads
def derive(world: World) -> None:
    """The trainings and assignments of a freshly loaded world."""
    learners = sorted(u.user_id for u in world.learners)
    user_of = {p.employee_id: p.user_id for p in world.people if p.user_id}
    trainings, sessions, days, seeded = [], [], [], {}
    for course in world.courses:
        if course.category not in TRAINING_CATEGORIES or not world.batches_by_course.get(course.serial):
            continue
        training_id, pick = _training_draw(world.seed, course.serial)
        session_ids = []
        for batch in world.batches_by_course[course.serial]:
            session, its_days, attended = _session(world, training_id, batch, learners, user_of)
            session_ids.append(session.session_id)
            sessions.append(session)
            days += its_days
            seeded.update((d.day_id, attended) for d in its_days if d.start_time[:10] < WORLD_DATE.isoformat())
        trainings.append(Training(training_id, course.name, learners[int(pick * len(learners))] if learners else "",
                                  course.category, tuple(session_ids)))
    world.trainings, world.training_sessions, world.training_days = trainings, sessions, days
    world.seeded_attendance = seeded  # a past day's participant -> attended?, as the batch has it
    world.training_attendance = {}  # (dayId, participantId) -> Attendance written through iSpring
    world.content_assignments = [ContentAssignment(c.content_item_id, c.title, c.author_id or None)
                                 for c in world.content_items if c.type == "Assignment"]
    world.assignment_attempts = _attempts(world)
    index(world)


@functools.lru_cache(maxsize=65_536)
def _training_draw(seed: int, course_serial: str) -> tuple[str, float]:
    """(trainingId, the organizer's pick) of a course: the same for every load of a world, so drawn once (a world
    loads on every reset, and the tests load one per test)."""
    rng = rng_for(seed, "ispring-training", course_serial)
    return time_uuid(rng, *_ID_TIMES), rng.random()


@functools.lru_cache(maxsize=65_536)
def _session_draw(seed: int, batch_serial: str) -> tuple[str, tuple[str, ...], tuple[float, ...]]:
    """(sessionId, its dayIds, the instructor's picks) of a batch, drawn once."""
    rng = rng_for(seed, "ispring-training-session", batch_serial)
    session_id = time_uuid(rng, *_ID_TIMES)
    return session_id, tuple(time_uuid(rng, *_ID_TIMES) for _ in range(rng.randint(1, 3))), tuple(
        rng.random() for _ in range(20))


def _session(world: World, training_id: str, batch, learners: list[str], user_of: dict):
    session_id, day_ids, picks = _session_draw(world.seed, batch.serial)
    start = datetime.fromisoformat(batch.main_activity_start_at.replace("Z", "+00:00"))
    end = datetime.fromisoformat(batch.main_activity_end_at.replace("Z", "+00:00"))
    webinar = batch.platform != ""
    attended = {user_of[a.employee_id]: a.is_attend for a in world.assignments_by_batch.get(batch.serial, ())
                if a.employee_id in user_of}
    duration = min(int((end - start).total_seconds()), DAY_SECONDS)
    days = [TrainingDay(day_id, session_id, training_id, timestamp(start + timedelta(days=k)), duration,
                        None if webinar else batch.location, batch.location if webinar else None)
            for k, day_id in enumerate(day_ids)]
    instructor = ""
    for pick in picks:  # a learner who is no participant (in a world of a few learners, maybe none)
        instructor = learners[int(pick * len(learners))] if learners else ""
        if instructor not in attended:
            break
    session = TrainingSession(session_id, training_id, batch.name, instructor, tuple(d.day_id for d in days),
                              tuple(sorted(attended)))
    return session, days, attended


def _attempts(world: World) -> list[AssignmentAttempt]:
    """Per (seed, enrollment) of an Assignment item: no attempt (not submitted yet), or one submitted after the
    enrollment's access date, graded or not yet."""
    wanted = {a.assignment_id for a in world.content_assignments}
    host = world.company.account_url.replace("http://", "https://")
    found = (_attempt(world.seed, e.enrollment_id, e.course_id, e.learner_id, e.access_date, host)
             for e in sorted((e for e in world.enrollments.values() if e.course_id in wanted),
                             key=lambda e: e.enrollment_id))
    return [a for a in found if a is not None]


@functools.lru_cache(maxsize=65_536)
def _attempt(seed: int, enrollment_id: str, assignment_id: str, user_id: str, access_date: str,
             host: str) -> AssignmentAttempt | None:
    rng = rng_for(seed, "ispring-assignment-attempt", enrollment_id)
    if rng.random() < 0.3:
        return None
    access = datetime.fromisoformat(access_date)
    submitted = utc(access.year, access.month, access.day, rng.randint(8, 17)) + timedelta(days=rng.randint(1, 20))
    attempt_id = time_uuid(rng, submitted, submitted + timedelta(minutes=1))
    attachments = tuple({"fileName": f"tugas-{n + 1}.{ext}", "fileSize": rng.randint(20_000, 4_000_000),
                         "url": f"{host}/files/{attempt_id}/tugas-{n + 1}.{ext}"}
                        for n, ext in enumerate(rng.sample(("pdf", "docx", "xlsx", "pptx"), rng.randint(0, 2))))
    attempt = AssignmentAttempt(attempt_id, assignment_id, enrollment_id, user_id, rng.choice(COMMENTS), attachments,
                                timestamp(submitted))
    if rng.random() < 0.5:
        attempt = replace(attempt, score=float(rng.randint(40, 100)), grade_comment=rng.choice(FEEDBACK),
                          graded_at=timestamp(submitted + timedelta(days=rng.randint(1, 5))))
    return attempt


def index(world: World) -> None:
    world.training_by_id = {t.training_id: t for t in world.trainings}
    world.training_session_by_id = {s.session_id: s for s in world.training_sessions}
    world.training_day_by_id = {d.day_id: d for d in world.training_days}
    world.content_assignment_by_id = {a.assignment_id: a for a in world.content_assignments}
    world.assignment_attempt_by_id = {a.attempt_id: a for a in world.assignment_attempts}


# --- queries ----------------------------------------------------------------------------------------------------


def training(world: World, training_id: str) -> Training:
    found = world.training_by_id.get(training_id)
    if found is None:
        raise NotFoundError("training", training_id)  # GetTrainingById lists no 404: a 400
    return found


def sessions_of(world: World, training_id: str) -> list[TrainingSession]:
    found = world.training_by_id.get(training_id)
    if found is None:
        raise ListedNotFoundError("Training not found")
    return [world.training_session_by_id[s] for s in found.session_ids]


def session(world: World, session_id: str) -> TrainingSession:
    found = world.training_session_by_id.get(session_id)
    if found is None:
        raise ListedNotFoundError("Training session not found")  # the spec's 404 example
    return found


def day(world: World, day_id: str) -> TrainingDay:
    found = world.training_day_by_id.get(day_id)
    if found is None:
        raise ListedNotFoundError("Day not found")  # the spec's 404 example
    return found


def days_of(world: World, s: TrainingSession) -> list[TrainingDay]:
    return [world.training_day_by_id[d] for d in s.day_ids]


def session_duration(world: World, s: TrainingSession) -> int:
    return sum(d.duration for d in days_of(world, s))


def session_start(world: World, s: TrainingSession) -> str:
    return min(d.start_time for d in days_of(world, s))


def participants(world: World, s: TrainingSession) -> list[str]:
    """The session's participants who are iSpring users still (a user removed through iSpring is no longer one)."""
    return [u for u in s.participant_ids if u in world.learner_by_id]


def attendance(world: World, day_id: str) -> list[Attendance]:
    """A day's attendance, in participant order: as written through iSpring, else for a day before the world's
    date as the batch has it (attended: the whole day), else unmarked (left out)."""
    d = day(world, day_id)
    marks, seeded = world.training_attendance, world.seeded_attendance.get(d.day_id, {})
    found = []
    for u in participants(world, world.training_session_by_id[d.session_id]):
        if (d.day_id, u) in marks:
            found.append(marks[(d.day_id, u)])
        elif u in seeded:
            found.append(Attendance(d.day_id, u, seeded[u], d.duration if seeded[u] else 0))
    return found


def find_assignments(world: World, ungraded_only: bool = False) -> list[ContentAssignment]:
    """Assignments in assignmentId order (the page cursor's); `ungraded_only`: those with an attempt to grade."""
    waiting = {a.assignment_id for a in live_attempts(world) if a.ungraded} if ungraded_only else None
    return sorted((a for a in world.content_assignments if waiting is None or a.assignment_id in waiting),
                  key=lambda a: a.assignment_id)


def live_attempts(world: World) -> list[AssignmentAttempt]:
    """The attempts whose enrollment still exists (unenrolling takes a learner's attempt with it)."""
    return [a for a in list(world.assignment_attempts) if a.enrollment_id in world.enrollments]


def ungraded_attempts(world: World, assignment_id: str, user_ids: list[str] | None = None) -> list[AssignmentAttempt]:
    if assignment_id not in world.content_assignment_by_id:
        raise NotFoundError("assignment", assignment_id)  # the spec lists no 404: a 400
    wanted = None if user_ids is None else set(user_ids)
    return [a for a in live_attempts(world) if a.assignment_id == assignment_id and a.ungraded
            and (wanted is None or a.user_id in wanted)]


# --- writes -----------------------------------------------------------------------------------------------------

DAY_UPDATED = "ispring.training_day_updated"
ATTENDANCE_UPDATED = "ispring.training_attendance_updated"
ATTEMPTS_GRADED = "ispring.assignment_attempts_graded"


def update_day(world: World, state, day_id: str, url: str) -> None:
    def decide(w: World) -> dict:
        day(w, day_id)
        return {"day_id": day_id, "url": url}

    world.commit(state, DAY_UPDATED, decide)


@dataclass(frozen=True)
class AttendanceMark:
    participant_id: str
    is_attended: bool
    duration: int | None


def update_attendance(world: World, state, day_id: str, marks: list[AttendanceMark]) -> None:
    """Mark participants of the day present or absent: all of them, or none when one is no participant."""
    def decide(w: World) -> dict:
        d = day(w, day_id)
        allowed = set(participants(w, w.training_session_by_id[d.session_id]))
        for n, mark in enumerate(marks):
            if mark.participant_id not in allowed:
                raise BadRequestError(f"participantsAttendance[{n}].participantId: {mark.participant_id} is no "
                                      "participant of the day's session")
            if mark.duration is not None and not 0 <= mark.duration <= d.duration:
                raise BadRequestError(f"participantsAttendance[{n}].duration must be between 0 and the day's "
                                      f"{d.duration} seconds")
        return {"marks": [asdict(Attendance(day_id, m.participant_id, m.is_attended, m.duration)) for m in marks]}

    if marks:
        world.commit(state, ATTENDANCE_UPDATED, decide)
    else:
        decide(world)  # nothing to mark: the day must still exist


@dataclass(frozen=True)
class Grade:
    attempt_id: str
    score: float
    comment: str | None


def grade_attempts(world: World, state, grades: list[Grade]) -> None:
    """Grade ungraded attempts: all of them, or none when one is unknown, graded already, or named twice."""
    def decide(w: World) -> dict:
        if not grades:
            raise BadRequestError("assignmentAttemptGrades must name at least one attempt")
        seen = set()
        for n, g in enumerate(grades):
            found = w.assignment_attempt_by_id.get(g.attempt_id)
            where = f"assignmentAttemptGrades[{n}]"
            if found is None or found.enrollment_id not in w.enrollments:
                raise BadRequestError(f"{where}.attemptId: unknown attempt {g.attempt_id}")
            if not found.ungraded or g.attempt_id in seen:
                raise BadRequestError(f"{where}.attemptId: attempt {g.attempt_id} is graded already")
            if not 0 <= g.score <= 100:
                raise BadRequestError(f"{where}.score must be between 0 and 100")
            seen.add(g.attempt_id)
        now = timestamp(w.now())
        return {"grades": [{"attempt_id": g.attempt_id, "score": g.score, "comment": g.comment, "graded_at": now}
                           for g in grades]}

    world.commit(state, ATTEMPTS_GRADED, decide)


@applies(DAY_UPDATED)
def _apply_day_updated(world: World, payload: dict) -> None:
    found = world.training_day_by_id.get(payload["day_id"])
    if found is not None:
        world.training_days = [replace(d, url=payload["url"]) if d.day_id == found.day_id else d
                               for d in world.training_days]
        index(world)


@applies(ATTENDANCE_UPDATED)
def _apply_attendance(world: World, payload: dict) -> None:
    marks = dict(world.training_attendance)  # a new dict: a reader mid-iteration keeps the old one
    for row in payload["marks"]:
        marks[(row["day_id"], row["participant_id"])] = Attendance(**row)
    world.training_attendance = marks


@applies(ATTEMPTS_GRADED)
def _apply_graded(world: World, payload: dict) -> None:
    grades = {g["attempt_id"]: g for g in payload["grades"]}
    world.assignment_attempts = [
        replace(a, score=grades[a.attempt_id]["score"], grade_comment=grades[a.attempt_id]["comment"],
                graded_at=grades[a.attempt_id]["graded_at"]) if a.attempt_id in grades else a
        for a in world.assignment_attempts]
    index(world)
