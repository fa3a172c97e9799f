r"""Reading untrusted JSON: json.loads with what it lets through refused as malformed input, never a 500.

Python's json raises more than JSONDecodeError on hostile input: RecursionError for arrays nested some thousand deep,
ValueError for an integer of more than 4300 digits (sys.int_max_str_digits); and it takes NaN and Infinity and
strings holding a lone surrogate (`"\ud800"`, no character: it cannot be encoded, stored or written), which no JSON
parser of the vendors' takes (PHP's json_decode: "Single unpaired UTF-16 surrogate"). Every failure here is a
ValueError, so a wing's `except ValueError` answers it in its own shape.
"""

from __future__ import annotations

import json
import re
from typing import Any


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # only a body with one is walked for lone surrogates
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
        value = json.loads(data or b"null", parse_constant=_no_constant, parse_int=_integer)
    except RecursionError:
        raise ValueError("arrays or objects are nested too deep") from None
    if _SURROGATE_ESCAPE.search(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")):
        _refuse_lone_surrogates(value)
    return value


def _refuse_lone_surrogates(value: Any) -> None:
    pending = [value]
    while pending:  # a loop, not recursion: the value may nest as deep as json.loads allows
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is no character") \
                    from None
