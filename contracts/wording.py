"""Violations worded for people: `path: reason` lines (base.violations) in the JSON-strict fields' vocabulary.

marshmallow's stock messages ("Unknown field.", "Missing data for required field.", "Not a valid list.") are
rewritten into `data.items[3].isAttend: missing required field`, `data.items[3].isAttended: unexpected field
(string)`, `data: expected array, got object`. The verifier reports drift in these words and the mock refuses a bad
request body in them.
"""

from __future__ import annotations

import re

from .base import violations
from .fields import json_type

_MISSING = object()
_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def value_at(data, path: str):
    """The value a violation path points at (`data.items[3].isAttend`), or _MISSING."""
    if path in ("", "$"):
        return data
    node = data
    for key, index in _STEP.findall(path):
        try:
            node = node[int(index)] if index else node[key]
        except (KeyError, IndexError, TypeError, ValueError):
            return _MISSING
    return node


_EXPECTED = {
    "Not a valid list.": "array",
    "Invalid input type.": "object",
    "Not a valid mapping type.": "object",
}


def reword(line: str, data) -> str:
    path, _, message = line.partition(": ")
    value = value_at(data, path)
    if message == "Missing data for required field.":
        return f"{path}: missing required field"
    if message == "Unknown field.":
        kind = "" if value is _MISSING else f" ({json_type(value)})"
        return f"{path}: unexpected field{kind}"
    if message == "Field may not be null.":
        return f"{path}: unexpected null"
    if message in _EXPECTED:
        got = "" if value is _MISSING else f", got {json_type(value)}"
        return f"{path}: expected {_EXPECTED[message]}{got}"
    return line


def explain(contract, data, *, ordered: bool = False) -> list[str]:
    return [reword(line, data) for line in violations(contract, data, ordered=ordered)]
