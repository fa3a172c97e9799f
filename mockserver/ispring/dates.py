"""Dates as iSpring clients send them: `2019-09-26`, the docs' `2019-09-26 10:30:00`, or ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..errors import BadRequestError

_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def docs_moment(text: str, name: str = "date") -> datetime:
    """The moment `text` names, in UTC (a zone, if any, is ignored: the vendor's examples carry none)."""
    match = _MOMENT.match(text.strip())
    try:
        if match is None:
            raise ValueError
        return datetime(*(int(part or 0) for part in match.groups()), tzinfo=timezone.utc)
    except ValueError:
        raise BadRequestError(f"{name} {text!r} is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)") from None
