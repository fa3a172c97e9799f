"""What a person reads: the table of rows, a summary line, a progress line on a terminal, and the exit code.

    OPERATION                                  TARGET                        STATUS  RESULT  DIFFERENCES
    ruangkerja.course_offline_user_assignment  COURSE-EXAMPLE2/BATCH-EXP-01  200     FAIL    data.items[3].isAttend: expected boolean, got string

A row with several differences takes one line for each, the first columns left blank on the lines after the first.
"""

from __future__ import annotations

import sys
from typing import Iterable, TextIO

from .runner import FAIL, PASS, SKIP, Row

OK, VIOLATION, CANNOT_CHECK = 0, 1, 2  # exit codes
HEADINGS = ("OPERATION", "TARGET", "STATUS", "RESULT", "DIFFERENCES")


def cells(row: Row) -> tuple[str, str, str, str]:
    return row.operation, row.target or "-", "-" if row.status is None else str(row.status), row.result


def table(rows: Iterable[Row]) -> str:
    rows = list(rows)
    widths = [len(h) for h in HEADINGS[:4]]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, cells(row))]
    blank = "  ".join(" " * w for w in widths)

    def line(values, tail: str) -> str:
        return ("  ".join(v.ljust(w) for v, w in zip(values, widths)) + "  " + tail).rstrip()

    out = [line(HEADINGS[:4], HEADINGS[4])]
    for row in rows:
        notes = row.differences or [row.note]
        out.append(line(cells(row), notes[0]))
        out.extend((blank + "  " + note).rstrip() for note in notes[1:])
    return "\n".join(out)


def summary(rows: Iterable[Row]) -> str:
    rows = list(rows)
    count = {kind: sum(r.result == kind for r in rows) for kind in (PASS, FAIL, SKIP)}
    differences = sum(len(r.differences) for r in rows if r.result == FAIL)
    text = f"{len(rows)} checked: {count[PASS]} passed, {count[FAIL]} failed, {count[SKIP]} skipped"
    if differences:
        text += f"; {differences} difference{'s' if differences != 1 else ''}"
    return text


def exit_code(rows: Iterable[Row]) -> int:
    return VIOLATION if any(r.result == FAIL for r in rows) else OK


class Progress:
    """`[3] ruangkerja.course_batch COURSE-X ...` rewritten in place on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.count = 0
        self.width = 0

    def __call__(self, op, target: str) -> None:
        if not self.enabled:
            return
        self.count += 1
        text = f"[{self.count}] {op.qualified} {target}".rstrip() + " ..."
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def done(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
