"""The seeded world: entities, relations, queries. No HTTP, no Flask."""

from .store import World, applies
from . import enrollments  # noqa: E402,F401  (registers the enrollment writes' appliers)

__all__ = ["World", "applies"]
