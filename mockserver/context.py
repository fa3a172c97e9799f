"""What a request needs besides itself: the settings, the world and the shared state of this server."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from .api.cache import AnswerCache
from .config import Config
from .state import SharedState
from .world import World


@dataclass(frozen=True)
class Runtime:
    config: Config
    world: World
    state: SharedState
    answers: AnswerCache | None = field(init=False, repr=False, compare=False)  # None: --answer-cache-mb 0

    def __post_init__(self):  # a cache of its own: what it keeps was rendered by this config, world and state
        size = self.config.answer_cache_mb * 1024 * 1024
        object.__setattr__(self, "answers", AnswerCache(size) if size else None)


def runtime() -> Runtime:
    return current_app.extensions["mockserver"]
