"""The token check every Ruangkerja operation but the token call makes first.

Tokens look like the real ones (ORY fosite's HMAC shape: 43 base64url chars, a dot, 43 more) and live in the
shared state, so a token issued by one worker is accepted by all of them until it expires.
"""

from __future__ import annotations

import secrets

from flask import request

from ..errors import InvalidTokenError

VENDOR = "ruangkerja"


def new_token() -> str:
    return f"{secrets.token_urlsafe(32)}.{secrets.token_urlsafe(32)}"


def presented_token() -> str:
    """The docs send the raw token; `tokenType: bearer` invites `Bearer <token>` too. Both are accepted."""
    value = request.headers.get("Authorization", "").strip()
    scheme, _, rest = value.partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else value


def authorize(call) -> None:
    token = presented_token()
    rt = call.rt
    if not token or not (token in rt.config.ruangkerja_static_tokens
                         or rt.state.token_valid(VENDOR, token, rt.world.now().timestamp())):
        raise InvalidTokenError()
