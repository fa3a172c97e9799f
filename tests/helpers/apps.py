"""An app on the small seeded world the tests share, and the check of its JSON answers against their contracts."""

from __future__ import annotations

from mockserver.contracts.base import violations
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.context import Runtime
from mockserver.state import SharedState
from mockserver.world import World

SEED = 20240601
TOKEN = {"Authorization": "access_token"}


def make_app(world_json, tmp_path, **settings):
    """The app on `world_json` (a fresh World each call), its state in tmp_path, every answer checked on the way out."""
    config = Config(check_contracts=True, **settings)
    state = SharedState(str(tmp_path / "state.sqlite3"))
    return create_app(config, world=World.from_json(world_json), state=state)


def renew(app, world_json, tmp_path):
    """`app` on a fresh world and state of its own, as `make_app` gives, without building its routes again (Werkzeug
    compiles each of the ~50 rules: about 40 ms an app, most of the fast suite's time when every test built one)."""
    config = app.extensions["mockserver"].config
    app.extensions["mockserver"] = Runtime(config, World.from_json(world_json),
                                           SharedState(str(tmp_path / "state.sqlite3")))
    return app


def conforms(response, contract, status=200):
    """Assert the status, the JSON content type, and the body against its contract, key order included."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert violations(contract, body, ordered=True) == []
    return body
