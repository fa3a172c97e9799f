"""`mockserver contract check` and `mockserver contract list`, and every sample in contracts/samples/."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.contract import vendors
from mockserver.contract.samples import ROOT, all_samples, check_file

from .helpers.outcomes import contract

SAMPLES = all_samples()


def run(*args):
    result = CliRunner().invoke(main, ["contract", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_there_are_samples_of_each_ruangkerja_operation_with_a_doc_example():
    folders = {p.relative_to(ROOT).parent.as_posix() for p in SAMPLES}
    assert {"ruangkerja/generate_access_token", "ruangkerja/course_offline_user_assignment",
            "ruangkerja/user_webinar_course_activity", "ruangkerja/error", "ruangkerja/user_online_course_activity",
            "ruangkerja/user_offline_course_activity", "ruangkerja/learning_plan", "ruangkerja/learning_plan_course",
            "ruangkerja/learning_plan_user_assignment", "ruangkerja/user_learning_plan",
            "ruangkerja/user_activity_summary", "ruangkerja/user_course_status"} <= folders


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_sample_conforms(path):
    vendor, operation = path.relative_to(ROOT).parts[:2]
    row = check_file(vendors.find(operation, vendor), path)
    assert (row.result, row.differences) == ("PASS", [])


def test_check_infers_the_operation_from_the_folder():
    sample = ROOT / "ruangkerja" / "course_offline_user_assignment" / "doc-example.json"
    run = contract("check", str(sample))
    assert run.exit_code == 0
    assert run.results() == {f"ruangkerja.course_offline_user_assignment {sample}": "PASS"}
    assert run.statuses() == {f"ruangkerja.course_offline_user_assignment {sample}": None}  # a file: no call


def test_check_names_each_difference_and_exits_1(tmp_path):
    body = json.loads((ROOT / "ruangkerja" / "course_offline_user_assignment" / "doc-example.json").read_text())
    item = body["data"]["items"][2]
    item["isAttend"] = "true"
    item["userAssignedStatus"] = "Dropped"
    del item["feedback"]
    body["data"]["totalPages"] = body["data"].pop("totalPage")
    recorded = tmp_path / "recorded.json"
    recorded.write_text(json.dumps(body))
    run = contract("check", "--operation", "course_offline_user_assignment", str(recorded))
    assert run.exit_code == 1
    assert run.failures() == {f"ruangkerja.course_offline_user_assignment {recorded}": [
        "data.totalPage: missing required field",
        "data.items[2].feedback: missing required field",
        "data.items[2].isAttend: expected boolean, got string",
        "data.items[2].userAssignedStatus: unexpected value 'Dropped', expected one of Ongoing, Cleared, Failed",
        "data.totalPages: unexpected field (integer)",
    ]}


def test_check_reads_the_docs_typos_as_not_json(tmp_path):
    broken = tmp_path / "user_webinar_course_activity" / "as-printed.json"
    broken.parent.mkdir()
    broken.write_text('{"status": "success", "message": "Success", "data": [\n  {"batch": {"name": "B1",}}\n]}')
    run = contract("check", str(broken))
    assert run.exit_code == 1
    # The parser's own words: Python 3.13's json names a trailing comma, earlier ones the missing property name.
    try:
        json.loads(broken.read_text())
    except json.JSONDecodeError as error:
        expected = f"$: not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    assert run.failures() == {f"ruangkerja.user_webinar_course_activity {broken}": [expected]}


def test_check_order_is_optional(tmp_path):
    body = json.loads((ROOT / "ruangkerja" / "error" / "token-not-valid.json").read_text())
    shuffled = tmp_path / "ruangkerja" / "error" / "shuffled.json"  # the folder's parent names the vendor
    shuffled.parent.mkdir(parents=True)
    shuffled.write_text(json.dumps({"detail": body["detail"], "errorCode": 123, "message": body["message"]}))
    run = contract("check", str(shuffled))
    assert run.exit_code == 0 and run.results() == {f"ruangkerja.error {shuffled}": "PASS"}
    run = contract("check", "--check-order", str(shuffled))
    assert run.exit_code == 1
    assert run.failures() == {f"ruangkerja.error {shuffled}": [
        "$: keys in order ['detail', 'errorCode', 'message'], expected ['errorCode', 'message', 'detail']"]}


def test_check_usage_errors(tmp_path):
    stray = tmp_path / "stray.json"
    stray.write_text("{}")
    result = run("check", str(stray))
    assert result.exit_code == 2
    assert f"{stray}: say which operation it answers (--operation NAME)" in result.stderr
    result = run("check", "--operation", "error", str(stray))
    assert result.exit_code == 2
    assert "'error' is an operation of several vendors: say which, ispring.error or ruangkerja.error" in result.stderr
    result = run("check", "--operation", "find_unicorns", str(stray))
    assert result.exit_code == 2
    assert "no operation 'find_unicorns' (`mockserver contract list` names them)" in result.stderr
    result = run("check", "--operation", "ruangkerja.error", str(tmp_path / "absent.json"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_samples_copy_checks_the_same(tmp_path):
    copy = tmp_path / "samples"
    shutil.copytree(ROOT, copy)
    assert len(all_samples(copy)) == len(SAMPLES)


def test_list_names_every_operation_and_its_contract():
    result = run("list", "--vendor", "ruangkerja")
    assert result.exit_code == 0
    # The cells of each line (OPERATION, METHOD, PATH, KIND, CONTRACT), two spaces or more apart, whatever the widths.
    header, *lines = [re.split(r" {2,}", line) for line in result.stdout.splitlines()]
    assert header == ["OPERATION", "METHOD", "PATH", "KIND", "CONTRACT"]
    listed = {cells[0]: cells[1:] for cells in lines}
    assert list(listed) == [op.qualified for op in vendors.vendor("ruangkerja").operations]
    assert listed["ruangkerja.generate_access_token"] == ["POST", "/oauth/token", "read", "TokenResponseSchema"]
    assert listed["ruangkerja.course_offline_user_assignment"] == [
        "GET", "/ruangkerja/dashboard/courses/:courseSerial/offline/:batchSerial/users", "read",
        "CourseOfflineUsersResponseSchema"]
    assert listed["ruangkerja.user_webinar_course_activity"] == [
        "GET", "/ruangkerja/dashboard/users/:employeeID/courses/webinar", "read",
        "UserWebinarActivityListResponseSchema | UserWebinarActivityPageResponseSchema"]
    assert listed["ruangkerja.error"] == ["*", "(any failure)", "failure", "ErrorSchema"]


def test_list_without_vendor_lists_every_vendor_in_the_checkout():
    result = run("list")
    names = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert names == [op.qualified for v in vendors.VENDORS.values() for op in v.operations]
