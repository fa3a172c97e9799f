"""The Ruangkerja operations that are not a generic list: each takes the call and returns the payload."""

from __future__ import annotations

from ..errors import BadRequestError, InvalidCredentialsError
from . import auth
from .inputs import json_object, required_text


def generate_access_token(call) -> dict:
    body = json_object("clientID, clientSecret and grantType")
    client_id, secret = (required_text(body, k) for k in ("clientID", "clientSecret"))
    if required_text(body, "grantType") != "client_credentials":
        raise BadRequestError("grantType must be client_credentials")
    config = call.config
    clients = dict(client.split(":", 1) for client in config.ruangkerja_clients)
    if clients.get(client_id) != secret:
        raise InvalidCredentialsError("Credentials does not match in our records")
    token = auth.new_token()
    call.state.add_token(auth.VENDOR, token, config.ruangkerja_token_ttl)
    return {
        "status": "success",
        "message": "success",
        "data": {"accessToken": token, "expiresIn": str(config.ruangkerja_token_ttl), "tokenType": "bearer"},
    }


# --- users ------------------------------------------------------------------------------------------------------------


# --- tags -------------------------------------------------------------------------------------------------------------


# --- company structure and course assignment --------------------------------------------------------------------------
