"""The rows as JUnit XML (the dialect CI servers read: Jenkins, GitLab, GitHub test reporters).

<testsuites name="mockserver contract verify" tests failures errors skipped time>
  <testsuite name="ruangkerja" ...>
    <testcase classname="ruangkerja" name="course_batch COURSE-X" time>
      <properties><property name="status" value="200"/><property name="contract" value="..."/>...</properties>
      <failure type="ContractViolation" message="2 differences">one difference a line</failure>   (FAIL)
      <skipped message="reason"/>                                                              (SKIP)
    </testcase>
  </testsuite>
</testsuites>
A run stopped by an unreachable API or refused credentials adds a testcase with <error type="CannotCheck">.
"""

from __future__ import annotations

from lxml import etree

from .runner import FAIL, SKIP, Row


def document(title: str, suite: str, rows: list[Row], stopped: str | None = None) -> bytes:
    failures = sum(r.result == FAIL for r in rows)
    skipped = sum(r.result == SKIP for r in rows)
    errors = 1 if stopped else 0
    total = len(rows) + errors
    seconds = f"{sum(r.seconds for r in rows):.3f}"
    counts = {"tests": str(total), "failures": str(failures), "errors": str(errors), "skipped": str(skipped),
              "time": seconds}
    root = etree.Element("testsuites", name=title, **counts)
    group = etree.SubElement(root, "testsuite", name=suite, **counts)
    for row in rows:
        classname, _, name = row.operation.partition(".")
        case = etree.SubElement(group, "testcase", classname=classname or suite,
                                name=f"{name or row.operation} {row.target}".strip(), time=f"{row.seconds:.3f}")
        properties = etree.SubElement(case, "properties")
        for key, value in (("status", row.status), ("contract", row.contract), ("request", row.request)):
            if value not in (None, ""):
                etree.SubElement(properties, "property", name=key, value=str(value))
        if row.result == FAIL:
            count = len(row.differences)
            failure = etree.SubElement(case, "failure", type="ContractViolation",
                                       message=f"{count} difference{'s' if count != 1 else ''}")
            failure.text = "\n".join(row.differences)
        elif row.result == SKIP:
            etree.SubElement(case, "skipped", message="; ".join(row.differences))
    if stopped:
        case = etree.SubElement(group, "testcase", classname=suite, name="reach the API", time="0.000")
        error = etree.SubElement(case, "error", type="CannotCheck", message=stopped)
        error.text = stopped
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
