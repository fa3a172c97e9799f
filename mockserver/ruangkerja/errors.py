"""Ruangkerja failures: `{"errorCode","message","detail"}`, the codes and texts the docs show (vendor notes §1.7)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response

from ..context import runtime
from ..errors import (
    AlreadyExistsError,
    BadRequestError,
    InvalidTokenError,
    MethodNotAllowedError,
    MockError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RouteNotFoundError,
    UnauthorizedError,
)
from .responses import json_response

TOKEN_NOT_VALID = "rpc error: code = PermissionDenied desc = Token is not valid"
NAMES = {
    BadRequestError: "BAD_REQUEST",
    RouteNotFoundError: "NOT_FOUND",
    MethodNotAllowedError: "METHOD_NOT_ALLOWED",
    PayloadTooLargeError: "PAYLOAD_TOO_LARGE",
    UnauthorizedError: "UNAUTHORIZED",  # the admin token (access.py)
}
# The documented business errors (vendor notes §1.7), by what already exists: (errorCode, message, detail).
ALREADY_EXISTS = {
    "employee id": (10101, "USER_EMPLOYEE_ID_EXISTS", "employee id already been taken"),
    "email": (10102, "USER_EMAIL_EXISTS", "user email already been taken"),
    "tag name": (11101, "TAG_NAME_EXISTS", "tag name already been taken"),
}


def error_body(error: MockError) -> tuple[int, dict]:
    if isinstance(error, InvalidTokenError):
        return runtime().config.ruangkerja_auth_status, {
            "errorCode": 123, "message": TOKEN_NOT_VALID, "detail": TOKEN_NOT_VALID,
        }
    if isinstance(error, AlreadyExistsError):  # gRPC AlreadyExists: 409 by default, --ruangkerja-conflict-status
        code, name, detail = ALREADY_EXISTS[error.what]
        return runtime().config.ruangkerja_conflict_status, {"errorCode": code, "message": name, "detail": detail}
    if isinstance(error, NotFoundError):
        message = f"rpc error: code = NotFound desc = {error.detail}"
        return 404, {"errorCode": 404, "message": message, "detail": message}
    if isinstance(error, PermissionDeniedError):
        message = f"rpc error: code = PermissionDenied desc = {error.detail}"
        return 403, {"errorCode": 403, "message": message, "detail": message}
    # Any other status by its standard name: an injected 429 is TOO_MANY_REQUESTS, a 503 SERVICE_UNAVAILABLE.
    name = next((n for kind, n in NAMES.items() if isinstance(error, kind)), None) or \
        (HTTPStatus(error.status).name if error.status in HTTPStatus._value2member_map_ else "INTERNAL_SERVER_ERROR")
    return error.status, {"errorCode": error.status, "message": name, "detail": error.detail or name}


def item_error(error: MockError) -> dict:
    """A failed bulk item's `error`: the same triple, in the bulk pages' (alphabetical) key order."""
    _, body = error_body(error)
    return {"detail": body["detail"], "errorCode": body["errorCode"], "message": body["message"]}


def render_error(error: MockError) -> Response:
    status, body = error_body(error)
    return json_response(body, status)
