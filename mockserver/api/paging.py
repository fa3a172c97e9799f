"""The two paging styles of the vendors, each done once for every list row.

Numbered pages (Ruangkerja): `page` and `pageSize` required, 1-based, pageSize at most 100; the page object
`{"currentPage","totalItems","totalPage","items"}` with `totalPage` singular, as documented.
Page tokens (iSpring): `pageSize` (default 1000) and `pageToken`, base64 of the last ID of the previous page (like
the docs' sample token); `nextPageToken` is left out on the last page.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Callable, Sequence, TypeVar

from ..errors import BadRequestError, echo

T = TypeVar("T")

# --- numbered pages ---------------------------------------------------------------------------------------

MAX_PAGE_SIZE = 100  # "Maximum value 100" on every Ruangkerja list page
MAX_INT = 2**63 - 1  # the vendor's backend is Go: an int64
_DIGITS = re.compile(r"[0-9]+")


def positive_int(name: str, raw: str | None) -> int:
    if raw is None or raw == "":
        raise BadRequestError(f"{name} is required")
    if not _DIGITS.fullmatch(raw):
        raise BadRequestError(f"{name} must be a positive integer, got {echo(raw)!r}")
    if len(raw.lstrip("0")) > len(str(MAX_INT)):  # int() of 4300+ digits raises
        raise BadRequestError(f"{name} must be at most {MAX_INT}, got {echo(raw, 30)}")
    value = int(raw)
    if value > MAX_INT:
        raise BadRequestError(f"{name} must be at most {MAX_INT}, got {value}")
    if value < 1:
        raise BadRequestError(f"{name} must be at least 1, got {value}")
    return value


def page_request(args) -> tuple[int, int]:
    """(page, pageSize) from the query: both required, 1-based page, pageSize at most 100."""
    number = positive_int("page", args.get("page"))
    size = positive_int("pageSize", args.get("pageSize"))
    if size > MAX_PAGE_SIZE:
        raise BadRequestError(f"pageSize must be at most {MAX_PAGE_SIZE}, got {size}")
    return number, size


def page_items(rows: Sequence[T], number: int, size: int, to_item: Callable) -> list:
    start = (number - 1) * size
    return [to_item(row) for row in rows[start:start + size]]


def numbered_page(rows: Sequence[T], number: int, size: int, to_item: Callable) -> dict:
    return {
        "currentPage": number,
        "totalItems": len(rows),
        "totalPage": math.ceil(len(rows) / size),
        "items": page_items(rows, number, size, to_item),
    }


NUMBERED_PARAMS = (
    ("page", {"type": "integer", "minimum": 1, "maximum": MAX_INT}, "Query for skip page of collection"),
    ("pageSize", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
     "Query for limit result data from server. Maximum value 100"),
)

# --- page tokens ------------------------------------------------------------------------------------------

DEFAULT_PAGE_SIZE = 1000


def token_page(rows: Sequence[T], key: Callable[[T], str], size: int | None,
               token: str | None) -> tuple[list[T], str | None]:
    """One page of `rows` (sorted by `key`) and the token of the next page, or None after the last."""
    size = DEFAULT_PAGE_SIZE if size is None else size
    if size < 1:
        raise BadRequestError("pageSize must be a positive integer")
    start = 0
    if token:
        after = _decode(token)
        start = next((i for i, row in enumerate(rows) if key(row) > after), len(rows))
    chosen = list(rows[start:start + size])
    more = start + size < len(rows)
    return chosen, (base64.b64encode(key(chosen[-1]).encode()).decode() if more and chosen else None)


def _decode(token: str) -> str:
    try:
        return base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequestError("pageToken is not a token this server issued") from None


TOKEN_PARAMS = (
    ("pageSize", {"type": "integer", "minimum": 1}, "Items per page (default 1000)"),
    ("pageToken", {"type": "string"}, "nextPageToken of the previous page"),
)
