"""Query parameters of the Ruangkerja list routes, checked strictly: a wrong one is a 400, never a guess."""

from __future__ import annotations

import re

from flask import request

from ..errors import BadRequestError

MAX_PAGE_SIZE = 100  # "Maximum value 100" on every list page of the docs
MAX_INT = 2**63 - 1  # the vendor's backend is Go: an int64
_DIGITS = re.compile(r"[0-9]+")


def _positive_int(name: str) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        raise BadRequestError(f"{name} is required")
    if not _DIGITS.fullmatch(raw):
        raise BadRequestError(f"{name} must be a positive integer, got {raw!r}")
    value = int(raw)
    if value > MAX_INT:
        raise BadRequestError(f"{name} must be at most {MAX_INT}, got {value}")
    if value < 1:
        raise BadRequestError(f"{name} must be at least 1, got {value}")
    return value


def paging() -> tuple[int, int]:
    """(page, pageSize): both required, 1-based page, pageSize at most 100."""
    page = _positive_int("page")
    size = _positive_int("pageSize")
    if size > MAX_PAGE_SIZE:
        raise BadRequestError(f"pageSize must be at most {MAX_PAGE_SIZE}, got {size}")
    return page, size
