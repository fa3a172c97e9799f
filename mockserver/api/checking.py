"""--check-contracts: every answer is checked against its contract before it is sent (always on in the tests)."""

from __future__ import annotations

from mockserver.contracts.base import violations

from ..errors import MockError


class ContractBrokenError(MockError):
    """The mock's own answer breaks its contract: a bug of the mock, answered 500 naming the violation."""


def check(contract, data) -> None:
    found = violations(contract, data, ordered=True)
    if found:
        raise ContractBrokenError(f"response breaks {contract.__name__}: " + "; ".join(found))
