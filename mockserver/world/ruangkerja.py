"""The Ruangkerja face of the world: the queries its operations ask. Rows come back in the vendor's list order."""

from __future__ import annotations

from ..errors import NotFoundError
from .model import Assignment, Batch, Course, OnlineAssignment, Person
from .store import World


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


def batch(world: World, course_serial: str, batch_serial: str, category: str) -> Batch:
    """A batch of the course; 404 when the batch belongs to another course or the course is not `category`."""
    found_course = course(world, course_serial)
    found = world.batch_by_serial.get(batch_serial)
    if found_course.category != category:
        raise NotFoundError(f"{category.lower()} course", found_course.serial)
    if found is None or found.course_serial != found_course.serial:
        raise NotFoundError("batch", batch_serial)
    return found


def batch_users(world: World, course_serial: str, batch_serial: str, category: str) -> list[Assignment]:
    """The people assigned to a batch of an Offline or Webinar course, with their outcomes."""
    return world.assignments_by_batch[batch(world, course_serial, batch_serial, category).serial]


def online_users(world: World, course_serial: str) -> list[OnlineAssignment]:
    """The people assigned to an Online course, with their progress; 404 when the course is not online."""
    found = course(world, course_serial)
    if found.category != "Online":
        raise NotFoundError("online course", found.serial)
    return world.online_assignments_by_course[found.serial]


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
    return [o for o in world.online_assignments if o.employee_id == person.employee_id]


# --- users ------------------------------------------------------------------------------------------------------------


# --- tags -------------------------------------------------------------------------------------------------------------


# --- company structure and course assignment --------------------------------------------------------------------------
