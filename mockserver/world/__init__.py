"""The seeded world: entities, relations, queries. No HTTP, no Flask."""

from .store import World, applies
from . import ispring, ruangkerja  # noqa: E402,F401  (each face registers its writes' appliers)
from . import driving  # noqa: E402,F401  (the clock, another seed, a new fixtures content)

from . import ispring_content  # noqa: E402,F401  (content: CreateContent's applier)

__all__ = ["World", "applies"]
