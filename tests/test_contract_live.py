"""tests/test_live.py itself (`pytest -m live`), run in-process by pytester: a vendor's tests skip without its
credentials, and with them (here: a local upstream, and the mock) pass, or fail naming the drift. Each inner run
covers both vendors at once; its outcomes come from its JUnit XML (tests/helpers/nested.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.config import Config
from mockserver.contract import vendors
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.ispring_wire import DOC_TOKEN
from .helpers.nested import run_pytest
from .helpers.servers import serving
from .helpers.upstream import CLIENT, SERVED, create_upstream

pytest_plugins = ["pytester"]

LIVE = Path(__file__).with_name("test_live.py")
PREFIXES = ("RUANGKERJA_", "ISPRING_")  # the live tests' variables: none leak in from the environment
RUANGKERJA_SKIP = ("no ruangkerja credentials in the environment (RUANGKERJA_TOKEN or RUANGKERJA_CLIENT_ID and "
                   "RUANGKERJA_CLIENT_SECRET)")
ISPRING_SKIP = ("no ispring credentials in the environment (ISPRING_TOKEN or ISPRING_CLIENT_ID and "
                "ISPRING_CLIENT_SECRET or ISPRING_EMAIL and ISPRING_PASSWORD and ISPRING_ACCOUNT_URL)")


def operations(vendor: str, **which) -> list[str]:
    """The live tests' names for the vendor's operations (every one but the failure contracts)."""
    ops = [op for op in vendors.vendor(vendor).operations if op.method != "*"]
    return [f"test_live_operation_conforms[{op.qualified}]" for op in ops
            if all(getattr(op, key) == value for key, value in which.items())]


# --- training --- the reads no answer names an identifier for: no read of the spec lists trainings
TRAINING_SKIPS = {f"test_live_operation_conforms[ispring.{name}]": reason for name, reason in (
    ("GetTrainingById", "no training found to call it on"),
    ("GetTrainingSession", "no training session found to call it on"),
    ("ListSessionsByTrainingId", "no training found to call it on"),
    ("GetDay", "no day found to call it on"),
    ("ListSessionParticipants", "no session found to call it on"),
    ("soap.listSessionsByTraining", "no training found to call it on"),
)}


def on_the_stand_in() -> list[str]:
    """The live tests' names for the operations the stand-in Ruangkerja upstream serves (tests/helpers/upstream)."""
    return [name for name in operations("ruangkerja") if name.split(".")[-1].rstrip("]") in SERVED]


@pytest.fixture
def live(pytester, monkeypatch):
    """`pytest -m live tests/test_live.py` with these variables, and only these, of the live tests' ones."""

    def run(**env):
        for name in list(os.environ):
            if name.startswith(PREFIXES):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        # A fresh module for each run: it keeps one verify run per vendor for its session.
        monkeypatch.delitem(sys.modules, "tests.test_live", raising=False)
        return run_pytest(pytester, "-m", "live", str(LIVE))

    return run


def test_skipped_without_credentials(live):
    inner = live()
    assert inner.exit_code == 0
    assert inner.outcomes == {**dict.fromkeys(operations("ruangkerja"), ("skipped", RUANGKERJA_SKIP)),
                              **dict.fromkeys(operations("ispring"), ("skipped", ISPRING_SKIP))}


@pytest.mark.slow  # a real server process: the slow suite
def test_passes_against_conforming_apis(live, tmp_path):
    """Ruangkerja: the local upstream, which conforms. iSpring: the mock (on a small world), called with a token."""
    mock = create_app(Config(), world=World.build(20240601, 20, 5), state=SharedState(str(tmp_path / "s.sqlite3")))
    with serving(create_upstream()) as ruangkerja, serving(mock) as ispring:
        inner = live(RUANGKERJA_BASE_URL=ruangkerja, RUANGKERJA_CLIENT_ID=CLIENT[0],
                     RUANGKERJA_CLIENT_SECRET=CLIENT[1], ISPRING_BASE_URL=ispring, ISPRING_TOKEN=DOC_TOKEN)
    assert inner.exit_code == 0, inner.outcomes
    token_call = "test_live_operation_conforms[ispring.AccessRequest]"
    task_call = "test_live_operation_conforms[ispring.GetTaskStatus]"  # no task ID without a statistics write
    # --- training --- no read of the spec lists trainings: their rows are skipped, as the task's (README)
    undiscovered = {name: reason for name, reason in TRAINING_SKIPS.items() if name in operations("ispring")}
    reads = [name for name in operations("ispring", write=False)
             if name not in (token_call, task_call, *undiscovered)]
    assert inner.named("passed") == on_the_stand_in() + reads
    skipped = {name: reason for name, (outcome, reason) in inner.outcomes.items() if outcome == "skipped"}
    for name in operations("ruangkerja"):  # what the stand-in does not serve: skipped, with the reason
        if name not in on_the_stand_in():
            assert skipped.pop(name), name
    assert skipped == {
        token_call: "a token was given (--token)",
        task_call: "no task found to call it on: pass --task",
        **undiscovered,
        **dict.fromkeys(operations("ispring", write=True), "write operation: not called without --allow-writes"),
    }


@pytest.mark.slow  # a real server process: the slow suite
def test_fails_on_drift_naming_it(live):
    with serving(create_upstream("new_enum")) as url:
        inner = live(RUANGKERJA_BASE_URL=url, RUANGKERJA_CLIENT_ID=CLIENT[0], RUANGKERJA_CLIENT_SECRET=CLIENT[1])
    assert inner.exit_code == 1
    drifted = "test_live_operation_conforms[ruangkerja.course_offline_user_assignment]"
    assert inner.named("failed") == [drifted]
    assert inner.named("passed") == [name for name in on_the_stand_in() if name != drifted]
    assert ("data.items[3].userAssignedStatus: unexpected value 'Cancelled', expected one of Ongoing, Cleared, Failed"
            in inner.outcomes[drifted][1])
    assert "COURSE-UPSTREAM/BATCH-UP-01" in inner.outcomes[drifted][1]  # which batch drifted
    assert {inner.outcomes[name] for name in operations("ispring")} == {("skipped", ISPRING_SKIP)}
