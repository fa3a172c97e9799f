"""Who is calling: access tokens (POST /api/v3/token, 30 minutes) and the legacy account URL + email + password.

REST and SOAP share both. Tokens live in the shared state, so one issued by any worker works on all of them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import request

from ..context import Runtime
from ..errors import InvalidCredentialsError, InvalidTokenError, PermissionDeniedError

VENDOR = "ispring"
ADMINISTRATOR, LEARNER = "administrator", "learner"


@dataclass(frozen=True)
class Caller:
    role: str  # administrator: every API right; learner: a valid login without API rights

    def require_api_rights(self) -> None:
        if self.role != ADMINISTRATOR:
            raise PermissionDeniedError("the user's role does not allow this API call")


def issue_token(rt: Runtime, client_id: str, client_secret: str) -> str:
    clients = dict(c.split(":", 1) for c in rt.config.ispring_clients)
    if not client_id or clients.get(client_id) != client_secret:
        raise InvalidCredentialsError("unknown client_id or wrong client_secret")
    token = secrets.token_urlsafe(32)  # 43 base64url characters, like the docs' sample tokens
    rt.state.add_token(VENDOR, token, rt.config.ispring_token_ttl, rt.world.now().timestamp())
    return token


def by_token(rt: Runtime, token: str | None) -> Caller:
    if not token or not (token in rt.config.ispring_static_tokens
                         or rt.state.token_valid(VENDOR, token, rt.world.now().timestamp())):
        raise InvalidTokenError("the access token is missing, unknown or expired")
    return Caller(ADMINISTRATOR)


def by_login(rt: Runtime, account_url: str | None, email: str | None, password: str | None) -> Caller:
    if not (account_url and email and password) or _host(account_url) != _host(rt.world.company.account_url):
        raise InvalidCredentialsError("unknown account, email or password")
    for login in rt.config.ispring_logins:
        known_email, known_password, *role = login.split(":", 2)
        if email.lower() == known_email.lower() and password == known_password:
            return Caller(role[0] if role else ADMINISTRATOR)
    raise InvalidCredentialsError("unknown account, email or password")


def authorize(call) -> None:
    """The REST gate: `Authorization: [Bearer ]<token>`, or the legacy X-Auth-Account-Url / -Email / -Password."""
    headers = request.headers
    if "Authorization" in headers:
        caller = by_token(call.rt, bearer(headers["Authorization"]))
    elif any(h in headers for h in ("X-Auth-Account-Url", "X-Auth-Email", "X-Auth-Password")):
        caller = by_login(call.rt, headers.get("X-Auth-Account-Url"), headers.get("X-Auth-Email"),
                          headers.get("X-Auth-Password"))
    else:
        raise InvalidTokenError("send Authorization: Bearer <token>, or the X-Auth-* headers")
    caller.require_api_rights()


def bearer(value: str | None) -> str | None:
    """The spec and new docs send `Bearer <token>`, older docs and some clients the bare token: both work."""
    scheme, _, rest = (value or "").strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else (value or "").strip()


def same_account(url: str, other: str) -> bool:
    """Two spellings of one account URL (http or https, a trailing slash or not)."""
    return _host(url) == _host(other)


def _host(url: str) -> str:
    # http or https, with or without a trailing slash: the same account.
    return urlsplit(url if "://" in url else "//" + url).netloc.lower()
