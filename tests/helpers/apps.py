"""An app on the small seeded world the tests share, and the check of its JSON answers against their contracts."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile

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
    """`app` on a pristine world and a fresh state of its own, as `make_app` gives, without building its routes again
    (Werkzeug compiles each of the ~200 rules: most of the fast suite's time when every test built one).

    The world is loaded again only when the last test changed it: every change is an event of the log (World.seq),
    reads change nothing, so a world still at seq 0 is pristine (a load costs ~9 ms, over two thousand tests). The
    state is a copy of an empty one, schema made once."""
    runtime = app.extensions["mockserver"]
    world = runtime.world if runtime.world.seq == 0 else World.from_json(world_json)
    path = tmp_path / "state.sqlite3"
    shutil.copyfile(_empty_state(), path)
    app.extensions["mockserver"] = Runtime(runtime.config, world, SharedState(str(path)))
    return app


@functools.cache
def _empty_state() -> str:
    folder = tempfile.mkdtemp(prefix="mockserver-tests-")
    atexit.register(shutil.rmtree, folder, True)
    path = f"{folder}/empty.sqlite3"
    SharedState(path).execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the schema in the file itself, not its WAL
    return path


def conforms(response, contract, status=200):
    """Assert the status, the JSON content type, and the body against its contract, key order included."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert violations(contract, body, ordered=True) == []
    return body
