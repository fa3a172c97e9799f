"""tests/test_live.py itself: skipped without credentials, and with them (here: a local upstream) it passes, or
fails naming the drift."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from mockserver.contract import catalogue

from .helpers.servers import serving
from .helpers.upstream import CLIENT, create_upstream

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = ("RUANGKERJA_", "ISPRING_")  # the live tests' variables: none leak in from the environment
CI_MARKERS = ("CI", "BUILD_NUMBER")  # pytest words its summary lines differently on CI; the inner run is no CI run
ISPRING_SKIP = ("SKIPPED [18] tests/test_live.py:N: no ispring credentials in the environment (ISPRING_TOKEN or "
                "ISPRING_CLIENT_ID and ISPRING_CLIENT_SECRET or ISPRING_EMAIL and ISPRING_PASSWORD and "
                "ISPRING_ACCOUNT_URL)")


def live(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES) and k not in CI_MARKERS}
    result = subprocess.run([sys.executable, "-m", "pytest", "-m", "live", "-q", "-rA", "-p", "no:warnings",
                             "tests/test_live.py"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
                            timeout=120)
    summary = [re.sub(r"test_live.py:\d+:", "test_live.py:N:", line) for line in result.stdout.splitlines()
               if line.startswith(("PASSED", "FAILED", "SKIPPED"))]
    return result.returncode, summary, result.stdout


def test_skipped_without_credentials():
    code, lines, _ = live()
    assert code == 0
    assert lines == ["SKIPPED [5] tests/test_live.py:N: no ruangkerja credentials in the environment "
                     "(RUANGKERJA_TOKEN or RUANGKERJA_CLIENT_ID and RUANGKERJA_CLIENT_SECRET)", ISPRING_SKIP]


def test_passes_against_a_conforming_api():
    with serving(create_upstream()) as url:
        code, lines, _ = live(RUANGKERJA_BASE_URL=url, RUANGKERJA_CLIENT_ID=CLIENT[0], RUANGKERJA_CLIENT_SECRET=CLIENT[1])
    assert code == 0
    assert lines == [f"PASSED tests/test_live.py::test_live_operation_conforms[ruangkerja.{name}]" for name in (
        "generate_access_token", "course", "course_batch", "course_offline_user_assignment",
        "user_webinar_course_activity")] + [ISPRING_SKIP]


def test_fails_on_drift_naming_it():
    with serving(create_upstream("new_enum")) as url:
        code, lines, output = live(RUANGKERJA_BASE_URL=url, RUANGKERJA_CLIENT_ID=CLIENT[0], RUANGKERJA_CLIENT_SECRET=CLIENT[1])
    assert code == 1
    assert lines[-1] == ("FAILED tests/test_live.py::test_live_operation_conforms[ruangkerja.course_offline_user_"
                         "assignment]")
    assert ("ruangkerja.course_offline_user_assignment  COURSE-UPSTREAM/BATCH-UP-01  200     FAIL    "
            "data.items[3].userAssignedStatus: unexpected value 'Cancelled', expected one of Ongoing, Cleared, Failed"
            ) in output.splitlines()


def test_ispring_against_the_mock(world_json, tmp_path):
    from mockserver.app import create_app
    from mockserver.config import Config
    from mockserver.state import SharedState
    from mockserver.world import World

    app = create_app(Config(), world=World.from_json(world_json), state=SharedState(str(tmp_path / "s.sqlite3")))
    with serving(app) as url:
        code, lines, output = live(ISPRING_BASE_URL=url, ISPRING_TOKEN="p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE")
    assert code == 0, output
    passed = [line.split("[")[1].rstrip("]") for line in lines if line.startswith("PASSED")]
    assert passed == [op.qualified for op in catalogue.vendor("ispring").operations
                      if op.method != "*" and not op.write and op.name != "access_request"]
    assert [line for line in lines if not line.startswith("PASSED")] == [
        "SKIPPED [5] tests/test_live.py:N: no ruangkerja credentials in the environment "
        "(RUANGKERJA_TOKEN or RUANGKERJA_CLIENT_ID and RUANGKERJA_CLIENT_SECRET)",
        "SKIPPED [1] tests/test_live.py:N: a token was given (--token)",
        "SKIPPED [6] tests/test_live.py:N: write operation: not called without --allow-writes",
    ]
