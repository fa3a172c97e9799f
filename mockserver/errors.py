"""One exception tree for every failure a client can cause, rendered later in each vendor's own error shape.

Views raise these; the wing that owns the request's path turns them into its body (see app.py).
"""

from __future__ import annotations

ECHO_LIMIT = 200  # characters of a client's input an error message quotes back
MESSAGE_LIMIT = 500  # characters of any client error's message (app.py cuts longer ones: input echoed in the middle)


def echo(value, limit: int = ECHO_LIMIT) -> str:
    """Client input quoted in an error message, cut to `limit` characters with an ellipsis: a 10 MB ID is no
    message, and the answer should not be as large as the request."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def clip_message(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message cut in the middle to `limit` characters, keeping how it starts and ends (`unknown courseId …
    not found`): the net under messages whose echoes were not cut where they were written."""
    if len(message) <= limit:
        return message
    tail = limit // 4
    return message[:limit - tail - 1] + "…" + message[-tail:]


class MockError(Exception):
    status = 500

    def __init__(self, detail: str = ""):
        super().__init__(detail)
        self.detail = detail


class BadRequestError(MockError):
    """Malformed or missing input: query values, path values, bodies."""

    status = 400


class InvalidCredentialsError(BadRequestError):
    """A token request with an unknown client or a wrong secret."""


class InvalidTokenError(MockError):
    """A missing, unknown or expired access token."""

    status = 403


class PermissionDeniedError(MockError):
    status = 403


class RefusedError(PermissionDeniedError):
    """Refused before any vendor sees the request (access.py): a 403 even where the vendor's own errors are not
    (SOAP faults are HTTP 500)."""


class NotFoundError(MockError):
    """An unknown entity: `what` names its kind (course, batch, employee ...), `key` the identifier asked for."""

    status = 404

    def __init__(self, what: str, key: str = ""):
        super().__init__(f"{what} {echo(key)} not found".replace("  ", " "))
        self.what = what
        self.key = key


class AlreadyExistsError(MockError):
    """A write that would give an entity an identifier or a name another one has (gRPC's AlreadyExists): `what`
    names it (employee id, email, tag name ...); each vendor renders it with its own code and status."""

    status = 409

    def __init__(self, what: str, key: str = ""):
        super().__init__(f"{what} {echo(key)} already exists".replace("  ", " "))
        self.what = what
        self.key = key


class ListedNotFoundError(MockError):
    """An unknown entity on a route whose vendor documents a 404 for it, with its own text ("Day not found"): a 404
    even where that vendor answers other unknown IDs with a 400 (iSpring)."""

    status = 404


class RouteNotFoundError(MockError):
    status = 404


class MethodNotAllowedError(MockError):
    status = 405


class PayloadTooLargeError(MockError):
    status = 413


class InternalError(MockError):
    status = 500


# --- access ---
class UnauthorizedError(MockError):
    """Missing or wrong credentials of the mock's own (the admin token): 401."""

    status = 401


# --- postgres ---
class StateUnavailableError(MockError):
    """The shared state (PostgreSQL) could not be reached within the retries: the request is answered 503 in the
    vendor's shape, and nothing of it was written (or, its commit unconfirmed, all of it)."""

    status = 503
