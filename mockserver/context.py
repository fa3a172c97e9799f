"""What a request needs besides itself: the settings, the world and the shared state of this server."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from .config import Config
from .state import SharedState
from .world import World


@dataclass(frozen=True)
class Runtime:
    config: Config
    world: World
    state: SharedState


def runtime() -> Runtime:
    return current_app.extensions["mockserver"]
