"""Ruangkerja bodies: the success envelope, the page object, and errors as `{"errorCode","message","detail"}`."""

from __future__ import annotations

import math
from typing import Callable, Sequence

from flask import Response, current_app

from contracts.base import violations

from ..context import runtime
from ..errors import (
    BadRequestError,
    InvalidTokenError,
    MethodNotAllowedError,
    MockError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RouteNotFoundError,
)

TOKEN_NOT_VALID = "rpc error: code = PermissionDenied desc = Token is not valid"


def respond(payload, contract, status: int = 200) -> Response:
    """Send `payload` as JSON; with --check-contracts, a payload that breaks its contract is a 500 naming why."""
    if runtime().config.check_contracts:
        found = violations(contract, payload, ordered=True)
        if found:
            raise MockError(f"response breaks {contract.__name__}: " + "; ".join(found))
    response = current_app.json.response(payload)
    response.status_code = status
    return response


def envelope(data) -> dict:
    return {"status": "success", "message": "Success", "data": data}


def page(rows: Sequence, number: int, size: int, to_item: Callable) -> dict:
    """One page of `rows`; `totalPage` (singular, as documented) = ceil(totalItems / pageSize)."""
    return {
        "currentPage": number,
        "totalItems": len(rows),
        "totalPage": math.ceil(len(rows) / size),
        "items": page_items(rows, number, size, to_item),
    }


def page_items(rows: Sequence, number: int, size: int, to_item: Callable) -> list:
    start = (number - 1) * size
    return [to_item(row) for row in rows[start : start + size]]


def _error_body(error: MockError) -> tuple[int, dict]:
    if isinstance(error, InvalidTokenError):
        return runtime().config.ruangkerja_auth_status, {
            "errorCode": 123, "message": TOKEN_NOT_VALID, "detail": TOKEN_NOT_VALID,
        }
    if isinstance(error, NotFoundError):
        message = f"rpc error: code = NotFound desc = {error.detail}"
        return 404, {"errorCode": 404, "message": message, "detail": message}
    if isinstance(error, PermissionDeniedError):
        message = f"rpc error: code = PermissionDenied desc = {error.detail}"
        return 403, {"errorCode": 403, "message": message, "detail": message}
    names = {
        BadRequestError: "BAD_REQUEST",
        RouteNotFoundError: "NOT_FOUND",
        MethodNotAllowedError: "METHOD_NOT_ALLOWED",
        PayloadTooLargeError: "PAYLOAD_TOO_LARGE",
    }
    name = next((n for kind, n in names.items() if isinstance(error, kind)), "INTERNAL_SERVER_ERROR")
    return error.status, {"errorCode": error.status, "message": name, "detail": error.detail or name}


def render_error(error: MockError) -> Response:
    status, body = _error_body(error)
    response = current_app.json.response(body)
    response.status_code = status
    return response
