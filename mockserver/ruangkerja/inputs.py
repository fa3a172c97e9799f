"""Ruangkerja request input: JSON bodies and query values, checked strictly (a wrong one is a 400 naming the field,
never a guess).

Query paging is api/paging.py's, the same for every list.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

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


# An RFC 3339 date-time with its offset. The docs' curl sends `+07:00` unencoded, which a query string reads as a
# space: a space before the offset stands for the `+` it was.
_RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+ -])(\d\d):(\d\d))")
TIMESTAMP_EXAMPLE = "2019-10-12T14:20:50+07:00"


def timestamp_arg(name: str) -> datetime:
    """A required query value such as `2019-10-12T14:20:50+07:00` (any offset, `Z` too), as an aware datetime."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        raise BadRequestError(f"{name} is required")
    found = _RFC3339.fullmatch(raw)
    try:
        if found is None:
            raise ValueError
        year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
        micro = int((found.group(7) or "0")[:6].ljust(6, "0"))
        if second == 60:  # a leap second: the last instant of its minute
            second, micro = 59, 999999
        offset = timedelta(0)
        if not found.group(8):
            hours, minutes = int(found.group(10)), int(found.group(11))
            if hours > 23 or minutes > 59:
                raise ValueError
            offset = (-1 if found.group(9) == "-" else 1) * timedelta(hours=hours, minutes=minutes)
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(offset))
    except ValueError:
        raise BadRequestError(f"{name} must be an RFC 3339 date-time with an offset, e.g. {TIMESTAMP_EXAMPLE}, "
                              f"got {raw!r}") from None
