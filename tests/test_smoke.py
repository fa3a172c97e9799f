from mockserver.contracts.ruangkerja import CourseOfflineUsersResponseSchema

from .helpers.apps import TOKEN, conforms


def test_doc_example_offline_users(client):
    response = client.get(
        "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10", headers=TOKEN
    )
    body = conforms(response, CourseOfflineUsersResponseSchema)
    assert [i["user"]["name"] for i in body["data"]["items"][:3]] == ["John Doe", "John Smith", "Jane Smith"]
