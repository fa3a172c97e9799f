"""The seeded world: entities, relations, queries. No HTTP, no Flask."""

from .store import World, applies
from . import ispring, ispring_results, ruangkerja  # noqa: E402,F401  (each face registers its writes' appliers)

__all__ = ["World", "applies"]
