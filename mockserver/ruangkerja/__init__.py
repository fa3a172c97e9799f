"""The Ruangkerja wing: JSON routes under the vendor's own paths (api.ruangkerja.id), all read from operations.py.

operations.py  THE TABLE: one row per operation
items.py       world entities -> wire items
handlers.py    the operations that are not a generic list
inputs.py      request bodies
auth.py        the token gate
responses.py   JSON answers, the envelope and the generic paging
errors.py      failures in the vendor's shape
"""

from __future__ import annotations

from .auth import authorize
from .errors import render_error
from .operations import NAME, OPENAPI, OPERATIONS
from .responses import list_payload, respond

__all__ = ["NAME", "OPENAPI", "OPERATIONS", "authorize", "list_payload", "respond", "render_error", "owns", "describe"]

# The paths of api.ruangkerja.id: errors anywhere under them take this wing's shape.
PATH_PREFIXES = ("/ruangkerja/", "/oauth/token")


def owns(path: str) -> bool:
    return path == "/ruangkerja" or path.startswith(PATH_PREFIXES)


def describe(config, base: str) -> list[str]:
    """Console lines: where the wing lives and which credentials work."""
    clients = ", ".join(c.replace(":", " / ") for c in config.ruangkerja_clients)
    return [
        f"  Ruangkerja   {base}/ruangkerja/...  token: POST {base}/oauth/token with client {clients}",
        f"               or send `Authorization: {config.ruangkerja_static_tokens[0]}`"
        if config.ruangkerja_static_tokens else "               (no static token)",
    ]
