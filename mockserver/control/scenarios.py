"""Named scenarios: a fault of a known shape, switched on by one call (`POST /__admin/scenarios/{name}`) and off by
another. Each is one stored fault marked with its name, so it is listed, counted and expired like any fault.

A POST body may narrow or tune it: `vendor`, and the kind's own values (`retryAfter`, `ms` ...), `rate`, `times`,
`seconds`.
"""

from __future__ import annotations

from ..errors import BadRequestError, NotFoundError
from .faults import parse_fault

SCENARIOS = {
    "token_expired": ("every credentialed vendor call answers its vendor's invalid or expired token error",
                      {"kind": "expired_token", "match": {"credentialed": True}}),
    "rate_limited": ("every vendor call answers 429 with Retry-After, in the vendor's error shape",
                     {"kind": "status", "status": 429, "retryAfter": 30}),
    "maintenance": ("every vendor call answers 503 in the vendor's error shape",
                    {"kind": "status", "status": 503, "retryAfter": 60}),
    "slow_upstream": ("every vendor call waits first (lognormal, median 800 ms; `ms` for a fixed delay)",
                      {"kind": "random_delay", "medianMs": 800, "sigma": 0.5}),
}
TUNABLE = ("rate", "times", "seconds", "retryAfter", "ms", "medianMs", "sigma", "minMs", "maxMs")


def scenario_fault(name: str, body) -> dict:
    """The fault spec of scenario `name`, tuned by the POST body."""
    if name not in SCENARIOS:
        raise NotFoundError("scenario", f"{name} (known: {', '.join(SCENARIOS)})")
    body = body or {}
    if not isinstance(body, dict):
        raise BadRequestError("scenario: send a JSON object (vendor, rate, times, seconds, the kind's values) or "
                              "nothing")
    unknown = set(body) - {"vendor", *TUNABLE}
    if unknown:
        raise BadRequestError(f"scenario: unknown field(s) {', '.join(sorted(unknown))} "
                              f"(it takes vendor, {', '.join(TUNABLE)})")
    spec = {**SCENARIOS[name][1]}
    if name == "slow_upstream" and ("ms" in body or "minMs" in body):
        spec = {"kind": "delay"} if "ms" in body else {"kind": "random_delay"}
    spec.update((k, v) for k, v in body.items() if k != "vendor")
    spec["match"] = {**spec.get("match", {}), **({"vendor": body["vendor"]} if "vendor" in body else {})}
    return parse_fault(spec)
