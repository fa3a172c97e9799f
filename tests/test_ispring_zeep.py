"""A client generated from the mock's own WSDL (zeep) calls every operation; no hand-written XML.

zeep's requests session is routed into the Flask test client, so the whole SOAP stack (WSDL, envelopes, faults) is
exercised without a socket; tests/test_ispring_shared_state.py does the same over real HTTP against gunicorn.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import requests
import zeep
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .helpers.ispring_wire import (
    COMMUNICATION,
    DOC_TOKEN,
    DOE_ENROLLMENT,
    JOHN_DOE,
    JOHN_SMITH,
    LEGACY_CREDENTIALS,
    SMITH_ENROLLMENT,
    SOAP_PATH,
    SPREADSHEETS,
)

TOKEN = {"token": DOC_TOKEN}


class FlaskAdapter(BaseAdapter):
    """A requests transport adapter that answers from a Flask test client."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        answer = self.client.open(url.path + (f"?{url.query}" if url.query else ""), method=request.method,
                                  data=request.body, headers=dict(request.headers))
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.get_data()
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def service(client):
    session = requests.Session()
    session.mount("http://localhost", FlaskAdapter(client))
    soap = zeep.Client(f"http://localhost{SOAP_PATH}?wsdl", transport=zeep.Transport(session=session))
    return soap.service


def test_get_enrollments_with_both_filters(service):
    rows = service.getEnrollments(credentials=TOKEN, courseIds={"id": [COMMUNICATION]}, learnerIds={"id": [JOHN_SMITH]})
    assert [(r.enrollmentId, r.accessDate, r.shouldLockAfterDueDate) for r in rows] == [
        (SMITH_ENROLLMENT, dt.date(2019, 9, 25), False)]


def test_get_enrollment_with_certificate(service):
    row = service.getEnrollment(credentials=TOKEN, enrollmentId=DOE_ENROLLMENT)
    assert (row.courseId, row.learnerId, row.enrollmentTypeGroup) == (SPREADSHEETS, JOHN_DOE, 0)
    assert row.certificate.issueDate == dt.datetime(2022, 7, 15, 7, 19, tzinfo=dt.timezone.utc)
    assert row.dueDate is None and row.expirationDate is None


def test_list_enrollments_pages(app, service):
    seen, token = [], None
    while True:
        page = service.listEnrollments(credentials=TOKEN, pageSize=100, pageToken=token)
        seen += [e.enrollmentId for e in page.enrollment]
        token = page.nextPageToken
        if token is None:
            break
    assert seen == sorted(app.extensions["mockserver"].world.enrollments)


def test_enroll_change_unenroll(service):
    assert service.enrollLearnersInCourses(
        credentials=LEGACY_CREDENTIALS, courseIds={"id": [COMMUNICATION]}, learnerIds={"id": [JOHN_DOE]},
        accessDate=dt.datetime(2024, 6, 3, 9, 0), dueDateType="due_date", dueDate=dt.date(2024, 7, 1),
        lockAfterDueDate=True) is True
    (row,) = service.getEnrollments(credentials=TOKEN, courseIds={"id": [COMMUNICATION]}, learnerIds={"id": [JOHN_DOE]})
    assert (row.accessDate, row.dueDate, row.expirationDate) == (dt.date(2024, 6, 3), dt.date(2024, 7, 1),
                                                                   dt.date(2024, 7, 1))
    assert service.changeEnrollment(credentials=TOKEN, enrollmentId=row.enrollmentId,
                                    accessDate=dt.datetime(2024, 6, 10), dueDateType="unlimited") is True
    changed = service.getEnrollment(credentials=TOKEN, enrollmentId=row.enrollmentId)
    assert (changed.accessDate, changed.dueDate) == (dt.date(2024, 6, 10), None)
    assert service.unenroll(credentials=TOKEN, enrollmentId=row.enrollmentId) is True
    with pytest.raises(zeep.exceptions.Fault) as fault:
        service.getEnrollment(credentials=TOKEN, enrollmentId=row.enrollmentId)
    assert (fault.value.code, fault.value.message) == ("client", "Unknown Enrollment")


def test_users_content_departments(app, service):
    world = app.extensions["mockserver"].world
    users = service.getUsers(credentials=TOKEN)
    assert len(users) == len(world.people)
    assert {f.name: f.value for f in users[0].fields.field}["EMAIL"] == world.people[0].email
    content = service.getContent(credentials=TOKEN)
    assert [c.contentItemId for c in content] == [c.content_item_id for c in world.content_items]
    item = service.getContentItem(credentials=TOKEN, contentItemId=SPREADSHEETS)
    assert item.type == "Course" and item.viewUrl.startswith("https://myaccount.ispringlearn.ru/view/")
    departments = service.getDepartments(credentials=TOKEN)
    assert [d.departmentId for d in departments[1:]] == [u.department_id for u in world.org_units]  # under a root
    one = service.getDepartment(credentials=TOKEN, departmentId=departments[2].departmentId)
    assert one.parentDepartmentId == departments[1].departmentId
    assert one.subordination.subordinationType == "inherit"


def test_faults_reach_the_client(service):
    with pytest.raises(zeep.exceptions.Fault) as fault:
        service.getEnrollments(credentials={"token": "expired-or-unknown"})
    assert (fault.value.code, fault.value.message) == ("client", "Authorization failed")
