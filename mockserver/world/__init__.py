"""The seeded world: entities, relations, queries. No HTTP, no Flask."""

from .store import World, applies

# Each module registers the appliers of its writes (and what it derives at load) when imported.
from . import (  # noqa: E402,F401
    driving, ispring, ispring_content, ispring_results, ispring_training, ruangkerja, webhooks)

__all__ = ["World", "applies"]
