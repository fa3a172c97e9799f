"""Rendered answers of read operations, kept per worker and served again while they are still right.

The world changes only through the shared log and the clock, and the clock reads whole seconds (World.now), so a read
row's answer is a function of the request, the log position this worker has applied and the clock's second (and of
the world's load: a reset or a replay loads it anew). That is the key, and an answer is right for as long as it is
reachable. Nothing is invalidated: a write or the next second makes new keys, and the answers of the moment before
go with the first answer of the new one (they can never be asked for again); within a moment, the least recently
used go when the cache is full.

What is not cached: writes, public rows (token calls issue a new token each time), rows marked `fresh` (they read
what the log does not hold), and anything that failed (errors are raised, never returned). Who may ask is checked
before the cache on REST; a SOAP call's credentials are in its body, so in its key, and token validity is a function
of the clock's second too. Faults, stubs and the journal sit around the row (control/plane.py) and see every call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from flask import Response, request

from .operation import OPERATION_KEY

# Headers that never change an answer; every other one is part of the key (Accept picks XML or JSON, Host the
# base URL of a link ...). A client sending a changing header of its own only misses the cache.
IGNORED_HEADERS = frozenset({"user-agent", "connection", "keep-alive", "accept-encoding", "content-length",
                             "cache-control", "pragma", "te", "traceparent", "tracestate", "x-request-id"})


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    operation: str | None  # the row that answered (SOAP: known only once Spyne dispatched)

    def response(self) -> Response:
        # The same bytes object each time: the journal masks an answer it has seen once (control/journal.py).
        return Response(self.body, status=self.status, headers=list(self.headers))


class AnswerCache:
    """A least-recently-used map of request keys to answers, bounded by the bytes of the bodies it holds, and holding
    only answers of the moment: the key's first three parts (load, log position, second) only ever move forward, so
    an answer of an earlier moment can never be asked for again, and the first answer of a new one lets them all go
    (a cache on a running clock holds one second's answers, never a soak's worth)."""

    MOMENT = 3  # the key's parts that say when: world load, log position, clock second

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._moment: tuple | None = None
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple, answer: Answer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 4:  # one answer never pushes out most of the others
            return
        with self._lock:
            if key[:self.MOMENT] != self._moment:
                self._answers.clear()
                self._bytes, self._moment = 0, key[:self.MOMENT]
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)


def request_key(world) -> tuple:
    """This request as the cache keys it: the world's load, the log position and the clock's second first, then all
    of the request that can change an answer."""
    headers = tuple((k.lower(), v) for k, v in request.headers.items() if k.lower() not in IGNORED_HEADERS)
    return (world.generation, world.seq, int(world.now().timestamp()), request.method, request.script_root,
            request.path, request.query_string, headers, request.get_data())


def answered(rt, render: Callable[[], Response], cacheable: Callable[[Response], str | None]) -> Response:
    """`render()`'s answer to this request, or the one already rendered for the same key. `cacheable(response)`
    names the operation that answered when the answer may be kept (None: it may not)."""
    cache, world = rt.answers, rt.world
    if cache is None:
        return render()
    key = request_key(world)
    found = cache.get(key)
    if found is not None:
        request.environ[OPERATION_KEY] = found.operation  # the access log's and the journal's
        return found.response()
    response = render()
    operation = cacheable(response)
    unchanged = (world.generation, world.seq) == key[:2]  # no write slipped in meanwhile
    if operation is not None and not response.is_streamed and unchanged:
        cache.put(key, Answer(response.status_code, tuple(response.headers.items()), response.get_data(), operation))
    return response
