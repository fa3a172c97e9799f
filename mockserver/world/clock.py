"""The world's clock (POST /__admin/clock): real time, real time moved by an offset, or one instant standing still.

The only place world code reads the machine's time. A clock change is an event of the shared log (world/driving.py),
so every worker moves its clock at the same point relative to the writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..errors import BadRequestError


def real_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Clock:
    offset_seconds: float = 0.0  # added to real time while the clock runs
    frozen_at: datetime | None = None  # the instant a frozen clock stands at

    @property
    def real(self) -> bool:
        return self.frozen_at is None and self.offset_seconds == 0

    def now(self) -> datetime:
        if self.frozen_at is not None:
            return self.frozen_at
        moment = real_now()
        return moment + timedelta(seconds=self.offset_seconds) if self.offset_seconds else moment

    def to_event(self) -> dict:
        return {"offset_seconds": self.offset_seconds,
                "frozen_at": None if self.frozen_at is None else self.frozen_at.isoformat()}

    @classmethod
    def from_event(cls, payload: dict) -> "Clock":
        frozen = payload["frozen_at"]
        return cls(payload["offset_seconds"], None if frozen is None else datetime.fromisoformat(frozen))


def showing(target: datetime, frozen: bool) -> Clock:
    """A clock that reads `target` now, and stands still there when `frozen`, else runs on from it."""
    if frozen:
        return Clock(0.0, target)
    return Clock((target - real_now()).total_seconds())


_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(-?)((?:\d+(?:\.\d+)?[wdhms])+)")


def duration_seconds(value, name: str = "advance") -> float:
    """Seconds as a number, or text such as `3d`, `2h`, `90s`, `1d12h`, `-30m` (w, d, h, m, s)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        found = _DURATION.fullmatch(value.strip())
        if found:
            parts = re.findall(r"(\d+(?:\.\d+)?)([wdhms])", found.group(2))
            seconds = sum(float(n) * _UNITS[unit] for n, unit in parts)
            return -seconds if found.group(1) else seconds
    raise BadRequestError(f"{name} must be a number of seconds or a duration such as 3d, 2h, 90s or 1d12h "
                          f"(units w, d, h, m, s), got {value!r}")


def instant(value, name: str = "set") -> datetime:
    """An ISO 8601 date-time (`2030-01-01T09:00:00+07:00`, `...Z`); one without an offset is UTC."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            moment = None
        if moment is not None:
            return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    raise BadRequestError(f"{name} must be an ISO 8601 date-time such as 2030-01-01T09:00:00Z, got {value!r}")
