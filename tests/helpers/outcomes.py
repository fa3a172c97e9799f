"""What a `mockserver contract verify|check` run decided, read from the JUnit XML it writes (`--junit FILE`), never
from the table it prints: the table's layout is tested once, in tests/test_contract_report.py.

    run = contract("verify", "--vendor", "ruangkerja", "--base-url", url, "--token", "t")
    assert run.exit_code == 1
    assert run.results() == {"ruangkerja.course": "PASS", "ruangkerja.course_batch COURSE-X": "FAIL", ...}
    assert run.failures() == {"ruangkerja.course_batch COURSE-X": ["data.items[0].name: missing required field"]}

An outcome's key is its qualified operation, then its target when it has one (`ruangkerja.course_batch COURSE-X`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from mockserver.cli import main


@dataclass(frozen=True)
class Outcome:
    operation: str  # qualified: ruangkerja.course_batch
    target: str  # what it was called on (identifiers, or the file checked); "" when nothing
    result: str  # PASS, FAIL or SKIP
    status: int | None  # the HTTP status; None when not called
    differences: list[str] = field(default_factory=list)  # FAIL: one a difference; SKIP: the reason
    contract: str = ""  # for a PASS of an operation with several contracts: the one matched
    request: str = ""

    @property
    def key(self) -> str:
        return f"{self.operation} {self.target}".strip()


@dataclass
class ContractRun:
    exit_code: int
    stdout: str
    stderr: str
    outcomes: list[Outcome]
    stopped: str | None  # why the run stopped (exit 2: unreachable, refused credentials), from <error>
    counts: dict[str, str]  # tests, failures, errors, skipped of the document's root

    def _by_key(self, value) -> dict:
        found = {}
        for outcome in self.outcomes:
            assert outcome.key not in found, f"two outcomes for {outcome.key}"
            found[outcome.key] = value(outcome)
        return found

    def results(self) -> dict[str, str]:
        """{key: PASS | FAIL | SKIP}, in the order of the run."""
        return self._by_key(lambda o: o.result)

    def statuses(self) -> dict[str, int | None]:
        return self._by_key(lambda o: o.status)

    def failures(self) -> dict[str, list[str]]:
        """{key: its differences} of every FAIL."""
        return {k: v for k, v in self._by_key(lambda o: o.differences if o.result == "FAIL" else None).items()
                if v is not None}

    def skips(self) -> dict[str, str]:
        """{key: the reason} of every SKIP."""
        return {k: v for k, v in self._by_key(lambda o: "; ".join(o.differences) if o.result == "SKIP" else None)
                .items() if v is not None}

    def contracts(self) -> dict[str, str]:
        return self._by_key(lambda o: o.contract)


def read_junit(path: Path) -> tuple[list[Outcome], str | None, dict[str, str]]:
    """The outcomes of a `--junit` document, the stop error if any, and the root's counts."""
    root = etree.fromstring(Path(path).read_bytes())
    assert root.tag == "testsuites"
    counts = {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")}
    outcomes, stopped = [], None
    for case in root.iter("testcase"):
        error = case.find("error")
        if error is not None:
            stopped = error.get("message")
            continue
        name, _, target = case.get("name").partition(" ")
        properties = {p.get("name"): p.get("value") for p in case.iterfind("properties/property")}
        failure, skipped = case.find("failure"), case.find("skipped")
        if failure is not None:
            result, differences = "FAIL", (failure.text or "").split("\n")
        elif skipped is not None:
            result, differences = "SKIP", [skipped.get("message")]
        else:
            result, differences = "PASS", []
        status = properties.get("status")
        outcomes.append(Outcome(f"{case.get('classname')}.{name}", target, result,
                                None if status is None else int(status), differences,
                                properties.get("contract", ""), properties.get("request", "")))
    return outcomes, stopped, counts


def contract(*args: str) -> ContractRun:
    """`mockserver contract ARGS --junit FILE` in-process (click's CliRunner); its outcomes from FILE.

    A usage error (exit 2 before any call) writes no FILE: no outcomes then.
    """
    with tempfile.TemporaryDirectory() as folder:
        junit = Path(folder) / "report.xml"
        result = CliRunner().invoke(main, ["contract", *args, "--junit", str(junit)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        outcomes, stopped, counts = read_junit(junit) if junit.exists() else ([], None, {})
    return ContractRun(result.exit_code, result.stdout, result.stderr, outcomes, stopped, counts)
