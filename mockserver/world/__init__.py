"""The seeded world: entities, relations, queries. No HTTP, no Flask."""

from .store import World, applies

__all__ = ["World", "applies"]
