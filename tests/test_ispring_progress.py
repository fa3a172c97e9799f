"""A learner's progress in an enrolled course: seeded consistently, moved by one write, seen by every worker."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mockserver.errors import BadRequestError
from mockserver.world import World
from mockserver.world import ispring as iworld
from mockserver.world.ispring_seed import passing_score


def rt(app):
    return app.extensions["mockserver"]


def test_seeded_progress_is_coherent(app):
    world = rt(app).world
    statuses = {e.status for e in world.enrollments.values()}
    assert statuses <= set(iworld.PROGRESS_STATUSES) and "not_started" in statuses
    for e in world.enrollments.values():
        item = world.content_item_by_id[e.course_id]
        if e.certificate is not None:  # a certificate: the course was completed, on the certificate's day
            assert e.status in iworld.COMPLETED and e.completion_date[:10] == e.certificate.issue_date[:10]
        if e.status in iworld.COMPLETED and e.course_id in world.certifying_items:
            assert e.certificate is not None
        if e.status in iworld.DONE:
            assert e.progress == 100 and e.completion_date >= e.access_date
        else:
            assert e.completion_date is None and e.progress < 100
        if e.status in ("passed", "failed"):
            passing = passing_score(world.seed, item)
            assert passing is not None and (e.awarded_score >= passing) == (e.status == "passed")


def test_completing_issues_a_certificate_once_and_every_worker_sees_it(app, world_json):
    runtime = rt(app)
    world = runtime.world
    e = next(e for e in world.enrollments.values() if e.status == "not_started" and e.course_id in world.certifying_items
             and passing_score(world.seed, world.content_item_by_id[e.course_id]) is not None)
    when = datetime(2024, 7, 1, 9, 30, tzinfo=timezone.utc)
    [row] = iworld.set_progress(world, runtime.state, [e.enrollment_id], "automatic", score=100, when=when)
    assert row["status"] == "passed" and row["certificate"]["issue_date"] == "2024-07-01T09:30:00+00:00"
    done = world.enrollments[e.enrollment_id]
    assert (done.status, done.progress, done.awarded_score, done.completion_date) == \
        ("passed", 100, 100, "2024-07-01T09:30:00+00:00")
    other = World.from_json(world_json)
    other.catch_up(runtime.state)
    assert other.enrollments[e.enrollment_id] == done
    [again] = iworld.set_progress(world, runtime.state, [e.enrollment_id], "complete")
    assert again["certificate"] is None and world.enrollments[e.enrollment_id].certificate == done.certificate


def test_a_wrong_enrollment_changes_nothing(app):
    runtime = rt(app)
    world = runtime.world
    first = next(iter(world.enrollments.values()))
    other_course = next(i.content_item_id for i in world.content_items if i.content_item_id != first.course_id)
    before = dict(world.enrollments)
    with pytest.raises(BadRequestError, match="unknown enrollmentId nope"):
        iworld.set_progress(world, runtime.state, [first.enrollment_id, "nope"], "complete")
    with pytest.raises(BadRequestError, match="is not of course"):
        iworld.set_progress(world, runtime.state, [first.enrollment_id], "complete", course_id=other_course)
    assert world.enrollments == before
