"""A real PostgreSQL server for the tests, on a temporary data directory and a free port of 127.0.0.1: the one
`mockserver bench` starts (mockserver/bench/postgres.py). Without the binaries the tests skip, saying why; with
CI=true they fail instead, so that CI never passes without having run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockserver.bench.postgres import DATABASE, USER, PostgresServer, binaries

__all__ = ["DATABASE", "USER", "PostgresServer", "binaries", "require_binaries"]


def require_binaries() -> Path:
    folder = binaries()
    if folder is None:
        reason = "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql (.ci/postgres-setup)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return folder
