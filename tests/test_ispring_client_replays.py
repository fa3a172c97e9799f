"""Two public iSpring clients replayed against the mock, request for request, each parsing the answers its own way.

- A Python XML client (SGVp15/ite_proctor_exam_telegram_bot, `Ispring/ispring2.py` and `Utils/xml_to_dict.py`):
  legacy X-Auth headers, XML bodies as its f-strings write them, answers read with xmltodict and its 201 IDs cut out
  with `re.findall(r'<response>(.*)</response>', text)`. It lists users, creates one, resets the password, enrolls
  and unenrolls them (`<DeleteEnrollments>` as its root), creates a group, deactivates and deletes the user.
- A PHP exporter (thnik911/exchangeWithIspringlearn, `ispringlearn.php`): pages through `/enrollments?pageSize=50`
  from an empty `pageToken=`, then for each enrollment `GET /content/{courseId}` (`contentItem.title`, `viewUrl`)
  and `GET /user/{learnerId}` (the EMAIL of `userProfile.fields.field[]`), as simplexml-then-json_decode reads them
  (xmltodict reads XML the same way: one child a value, repeated children a list).
"""

from __future__ import annotations

import re

import pytest
import xmltodict

from mockserver.world import World

from .helpers.apps import SEED, make_app
from .helpers.ispring_wire import SPREADSHEETS, call, soap_result

PASSWORD = "12345Q"
HEADERS = {  # ispring2.py: the legacy login, and every request typed as XML
    "X-Auth-Email": "email@email.com", "X-Auth-Password": PASSWORD,
    "X-Auth-Account-Url": "https://myaccount.ispringlearn.ru", "Content-Type": "application/xml",
}


@pytest.fixture(scope="module")
def small_world():
    return World.build(SEED, 40, 10).to_json()  # 132 enrollments: three pages of 50


@pytest.fixture
def client(small_world, tmp_path):
    return make_app(small_world, tmp_path).test_client()


# --- the Python XML client (ispring2.py), its methods as it writes them -----------------------------------------


def get_ispring_users(text: str) -> list[dict]:
    users = xmltodict.parse(text).get("response").get("userProfile")
    for user in users:
        for field in user.get("fields").get("field"):
            user[field.get("name")] = field.get("value")
    return users


def get_ispring_enrollments(text: str) -> list[dict]:
    return xmltodict.parse(text).get("response").get("enrollment")


def create_user(client, department_id: str, login: str, email: str) -> str:
    xml = f'<?xml version="1.0" encoding="UTF-8"?>' \
          f'<request>' \
          f'    <departmentId>{department_id}</departmentId>' \
          f'    <password>Rahasia-2024</password>' \
          f'    <fields>' \
          f'        <login>{login}</login>' \
          f'        <email>{email}</email>' \
          f'        <first_name>Иван</first_name>' \
          f'        <last_name>Петров</last_name>' \
          f'    </fields>' \
          f'    <role>learner</role>' \
          f'    <sendLoginEmail>false</sendLoginEmail>' \
          f'    <invitationMessage>Используйте следующие данные, чтобы войти в Академию iSpring:</invitationMessage>' \
          f'</request>'
    response = client.post("/user", headers=HEADERS, data=xml.encode("utf-8"))
    assert response.status_code == 201, response.get_data(as_text=True)
    return re.findall(r"<response>(.*)</response>", response.get_data(as_text=True))[0]


def ok(response) -> bool:
    return 200 <= response.status_code < 300


def test_python_xml_client_runs_end_to_end(client):
    users = get_ispring_users(client.get("/user", headers=HEADERS).get_data(as_text=True))
    department = users[0]["departmentId"]
    assert users[0]["EMAIL"] and users[0]["LOGIN"] and all(u["userId"] for u in users)

    user_id = create_user(client, department, "ivan.petrov", "ivan.petrov@example.com")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", user_id)
    created = [u for u in get_ispring_users(client.get("/user", headers=HEADERS).get_data(as_text=True))
               if u["userId"] == user_id]
    assert [(u["LOGIN"], u["EMAIL"], u["FIRST_NAME"], u["departmentId"]) for u in created] == \
        [("ivan.petrov", "ivan.petrov@example.com", "Иван", department)]
    soap_users = soap_result(call(client, "getUsers"), "GetUsersResult")["userProfile"]
    assert user_id in [u["userId"] for u in soap_users]  # REST's new user is SOAP's too

    password = '<?xml version="1.0" encoding="UTF-8"?><request>    <password>Baru-2025!</password></request>'
    assert ok(client.post(f"/user/{user_id}/password", headers=HEADERS, data=password.encode("utf-8")))

    enrollment = f'<?xml version="1.0" encoding="UTF-8"?>' \
                 f'<request>' \
                 f'    <courseIds>' \
                 f'        <id>{SPREADSHEETS}</id>' \
                 f'    </courseIds>' \
                 f'    <learnerIds>' \
                 f'        <id>{user_id}</id>' \
                 f'    </learnerIds>' \
                 f'    <accessDate>2026-12-01 09:00:00</accessDate>' \
                 f'    <dueDateType>due_period</dueDateType>' \
                 f'    <dueDate>2024-12-20 10:30:00</dueDate>' \
                 f'    <duePeriod>3</duePeriod>' \
                 f'</request>'
    assert ok(client.post("/enrollment", headers=HEADERS, data=enrollment.encode("utf-8")))
    mine = [e for e in get_ispring_enrollments(client.get("/enrollment", headers=HEADERS).get_data(as_text=True))
            if e["learnerId"] == user_id]
    assert [(e["courseId"], e["accessDate"], e["dueDate"]) for e in mine] == [(SPREADSHEETS, "2026-12-01", "2026-12-01")]

    delete = f'''<?xml version="1.0" encoding="UTF-8"?>
<DeleteEnrollments>
    <enrollmentIds>     
    <id>{mine[0]["enrollmentId"]}</id>
    </enrollmentIds>
</DeleteEnrollments>'''
    assert ok(client.post("/enrollment/delete", headers=HEADERS, data=delete.encode("utf-8")))
    assert user_id not in client.get(f"/enrollment?learnerIds[]={user_id}", headers=HEADERS).get_data(as_text=True)

    group = f'<?xml version="1.0" encoding="UTF-8"?><request><name>Proctor exam 2026</name>' \
            f'<userIds><id>{user_id}</id></userIds></request>'
    response = client.post("/group", headers=HEADERS, data=group.encode("utf-8"))
    group_id = re.findall(r"<response>(.*)</response>", response.get_data(as_text=True))[0]
    assert response.status_code == 201
    members = xmltodict.parse(client.get(f"/group/{group_id}", headers=HEADERS).get_data())["response"]["group"]
    assert (members["name"], members["usersCount"], members["userIds"]["id"]) == ("Proctor exam 2026", "1", user_id)

    deactivate = f'<?xml version="1.0" encoding="UTF-8"?>\n<request>\n    <userIds>{user_id}</userIds>\n\n</request>'
    assert ok(client.post("/users/deactivate", headers=HEADERS, data=deactivate.encode("utf-8")))
    profile = xmltodict.parse(client.get(f"/user/{user_id}", headers=HEADERS).get_data())["response"]["userProfile"]
    assert profile["status"] == "3"

    assert ok(client.delete(f"/user/{user_id}", headers=HEADERS))
    assert client.get(f"/user/{user_id}", headers=HEADERS).status_code == 400  # the spec lists no 404
    gone = xmltodict.parse(client.get(f"/group/{group_id}", headers=HEADERS).get_data())["response"]["group"]
    assert gone["usersCount"] == "0"
    soap_users = soap_result(call(client, "getUsers"), "GetUsersResult")["userProfile"]
    assert user_id not in [u["userId"] for u in soap_users]


# --- the PHP exporter (ispringlearn.php) ------------------------------------------------------------------------


PHP_HEADERS = {  # $arHeader: the account URL with its trailing slash, no Content-Type, no Accept
    "X-Auth-Account-Url": "https://myaccount.ispringlearn.ru/", "X-Auth-Email": "email@email.com",
    "X-Auth-Password": PASSWORD,
}


def simplexml_json(response) -> dict:
    """`json_decode(json_encode(simplexml_load_string($response)), true)`: the root's children as an array."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return next(iter(xmltodict.parse(response.get_data()).values()))


def test_php_exporter_reads_every_enrollment_with_its_course_and_learner(client, small_world):
    world = World.from_json(small_world)
    page_token, rows = "", []  # json_decode of the empty page.log: null, written as an empty pageToken=
    while True:
        page = simplexml_json(client.get(f"/enrollments?pageSize=50&pageToken={page_token}", headers=PHP_HEADERS))
        for enrollment in page["enrollments"]["enrollment"]:
            course = simplexml_json(client.get(f"/content/{enrollment['courseId']}", headers=PHP_HEADERS))
            student = simplexml_json(client.get(f"/user/{enrollment['learnerId']}", headers=PHP_HEADERS))
            email = next(f["value"] for f in student["userProfile"]["fields"]["field"] if f["name"] == "EMAIL")
            rows.append((enrollment["enrollmentId"], course["contentItem"]["title"],
                         course["contentItem"]["viewUrl"], email, enrollment.get("dueDate")))
        if not page.get("nextPageToken"):
            break
        page_token = page["nextPageToken"]
    content = {c.content_item_id: c for c in world.content_items}
    learners = {u.user_id: u for u in world.learners}
    assert rows == [(e.enrollment_id, content[e.course_id].title, content[e.course_id].view_url,
                     learners[e.learner_id].email, e.due_date) for e in sorted(world.enrollments.values(),
                                                                               key=lambda e: e.enrollment_id)]
