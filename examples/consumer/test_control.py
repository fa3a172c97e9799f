"""The control plane as a consumer's suite uses it through the plugin: see what was called, break a call on purpose,
override one answer, move a learner along, move the clock. Each test starts clear of the one before."""

import requests

COURSES = "/ruangkerja/dashboard/courses?page=1&pageSize=5"
TOKEN = {"Authorization": "access_token"}


def courses(server):
    return requests.get(server.ruangkerja_url + COURSES, headers=TOKEN, timeout=10)


def test_a_retry_after_an_outage(lms_mockserver):
    lms_mockserver.fault(operation="ruangkerja.course", status=503, times=1)  # the next call only
    assert courses(lms_mockserver).status_code == 503
    assert courses(lms_mockserver).status_code == 200
    assert lms_mockserver.count(operation="ruangkerja.course") == 2
    assert [e["status"] for e in lms_mockserver.journal(operation="ruangkerja.course")] == [200, 503]


def test_the_next_test_starts_with_no_fault_and_an_empty_journal(lms_mockserver):
    assert lms_mockserver.count() == 0
    assert courses(lms_mockserver).status_code == 200


def test_a_stub_wins_over_the_world(lms_mockserver):
    lms_mockserver.stub(match={"operation": "ruangkerja.course"},
                        response={"status": 200, "body": {"data": {"items": []}}})
    assert courses(lms_mockserver).json() == {"data": {"items": []}}


def test_a_learner_completes_and_time_passes(lms_mockserver):
    ispring = {"Authorization": "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE", "Accept": "application/json"}
    results = lms_mockserver.ispring_url + "/learners/results?completionStatuses=not_started&pageSize=1"
    first = requests.get(results, headers=ispring, timeout=10).json()["results"][0]["enrollmentId"]
    done = lms_mockserver.activity(vendor="ispring", enrollmentId=first, action="complete", score=100)
    assert done["enrollment"]["status"] in ("complete", "passed")
    again = requests.get(lms_mockserver.ispring_url + "/learners/results?enrollmentIds=" + first, headers=ispring,
                         timeout=10).json()["results"]
    assert [r["completionStatus"] for r in again] == [done["enrollment"]["status"]]
    before = lms_mockserver.clock()
    after = lms_mockserver.clock(advance="30d")
    assert after["real"] is False and after["now"] > before["now"]
