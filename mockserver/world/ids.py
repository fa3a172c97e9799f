"""Deterministic randomness and the vendors' identifier formats.

Every entity draws from its own generator keyed by (seed, kind, index), never from a shared stream, so
employee #7 is the same person whatever the world's size or the order things were generated in.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# 100-ns ticks between the UUID epoch (1582-10-15) and the Unix epoch.
_UUID_EPOCH_OFFSET = 0x01B21DD213814000
# Production iSpring IDs carry this node prefix (e.g. ...-0a580af40973).
_NODE_PREFIX = 0x0A580AF4 << 16


def rng_for(seed: int, kind: str, index: int | str) -> random.Random:
    return random.Random(f"{seed}/{kind}/{index}")


def code(rng: random.Random, length: int, alphabet: str = _ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def user_serial(rng: random.Random, first_name: str) -> str:
    """`JOHNILXV3QAJJEL3`: the first name's letters, then random upper-case alnum, 16 in all."""
    head = "".join(ch for ch in first_name.upper() if ch in _UPPER)[:4]
    return head + code(rng, 16 - len(head))


def time_uuid(rng: random.Random, start: datetime, end: datetime) -> str:
    """A version-1 (time-based) UUID whose time lies in [start, end), as production iSpring IDs are."""
    moment = rng.uniform(start.timestamp(), end.timestamp())
    ticks = int(moment * 10_000_000) + _UUID_EPOCH_OFFSET
    clock_seq = rng.getrandbits(14)
    node = _NODE_PREFIX | rng.getrandbits(16)
    return str(
        uuid.UUID(
            fields=(
                ticks & 0xFFFFFFFF,
                (ticks >> 32) & 0xFFFF,
                ((ticks >> 48) & 0x0FFF) | 0x1000,
                (clock_seq >> 8) | 0x80,
                clock_seq & 0xFF,
                node,
            )
        )
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
