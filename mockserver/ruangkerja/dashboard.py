"""Dashboard views (`/ruangkerja/dashboard/...`): parse the request, ask the world, shape the vendor payload."""

from __future__ import annotations

from flask import request

from contracts.ruangkerja import (
    CourseBatchListResponseSchema,
    CourseListResponseSchema,
    CourseOfflineUsersResponseSchema,
    UserWebinarActivityListResponseSchema,
    UserWebinarActivityPageResponseSchema,
)

from ..context import runtime
from ..world.model import Assignment, Batch, Course, Person
from . import blueprint
from .params import paging
from .responses import envelope, page, page_items, respond


def user_ref(person: Person) -> dict:
    return {"serial": person.serial, "name": person.name, "employeeID": person.employee_id}


def assignment_outcome(a: Assignment) -> dict:
    return {
        "absentReason": a.absent_reason,
        "assignedCourseSerial": a.serial,
        "feedback": a.feedback,
        "isAttend": a.is_attend,
        "userAssignedStatus": a.user_assigned_status,
        "postActivityStatus": a.post_activity_status,
        "postTestAttempt": a.post_test_attempt,
        "postTestScore": a.post_test_score,
        "postTestPassingScore": a.post_test_passing_score,
    }


@blueprint.get("/ruangkerja/dashboard/courses")
def course():
    number, size = paging()
    rows = runtime().world.courses_named(request.args.get("name", ""))

    def item(c: Course) -> dict:
        # The docs' copy of this page is cut off after `description`: no field past it is guessed.
        return {"serial": c.serial, "name": c.name, "description": c.description}

    return respond(envelope(page(rows, number, size, item)), CourseListResponseSchema)


@blueprint.get("/ruangkerja/dashboard/courses/<course_serial>/batches")
def course_batch(course_serial: str):
    number, size = paging()
    world = runtime().world

    def item(b: Batch) -> dict:
        return {
            "serial": b.serial,
            "name": b.name,
            "mainActivityStartAt": b.main_activity_start_at,
            "mainActivityEndAt": b.main_activity_end_at,
            "postActivityStartAt": b.post_activity_start_at,
            "postActivityEndAt": b.post_activity_end_at,
            "platform": b.platform,
            "location": b.location,
            "note": b.note,
            "status": b.status,
        }

    rows = world.course_batches(world.course(course_serial))
    return respond(envelope(page(rows, number, size, item)), CourseBatchListResponseSchema)


@blueprint.get("/ruangkerja/dashboard/courses/<course_serial>/offline/<batch_serial>/users")
def course_offline_user_assignment(course_serial: str, batch_serial: str):
    number, size = paging()
    world = runtime().world
    course = world.course(course_serial)
    batch = world.batch(course, batch_serial, "Offline")

    def item(a: Assignment) -> dict:
        return {"user": user_ref(world.person_by_employee_id[a.employee_id]), **assignment_outcome(a)}

    return respond(envelope(page(world.batch_assignments(batch), number, size, item)), CourseOfflineUsersResponseSchema)


@blueprint.get("/ruangkerja/dashboard/users/<employee_id>/courses/webinar")
def user_webinar_course_activity(employee_id: str):
    number, size = paging()
    rt = runtime()
    world = rt.world
    rows = world.employee_assignments(world.employee(employee_id), "Webinar")

    def item(a: Assignment) -> dict:
        course, batch = world.course_by_serial[a.course_serial], world.batch_by_serial[a.batch_serial]
        return {
            "course": {"serial": course.serial, "name": course.name},
            "batch": {"serial": batch.serial, "name": batch.name},
            **assignment_outcome(a),
        }

    # The docs' example shows a bare list; their field table says data.items.* (README, compatibility notes).
    if rt.config.ruangkerja_user_activity == "paginated":
        return respond(envelope(page(rows, number, size, item)), UserWebinarActivityPageResponseSchema)
    return respond(envelope(page_items(rows, number, size, item)), UserWebinarActivityListResponseSchema)
