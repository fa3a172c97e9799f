"""tests/test_live.py itself: skipped without credentials, and with them (here: a local upstream) it passes, or
fails naming the drift."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .contract_upstream import CLIENT, create_upstream, serving

ROOT = Path(__file__).resolve().parents[1]
ENV_NAMES = ("RUANGKERJA_BASE_URL", "RUANGKERJA_TOKEN", "RUANGKERJA_CLIENT_ID", "RUANGKERJA_CLIENT_SECRET",
             "RUANGKERJA_COURSE", "RUANGKERJA_BATCH", "RUANGKERJA_EMPLOYEE")


def live(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
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
                     "(RUANGKERJA_TOKEN or RUANGKERJA_CLIENT_ID and RUANGKERJA_CLIENT_SECRET)"]


def test_passes_against_a_conforming_api():
    with serving(create_upstream()) as url:
        code, lines, _ = live(RUANGKERJA_BASE_URL=url, RUANGKERJA_CLIENT_ID=CLIENT[0], RUANGKERJA_CLIENT_SECRET=CLIENT[1])
    assert code == 0
    assert lines == [f"PASSED tests/test_live.py::test_live_operation_conforms[ruangkerja.{name}]" for name in (
        "generate_access_token", "course", "course_batch", "course_offline_user_assignment",
        "user_webinar_course_activity")]


def test_fails_on_drift_naming_it():
    with serving(create_upstream("new_enum")) as url:
        code, lines, output = live(RUANGKERJA_BASE_URL=url, RUANGKERJA_CLIENT_ID=CLIENT[0], RUANGKERJA_CLIENT_SECRET=CLIENT[1])
    assert code == 1
    assert lines[-1] == ("FAILED tests/test_live.py::test_live_operation_conforms[ruangkerja.course_offline_user_"
                         "assignment]")
    assert ("ruangkerja.course_offline_user_assignment  COURSE-UPSTREAM/BATCH-UP-01  200     FAIL    "
            "data.items[3].userAssignedStatus: unexpected value 'Cancelled', expected one of Ongoing, Cleared, Failed"
            ) in output.splitlines()
