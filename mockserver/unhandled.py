"""An exception no code path expected (a bug of the mock, or input it never met): the client gets a plain 500 in the
owner's shape that names no Python internals, and the log gets one line naming the exception and where it was
raised; the whole traceback only at DEBUG (logging.getLogger("mockserver").setLevel(logging.DEBUG)), because a
client repeating a request that fails should not write 60 lines a time.

Log text is made printable: a path or message may carry control characters a client sent (`GET /%1b[2J` would
clear the terminal that tails the log).
"""

from __future__ import annotations

import logging
import traceback

from flask import has_request_context, request

from .errors import InternalError, echo

log = logging.getLogger("mockserver")

INTERNAL_MESSAGE = "internal error: the mock failed on this request (its log says where)"


def printable(text: str, limit: int = 200) -> str:
    """`text` cut to `limit` characters, each unprintable one written as its escape (`\\x1b`, `\\u2028`)."""
    text = echo(text, limit)
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def where(error: BaseException) -> str:
    """`file:line in function` of the frame that raised `error`."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/mockserver/', 1)[-1]}:{last.lineno} in {last.name}"


def unhandled(error: BaseException) -> InternalError:
    """Log `error` once and give the 500 to answer instead."""
    on = f" on {printable(request.method, 20)} {printable(request.path)}" if has_request_context() else ""
    log.error("unhandled %s%s at %s: %s", type(error).__name__, on, where(error), printable(str(error)))
    log.debug("traceback of the unhandled %s", type(error).__name__, exc_info=error)
    return InternalError(INTERNAL_MESSAGE)
