"""Writes that drive the whole world rather than one vendor's records: the mock clock, another seed, and a new
--fixtures content. Each is one event of the shared log, so every worker applies it at the same point relative to
the vendor writes (catch_up), and a worker started later replays it.

- The clock (CLOCK_SET) is test setup, not world: a reset leaves it as it is.
- Another seed (RESEEDED) rebuilds the generated world of that seed at the world's sizes; writes before it are
  dropped, and a reset afterwards returns to the pristine world of the new seed.
- A new --fixtures content (FIXTURES_LOADED) holds the file's content itself, so every worker loads the same world
  even when the file changes again meanwhile; writes before it are dropped, and a reset returns to that content.

Another seed and a new --fixtures content each start an epoch of the log, as a reset does (store.EPOCHS): the events
before them are deleted, but the last clock and the last origin (another seed, a new content), which outlive them.
"""

from __future__ import annotations

from .clock import Clock
from .generate import generate
from .store import EPOCHS, STANDING, Unchanged, World, applies, json_origin

CLOCK_SET = "world.clock_set"
RESEEDED = "world.reseeded"
FIXTURES_LOADED = "world.fixtures_loaded"


EPOCHS.update((RESEEDED, FIXTURES_LOADED))
STANDING.extend((frozenset({CLOCK_SET}), frozenset({RESEEDED, FIXTURES_LOADED})))


class AlreadyLoaded(Exception):
    """Raised in a FIXTURES_LOADED decide when another worker recorded the same content first: nothing to store."""


def set_clock(world: World, state, decide_clock) -> Clock:
    """Move the clock to what `decide_clock(world)` returns (it reads the world's current clock under the log's lock,
    so two advances on two workers add up)."""
    def decide(w: World) -> dict:
        event = decide_clock(w).to_event()
        return Unchanged(event) if event == w.clock.to_event() else event  # real time again, say, while it runs

    world.commit(state, CLOCK_SET, decide)
    return world.clock


def reseed(world: World, state, seed: int) -> int:
    """The generated world of `seed`, at the world's sizes, on every worker; returns the event's seq."""
    world.commit(state, RESEEDED, lambda w: {"seed": seed, "employees": w.sizes["employees"],
                                              "courses": w.sizes["courses"]})
    return world.seq


def load_fixtures(world: World, state, sha256: str, data: dict) -> bool:
    """The world of a --fixtures file's new content, on every worker; False when it is the world's already."""
    def decide(w: World) -> dict:
        if w.loaded_sha256 == sha256:
            raise AlreadyLoaded()
        return {"sha256": sha256, "world": data}

    try:
        world.commit(state, FIXTURES_LOADED, decide)
    except AlreadyLoaded:
        return False
    return True


@applies(CLOCK_SET)
def _apply_clock(world: World, payload: dict) -> None:
    world.clock = Clock.from_event(payload)


@applies(RESEEDED)
def _apply_reseeded(world: World, payload: dict) -> None:
    seed, employees, courses = payload["seed"], payload["employees"], payload["courses"]
    world.seed = seed
    world.sizes = {"employees": employees, "courses": courses}
    world._origin = lambda: generate(seed, employees, courses)
    world.loaded_sha256 = None
    world._load(world._origin())


@applies(FIXTURES_LOADED)
def _apply_fixtures(world: World, payload: dict) -> None:
    data = payload["world"]
    world.seed, world.sizes, world._origin = data["seed"], data["sizes"], json_origin(data)
    world.loaded_sha256 = payload["sha256"]
    world._load(world._origin())
