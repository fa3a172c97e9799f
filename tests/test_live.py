"""The contract checks of `mockserver contract verify`, as pytest tests against the real APIs: `pytest -m live`.

Each vendor's tests run only when its credentials are in the environment (README, "Checking the real APIs"):
  RUANGKERJA_TOKEN, or RUANGKERJA_CLIENT_ID and RUANGKERJA_CLIENT_SECRET; RUANGKERJA_BASE_URL (default
  https://api.ruangkerja.id); optional RUANGKERJA_COURSE, RUANGKERJA_BATCH, RUANGKERJA_EMPLOYEE.
  ISPRING_TOKEN, or ISPRING_CLIENT_ID and ISPRING_CLIENT_SECRET, or ISPRING_EMAIL, ISPRING_PASSWORD and
  ISPRING_ACCOUNT_URL; ISPRING_BASE_URL (default https://api-learn.ispringlearn.com); optional ISPRING_SOAP_URL,
  ISPRING_SOAP_NAMESPACE. Writes are never called.
One test per operation: it fails naming each difference, and skips when verify could not call the operation.
"""

from __future__ import annotations

import os

import pytest

from mockserver.contract import vendors
from mockserver.contract.report import table
from mockserver.contract.runner import FAIL, PASS, Run, StopRun

pytestmark = pytest.mark.live

VENDORS = {
    "ruangkerja": {
        "base_url": ("RUANGKERJA_BASE_URL", "https://api.ruangkerja.id"),
        "token": "RUANGKERJA_TOKEN", "client_id": "RUANGKERJA_CLIENT_ID", "client_secret": "RUANGKERJA_CLIENT_SECRET",
        "course": "RUANGKERJA_COURSE", "batch": "RUANGKERJA_BATCH", "employee": "RUANGKERJA_EMPLOYEE",
        "credentials": [("token",), ("client_id", "client_secret")],
    },
    "ispring": {
        "base_url": ("ISPRING_BASE_URL", "https://api-learn.ispringlearn.com"),
        "token": "ISPRING_TOKEN", "client_id": "ISPRING_CLIENT_ID", "client_secret": "ISPRING_CLIENT_SECRET",
        "email": "ISPRING_EMAIL", "password": "ISPRING_PASSWORD", "account_url": "ISPRING_ACCOUNT_URL",
        "soap_url": "ISPRING_SOAP_URL", "soap_namespace": "ISPRING_SOAP_NAMESPACE",
        "credentials": [("token",), ("client_id", "client_secret"), ("email", "password", "account_url")],
    },
}
_runs: dict[str, Run] = {}


def _options(vendor: str) -> dict | None:
    spec = VENDORS[vendor]
    values = {k: os.environ.get(v) or None for k, v in spec.items() if isinstance(v, str)}
    if not any(all(values.get(k) for k in way) for way in spec["credentials"]):
        return None
    values["base_url"] = os.environ.get(spec["base_url"][0]) or spec["base_url"][1]
    values["page_size"] = 10
    return values


def _run(vendor: str) -> Run:
    """One verify run per vendor and session, shared by that vendor's tests."""
    if vendor not in _runs:
        options = _options(vendor)
        if options is None:
            names = " or ".join(" and ".join(VENDORS[vendor][k] for k in way) for way in VENDORS[vendor]["credentials"])
            pytest.skip(f"no {vendor} credentials in the environment ({names})")
        run = Run(vendors.vendor(vendor), options["base_url"])
        try:
            run.probe()
            vendors.vendor(vendor).verify(run, options)
        except StopRun as error:
            run.stopped = str(error)
        _runs[vendor] = run
    return _runs[vendor]


def _operations():
    for name in VENDORS:
        try:
            vendor = vendors.vendor(name)
        except KeyError:
            continue
        for op in vendor.operations:
            if op.method != "*":
                yield pytest.param(name, op.name, id=op.qualified)


@pytest.mark.parametrize("vendor, operation", list(_operations()))
def test_live_operation_conforms(vendor, operation):
    run = _run(vendor)
    stopped = getattr(run, "stopped", None)
    if stopped:
        pytest.fail(stopped, pytrace=False)
    rows = [r for r in run.rows if r.operation == f"{vendor}.{operation}"]
    failed = [r for r in rows if r.result == FAIL]
    if failed:
        pytest.fail("\n" + table(failed), pytrace=False)
    if not any(r.result == PASS for r in rows):
        pytest.skip("; ".join(d for r in rows for d in r.differences) or "not called")
