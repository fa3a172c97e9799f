"""iSpring REST failures: ErrorResponse, `<response><code>401</code><message>...</message></response>` or its JSON
twin, by the same Accept rule as every answer. SOAP faults are soap/wire.py's."""

from __future__ import annotations

from flask import Response

from mockserver.contracts.ispring import ErrorSchema

from ..errors import (
    BadRequestError,
    InvalidCredentialsError,
    InvalidTokenError,
    MockError,
    NotFoundError,
    PermissionDeniedError,
)
from ..api.routing import current_row
from .responses import represent


def status_of(error: MockError) -> int:
    if isinstance(error, (InvalidTokenError, InvalidCredentialsError)):
        return 401
    if isinstance(error, PermissionDeniedError):
        return 403
    if isinstance(error, (NotFoundError, BadRequestError)):
        return 400  # the spec's enrollment routes list 400, never 404, for an ID they do not know
    return error.status


def render_rest_error(error: MockError) -> Response:
    status = status_of(error)
    row = current_row()
    if row is not None and status in row.text_errors:  # the spec's text/plain body (GET /certificate/{id}'s 404)
        return Response(error.detail, status=status, content_type="text/plain; charset=utf-8")
    message = error.detail or {401: "Unauthorized", 403: "Permission Denied", 404: "Not Found"}.get(status,
                                                                                                  "Bad Request")
    return represent({"code": status, "message": message}, ErrorSchema, ErrorSchema, status)
