"""Same seed + same version -> byte-identical responses. These bytes are pinned; a change in them is a change in the
world every user sees, so it must be deliberate: regenerate with `GOLDEN_UPDATE=1 make test` and review the diff."""

import os
from pathlib import Path

import pytest

from .helpers.apps import TOKEN
from .helpers.ispring_wire import DOC_TOKEN, SOAP_PATH, envelope

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "offline-users-doc-example.json":
        "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10",
    "offline-users-page-3.json": "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=3&pageSize=7",
    "webinar-activity-doc-example.json": "/ruangkerja/dashboard/users/JOHNILXV3QAJJEL3/courses/webinar?page=1&pageSize=10",
    "webinar-activity-emply002.json": "/ruangkerja/dashboard/users/EMPLY002/courses/webinar?page=1&pageSize=100",
}
ISPRING = {"Authorization": f"Bearer {DOC_TOKEN}"}
ISPRING_CASES = {  # name -> (method, path, headers, body): the WSDL and answers of the REST and SOAP faces
    "ispring-wsdl.xml": ("GET", f"{SOAP_PATH}?wsdl", {}, None),
    "ispring-enrollments-page.xml": ("GET", "/enrollments?pageSize=7", ISPRING, None),
    "ispring-enrollments-page.json": ("GET", "/enrollments?pageSize=7", {**ISPRING, "Accept": "application/json"},
                                      None),
    "ispring-soap-get-departments.xml": ("POST", SOAP_PATH, {"Content-Type": "text/xml"}, envelope("getDepartments")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_bytes(client, name):
    body = client.get(CASES[name], headers=TOKEN).get_data()
    if os.environ.get("GOLDEN_UPDATE"):
        (GOLDEN / name).write_bytes(body)
    assert body == (GOLDEN / name).read_bytes()


@pytest.mark.parametrize("name", sorted(ISPRING_CASES))
def test_ispring_golden_bytes(client, name):
    method, path, headers, data = ISPRING_CASES[name]
    body = client.open(path, method=method, headers=headers, data=data).get_data()
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
