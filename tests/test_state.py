"""The shared state: one write log that every worker process applies in the same order."""

import multiprocessing

import pytest

from mockserver.errors import BadRequestError
from mockserver.state import SharedState
from mockserver.world import World, applies

from .helpers.apps import SEED


@applies("test.rename_tag")
def _rename_tag(world, payload):
    world.tag_by_serial[payload["serial"]].name = payload["name"]
    world.renames = getattr(world, "renames", []) + [payload["name"]]


def _writer(path, world_json, label, count):
    world, state = World.from_json(world_json), SharedState(path)
    serial = world.tags[0].serial
    for i in range(count):
        world.commit(state, "test.rename_tag", lambda w, i=i: {"serial": serial, "name": f"{label}{i}"})


@pytest.fixture(scope="module")
def small_world():
    return World.build(SEED, 20, 6).to_json()


def test_writes_from_two_processes_reach_every_world_in_one_order(tmp_path, small_world):
    path = str(tmp_path / "state.sqlite3")
    reader, state = World.from_json(small_world), SharedState(path)
    # spawn, not fork: a fork copies the locks the test process's other threads (a webhook delivery thread, SQLite's)
    # happen to hold, and a writer then waited forever on one (seen once in CI)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(path, small_world, label, 40)) for label in "ab"]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    assert state.head() == 80
    reader.catch_up(state)
    assert reader.seq == 80 and len(reader.renames) == 80
    assert sorted(reader.renames) == sorted(f"{label}{i}" for label in "ab" for i in range(40))
    # each writer's own events stay in its order
    assert [n for n in reader.renames if n[0] == "a"] == [f"a{i}" for i in range(40)]
    # a second world catching up from scratch applies the same sequence
    late = World.from_json(small_world)
    late.catch_up(SharedState(path))
    assert late.renames == reader.renames and late.tags[0].name == reader.tags[0].name


def test_refused_write_leaves_log_and_world_untouched(tmp_path, small_world):
    world, state = World.from_json(small_world), SharedState(str(tmp_path / "s.sqlite3"))
    before = world.tags[0].name

    def refuse(w):
        raise BadRequestError("no")

    with pytest.raises(BadRequestError):
        world.commit(state, "test.rename_tag", refuse)
    assert state.head() == 0 and world.tags[0].name == before
    world.commit(state, "test.rename_tag", lambda w: {"serial": w.tags[0].serial, "name": "kept"})
    assert state.head() == 1 and world.tags[0].name == "kept"


def test_tokens_are_shared_and_expire(tmp_path, monkeypatch):
    import mockserver.state.base as module

    one, two = SharedState(str(tmp_path / "t.sqlite3")), SharedState(str(tmp_path / "t.sqlite3"))
    one.add_token("ruangkerja", "abc", 10)
    assert two.token_valid("ruangkerja", "abc") and not two.token_valid("ispring", "abc")
    now = module.time.time()
    monkeypatch.setattr(module.time, "time", lambda: now + 11)
    assert not two.token_valid("ruangkerja", "abc")


def test_temporary_state_file_is_removed(tmp_path):
    import os

    state = SharedState()
    assert state.temporary and os.path.exists(state.path)
    state.remove()
    assert not os.path.exists(state.path)


def test_reset_undoes_every_write_in_log_order(tmp_path, small_world):
    path = str(tmp_path / "r.sqlite3")
    one, two = World.from_json(small_world), World.from_json(small_world)
    state = SharedState(path)
    pristine = one.tags[0].name
    one.commit(state, "test.rename_tag", lambda w: {"serial": w.tags[0].serial, "name": "before"})
    assert one.reset(state) == 2 and one.tags[0].name == pristine
    one.commit(state, "test.rename_tag", lambda w: {"serial": w.tags[0].serial, "name": "after"})
    two.catch_up(SharedState(path))  # a worker that saw none of it lands on the same world
    assert two.seq == 3 and two.tags[0].name == "after"
    one.reset(state)
    two.catch_up(state)
    assert two.tags[0].name == pristine and two.tags[0] is not one.tags[0]


def test_reset_route(client):
    from mockserver.contracts.admin import ResetSchema

    from .helpers.apps import conforms

    world = client.application.extensions["mockserver"].world
    world.tags[0].name = "changed in place"  # not through the log: reset still rebuilds from the origin
    assert conforms(client.post("/__admin/reset"), ResetSchema) == {"status": "ok", "seq": 1}
    assert world.tags[0].name != "changed in place"
