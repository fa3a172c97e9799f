"""Token paging (GET /enrollments, SOAP listEnrollments): pageSize defaults to 1000; pageToken is base64 of the
last ID of the previous page, like the docs' sample token; nextPageToken is left out on the last page."""

from __future__ import annotations

import base64
import binascii
from typing import Callable, Sequence, TypeVar

from ..errors import BadRequestError

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 1000


def page(rows: Sequence[T], key: Callable[[T], str], size: int | None, token: str | None) -> tuple[list[T], str | None]:
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
