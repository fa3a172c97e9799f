"""Shared fixtures: an app on a small seeded world, with every response checked against its contract."""

from __future__ import annotations

import pytest

from contracts.base import violations
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.state import SharedState
from mockserver.world import World

SEED = 20240601
TOKEN = {"Authorization": "access_token"}


@pytest.fixture(scope="session")
def world_json():
    """The default world as JSON; each test gets a fresh copy through `World.from_json`."""
    return World.build(SEED, 200, 30).to_json()


def make_app(world_json, tmp_path, **settings):
    config = Config(check_contracts=True, **settings)
    state = SharedState(str(tmp_path / "state.sqlite3"))
    return create_app(config, world=World.from_json(world_json), state=state)


@pytest.fixture
def app(world_json, tmp_path):
    return make_app(world_json, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


def conforms(response, contract, status=200):
    """Assert the status, the JSON content type, and the body against its contract, key order included."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert violations(contract, body, ordered=True) == []
    return body
