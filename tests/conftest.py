"""Shared fixtures: an app on a small seeded world, with every response checked against its contract; and the
session's one real server, for the tests that need gunicorn.

Helpers that are not fixtures live in tests/helpers/.
"""

from __future__ import annotations

import pytest
from _pytest.mark.expression import Expression

from mockserver.world import World

from .helpers.apps import SEED, make_app, renew
from .helpers.servers import shared_server

# Modules whose every test carries one marker and that cost seconds to collect (schemathesis builds its tests while
# collected) or import what the fast suite never needs (Playwright, psycopg): a run that selects none of that
# marker's tests does not collect them at all.
SLOW_MODULES = {"test_fuzz.py": "slow", "test_fuzz_ispring_spec.py": "slow", "test_console_browser.py": "browser",
                "test_postgres_state.py": "slow"}


def pytest_ignore_collect(collection_path, config):
    marker = SLOW_MODULES.get(collection_path.name)
    if marker:
        markexpr = config.getoption("markexpr")
        if markexpr and not Expression.compile(markexpr).evaluate(lambda name: name == marker):
            return True
    return None


@pytest.fixture(scope="session")
def world_json():
    """The default world as JSON; each test gets a fresh copy through `World.from_json`."""
    return World.build(SEED, 200, 30).to_json()


@pytest.fixture(scope="session")
def session_app(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("session-app"))


@pytest.fixture
def app(session_app, world_json, tmp_path):
    """The app on a pristine world and an empty state of its own (routes built once for the session)."""
    return renew(session_app, world_json, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def second_app(world_json, tmp_path_factory):
    return make_app(world_json, tmp_path_factory.mktemp("second-worker"))


@pytest.fixture
def other(second_app, world_json, tmp_path, app):
    """A client of a second worker: its own world, on the same state file as `app` (renew puts both in tmp_path)."""
    return renew(second_app, world_json, tmp_path).test_client()


@pytest.fixture(scope="session")
def real_server():
    """The session's one real `mockserver serve` (gunicorn, two workers), as earlier tests left it."""
    with shared_server() as server:
        yield server


@pytest.fixture
def fresh_server(real_server):
    """The session's real server, reset to its pristine world for this test."""
    real_server.reset()
    return real_server
