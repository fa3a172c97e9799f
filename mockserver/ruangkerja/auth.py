"""`POST /oauth/token` and the token check every other Ruangkerja route makes first.

Tokens look like the real ones (ORY fosite's HMAC shape: 43 base64url chars, a dot, 43 more) and live in the
shared state, so a token issued by one worker is accepted by all of them until it expires.
"""

from __future__ import annotations

import json
import secrets

from flask import request

from contracts.ruangkerja import TokenResponseSchema

from ..context import runtime
from ..errors import BadRequestError, InvalidCredentialsError, InvalidTokenError
from . import blueprint
from .responses import respond

VENDOR = "ruangkerja"
PUBLIC_ENDPOINTS = {"ruangkerja.generate_access_token"}


def new_token() -> str:
    return f"{secrets.token_urlsafe(32)}.{secrets.token_urlsafe(32)}"


def _credentials() -> dict:
    # The docs head this POST, and their curl sends it as GET with a JSON body: both carry JSON.
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequestError(f"request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise BadRequestError("request body must be a JSON object with clientID, clientSecret and grantType")
    for key in ("clientID", "clientSecret", "grantType"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise BadRequestError(f"{key} is required and must be a string")
    if body["grantType"] != "client_credentials":
        raise BadRequestError("grantType must be client_credentials")
    return body


@blueprint.route("/oauth/token", methods=["POST", "GET"])
def generate_access_token():
    body = _credentials()
    config = runtime().config
    clients = dict(client.split(":", 1) for client in config.ruangkerja_clients)
    if clients.get(body["clientID"]) != body["clientSecret"]:
        raise InvalidCredentialsError("Credentials does not match in our records")
    token = new_token()
    runtime().state.add_token(VENDOR, token, config.ruangkerja_token_ttl)
    payload = {
        "status": "success",
        "message": "success",
        "data": {"accessToken": token, "expiresIn": str(config.ruangkerja_token_ttl), "tokenType": "bearer"},
    }
    return respond(payload, TokenResponseSchema)


def presented_token() -> str:
    """The docs send the raw token; `tokenType: bearer` invites `Bearer <token>` too. Both are accepted."""
    value = request.headers.get("Authorization", "").strip()
    scheme, _, rest = value.partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else value


@blueprint.before_request
def require_token() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    token = presented_token()
    rt = runtime()
    if not token or not (token in rt.config.ruangkerja_static_tokens or rt.state.token_valid(VENDOR, token)):
        raise InvalidTokenError()
