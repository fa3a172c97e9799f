"""The tests start real servers the way a consumer's suite does: through the pytest plugin's helper."""

import sys
from contextlib import contextmanager
from pathlib import Path

from mockserver.pytest_plugin import running_server as _running_server

BIN = Path(sys.executable).parent


@contextmanager
def running_server(*args: str, env: dict | None = None):
    """(base URL, process) of `mockserver serve ARGS`."""
    with _running_server(*args, env=env) as server:
        yield server.url, server.process
