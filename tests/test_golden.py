"""Same seed + same version -> byte-identical responses. These bytes are pinned; a change in them is a change in the
world every user sees, so it must be deliberate: regenerate with `GOLDEN_UPDATE=1 make test` and review the diff."""

import os
from pathlib import Path

import pytest

from .helpers.apps import TOKEN

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "offline-users-doc-example.json":
        "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10",
    "offline-users-page-3.json": "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=3&pageSize=7",
    "webinar-activity-doc-example.json": "/ruangkerja/dashboard/users/JOHNILXV3QAJJEL3/courses/webinar?page=1&pageSize=10",
    "webinar-activity-emply002.json": "/ruangkerja/dashboard/users/EMPLY002/courses/webinar?page=1&pageSize=100",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_bytes(client, name):
    body = client.get(CASES[name], headers=TOKEN).get_data()
    if os.environ.get("GOLDEN_UPDATE"):
        (GOLDEN / name).write_bytes(body)
    assert body == (GOLDEN / name).read_bytes()


def test_another_seed_gives_other_bytes(world_json, tmp_path):
    from mockserver.world import World

    from .helpers.apps import make_app

    world = World.build(7, 200, 30).to_json()
    client = make_app(world, tmp_path).test_client()
    body = client.get(CASES["offline-users-page-3.json"], headers=TOKEN).get_data()
    assert body != (GOLDEN / "offline-users-page-3.json").read_bytes()
