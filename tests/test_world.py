"""The world is a pure function of (seed, sizes) plus the curated fixtures, and its relations agree with themselves."""

import json

from mockserver.world import World
from mockserver.world.generate import person, org_units, tags

from .helpers.apps import SEED


def test_same_seed_same_world_and_another_seed_another(world_json):
    assert json.dumps(World.build(SEED, 200, 30).to_json()) == json.dumps(world_json)
    other = World.build(SEED + 1, 200, 30)
    assert [p.name for p in other.people[6:20]] != [p["first_name"] + " " + p["last_name"] for p in world_json["people"][6:20]]


def test_an_employee_is_the_same_person_whatever_the_world_size():
    small, large = World.build(SEED, 20, 6), World.build(SEED, 2000, 6)
    assert small.people[7] == large.people[7]
    units = org_units(SEED)
    departments = [u for u in units if u.parent_serial]
    assert person(SEED, 7, departments, tags(SEED)) == small.people[7]


def test_doc_examples_are_present():
    world = World.build(SEED, 10, 3)
    john = world.person_by_employee_id["EMPLY001"]
    assert (john.serial, john.name) == ("JOHNILXV3QAJJEL3", "John Doe")
    assert world.person_by_serial["JOHNIASD318JJEL5"].name == "John Smith"
    assert world.person_by_serial["JANELFMMCKASNDJM"].employee_id == "EMPLY006"
    assert world.course_by_serial["COURSE-EXAMPLE1"].category == "Webinar"
    assert world.course_by_serial["COURSE-EXAMPLE2"].category == "Offline"
    batch = world.batch_by_serial["BATCH-EXP-01"]
    assert batch.course_serial == "COURSE-EXAMPLE2"
    first = world.assignments_by_batch[batch.serial][:3]
    assert [(a.employee_id, a.user_assigned_status, a.is_attend) for a in first] == [
        ("EMPLY001", "Cleared", True), ("EMPLY005", "Failed", False), ("EMPLY006", "Ongoing", True),
    ]


def test_identifier_formats(world_json):
    import re

    from mockserver.world.generate import load_curated

    world = World.from_json(world_json)
    doc_ids = {p.get("user_id") for p in load_curated()["people"]}  # the docs' own IDs, some not time-based
    for p in world.people:
        assert re.fullmatch(r"[A-Z0-9]{16}", p.serial), p.serial
        assert re.fullmatch(r"EMPLY\d{3,}", p.employee_id)
        if p.user_id not in doc_ids:
            assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", p.user_id)
    assert len({p.serial for p in world.people}) == len(world.people)
    assert len({p.email for p in world.people}) == len(world.people)
    for c in world.courses:
        assert re.fullmatch(r"COURSE-[A-Z0-9]{8}", c.serial)
    for a in world.assignments:
        assert re.fullmatch(r"ASGC-[A-Z0-9]{8}", a.serial)
    assert all(t.serial.startswith("RUKRTAG-") and len(t.serial) == 16 for t in world.tags)


def test_assignment_statuses_agree_with_each_other(world_json):
    world = World.from_json(world_json)
    generated = [a for a in world.assignments if not a.serial.startswith("ASGC-T0MHUDP")]
    assert len(generated) > 500
    for a in generated:
        course = world.course_by_serial[a.course_serial]
        batch = world.batch_by_serial[a.batch_serial]
        assert course.category in ("Webinar", "Offline") and batch.course_serial == course.serial
        assert a.post_test_passing_score == course.passing_score
        if a.user_assigned_status == "Cleared":
            assert a.is_attend and batch.status == "Completed"
            if course.passing_score is not None:
                assert a.post_activity_status == "COMPLETED" and a.post_test_score >= course.passing_score
        if a.user_assigned_status == "Ongoing":
            assert batch.status == "Ongoing"
        if not a.is_attend:
            assert a.absent_reason and a.user_assigned_status != "Cleared" and a.post_test_attempt == 0
        if course.passing_score is None:
            assert a.post_activity_status == "" and a.post_test_attempt == 0
        else:
            assert a.post_activity_status in ("NOT STARTED", "IN PROGRESS", "COMPLETED", "EXPIRED")
    assert {a.user_assigned_status for a in generated} == {"Ongoing", "Cleared", "Failed"}


def test_world_json_round_trip(world_json):
    assert World.from_json(json.loads(json.dumps(world_json))).to_json() == world_json


def test_learning_plans_take_people_assigned_to_each_of_their_courses(world_json):
    """A participant's progress in a plan is their online assignment to each course of it: every participant of
    every plan has one, and a plan's courses are online courses."""
    world = World.from_json(world_json)
    assert len(world.learning_plans) >= 2
    pairs = {(o.employee_id, o.course_serial) for o in world.online_assignments}
    for plan in world.learning_plans:
        assert plan.serial.startswith("LRPN-") and len(plan.serial) == 13
        assert all(world.course_by_serial[c.course_serial].category == "Online" for c in plan.courses)
        assert len({c.course_serial for c in plan.courses}) == len(plan.courses)
        for e in plan.employee_ids:
            assert all((e, c.course_serial) in pairs for c in plan.courses), (plan.serial, e)
    assert any(len(p.courses) > 1 and len(p.employee_ids) > 1 for p in world.learning_plans[2:])
    assert len({(o.employee_id, o.course_serial) for o in world.online_assignments}) == len(world.online_assignments)


def test_a_learning_plan_is_the_same_plan_whatever_the_world_size():
    small, large = World.build(SEED, 60, 40), World.build(SEED, 600, 40)
    assert [(p.serial, p.name, p.description, p.created_at) for p in small.learning_plans] == \
        [(p.serial, p.name, p.description, p.created_at) for p in large.learning_plans]


def test_doc_learning_plans_and_john_does_online_progress():
    world = World.build(SEED, 200, 30)
    plan = world.learning_plan_by_serial["LRPN-YFXP3P98"]
    assert plan.employee_ids == ["EMPLY001", "EMPLY005"]
    assert [c.deadline for c in plan.courses] == ["2022-07-19T06:00:00Z"] * 2
    assert world.learning_plan_by_serial["LRPN-AJSLW15D"].employee_ids == ["EMPLY001"]
    (first, *_) = [o for o in world.online_assignments if o.employee_id == "EMPLY001"]
    assert (first.course_serial, first.post_test, first.pre_test, first.time_spent, first.completed_at,
            first.status) == (world.courses[3].serial, 100, 100, 873, "2022-07-22", "completed")
    tiny = World.build(SEED, 10, 3)  # no online course: the doc plans are there, with no course
    assert [p.serial for p in tiny.learning_plans] == ["LRPN-YFXP3P98", "LRPN-AJSLW15D"]
    assert all(p.courses == [] for p in tiny.learning_plans)


def test_a_world_file_from_before_learning_plans_still_loads(world_json):
    older = {k: v for k, v in world_json.items() if k != "learning_plans"}
    world = World.from_json(json.loads(json.dumps(older)))
    assert world.learning_plans == [] and world.learning_plan_by_serial == {}
    assert len(world.online_assignments) == len(world_json["online_assignments"])
