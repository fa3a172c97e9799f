"""Whatever a client sends in a query value, a path value or a header, the answer is a vendor-shaped error or data,
never a 500 and never a stack trace."""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.contracts.base import violations
from mockserver.contracts.ruangkerja import ErrorSchema

from .helpers.apps import TOKEN

ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_vendor_shaped(response):
    assert response.status_code in (200, 400, 403, 404, 405), response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    if response.status_code != 200:
        assert violations(ErrorSchema, response.get_json(), ordered=True) == []


@SETTINGS
@given(page=ANY_TEXT, size=ANY_TEXT)
def test_any_query_values(client, page, size):
    query = f"?page={quote(page)}&pageSize={quote(size)}"
    assert_vendor_shaped(client.get("/ruangkerja/dashboard/users/EMPLY001/courses/webinar" + query, headers=TOKEN))


@SETTINGS
@given(course=ANY_TEXT.filter(bool), batch=ANY_TEXT.filter(bool), employee=ANY_TEXT.filter(bool))
def test_any_path_values(client, course, batch, employee):
    offline = f"/ruangkerja/dashboard/courses/{quote(course, safe='')}/offline/{quote(batch, safe='')}/users"
    assert_vendor_shaped(client.get(offline + "?page=1&pageSize=5", headers=TOKEN))
    webinar = f"/ruangkerja/dashboard/users/{quote(employee, safe='')}/courses/webinar?page=1&pageSize=5"
    assert_vendor_shaped(client.get(webinar, headers=TOKEN))


@SETTINGS
@given(value=st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60))
def test_any_authorization_header(client, value):
    response = client.get("/ruangkerja/dashboard/users/EMPLY001/courses/webinar?page=1&pageSize=5",
                          headers={"Authorization": value})
    assert_vendor_shaped(response)


@SETTINGS
@given(body=st.binary(max_size=200))
def test_any_token_body(client, body):
    response = client.post("/oauth/token", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 or body.strip().startswith(b"{")
    assert_vendor_shaped(response)
