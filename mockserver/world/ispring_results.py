"""What iSpring reads off its learners' progress: results (per course and per module), final statuses, issued
certificates, gamification points and active users; and the writes of this slice (re-enrollment, points).

Every figure here is read off the enrollment's progress (model.Enrollment: status, progress, awarded_score,
completion_date ...), which only world/ispring.py `set_progress` moves, never stored beside it. The two things a
learner's progress cannot say are kept as records of their own: the points an administrator awarded or withdrew
(`World.points_ledger`), and the certificates of attempts a re-enrollment archived (`World.archived_certificates`),
which stay retrievable by their ID.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timezone

from ..errors import BadRequestError, ListedNotFoundError
from . import ispring as iworld
from . import ispring_content, ispring_seed
from .model import Certificate, ContentItem, Enrollment
from .store import World, applies, loads

# CompletionStatus, the values a result reports (the spec's enum; the mock's progress reaches six of them).
COMPLETION_STATUSES = ("not_started", "in_progress", "pending", "complete", "passed", "accepted", "incomplete",
                       "failed", "declined")
USER_STATUSES = (1, 3, 5)
POINTS_PER_COMPLETION = 100  # a completed or passed enrollment earns its learner this many points

REENROLLED = "ispring.reenrolled"
POINTS_AWARDED = "ispring.points_awarded"


# --- modules ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """A module of a course as the results name it: moduleId, its title, and the course item it is."""

    module_id: str
    title: str
    course_item_id: str



@loads
def _load(world: World) -> None:
    """What iSpring keeps of its own, made only by writes: points awarded and withdrawn, and the certificates of
    attempts a re-enrollment archived, by issuedCertificateId."""
    world.points_ledger = []
    world.archived_certificates = {}

def course_modules(world: World, course_id: str) -> list[Module]:
    """The course's modules, in course order (world/ispring_content.py: a Course's materials); an item of another
    type (a quiz, a video ...) is one module, itself."""
    item = world.content_item_by_id.get(course_id)
    if item is None:
        return []
    found = [Module(m.module_id, m.title, m.content_item_id) for m in ispring_content.modules(world, item)]
    return found or [Module(item.content_item_id, item.title, item.content_item_id)]


def done_modules(e: Enrollment, count: int) -> int:
    """How many of the course's `count` modules the learner has finished: all once the course is done, else the
    share its progress says (modules are taken in order)."""
    if e.status in iworld.DONE:
        return count
    return min(count - 1, e.progress * count // 100) if count else 0


def module_states(e: Enrollment, modules: list[Module]) -> list[dict]:
    """Each module's (status, progress, completion date, score) read off the enrollment: the finished ones first,
    then the one being taken, then the ones not started."""
    done = done_modules(e, len(modules))
    states = []
    for n, _ in enumerate(modules):
        if e.status in iworld.DONE:
            states.append({"status": e.status, "progress": 100, "completion_date": e.completion_date,
                           "score": e.awarded_score})
        elif n < done:
            states.append({"status": "complete", "progress": 100, "completion_date": e.last_view_date,
                           "score": None})
        elif n == done and e.status != "not_started":
            share = e.progress * len(modules) - 100 * done  # what is left of the progress, in this module
            states.append({"status": e.status, "progress": max(0, min(99, share)), "completion_date": None,
                           "score": None})
        else:
            states.append({"status": "not_started", "progress": 0, "completion_date": None, "score": None})
    return states


def module_progress(world: World, e: Enrollment, changes: dict[str, str]) -> tuple[str, int]:
    """The course status and progress after modules change (contentItemId -> CompletionStatus): a module
    complete, passed or accepted is finished, any other status is not; the course is done when every module is,
    not started when every module is."""
    modules = course_modules(world, e.course_id)
    after = [changes.get(m.module_id, s["status"]) for m, s in zip(modules, module_states(e, modules))]
    finished = sum(status in ("complete", "passed", "accepted") for status in after)
    if modules and finished == len(modules):
        return "automatic", 100
    if all(status == "not_started" for status in after):
        return "not_started", 0
    return "in_progress", 100 * finished // len(modules) if modules else 0


# --- results ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilter:
    """The results lists' filters (None = no filter); a date range is (start, end), both inclusive."""

    user_ids: list[str] | None = None
    course_ids: list[str] | None = None
    department_ids: list[str] | None = None
    enrollment_ids: list[str] | None = None
    statuses: list[str] | None = None
    completion: tuple[datetime, datetime] | None = None
    access: tuple[datetime, datetime] | None = None
    due: tuple[datetime, datetime] | None = None
    user_statuses: list[int] | None = None


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    found = datetime.fromisoformat(text)
    return found if found.tzinfo else found.replace(tzinfo=timezone.utc)


def _within(value: str | None, span: tuple[datetime, datetime] | None) -> bool:
    if span is None:
        return True
    moment = _moment(value)
    return moment is not None and span[0] <= moment <= span[1]


def find_results(world: World, f: ResultFilter = ResultFilter()) -> list[Enrollment]:
    """The enrollments whose results match every filter given, in enrollmentId order (the page cursor's)."""
    rows = iworld.find_enrollments(world, f.course_ids, f.user_ids, f.enrollment_ids)
    departments = None if f.department_ids is None else set(f.department_ids)
    found = []
    for e in rows:
        learner = world.learner_by_id.get(e.learner_id)
        if departments is not None and (learner is None or learner.department_id not in departments):
            continue
        if f.user_statuses is not None and (learner is None or learner.status not in f.user_statuses):
            continue
        if f.statuses is not None and e.status not in f.statuses:
            continue
        if not (_within(e.completion_date, f.completion) and _within(e.access_date, f.access)
                and _within(e.due_date, f.due)):
            continue
        found.append(e)
    return found


def is_overdue(e: Enrollment, today: date) -> bool:
    """Past its due date and not finished."""
    return e.due_date is not None and e.status not in iworld.DONE and date.fromisoformat(e.due_date) < today


def passing_score(world: World, course_id: str) -> int | None:
    item = world.content_item_by_id.get(course_id)
    return ispring_seed.passing_score(world.seed, item) if item is not None else None


def final_statuses(world: World, content_id: str) -> list[Enrollment]:
    """The enrollments in a content item, one a learner, in enrollmentId order (ContentItemFinalStatus)."""
    item: ContentItem = iworld.content_item(world, content_id)  # NotFoundError: the spec lists a 404 here
    return iworld.find_enrollments(world, [item.content_item_id])


# --- certificates -------------------------------------------------------------------------------------------------


def issued_certificate(world: World, certificate_id: str) -> tuple[Certificate, str, str]:
    """(the certificate, its course, its learner): held by an enrollment, or archived by a re-enrollment."""
    for e in list(world.enrollments.values()):
        if e.certificate is not None and e.certificate.issued_certificate_id == certificate_id:
            return e.certificate, e.course_id, e.learner_id
    archived = world.archived_certificates.get(certificate_id)
    if archived is not None:
        return Certificate(**archived["certificate"]), archived["course_id"], archived["learner_id"]
    raise ListedNotFoundError("Issued certificate not found")  # the spec's text/plain 404


def certificate_url(world: World, certificate_id: str) -> str:
    """Where the certificate's PDF lives: on the account's host, like the content items' viewUrls, so it follows a
    setAccountUrl (read at answer time, never stored)."""
    return f"{world.company.account_url.rstrip('/')}/certificates/{certificate_id}.pdf"


# --- points -------------------------------------------------------------------------------------------------------


def points(world: World, user_id: str) -> float:
    """A learner's total: POINTS_PER_COMPLETION for each enrollment completed or passed, plus what was awarded,
    less what was withdrawn."""
    earned = sum(POINTS_PER_COMPLETION for e in list(world.enrollments.values())
                 if e.learner_id == user_id and e.status in iworld.COMPLETED)
    total = earned + sum(row["amount"] for row in list(world.points_ledger) if row["user_id"] == user_id)
    return int(total) if float(total).is_integer() else total


def change_points(world: World, state, user_id: str, amount: float, reason: str) -> None:
    """Award (amount > 0) or withdraw (amount < 0) points. A withdrawal may not take a learner below zero."""
    def decide(w: World) -> dict:
        iworld.known_user(w, user_id)
        if not reason.strip():
            raise BadRequestError("reason must not be empty")
        if amount < 0 and points(w, user_id) + amount < 0:
            raise BadRequestError(f"amount {-amount:g} is more than the {points(w, user_id):g} points the user has")
        return {"user_id": user_id, "amount": amount, "reason": reason, "date": ispring_seed.timestamp(w.now())}

    world.commit(state, POINTS_AWARDED, decide)


@applies(POINTS_AWARDED)
def _apply_points(world: World, payload: dict) -> None:
    world.points_ledger = [*world.points_ledger, payload]


# --- active users -------------------------------------------------------------------------------------------------


def active_users(world: World, start: datetime, end: datetime) -> list[str]:
    """The users active in [start, end]: who logged in, viewed an enrolled course or finished one then; in user
    order."""
    def within(value: str | None) -> bool:
        moment = _moment(value)
        return moment is not None and start <= moment <= end

    viewed = {e.learner_id for e in list(world.enrollments.values())
              if within(e.last_view_date) or within(e.completion_date)}
    return [u.user_id for u in list(world.learners) if u.user_id in viewed or within(u.last_login_date)]


# --- re-enrollment ------------------------------------------------------------------------------------------------


def reenroll(world: World, state, enrollment_id: str, schedule: iworld.Schedule) -> None:
    """A new attempt: new access and due terms, the learner's progress back to not started. A certificate the
    earlier attempt earned is archived: no longer on the enrollment (the docs: certificate data come back only for
    active enrollments, not archived ones), still retrievable by its ID; completing again issues a new one."""
    def decide(w: World) -> dict:
        e = w.enrollments.get(enrollment_id)
        if e is None:
            raise BadRequestError(f"enrollmentId: unknown enrollmentId {enrollment_id}")
        access, due, lock = schedule.resolve(w.now().date())
        return {"enrollment_id": enrollment_id, "access_date": access, "due_date": due,
                "should_lock_after_due_date": lock,
                "archived": {"certificate": asdict(e.certificate), "course_id": e.course_id,
                             "learner_id": e.learner_id} if e.certificate is not None else None}

    world.commit(state, REENROLLED, decide)


@applies(REENROLLED)
def _apply_reenrolled(world: World, payload: dict) -> None:
    found = world.enrollments.get(payload["enrollment_id"])
    if found is None:  # deleted by an earlier event
        return
    archived = payload["archived"]
    if archived is not None:
        world.archived_certificates = {**world.archived_certificates,
                                       archived["certificate"]["issued_certificate_id"]: archived}
    world.enrollments[found.enrollment_id] = replace(
        found, access_date=payload["access_date"], due_date=payload["due_date"],
        should_lock_after_due_date=payload["should_lock_after_due_date"], certificate=None, status="not_started",
        progress=0, awarded_score=None, completion_date=None, time_spent=0, views_count=0, last_view_date=None)

