"""POST /__admin/activity: a learner moves along a course assignment (Ruangkerja) or an enrollment (iSpring), and
every face that reads it follows: course users, user activity, summaries, learning-plan counters, on every worker.

Oracles: README "Drive the world" (the actions and what each one sets) and the vendor pages' own counters, read
before and after: one assignment moving from one status to another moves each counter by one.
"""

from __future__ import annotations

from mockserver.contracts.admin import ActivitySchema
from mockserver.world import ruangkerja as rk

from .helpers.apps import TOKEN, conforms

DASHBOARD = "/ruangkerja/dashboard"
FROZEN = "2030-01-01T09:00:00Z"


def world(app):
    return app.extensions["mockserver"].world


def activity(client, status=200, **body):
    response = client.post("/__admin/activity", json=body)
    if status != 200:
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()
    return conforms(response, ActivitySchema)


def refused(app, client, *words, **body) -> str:
    """A 400 in the admin (Ruangkerja) error shape whose detail names what is wrong; nothing stored."""
    state = app.extensions["mockserver"].state
    head = state.head()
    answer = activity(client, 400, **body)
    assert list(answer) == ["errorCode", "message", "detail"] and answer["errorCode"] == 400
    for word in words:
        assert word in answer["detail"], answer["detail"]
    assert state.head() == head
    return answer["detail"]


def summary(client, employee_id) -> dict:
    return client.get(f"{DASHBOARD}/users/{employee_id}/activity-summary", headers=TOKEN).get_json()["data"]


def rows_of(client, path) -> list[dict]:
    """Every item of a Ruangkerja list page (some pages put them in `data`, others in `data.items`)."""
    data = client.get(f"{path}?page=1&pageSize=100", headers=TOKEN).get_json()["data"]
    return data if isinstance(data, list) else data["items"]


def counts(data: dict) -> dict:
    return {k: v for k, v in data.items() if k.startswith("numberOf")}


def plan_member_row(app, status):
    """A learning-plan participant's online assignment in `status`, its plan, and its course."""
    w = world(app)
    by_pair = {(o.employee_id, o.course_serial): o for o in w.online_assignments}
    for plan in w.learning_plans:
        for e in plan.employee_ids:
            for c in plan.courses:
                o = by_pair.get((e, c.course_serial))
                if o is not None and o.status == status:
                    return o, plan
    raise AssertionError(f"no plan member with an online assignment {status}")


def freeze(client, moment=FROZEN):
    assert client.post("/__admin/clock", json={"set": moment, "freeze": True}).status_code == 200


# --- Ruangkerja online ------------------------------------------------------------------------------------------------


def test_an_online_assignment_starts_and_completes_and_every_page_follows(app, client, other):
    o, plan = plan_member_row(app, "not_started")
    passing = world(app).course_by_serial[o.course_serial].passing_score or 0
    freeze(client)
    before = summary(client, o.employee_id)
    plan_before = rows_of(client, f"{DASHBOARD}/learning-plans/{plan.serial}/courses")

    started = activity(client, vendor="ruangkerja", action="start", employeeId=o.employee_id,
                       courseId=o.course_serial, preTest=40, timeSpent=300)
    assert list(started) == ["status", "seq", "vendor", "action", "changed", "onlineAssignment"]
    row = started["onlineAssignment"]
    assert (row["status"], row["preTest"], row["timeSpent"]) == ("in_progress", 40, o.time_spent + 300)
    assert row["lastAccessMission"] == "2030-01-01T09:00:00.000Z"
    assert row["assignmentSerial"] == rk.online_assignment_serial(o)
    assert {"status", "preTest", "timeSpent", "lastAccessMission"} <= set(started["changed"])

    done = activity(other, vendor="ruangkerja", action="complete", assignmentSerial=row["assignmentSerial"],
                    score=max(passing, 90))  # through the other worker, by the serial User Course Status shows
    assert done["onlineAssignment"]["status"] == "completed"
    assert done["onlineAssignment"]["completedAt"] == "2030-01-01"  # the world's clock, not the machine's
    assert done["onlineAssignment"]["postTest"] == max(passing, 90)
    assert done["changed"] == ["status", "postTest", "completedAt"]  # the clock stood still: no new access time

    for c in (client, other):  # every face, on both workers
        after = summary(c, o.employee_id)
        assert after["numberOfCoursesCompleted"] == before["numberOfCoursesCompleted"] + 1
        assert after["numberOfCoursesNotStarted"] == before["numberOfCoursesNotStarted"] - 1
        users = rows_of(c, f"{DASHBOARD}/courses/{o.course_serial}/online/users")
        mine = next(u for u in users if u["user"]["employeeID"] == o.employee_id)
        assert (mine["status"], mine["preTest"], mine["completedAt"]) == ("completed", 40, "2030-01-01")
        plan_after = rows_of(c, f"{DASHBOARD}/learning-plans/{plan.serial}/courses")
        old = next(p for p in plan_before if p["course"]["serial"] == o.course_serial)
        new = next(p for p in plan_after if p["course"]["serial"] == o.course_serial)
        assert new["numberOfCompleted"] == old["numberOfCompleted"] + 1
        assert new["numberOfNotStarted"] == old["numberOfNotStarted"] - 1


def test_an_online_assignment_fails_or_expires(app, client):
    o, _ = plan_member_row(app, "in_progress")
    passing = world(app).course_by_serial[o.course_serial].passing_score
    before = counts(summary(client, o.employee_id))
    score = (passing - 1) if passing else 10
    failed = activity(client, vendor="ruangkerja", action="fail", employeeId=o.employee_id, courseId=o.course_serial,
                      score=score)["onlineAssignment"]
    assert (failed["status"], failed["postTest"], failed["completedAt"]) == ("failed", score, "")
    after = counts(summary(client, o.employee_id))
    assert after["numberOfCoursesFailed"] == before["numberOfCoursesFailed"] + 1
    assert after["numberOfCoursesInProgress"] == before["numberOfCoursesInProgress"] - 1
    expired = activity(client, vendor="ruangkerja", action="expire", employeeId=o.employee_id,
                       courseId=o.course_serial)["onlineAssignment"]
    assert expired["status"] == "expired"
    assert counts(summary(client, o.employee_id))["numberOfCoursesExpired"] == before["numberOfCoursesExpired"] + 1


def test_online_refusals_name_the_problem_and_store_nothing(app, client):
    o, _ = plan_member_row(app, "not_started")
    scored = next(c for c in world(app).courses if c.category == "Online" and c.passing_score)
    row = next(r for r in world(app).online_assignments if r.course_serial == scored.serial
               and r.status == "in_progress")
    done = next(r for r in world(app).online_assignments if r.status == "completed")
    who = {"vendor": "ruangkerja", "employeeId": row.employee_id, "courseId": row.course_serial}
    refused(app, client, "score is required", str(scored.passing_score), action="complete", **who)
    refused(app, client, "below", "that is a fail", action="complete", score=scored.passing_score - 1, **who)
    refused(app, client, "that is a complete", action="fail", score=scored.passing_score, **who)
    refused(app, client, "completed already", vendor="ruangkerja", action="start", employeeId=done.employee_id,
            courseId=done.course_serial)
    refused(app, client, "batches", action="attend", **who)
    refused(app, client, "employeeId", "NOBODY", vendor="ruangkerja", action="start", employeeId="NOBODY",
            courseId=o.course_serial)
    refused(app, client, "courseId", vendor="ruangkerja", action="start", employeeId=o.employee_id,
            courseId="COURSE-NOPE")
    refused(app, client, "assignmentSerial", vendor="ruangkerja", action="start", assignmentSerial="ASGC-NOPE0000")
    refused(app, client, "employeeId and courseId are required", vendor="ruangkerja", action="start")
    refused(app, client, "action", vendor="ruangkerja", action="finish", **{k: v for k, v in who.items()
                                                                            if k != "vendor"})
    refused(app, client, "enrollmentId", "other vendor", action="start", enrollmentId="x", **who)
    refused(app, client, "score", "whole number", action="fail", score=10.5, **who)
    refused(app, client, "score", "0 to 100", action="fail", score=101, **who)
    refused(app, client, "vendor", action="start", employeeId=o.employee_id, courseId=o.course_serial)
    refused(app, client, "nope", "unexpected field", nope=1, action="start", **who)


# --- Ruangkerja batches -----------------------------------------------------------------------------------------------


def batch_row(app, post: bool, **wanted):
    w = world(app)
    for a in w.assignments:
        if (a.post_test_passing_score is not None) == post and all(getattr(a, k) == v for k, v in wanted.items()) \
                and len([b for b in w.assignments_by_employee[a.employee_id]
                         if b.course_serial == a.course_serial]) == 1:
            return a
    raise AssertionError(f"no batch assignment with post={post} {wanted}")


def test_a_batch_is_attended_its_post_test_started_and_passed(app, client):
    a = batch_row(app, True, user_assigned_status="Ongoing", is_attend=False)
    who = {"vendor": "ruangkerja", "employeeId": a.employee_id, "courseId": a.course_serial}
    refused(app, client, "did not attend", "attend first", action="start", **who)
    attended = activity(client, action="attend", feedback="Bagus", **who)["batchAssignment"]
    assert (attended["isAttend"], attended["feedback"], attended["userAssignedStatus"],
            attended["postActivityStatus"]) == (True, "Bagus", "Ongoing", "NOT STARTED")
    assert activity(client, action="start", **who)["batchAssignment"]["postActivityStatus"] == "IN PROGRESS"
    passed = activity(client, action="complete", score=a.post_test_passing_score, **who)
    assert passed["changed"] == ["userAssignedStatus", "postActivityStatus", "postTestAttempt", "postTestScore"]
    row = passed["batchAssignment"]
    assert (row["userAssignedStatus"], row["postActivityStatus"], row["postTestAttempt"], row["postTestScore"]) == (
        "Cleared", "COMPLETED", a.post_test_attempt + 1, a.post_test_passing_score)
    category = world(app).course_by_serial[a.course_serial].category.lower()
    page = rows_of(client, f"{DASHBOARD}/courses/{a.course_serial}/{category}/{a.batch_serial}/users")
    mine = next(u for u in page if u["assignedCourseSerial"] == a.serial)
    assert (mine["isAttend"], mine["userAssignedStatus"], mine["postTestScore"]) == (
        True, "Cleared", a.post_test_passing_score)
    refused(app, client, "cleared already", action="fail", score=0, **who)


def test_a_batch_is_missed_failed_or_left_to_expire(app, client):
    a = batch_row(app, True, user_assigned_status="Ongoing", is_attend=True)
    who = {"vendor": "ruangkerja", "assignmentSerial": a.serial}
    before = counts(summary(client, a.employee_id))
    failed = activity(client, action="fail", score=0, **who)["batchAssignment"]
    assert (failed["userAssignedStatus"], failed["postActivityStatus"], failed["postTestScore"]) == (
        "Failed", "COMPLETED", 0)
    assert counts(summary(client, a.employee_id))["numberOfCoursesFailed"] == before["numberOfCoursesFailed"] + 1
    expired = activity(client, action="expire", **who)["batchAssignment"]
    assert (expired["userAssignedStatus"], expired["postActivityStatus"]) == ("Failed", "EXPIRED")
    assert counts(summary(client, a.employee_id))["numberOfCoursesExpired"] == before["numberOfCoursesExpired"] + 1
    missed = activity(client, action="miss", absentReason="Sakit", **who)["batchAssignment"]
    assert (missed["isAttend"], missed["absentReason"], missed["userAssignedStatus"]) == (False, "Sakit", "Failed")


def test_a_batch_without_post_test_clears_on_attendance(app, client):
    a = batch_row(app, False, user_assigned_status="Ongoing")
    who = {"vendor": "ruangkerja", "assignmentSerial": a.serial}
    refused(app, client, "has no post test", action="expire", **who)
    refused(app, client, "score", action="complete", score=80, **who)
    refused(app, client, "timeSpent", action="attend", timeSpent=5, **who)
    row = activity(client, action="attend", **who)["batchAssignment"]
    assert (row["isAttend"], row["userAssignedStatus"], row["postActivityStatus"]) == (True, "Cleared", "")


def test_an_employee_in_several_batches_of_a_course_names_one(app, client):
    w = world(app)
    a, b = next((a, b) for a in w.assignments for b in w.assignments_by_employee[a.employee_id]
                if b.course_serial == a.course_serial and b.serial != a.serial and a.user_assigned_status != "Cleared")
    who = {"vendor": "ruangkerja", "employeeId": a.employee_id, "courseId": a.course_serial}
    refused(app, client, a.batch_serial, b.batch_serial, "name one as batchId", action="miss", **who)
    row = activity(client, action="miss", batchId=a.batch_serial, **who)["batchAssignment"]
    assert (row["assignmentSerial"], row["batchSerial"], row["isAttend"]) == (a.serial, a.batch_serial, False)
    refused(app, client, "not assigned to batch BATCH-NOPE", action="miss", batchId="BATCH-NOPE", **who)


# --- iSpring ----------------------------------------------------------------------------------------------------------


def open_enrollment(app, scored: bool):
    from mockserver.world import ispring_seed

    w = world(app)
    for e in sorted(w.enrollments.values(), key=lambda e: e.enrollment_id):
        item = w.content_item_by_id.get(e.course_id)
        if item and e.status in ("not_started", "in_progress") and \
                (ispring_seed.passing_score(w.seed, item) is not None) == scored:
            return e, ispring_seed.passing_score(w.seed, item)
    raise AssertionError("no open enrollment")


def test_an_enrollment_starts_and_passes_on_every_worker(app, client, other):
    e, passing = open_enrollment(app, scored=True)
    freeze(client)
    started = activity(client, vendor="ispring", action="start", userId=e.learner_id, courseId=e.course_id,
                       progress=30)["enrollment"]
    assert (started["enrollmentId"], started["status"], started["progress"]) == (e.enrollment_id, "in_progress", 30)
    passed = activity(client, vendor="ispring", action="complete", enrollmentId=e.enrollment_id, score=passing)
    row = passed["enrollment"]
    assert (row["status"], row["progress"], row["awardedScore"]) == ("passed", 100, passing)
    assert row["completionDate"].startswith("2030-01-01T09:00:00")
    certifying = e.course_id in world(app).certifying_items
    assert (row["certificateId"] is not None) == (certifying and e.certificate is None or e.certificate is not None)
    other.get("/__admin/health")  # the other worker catches up at its next request
    assert world(app).enrollments[e.enrollment_id] == world(other.application).enrollments[e.enrollment_id]
    refused(app, client, "passed already", vendor="ispring", action="fail", enrollmentId=e.enrollment_id)


def test_an_enrollment_fails_completes_unscored_or_expires(app, client):
    e, passing = open_enrollment(app, scored=True)
    refused(app, client, "that is a fail", vendor="ispring", action="complete", enrollmentId=e.enrollment_id,
            score=passing - 1)
    failed = activity(client, vendor="ispring", action="fail", enrollmentId=e.enrollment_id, score=passing - 1)
    assert failed["enrollment"]["status"] == "failed"
    u, _ = open_enrollment(app, scored=False)
    assert activity(client, vendor="ispring", action="complete", enrollmentId=u.enrollment_id)["enrollment"][
        "status"] == "complete"
    x, _ = open_enrollment(app, scored=True)
    freeze(client)
    expired = activity(client, vendor="ispring", action="expire", enrollmentId=x.enrollment_id)
    assert expired["enrollment"]["dueDate"] == "2029-12-31" and expired["changed"] == ["dueDate"]
    assert world(app).enrollments[x.enrollment_id].access_date <= "2029-12-31"


def test_ispring_refusals(app, client):
    e, _ = open_enrollment(app, scored=True)
    refused(app, client, "enrollmentId", vendor="ispring", action="start", enrollmentId="nope")
    refused(app, client, "enrollmentId is required", vendor="ispring", action="start")
    refused(app, client, "batches", vendor="ispring", action="attend", enrollmentId=e.enrollment_id)
    refused(app, client, "employeeId", "other vendor", vendor="ispring", action="start", employeeId="EMPLY001",
            enrollmentId=e.enrollment_id)
    refused(app, client, "progress goes with start", vendor="ispring", action="fail", progress=10,
            enrollmentId=e.enrollment_id)
    refused(app, client, "not enrolled", vendor="ispring", action="start", userId=e.learner_id,
            courseId=next(c.content_item_id for c in world(app).content_items
                          if (c.content_item_id, e.learner_id) not in
                          {(x.course_id, x.learner_id) for x in world(app).enrollments.values()}))
