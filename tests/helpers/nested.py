"""A pytest run inside a test, in-process (the `pytester` plugin's `inline_run`): its exit code and each inner test's
outcome, read from the JUnit XML of the inner run (`--junitxml`), never from pytest's summary wording.

    inner = run_pytest(pytester, "tests/test_x.py")
    assert inner.exit_code == 0
    assert inner.outcomes == {"test_a": ("passed", ""), "test_b[1]": ("skipped", "no credentials")}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree


@dataclass
class InnerRun:
    exit_code: int
    outcomes: dict[str, tuple[str, str]]  # test name (with its parameters) -> (outcome, reason or report)

    def named(self, outcome: str) -> list[str]:
        """The tests with this outcome (passed, failed, skipped, error), in the order they ran."""
        return [name for name, (found, _) in self.outcomes.items() if found == outcome]


def read_pytest_junit(path: Path) -> dict[str, tuple[str, str]]:
    """{test name: (passed | failed | skipped | error, the message)} of a pytest `--junitxml` document: a skip's
    reason, or the whole report of a failure or an error (the element's text: its `message` attribute may be cut).
    An error (in a fixture's setup or teardown) outranks the test's own outcome."""
    outcomes = {}
    for case in etree.parse(str(path)).iter("testcase"):
        name = case.get("name")
        assert name not in outcomes, f"{name} reported twice"
        outcomes[name] = ("passed", "")
        for kind, outcome in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
            element = case.find(kind)
            if element is not None:
                text = element.get("message") if kind == "skipped" else element.text
                outcomes[name] = (outcome, text or "")
                break
    return outcomes


def run_pytest(pytester, *args: str) -> InnerRun:
    """`pytest ARGS` in this process, in pytester's folder; its outcomes from its own JUnit XML."""
    junit = pytester.path / "inner-junit.xml"
    junit.unlink(missing_ok=True)
    recorder = pytester.inline_run(*args, "-p", "no:cacheprovider", f"--junitxml={junit}")
    return InnerRun(int(recorder.ret), read_pytest_junit(junit))
