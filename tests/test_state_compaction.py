"""The shared state stays small and honest: a reset (another seed, a new --fixtures content) cuts the log, so a worker
that starts late catches up with what came after; a write that changes nothing adds nothing; a state file deleted,
replaced or made read-only answers 503, never a world of its own; the WAL stays bounded. (Real servers:
test_state_compaction_live.py.)"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

from mockserver.errors import StateUnavailableError
from mockserver.state import SharedState
from mockserver.world import World, applies, driving
from mockserver.world.clock import Clock
from mockserver.world.store import Unchanged

from .helpers.apps import SEED, TOKEN
from .helpers.ispring_wire import LEGACY_HEADERS


@applies("test.rename_tag_c")
def _rename_tag(world, payload):
    world.tag_by_serial[payload["serial"]].name = payload["name"]


def rename(world, state, name):
    world.commit(state, "test.rename_tag_c", lambda w: {"serial": w.tags[0].serial, "name": name})


@pytest.fixture(scope="module")
def small_world():
    return World.build(SEED, 20, 6).to_json()


def kinds(state) -> list[str]:
    return [kind for _, kind, _ in state.events_after(0)]


def test_a_reset_deletes_what_came_before_it_and_a_late_worker_lands_on_the_same_world(tmp_path, small_world):
    state = SharedState(str(tmp_path / "s.sqlite3"))
    one, stale = World.from_json(small_world), World.from_json(small_world)
    pristine = one.tags[0].name
    rename(one, state, "seen by the stale worker")
    stale.catch_up(state)
    for i in range(10):
        rename(one, state, f"write {i}")
        one.reset(state)
    rename(one, state, "after the last reset")
    assert kinds(state) == ["world.reset", "test.rename_tag_c"]  # not 21 events
    assert state.head() == 22  # positions are never reused
    late = World.from_json(small_world)
    late.catch_up(state)
    stale.catch_up(state)  # its position (1) was deleted long ago: it applies the reset, not the gap as nothing
    for world in (late, stale):
        assert world.seq == 22 and world.tags[0].name == "after the last reset"
        assert [t.name for t in world.tags[1:]] == [t.name for t in one.tags[1:]]
    one.reset(state)
    late.catch_up(state)
    assert late.tags[0].name == pristine and kinds(state) == ["world.reset"]


def test_the_clock_and_another_seed_outlive_the_resets_that_cut_the_log(tmp_path, small_world):
    state = SharedState(str(tmp_path / "s.sqlite3"))
    one = World.from_json(small_world)
    driving.set_clock(one, state, lambda w: Clock(86400.0))
    moved = one.clock.now()
    driving.reseed(one, state, 7)
    rename(one, state, "on seed 7")
    one.reset(state)
    rename(one, state, "after the reset")
    assert kinds(state) == ["world.clock_set", "world.reseeded", "world.reset", "test.rename_tag_c"]
    late = World.from_json(small_world)
    late.catch_up(state)
    assert late.seed == 7 and late.tags[0].name == "after the reset"
    assert [t.name for t in late.tags[1:]] == [t.name for t in World.build(7, 20, 6).tags[1:]]
    assert abs((late.clock.now() - moved).total_seconds()) < 60  # a day ahead, as on the first worker
    # another seed starts an epoch too: the older seed and the writes go, the clock stays
    driving.reseed(one, state, 8)
    assert kinds(state) == ["world.clock_set", "world.reseeded"]
    late.catch_up(state)
    assert late.seed == 8 and late.tags[0].name == World.build(8, 20, 6).tags[0].name


def test_a_fixtures_load_starts_an_epoch_that_a_later_reset_returns_to(tmp_path, small_world):
    state = SharedState(str(tmp_path / "s.sqlite3"))
    one = World.from_json(small_world)
    rename(one, state, "before the load")
    edited = {**small_world, "tags": [{**small_world["tags"][0], "name": "from the file"}, *small_world["tags"][1:]]}
    assert driving.load_fixtures(one, state, "sha-1", edited)
    assert kinds(state) == ["world.fixtures_loaded"]
    rename(one, state, "after the load")
    one.reset(state)
    assert kinds(state) == ["world.fixtures_loaded", "world.reset"]  # the content the reset returns to is kept
    late = World.from_json(small_world)
    late.catch_up(state)
    assert late.tags[0].name == "from the file" and late.loaded_sha256 == "sha-1"


class LostCommit:
    """A state whose every transaction runs, then its COMMIT is never confirmed (the connection broke): rolled back,
    StateUnavailableError."""

    class _Lost(Exception):
        pass

    def __init__(self, state):
        self.state = state

    def __getattr__(self, name):
        return getattr(self.state, name)

    @contextmanager
    def locked(self):
        try:
            with self.state.locked():
                yield
                raise self._Lost()
        except self._Lost:
            raise StateUnavailableError("the commit's answer was lost") from None


def test_a_reseed_whose_commit_was_lost_is_undone_and_the_log_applied_again(tmp_path, small_world):
    state = SharedState(str(tmp_path / "s.sqlite3"))
    world = World.from_json(small_world)
    driving.set_clock(world, state, lambda w: Clock(3600.0))
    rename(world, state, "kept")
    with pytest.raises(StateUnavailableError):
        driving.reseed(world, LostCommit(state), 9)
    assert world.seq == 0 and world.seed == SEED and world.clock.real  # the world it started as, to replay
    world.catch_up(state)
    assert world.seq == 2 and world.seed == SEED and world.tags[0].name == "kept"
    assert world.clock.offset_seconds == 3600.0 and state.head() == 2


@applies("test.set_tag_name")
def _set_tag_name(world, payload):
    world.tag_by_serial[payload["serial"]].name = payload["name"]


def set_name(world, state, name):
    def decide(w):
        payload = {"serial": w.tags[0].serial, "name": name}
        return Unchanged(payload) if w.tags[0].name == name else payload

    return world.commit(state, "test.set_tag_name", decide)


def test_an_unchanged_payload_appends_nothing_and_is_returned_as_the_answer(tmp_path, small_world):
    state = SharedState(str(tmp_path / "s.sqlite3"))
    world = World.from_json(small_world)
    assert set_name(world, state, "new") == {"serial": world.tags[0].serial, "name": "new"}
    assert state.head() == 1
    again = set_name(world, state, "new")
    assert again == {"serial": world.tags[0].serial, "name": "new"} and isinstance(again, Unchanged)
    assert state.head() == 1 and world.seq == 1


# --- the state file deleted, replaced or made read-only while the server runs -------------------------------------


def test_a_deleted_state_file_answers_503_in_each_vendor_shape_said_in_one_log_line(app, client, caplog):
    state = app.extensions["mockserver"].state
    assert client.get("/__admin/health").status_code == 200
    for suffix in ("", "-wal", "-shm"):
        os.unlink(state.path + suffix)
    for _ in range(2):
        rest = client.get("/departments", headers={**LEGACY_HEADERS, "Accept": "application/json"})
        assert rest.status_code == 503 and list(rest.get_json()) == ["code", "message"]
        ruangkerja = client.get("/ruangkerja/dashboard/courses")
        assert ruangkerja.status_code == 503 and ruangkerja.get_json()["errorCode"] == 503
        health = client.get("/__admin/health")
        assert health.status_code == 503 and b"Traceback" not in health.data
    assert not os.path.exists(state.path)  # nothing made a new, empty file in its place
    lines = [r.getMessage() for r in caplog.records if state.path in r.getMessage()]
    assert len(lines) == 1 and "was deleted" in lines[0], lines


def test_a_replaced_state_file_is_refused_and_a_read_only_one_until_it_is_writable_again(app, client, monkeypatch):
    state = app.extensions["mockserver"].state
    before = state.path + ".before"
    os.rename(state.path, before)
    shutil.copyfile(before, state.path)  # the same bytes, another file: the workers that have the old one open differ
    assert client.get("/__admin/health").status_code == 503
    os.replace(before, state.path)  # the very file back
    assert client.get("/__admin/health").status_code == 200
    os.chmod(state.path, 0o400)  # (as root too: the file says it is not to be written)
    ruangkerja = client.get("/ruangkerja/dashboard/courses")
    assert ruangkerja.status_code == 503 and "read-only" in ruangkerja.get_json()["detail"]
    os.chmod(state.path, 0o600)
    assert client.get("/__admin/health").status_code == 200
    real_access = os.access  # what only the kernel knows (an immutable file, a read-only mount): a write asks it
    monkeypatch.setattr(os, "access", lambda path, mode: False if path == state.path else real_access(path, mode))
    assert client.get("/__admin/health").status_code == 200  # a read does not ask
    refused = client.post("/__admin/reset")
    assert refused.status_code == 503 and "read-only" in refused.get_json()["detail"]
    monkeypatch.setattr(os, "access", real_access)
    assert client.post("/__admin/reset").status_code == 200


# --- the WAL ---------------------------------------------------------------------------------------------------------


def test_the_wal_stays_bounded_under_steady_writes(tmp_path, small_world, monkeypatch):
    import mockserver.state.sqlite as sqlite

    monkeypatch.setattr(sqlite, "CHECKPOINT_PAGES", 10)  # a checkpoint every 10 pages instead of SQLite's 1000
    state = SharedState(str(tmp_path / "s.sqlite3"))
    world = World.from_json(small_world)
    sizes = []
    for i in range(300):
        rename(world, state, f"name {i} " + "x" * 200)
        sizes.append(os.path.getsize(state.path + "-wal"))
    page = state.execute("PRAGMA page_size").fetchone()[0]
    assert max(sizes) < 20 * page, (max(sizes), page)  # 300 writes, a page or more each, in a WAL of ~10 pages
    world.reset(state)
    assert os.path.getsize(state.path + "-wal") == 0  # a reset gives the space back


# --- writes that change nothing, over the wire ------------------------------------------------------------------------

JSON_HEADERS = {**LEGACY_HEADERS, "Accept": "application/json"}


def twice(client, state, method, url, **kwargs):
    """The answers of a write sent twice, and how many events the second added."""
    first = getattr(client, method)(url, headers=JSON_HEADERS, **kwargs)
    head = state.head()
    second = getattr(client, method)(url, headers=JSON_HEADERS, **kwargs)
    return first, second, state.head() - head


def test_a_write_that_changes_nothing_answers_as_before_and_adds_no_event(app, client):
    rt = app.extensions["mockserver"]
    world, state = rt.world, rt.state
    learner = world.learners[0].user_id
    group = next(g for g in world.groups if not g.is_smart and len(g.user_ids) >= 2)
    enrollment = next(iter(world.enrollments.values()))
    department = world.departments[1]
    taken = {e.course_id for e in world.enrollments.values() if e.learner_id == learner}
    course = next(c.content_item_id for c in world.content_items if c.content_item_id not in taken)
    cases = [
        ("post", "/enrollment", {"json": {"courseIds": [course], "learnerIds": [learner],
                                          "dueDateType": "unlimited"}}),
        ("post", f"/enrollment/{enrollment.enrollment_id}", {"json": {"accessDate": "2024-01-02",
                                                                     "dueDateType": "unlimited"}}),
        ("post", f"/user/{learner}/status", {"json": {"status": 3}}),
        ("post", f"/group/{group.group_id}/members", {"json": {"userIds": group.user_ids[::-1]}}),
        ("post", f"/department/{department.department_id}", {"json": {"name": "Renamed"}}),
        ("post", "/webhook/disable", {"json": {"subscriberName": world.subscribers[0].subscriber_name}}),
    ]
    for method, url, kwargs in cases:
        first, second, added = twice(client, state, method, url, **kwargs)
        assert first.status_code < 300, (url, first.get_data(as_text=True))
        assert (second.status_code, second.get_data()) == (first.status_code, first.get_data()), url
        assert added == 0, url
    assert world.learner_by_id[learner].status == 3 and world.group_by_id[group.group_id].user_ids == \
        group.user_ids[::-1]
    tag = world.tags[0]
    renames = [client.post("/ruangkerja/tags/update-bulk", headers=TOKEN,
                           json={"items": [{"serial": tag.serial, "name": name}]}) for name in ("Renamed", "Renamed")]
    assert renames[0].status_code == 200 and renames[1].get_data() == renames[0].get_data()
    clock = client.post("/__admin/clock", json={"real": True})
    assert clock.status_code == 200 and state.head() == world.seq  # real time already: nothing to record
    assert [kind for _, kind, _ in state.events_after(0)] == [
        "ispring.enrollments_created", "ispring.enrollment_changed", "ispring.user_status_changed",
        "ispring.group_changed", "ispring.departments_saved", "ispring.webhook_subscriber_saved",
        "ruangkerja.tags_written"]
