"""The OpenAPI document of the mock's JSON routes, generated from the contracts (apispec), never written by hand.

Served at `GET /__admin/openapi.json` and printed by `mockserver openapi`; schemathesis fuzzes the mock from it
(tests/test_fuzz.py). A test checks that every JSON route is described here and nothing else is.
"""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from contracts import fields as strict
from contracts.admin import HealthSchema, ResetSchema
from contracts.ruangkerja import (
    CourseBatchListResponseSchema,
    CourseListResponseSchema,
    CourseOfflineUsersResponseSchema,
    ErrorSchema,
    TokenResponseSchema,
    UserWebinarActivityListResponseSchema,
)

from . import __version__
from .ruangkerja.params import MAX_INT

PAGING = [
    {"in": "query", "name": "page", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT}},
    {"in": "query", "name": "pageSize", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]
AUTHORIZATION = {"in": "header", "name": "Authorization", "required": True, "schema": {"type": "string"},
                 "description": "The token from POST /oauth/token (raw, as the docs send it, or `Bearer <token>`)."}
TOKEN_REQUEST = {
    "type": "object",
    "required": ["clientID", "clientSecret", "grantType"],
    "properties": {"clientID": {"type": "string", "minLength": 1}, "clientSecret": {"type": "string", "minLength": 1},
                   "grantType": {"type": "string", "enum": ["client_credentials"]}},
}


def _path(name: str) -> dict:
    return {"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}


def _responses(ok: type, *errors: int) -> dict:
    found = {"200": {"description": "Success", "content": {"application/json": {"schema": ok}}}}
    for status in errors:
        found[str(status)] = {"description": "Error", "content": {"application/json": {"schema": ErrorSchema}}}
    return found


# (path, method, operationId, parameters, requestBody, responses)
TOKEN_BODY = {"required": True, "content": {"application/json": {"schema": TOKEN_REQUEST}}}
OPERATIONS = [
    ("/oauth/token", "post", "generate_access_token", [], TOKEN_BODY, _responses(TokenResponseSchema, 400)),
    # The docs' curl sends the token call as GET with the same JSON body.
    ("/oauth/token", "get", "generate_access_token_get", [], TOKEN_BODY, _responses(TokenResponseSchema, 400)),
    ("/ruangkerja/dashboard/courses", "get", "course",
     [*PAGING, {"in": "query", "name": "name", "required": False, "schema": {"type": "string"},
                "description": "courses whose name contains it"}, AUTHORIZATION], None,
     _responses(CourseListResponseSchema, 400, 403)),
    ("/ruangkerja/dashboard/courses/{courseSerial}/batches", "get", "course_batch",
     [_path("courseSerial"), *PAGING, AUTHORIZATION], None, _responses(CourseBatchListResponseSchema, 400, 403, 404)),
    ("/ruangkerja/dashboard/courses/{courseSerial}/offline/{batchSerial}/users", "get",
     "course_offline_user_assignment", [_path("courseSerial"), _path("batchSerial"), *PAGING, AUTHORIZATION], None,
     _responses(CourseOfflineUsersResponseSchema, 400, 403, 404)),
    ("/ruangkerja/dashboard/users/{employeeID}/courses/webinar", "get", "user_webinar_course_activity",
     [_path("employeeID"), *PAGING, AUTHORIZATION], None,
     _responses(UserWebinarActivityListResponseSchema, 400, 403, 404)),
    ("/__admin/health", "get", "health", [], None, _responses(HealthSchema)),
    ("/__admin/reset", "post", "reset", [], None, _responses(ResetSchema)),
]


def openapi_document() -> dict:
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: _schema_name(schema))
    spec = APISpec("LMS mockserver", __version__, "3.0.3", plugins=[plugin])
    for field, kind in ((strict.Str, "string"), (strict.Bool, "boolean"), (strict.Int, "integer"),
                        (strict.Number, "number")):
        plugin.map_to_openapi_type(field, kind, None)
    for path, method, operation_id, parameters, body, responses in OPERATIONS:
        operation = {"operationId": operation_id, "parameters": parameters, "responses": responses}
        if body:
            operation["requestBody"] = body
        spec.path(path=path, operations={method: operation})  # apispec merges the methods of one path
    return spec.to_dict()


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name[: -len("Schema")] if name.endswith("Schema") else name
