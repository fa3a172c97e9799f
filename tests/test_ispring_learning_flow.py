"""Issue 11's consumer story, end to end on a real server with two workers: a learner is enrolled, the enrollment's
webhook arrives, the course is marked completed (by the documented POST /statistics/course, and by the admin API's
activity), the completion's webhook arrives, and the result and the certificate read back the same by REST and
SOAP whichever worker answers."""

from __future__ import annotations

import json
from contextlib import closing

import pytest
import requests
import zeep

from .helpers.ispring_wire import DOC_TOKEN, SOAP_PATH, SPREADSHEETS
from .helpers.receiver import Receiver

AUTH = {"Authorization": f"Bearer {DOC_TOKEN}", "Accept": "application/json"}
READS = 6  # reads each answered by whichever worker accepts the new connection


def post(base: str, path: str, body: dict, status: int = 200) -> requests.Response:
    response = requests.post(base + path, json=body, headers=AUTH, timeout=10)
    assert response.status_code == status, response.text
    return response


def get(base: str, path: str, **query) -> dict | list:
    response = requests.get(base + path, params=query, headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def subscribe(base: str, receiver: Receiver, *event_types: str) -> None:
    post(base, "/webhook/register", {"subscriberName": "lms-sync", "callbackUrl": receiver.url, "secret": "s"})
    post(base, "/webhook/code/send", {"subscriberName": "lms-sync"})
    code = json.loads(receiver.wait_for("CONFIRMATION")[-1]["payloads"][0])["code"]  # a JSON text, as Pipedream reads it
    post(base, "/webhook/confirm", {"subscriberName": "lms-sync", "code": code})
    for kind in event_types:
        post(base, "/webhook/subscribe", {"subscriberName": "lms-sync", "subscription": {"subscriptionType": kind}})


@pytest.mark.slow
def test_enroll_hear_complete_hear_and_read_back_everywhere(fresh_server):
    base, receiver = fresh_server.url, Receiver()
    soap = zeep.Client(f"{base}{SOAP_PATH}?wsdl")
    try:
        with closing(soap.transport.session):
            subscribe(base, receiver, "LEARNERS_ENROLLED_IN_COURSE", "COURSE_COMPLETED_SUCCESSFULLY")
            # The docs' spreadsheet course issues certificates (its doc enrollment holds one); two learners new to it
            enrolled = {e["learnerId"] for e in get(base, "/enrollment", **{"courseIds[]": SPREADSHEETS})["enrollments"]}
            first, second = [u["userId"] for u in get(base, "/user") if u["userId"] not in enrolled][:2]
            created = post(base, "/enrollment", {"courseIds": [SPREADSHEETS], "learnerIds": [first, second],
                                                 "dueDateType": "unlimited"}, 201).json()["enrollmentIds"]
            [heard] = receiver.wait_for("LEARNERS_ENROLLED_IN_COURSE")
            assert heard["payloads"] == [{"courseId": SPREADSHEETS, "learnerIds": [first, second]}]

            # Completed: the first by the documented operation, the second by the admin API
            task = post(base, "/statistics/course", {"courseId": SPREADSHEETS, "enrollmentIds": [created[0]],
                                                     "status": "passed", "awardedScore": 95}).json()
            assert isinstance(task["taskId"], int)
            post(base, "/__admin/activity", {"vendor": "ispring", "enrollmentId": created[1], "action": "complete",
                                             "score": 90})
            done = receiver.wait_for("COURSE_COMPLETED_SUCCESSFULLY", count=2)
            assert sorted(p["learnerId"] for event in done for p in event["payloads"]) == sorted([first, second])

            for enrollment_id, learner in zip(created, (first, second)):
                rest = get(base, f"/enrollment/{enrollment_id}")
                certificate = rest["certificate"]
                for _ in range(READS):
                    [result] = get(base, "/learners/results", enrollmentIds=enrollment_id)["results"]
                    assert (result["userId"], result["courseId"], result["completionStatus"]) == \
                        (learner, SPREADSHEETS, "passed")
                    assert result["completionDate"][:10] == certificate["issueDate"][:10]
                    assert get(base, f"/enrollment/{enrollment_id}")["certificate"] == certificate
                    issued = get(base, f"/certificate/{certificate['issuedCertificateId']}")
                    assert issued["url"].endswith(f"/certificates/{certificate['issuedCertificateId']}.pdf")
                    by_soap = soap.service.getEnrollment(credentials={"token": DOC_TOKEN},
                                                         enrollmentId=enrollment_id)
                    assert by_soap.certificate.issuedCertificateId == certificate["issuedCertificateId"]
                    assert str(by_soap.certificate.issueDate)[:10] == certificate["issueDate"][:10]
    finally:
        receiver.close()
