"""Every vendor of the contract commands, and lookups over all of them."""

from __future__ import annotations

from .catalogue import Operation, Vendor
from .ispring import VENDOR as ISPRING
from .ruangkerja import VENDOR as RUANGKERJA

VENDORS: dict[str, Vendor] = {v.name: v for v in (RUANGKERJA, ISPRING)}


def vendor(name: str) -> Vendor:
    found = VENDORS.get(name)
    if found is None:
        raise KeyError(f"unknown vendor {name!r}: one of {', '.join(sorted(VENDORS))}")
    return found


def find(name: str, vendor_name: str | None = None) -> Operation:
    """An operation by `vendor.name`, or by its bare name when only one vendor has it."""
    prefix, _, rest = name.partition(".")
    if rest and prefix in VENDORS:
        vendor_name, name = prefix, rest
    candidates = [op for v in VENDORS.values() if vendor_name in (None, v.name) for op in v.operations
                  if op.name == name]
    if not candidates:
        raise KeyError(f"no operation {name!r}" + (f" for {vendor_name}" if vendor_name else "")
                       + " (`mockserver contract list` names them)")
    if len(candidates) > 1:
        names = " or ".join(sorted(op.qualified for op in candidates))
        raise KeyError(f"{name!r} is an operation of several vendors: say which, {names}")
    return candidates[0]
