"""iSpring results, final statuses, certificates, statistics, points and activity: every figure read off the one
enrollment's progress, so a completion through the documented UpdateCourseStatus shows everywhere at once (REST in
JSON and XML, SOAP, another worker), and a re-enrollment takes it back.

Oracles are the spec's shapes and values stated here (the status a request sets, the date it gives, the docs' points
rule written in the README), and the world's records read directly, never the implementation's own filters.
"""

from __future__ import annotations

from collections import Counter

from datetime import date

import pytest
from lxml import etree

from mockserver.contracts.base import violations
from mockserver.contracts.ispring import (
    ActiveUsersXmlSchema,
    ContentItemFinalStatusesXmlSchema,
    IssuedCertificateSchema,
    LearnersModulesResultsSchema,
    LearnersResultsSchema,
    TaskIdSchema,
    UserPointsXmlSchema,
)
from mockserver.contracts.xml import xml_data
from mockserver.world.ispring_seed import passing_score

from .helpers.ispring_wire import LEGACY_HEADERS, call, rest_error, rest_xml, soap_result

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
XML_BODY = {**LEGACY_HEADERS, "Content-Type": "application/xml"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"
DONE_AT = "2024-07-01T09:30:00+00:00"


def world_of(client):
    return client.application.extensions["mockserver"].world


def fresh_enrollment(world, certifying: bool = True, scored: bool = True, statuses=("not_started",)):
    """An enrollment (not started) of a course that issues a certificate (or not) and is scored (or not)."""
    return next(e for e in sorted(world.enrollments.values(), key=lambda e: e.enrollment_id)
                if e.status in statuses and (e.course_id in world.certifying_items) == certifying
                and (passing_score(world.seed, world.content_item_by_id[e.course_id]) is not None) == scored)


def complete(client, e, status="passed", score=90, headers=JSON) -> int:
    response = client.post("/statistics/course", json={
        "courseId": e.course_id, "enrollmentIds": [e.enrollment_id], "status": status, "awardedScore": score,
        "date": "2024-07-01 09:30:00", "reason": "Passed the exam on paper"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["taskId"]


def result_of(client, enrollment_id: str) -> dict:
    body = client.get(f"/learners/results?enrollmentIds={enrollment_id}", headers=JSON).get_json()
    [found] = body["results"]
    return found


def points_of(client, user_id: str) -> float:
    [row] = client.get(f"/gamification/points?userIds[]={user_id}", headers=JSON).get_json()
    return row["points"]


def test_a_course_completed_by_update_course_status_shows_everywhere(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    before = points_of(client, e.learner_id)
    task_id = complete(client, e)
    assert client.get(f"/task/{task_id}/status", headers=JSON).get_json()["status"] in ("waiting", "in_progress")

    result = result_of(client, e.enrollment_id)
    assert (result["completionStatus"], result["progress"], result["awardedScore"], result["completionDate"]) == \
        ("passed", 100, 90.0, DONE_AT)
    assert result["courseTitle"] == world.content_item_by_id[e.course_id].title
    assert result["passingScore"] == float(passing_score(world.seed, world.content_item_by_id[e.course_id]))

    statuses = client.get(f"/content/{e.course_id}/final_statuses", headers=JSON).get_json()
    assert {"userId": e.learner_id, "status": "passed", "progress": 100, "completionDate": DONE_AT,
            "lastViewDate": DONE_AT} in statuses

    certificate = client.get(f"/enrollment/{e.enrollment_id}", headers=JSON).get_json()["certificate"]
    assert certificate["issueDate"] == "2024-07-01"
    found = client.get(f"/certificate/{certificate['issuedCertificateId']}", headers=JSON)
    assert found.status_code == 200 and violations(IssuedCertificateSchema, found.get_json()) == []
    assert found.get_json()["url"] == \
        f"{world.company.account_url}/certificates/{certificate['issuedCertificateId']}.pdf"

    assert points_of(client, e.learner_id) == before + 100
    [module] = client.get(f"/learners/modules/results?enrollmentIds[]={e.enrollment_id}",
                          headers=JSON).get_json()["results"]
    assert (module["moduleId"], module["completionStatus"], module["completionDate"]) == \
        (e.course_id, "passed", DONE_AT)

    # SOAP getEnrollments names the same certificate, with the completion's moment.
    data = soap_result(call(client, "getEnrollments", learnerIds=[e.learner_id], courseIds=[e.course_id]),
                       "GetEnrollmentsResult")
    [soap_enrollment] = data["enrollment"]
    assert soap_enrollment["certificate"]["issuedCertificateId"] == certificate["issuedCertificateId"]
    assert soap_enrollment["certificate"]["issueDate"] == DONE_AT


def test_results_in_xml_are_the_specs_elements(client):
    e = fresh_enrollment(world_of(client))
    complete(client, e)
    data = rest_xml(client.get(f"/learners/results?enrollmentIds={e.enrollment_id}", headers=LEGACY_HEADERS),
                    LearnersResultsSchema)
    [result] = data["results"]
    assert [c.tag for c in etree.fromstring(
        client.get(f"/learners/results?enrollmentIds={e.enrollment_id}", headers=LEGACY_HEADERS).get_data())] == \
        ["results"]
    assert (result["completionStatus"], result["awardedScore"], result["isOverdue"]) == ("passed", 90.0, False)
    response = client.get(f"/content/{e.course_id}/final_statuses", headers=LEGACY_HEADERS)
    root = etree.fromstring(response.get_data())
    assert root.tag == "statuses" and {c.tag for c in root} == {"status"}
    data = xml_data(root, ContentItemFinalStatusesXmlSchema)
    assert violations(ContentItemFinalStatusesXmlSchema, data, ordered=True) == []
    certificate = world_of(client).enrollments[e.enrollment_id].certificate.issued_certificate_id
    root = etree.fromstring(client.get(f"/certificate/{certificate}", headers=LEGACY_HEADERS).get_data())
    assert root.tag == "attachment" and [c.tag for c in root] == ["url"]
    data = rest_xml(client.get(f"/gamification/points?userIds={e.learner_id}", headers=LEGACY_HEADERS),
                    UserPointsXmlSchema)  # the cse bot's `userIds=<id>`, read as `response > userPointsInfo > points`
    assert [p["userId"] for p in data["userPointsInfo"]] == [e.learner_id]


def test_a_reenrollment_resets_the_result_and_archives_the_certificate(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    before = points_of(client, e.learner_id)
    complete(client, e)
    first = world.enrollments[e.enrollment_id].certificate.issued_certificate_id
    response = client.post(f"/enrollment/{e.enrollment_id}/reenroll", json={
        "accessDate": "2030-01-01", "dueDateType": "due_date", "dueDate": "2030-02-01", "lockAfterDueDate": True},
        headers=JSON)
    assert response.status_code == 200 and response.get_data() == b""
    result = result_of(client, e.enrollment_id)
    assert (result["completionStatus"], result["progress"], result["timeSpent"], result["viewsCount"]) == \
        ("not_started", 0, 0, 0)
    assert "completionDate" not in result and "awardedScore" not in result
    assert (result["accessDate"], result["dueDate"], result["expirationDate"]) == \
        ("2030-01-01T00:00:00+00:00", "2030-02-01T00:00:00+00:00", "2030-02-01T00:00:00+00:00")
    assert "certificate" not in client.get(f"/enrollment/{e.enrollment_id}", headers=JSON).get_json()
    assert client.get(f"/certificate/{first}", headers=JSON).status_code == 200  # archived, still readable
    assert points_of(client, e.learner_id) == before
    complete(client, e)  # a new attempt completed: a new certificate
    second = world.enrollments[e.enrollment_id].certificate.issued_certificate_id
    assert second != first and client.get(f"/certificate/{second}", headers=JSON).status_code == 200


def test_another_worker_sees_the_same(client, world_json):
    from mockserver.world import World

    e = fresh_enrollment(world_of(client))
    complete(client, e)
    client.post("/gamification/points/award", json={"userId": e.learner_id, "amount": 7.5, "reason": "Helped"},
                headers=JSON)
    other = World.from_json(world_json)
    other.catch_up(client.application.extensions["mockserver"].state)
    assert other.enrollments[e.enrollment_id] == world_of(client).enrollments[e.enrollment_id]
    assert other.points_ledger == world_of(client).points_ledger
    assert [t.task_id for t in other.tasks] == [t.task_id for t in world_of(client).tasks]


def test_unscored_and_uncertified_courses(client):
    world = world_of(client)
    unfinished = ("not_started", "in_progress", "incomplete")
    e = fresh_enrollment(world, certifying=False, scored=False, statuses=unfinished)
    complete(client, e, status="automatic", score=40)
    result = result_of(client, e.enrollment_id)
    assert result["completionStatus"] == "complete" and "passingScore" not in result  # unscored: complete
    assert world.enrollments[e.enrollment_id].certificate is None
    e = fresh_enrollment(world)  # scored, issuing certificates: below the passing score it fails, with none
    complete(client, e, status="automatic", score=0)
    assert result_of(client, e.enrollment_id)["completionStatus"] == "failed"
    assert world.enrollments[e.enrollment_id].certificate is None


def test_update_course_status_refusals_store_nothing(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    other = next(i.content_item_id for i in world.content_items if i.content_item_id != e.course_id)
    seq = world.seq
    for body, message in (
            ({"courseId": e.course_id, "enrollmentIds": [e.enrollment_id]}, "status is required"),
            ({"courseId": e.course_id, "enrollmentIds": [e.enrollment_id], "status": "not_started"}, "status must be"),
            ({"courseId": other, "enrollmentIds": [e.enrollment_id], "status": "complete"}, "is not of course"),
            ({"courseId": e.course_id, "enrollmentIds": [UNKNOWN], "status": "complete"}, "unknown enrollmentId"),
            ({"courseId": e.course_id, "enrollmentIds": [e.enrollment_id], "status": "passed", "awardedScore": 101},
             "awardedScore must be from 0 to 100")):
        assert message in rest_error(client.post("/statistics/course", json=body, headers=JSON), 400, json=True)
    assert world.seq == seq


def test_module_statuses_move_the_course_and_reset_takes_them_back(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    body = (f"<request><enrollmentIds><id>{e.enrollment_id}</id></enrollmentIds><courseId>{e.course_id}</courseId>"
            f"<moduleStatuses><moduleStatus><contentItemId>{e.course_id}</contentItemId>"
            "<date>2024-07-01 09:30:00</date><reason>Paper exam</reason><status>passed</status>"
            "<awardedScore>95</awardedScore></moduleStatus></moduleStatuses></request>")
    response = client.post("/statistics/module", data=body, headers=XML_BODY)
    assert rest_xml(response, TaskIdSchema)["taskId"] > 0
    assert (result_of(client, e.enrollment_id)["completionStatus"], result_of(client, e.enrollment_id)[
        "awardedScore"]) == ("passed", 95.0)
    assert "must be UUIDs" in rest_error(client.delete("/statistics/module?enrollmentIds=nope", headers=JSON), 400,
                                         json=True)
    response = client.delete(f"/statistics/module?courseId={e.course_id}&enrollmentIds[]={e.enrollment_id}",
                             headers=JSON)
    assert response.status_code == 200 and isinstance(response.get_json()["taskId"], int)
    assert result_of(client, e.enrollment_id)["completionStatus"] == "not_started"
    assert world.enrollments[e.enrollment_id].certificate is not None  # an issued certificate is never revoked
    bad = body.replace(f"<contentItemId>{e.course_id}", f"<contentItemId>{UNKNOWN}")
    assert "is no module of course" in rest_error(client.post("/statistics/module", data=bad, headers=XML_BODY), 400)


@pytest.mark.parametrize("name", ["userIds", "userIds[]"])
def test_results_filters_take_the_specs_names_and_brackets(client, name):
    world = world_of(client)
    users = sorted({e.learner_id for e in world.enrollments.values()})[:2]
    query = "&".join(f"{name}={u}" for u in users)
    body = client.get(f"/learners/results?{query}&pageSize=1000", headers=JSON).get_json()
    expected = sorted(e.enrollment_id for e in world.enrollments.values() if e.learner_id in users)
    assert [r["enrollmentId"] for r in body["results"]] == expected and "nextPageToken" not in body


def test_results_filters_by_status_date_and_department(client):
    world = world_of(client)
    rows = client.get("/learners/results?completionStatuses=passed&completionStatuses=failed"
                      "&completionDate[startDate]=2000-01-01&completionDate[endDate]=2100-01-01", headers=JSON)
    expected = sorted(e.enrollment_id for e in world.enrollments.values() if e.status in ("passed", "failed"))
    assert [r["enrollmentId"] for r in rows.get_json()["results"]] == expected
    learner = world.learner_by_id[next(iter(world.enrollments.values())).learner_id]
    rows = client.get(f"/learners/results?departmentIds[]={learner.department_id}&userStatuses=1", headers=JSON)
    in_department = {u.user_id for u in world.learners if u.department_id == learner.department_id and u.status == 1}
    assert {r["userId"] for r in rows.get_json()["results"]} == \
        {e.learner_id for e in world.enrollments.values() if e.learner_id in in_department}
    for query, message in (("completionStatuses=done", "completionStatuses must be among"),
                           ("accessDate[startDate]=2020-01-01", "accessDate[endDate] is required"),
                           ("dueDate[from]=2020-01-01", "is not dueDate[startDate] or dueDate[endDate]"),
                           ("userStatuses=2", "userStatuses must be among")):
        assert message in rest_error(client.get(f"/learners/results?{query}", headers=JSON), 400, json=True)


def test_results_pages_walk_every_result_once(client):
    world = world_of(client)
    seen, token = [], None
    while True:
        body = client.get(f"/learners/modules/results?pageSize=40{'&pageToken=' + token if token else ''}",
                          headers=JSON).get_json()
        assert violations(LearnersModulesResultsSchema, body, ordered=True) == []
        seen += [(r["enrollmentId"], r["moduleId"]) for r in body["results"]]
        token = body.get("nextPageToken")
        if token is None:
            break
    assert len(set(seen)) == len(seen) and sorted({e for e, _ in seen}) == sorted(world.enrollments)
    # A result per module of the course, as GET /course/{courseId}/modules lists them (an item not a course: one)
    per_enrollment = Counter(e for e, _ in seen)
    for course_id in {world.enrollments[e].course_id for e in list(per_enrollment)[:40]}:
        modules = client.get(f"/course/{course_id}/modules", headers=JSON)
        count = len(modules.get_json()["modules"]) if modules.status_code == 200 else 1
        assert {per_enrollment[e.enrollment_id] for e in world.enrollments.values() if e.course_id == course_id} \
            == {count}


def test_unknown_content_and_certificate_are_the_specs_404s(client):
    """Both 404s of the spec are text/plain with its example text, not the ErrorResponse of other failures."""
    for path, text in ((f"/content/{UNKNOWN}/final_statuses", "Unknown content item"),
                       (f"/certificate/{UNKNOWN}", "Issued certificate not found")):
        for headers in (JSON, LEGACY_HEADERS):
            response = client.get(path, headers=headers)
            assert response.status_code == 404 and response.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert response.get_data(as_text=True) == text
    assert "contentId must be a UUID" in rest_error(client.get("/content/nope/final_statuses", headers=JSON), 400,
                                                    json=True)


def test_points_award_withdraw_and_refusals(client):
    world = world_of(client)
    user = world.learners[0].user_id
    start = points_of(client, user)
    assert client.post("/gamification/points/award", json={"userId": user, "amount": 30, "reason": "Quiz night"},
                       headers=JSON).status_code == 200
    withdraw = (f"<withdrawGamificationPoints><userId>{user}</userId><amount>12.5</amount>"
                "<reason>Typo bounty reversed</reason></withdrawGamificationPoints>").encode()
    assert client.post("/gamification/points/withdraw", data=withdraw, headers=XML_BODY).status_code == 200
    assert points_of(client, user) == start + 17.5
    seq = world.seq
    message = rest_error(client.post("/gamification/points/withdraw", json={
        "userId": user, "amount": start + 1000, "reason": "Too much"}, headers=JSON), 400, json=True)
    assert "is more than the" in message
    for body, text in (({"userId": user, "amount": 0, "reason": "x"}, "amount must be more than 0"),
                       ({"userId": user, "amount": "many", "reason": "x"}, "amount must be a number"),
                       ({"userId": UNKNOWN, "amount": 1, "reason": "x"}, "unknown userId"),
                       ({"userId": user, "amount": 1}, "reason is required")):
        assert text in rest_error(client.post("/gamification/points/award", json=body, headers=JSON), 400, json=True)
    assert world.seq == seq


def test_active_users_by_period(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    complete(client, e)  # viewed and finished on 2024-07-01
    ids = client.get("/report/active-users-by-period?activityDate[startDate]=2024-07-01"
                     "&activityDate[endDate]=2024-07-01", headers=JSON).get_json()
    assert e.learner_id in ids
    logged_in = {u.user_id for u in world.learners if u.last_login_date[:10] == "2024-07-01"}
    viewed = {x.learner_id for x in world.enrollments.values()
              if (x.last_view_date or "")[:10] == "2024-07-01" or (x.completion_date or "")[:10] == "2024-07-01"}
    assert set(ids) == logged_in | viewed
    response = client.get("/report/active-users-by-period?activityDate[startDate]=2024-07-01"
                          "&activityDate[endDate]=2024-07-02", headers=LEGACY_HEADERS)
    data = rest_xml(response, ActiveUsersXmlSchema)["activeUsersByPeriod"]
    assert (data["activityStartDate"], data["activityEndDate"]) == ("2024-07-01", "2024-07-02")
    assert e.learner_id in data["ids"]


def test_list_enrollments_by_post_pages_like_the_get(client):
    world = world_of(client)
    course = next(iter(world.enrollments.values())).course_id
    expected = sorted(e.enrollment_id for e in world.enrollments.values() if e.course_id == course)
    seen, token = [], None
    while True:
        body = f"<request><pageSize>2</pageSize><courseIds>{course}</courseIds>" + \
            (f"<pageToken>{token}</pageToken>" if token else "") + "</request>"
        response = client.post("/enrollments", data=body.encode(), headers={**XML_BODY, "Accept": "application/json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        seen += [e["enrollmentId"] for e in response.get_json()["enrollments"]]
        token = response.get_json().get("nextPageToken")
        if token is None:
            break
    assert seen == expected
    assert "pageSize must be a positive integer" in rest_error(
        client.post("/enrollments", json={"pageSize": 0}, headers=JSON), 400, json=True)


def test_is_overdue_reads_the_due_date(client):
    world = world_of(client)
    e = fresh_enrollment(world)
    client.post(f"/enrollment/{e.enrollment_id}", json={"accessDate": "2020-01-01", "dueDateType": "due_date",
                                                         "dueDate": "2020-02-01"}, headers=JSON)
    assert result_of(client, e.enrollment_id)["isOverdue"] is (date(2020, 2, 1) < world.now().date())
