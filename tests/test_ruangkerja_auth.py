"""POST /oauth/token and the token check in front of every other Ruangkerja route."""

import json
import re

import pytest

from mockserver.contracts.ruangkerja import ErrorSchema, TokenResponseSchema, UserWebinarActivityListResponseSchema

from .helpers.apps import conforms, make_app

WEBINAR = "/ruangkerja/dashboard/users/JOHNILXV3QAJJEL3/courses/webinar?page=1&pageSize=10"
CREDENTIALS = {"clientID": "example", "clientSecret": "example_secret", "grantType": "client_credentials"}
NOT_VALID = "rpc error: code = PermissionDenied desc = Token is not valid"


def token_of(client, method="POST", body=CREDENTIALS):
    response = client.open("/oauth/token", method=method, data=json.dumps(body),
                           headers={"Content-Type": "application/json"})
    return conforms(response, TokenResponseSchema)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_token_as_documented(client, method):
    body = token_of(client, method)
    assert list(body) == ["status", "message", "data"]
    assert (body["status"], body["message"]) == ("success", "success")
    assert list(body["data"]) == ["accessToken", "expiresIn", "tokenType"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}", body["data"]["accessToken"])
    assert body["data"]["expiresIn"] == "43199" and body["data"]["tokenType"] == "bearer"


def test_issued_token_is_accepted_raw_and_with_bearer(client):
    token = token_of(client)["data"]["accessToken"]
    for header in (token, f"Bearer {token}", f"bearer {token}"):
        conforms(client.get(WEBINAR, headers={"Authorization": header}), UserWebinarActivityListResponseSchema)


def test_more_clients_by_configuration(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_clients=("acme:s3cret",)).test_client()
    token_of(client, body={**CREDENTIALS, "clientID": "acme", "clientSecret": "s3cret"})
    response = client.post("/oauth/token", json=CREDENTIALS)
    assert conforms(response, ErrorSchema, 400)["detail"] == "Credentials does not match in our records"


@pytest.mark.parametrize(
    "body, detail",
    [
        ({**CREDENTIALS, "clientSecret": "wrong"}, "Credentials does not match in our records"),
        ({**CREDENTIALS, "clientID": "nobody"}, "Credentials does not match in our records"),
        ({**CREDENTIALS, "grantType": "password"}, "grantType must be client_credentials"),
        ({"clientID": "example", "grantType": "client_credentials"}, "clientSecret is required and must be a string"),
        ({**CREDENTIALS, "clientID": 7}, "clientID is required and must be a string"),
        ([1, 2], "request body must be a JSON object with clientID, clientSecret and grantType"),
    ],
)
def test_token_refusals(client, body, detail):
    response = client.post("/oauth/token", json=body)
    assert conforms(response, ErrorSchema, 400) == {"errorCode": 400, "message": "BAD_REQUEST", "detail": detail}


def test_token_with_malformed_json(client):
    response = client.post("/oauth/token", data=b'{"clientID": ', headers={"Content-Type": "application/json"})
    body = conforms(response, ErrorSchema, 400)
    assert body["message"] == "BAD_REQUEST" and body["detail"].startswith("request body is not valid JSON")


@pytest.mark.parametrize("header", [None, "", "nope", "Bearer ", "Bearer nope", "access_token2"])
def test_missing_or_unknown_token_is_403_errorcode_123(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get(WEBINAR, headers=headers)
    assert conforms(response, ErrorSchema, 403) == {"errorCode": 123, "message": NOT_VALID, "detail": NOT_VALID}


def test_refused_token_status_switches_to_401(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_auth_status=401).test_client()
    assert conforms(client.get(WEBINAR), ErrorSchema, 401)["errorCode"] == 123


def test_token_expires(client):
    # Token lifetimes follow the world's clock (POST /__admin/clock), frozen here so the seconds are exact.
    client.post("/__admin/clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    token = token_of(client)["data"]["accessToken"]
    client.post("/__admin/clock", json={"advance": 43198})
    assert client.get(WEBINAR, headers={"Authorization": token}).status_code == 200
    client.post("/__admin/clock", json={"advance": 2})
    assert conforms(client.get(WEBINAR, headers={"Authorization": token}), ErrorSchema, 403)["errorCode"] == 123
    # the documented literal token never expires
    assert client.get(WEBINAR, headers={"Authorization": "access_token"}).status_code == 200


def test_token_ttl_by_configuration(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_token_ttl=60).test_client()
    assert token_of(client)["data"]["expiresIn"] == "60"


def test_static_tokens_by_configuration(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ruangkerja_static_tokens=("ci-token",)).test_client()
    assert client.get(WEBINAR, headers={"Authorization": "ci-token"}).status_code == 200
    assert client.get(WEBINAR, headers={"Authorization": "access_token"}).status_code == 403
