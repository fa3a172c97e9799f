"""The report a person reads after `contract verify|check`: the table and its summary line. This is the one test of
their layout; every other verify/check test asserts outcomes (tests/helpers/outcomes.py), not rendered text."""

from __future__ import annotations

from mockserver.contract.report import exit_code, summary, table
from mockserver.contract.runner import FAIL, PASS, SKIP, Row

RENAMED = ["data.items[3].isAttend: missing required field", "data.items[3].isAttended: unexpected field (boolean)"]


def test_table_and_summary_layout():
    rows = [
        Row("ruangkerja.generate_access_token", "", None, SKIP, ["a token was given (--token)"]),
        Row("ruangkerja.course", "", 200, PASS),
        Row("ruangkerja.course_batch", "COURSE-EXAMPLE1", 200, PASS),
        Row("ruangkerja.course_offline_user_assignment", "COURSE-EXAMPLE2/BATCH-EXP-01", 200, FAIL, RENAMED),
        Row("ruangkerja.user_webinar_course_activity", "EMPLY001", 200, PASS,
            note="matched UserWebinarActivityListResponseSchema"),
    ]
    # Columns as wide as their widest cell, two spaces apart; "-" for no target or no status; the differences
    # (or a SKIP's reason, or a PASS's note) last, one a line, the columns before them left blank after the first.
    assert table(rows).splitlines() == [
        "OPERATION                                  TARGET                        STATUS  RESULT  DIFFERENCES",
        "ruangkerja.generate_access_token           -                             -       SKIP    "
        "a token was given (--token)",
        "ruangkerja.course                          -                             200     PASS",
        "ruangkerja.course_batch                    COURSE-EXAMPLE1               200     PASS",
        "ruangkerja.course_offline_user_assignment  COURSE-EXAMPLE2/BATCH-EXP-01  200     FAIL    "
        "data.items[3].isAttend: missing required field",
        " " * 89 + "data.items[3].isAttended: unexpected field (boolean)",
        "ruangkerja.user_webinar_course_activity    EMPLY001                      200     PASS    "
        "matched UserWebinarActivityListResponseSchema",
    ]
    assert summary(rows) == "5 checked: 3 passed, 1 failed, 1 skipped; 2 differences"
    assert exit_code(rows) == 1

    # The columns shrink to their cells, but never below their headings; one difference is singular.
    one = [Row("ruangkerja.error", "e.json", None, FAIL, ["errorCode: expected integer, got string"])]
    assert table(one).splitlines() == [
        "OPERATION         TARGET  STATUS  RESULT  DIFFERENCES",
        "ruangkerja.error  e.json  -       FAIL    errorCode: expected integer, got string",
    ]
    assert summary(one) == "1 checked: 0 passed, 1 failed, 0 skipped; 1 difference"
    assert summary(rows[1:3]) == "2 checked: 2 passed, 0 failed, 0 skipped" and exit_code(rows[1:3]) == 0
