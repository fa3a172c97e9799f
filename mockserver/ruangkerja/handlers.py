"""The Ruangkerja operations that are not a generic list: each takes the call and returns the payload."""

from __future__ import annotations

from ..errors import BadRequestError, InvalidCredentialsError
from ..world import ruangkerja as world
from . import auth, items
from .inputs import json_object, required_text, timestamp_arg
from .responses import envelope


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


def user_activity_summary(call) -> dict:
    """One object, no paging: the person and their assignments counted."""
    return envelope(items.activity_summary(call.world, world.activity_summary(call.world, call.path["employeeID"])))


def user_course_status(call) -> dict:
    """`{"items": [...]}`, no paging: the course assignments completed between the two (required) timestamps."""
    start, end = timestamp_arg("startTimestamp"), timestamp_arg("endTimestamp")
    return envelope({"items": [items.course_completion(call.world, c)
                               for c in world.course_completions(call.world, start, end)]})


# --- users ------------------------------------------------------------------------------------------------------------


# --- tags -------------------------------------------------------------------------------------------------------------


# --- company structure and course assignment --------------------------------------------------------------------------
