"""A consumer's test suite, as it uses mockserver's pytest plugin after `pip install lms-mockserver`.

`.ci/wheel-check` runs it against the built wheel in a clean venv; `MOCKSERVER_URL=http://127.0.0.1:8080 pytest`
runs it against a server that is already up (the Docker image, say).
"""

import requests

import contracts  # this project's own package of that name


def test_courses_have_our_fields(lms_mockserver):
    answer = requests.get(lms_mockserver.url + "/ruangkerja/dashboard/courses?page=1&pageSize=5",
                          headers={"Authorization": "access_token"}, timeout=10)
    assert answer.status_code == 200
    for course in answer.json()["data"]["items"]:
        assert set(contracts.COURSE_FIELDS) <= set(course)


def test_each_test_starts_from_the_pristine_world(lms_mockserver):
    token = requests.post(lms_mockserver.url + "/api/v3/token", timeout=10, data={
        "client_id": "example", "client_secret": "example_secret", "grant_type": "client_credentials"}).json()
    enroll = requests.post(lms_mockserver.url + "/enrollment", timeout=10,
                           headers={"Authorization": "Bearer " + token["access_token"], "Accept": "application/json"},
                           json={"courseIds": ["3fa85f64-5717-4562-b3fc-2c963f66afa6"],
                                 "learnerIds": ["3fa85f64-5717-4562-b3fc-2c963f66afa6"], "dueDateType": "unlimited"})
    assert enroll.status_code == 201, enroll.text
    lms_mockserver.reset()
