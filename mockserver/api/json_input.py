"""Reading untrusted JSON: json.loads with what it lets through refused as malformed input, never a 500.

Python's json raises more than JSONDecodeError on hostile input: RecursionError for arrays nested some thousand deep,
ValueError for an integer of more than 4300 digits (sys.int_max_str_digits), and it takes NaN and Infinity, which no
JSON parser of the vendors' would. Every failure here is a ValueError, so a wing's `except ValueError` answers it in
its own shape.
"""

from __future__ import annotations

import json
from typing import Any


MAX_DIGITS = 100  # far past any int64; Python itself stops at 4300, with a message about its own internals


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValueError(f"an integer of {digits} digits is more than any field here takes")
    return int(text)


def loads(data: bytes | str) -> Any:
    """The JSON value of `data` (null when empty); ValueError, naming why, when it is none."""
    try:
        return json.loads(data or b"null", parse_constant=_no_constant, parse_int=_integer)
    except RecursionError:
        raise ValueError("arrays or objects are nested too deep") from None
