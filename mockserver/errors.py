"""One exception tree for every failure a client can cause, rendered later in each vendor's own error shape.

Views raise these; the wing that owns the request's path turns them into its body (see app.py).
"""

from __future__ import annotations


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
        super().__init__(f"{what} {key} not found".replace("  ", " "))
        self.what = what
        self.key = key


class AlreadyExistsError(MockError):
    """A write that would give an entity an identifier or a name another one has (gRPC's AlreadyExists): `what`
    names it (employee id, email, tag name ...); each vendor renders it with its own code and status."""

    status = 409

    def __init__(self, what: str, key: str = ""):
        super().__init__(f"{what} {key} already exists".replace("  ", " "))
        self.what = what
        self.key = key


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
