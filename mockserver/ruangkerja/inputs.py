"""Ruangkerja request input: JSON bodies, checked strictly (a wrong one is a 400 naming the field, never a guess).

Query paging is api/paging.py's, the same for every list.
"""

from __future__ import annotations

import json

from flask import request

from ..errors import BadRequestError


def json_object(fields: str) -> dict:
    """The body as a JSON object with `fields` (the token call's GET carries one too: the method does not matter)."""
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequestError(f"request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise BadRequestError(f"request body must be a JSON object with {fields}")
    return body


def required_text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequestError(f"{name} is required and must be a string")
    return value
