"""`mockserver contract check` and `mockserver contract list`, and every sample in contracts/samples/."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.contract import vendors as catalogue
from mockserver.contract.samples import ROOT, all_samples, check_file

SAMPLES = all_samples()


def run(*args):
    result = CliRunner().invoke(main, ["contract", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_there_are_samples_of_each_ruangkerja_operation_with_a_doc_example():
    folders = {p.relative_to(ROOT).parent.as_posix() for p in SAMPLES}
    assert {"ruangkerja/generate_access_token", "ruangkerja/course_offline_user_assignment",
            "ruangkerja/user_webinar_course_activity", "ruangkerja/error"} <= folders


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_sample_conforms(path):
    vendor, operation = path.relative_to(ROOT).parts[:2]
    row = check_file(catalogue.find(operation, vendor), path)
    assert (row.result, row.differences) == ("PASS", [])


def test_check_infers_the_operation_from_the_folder(tmp_path):
    sample = ROOT / "ruangkerja" / "course_offline_user_assignment" / "doc-example.json"
    result = run("check", str(sample))
    assert result.exit_code == 0
    target = str(sample)
    width = len(target)
    assert result.stdout.splitlines() == [
        "OPERATION                                  " + "TARGET".ljust(width) + "  STATUS  RESULT  DIFFERENCES",
        "ruangkerja.course_offline_user_assignment  " + target + "  -       PASS",
        "1 checked: 1 passed, 0 failed, 0 skipped",
    ]


def test_check_names_each_difference_and_exits_1(tmp_path):
    body = json.loads((ROOT / "ruangkerja" / "course_offline_user_assignment" / "doc-example.json").read_text())
    item = body["data"]["items"][2]
    item["isAttend"] = "true"
    item["userAssignedStatus"] = "Dropped"
    del item["feedback"]
    body["data"]["totalPages"] = body["data"].pop("totalPage")
    recorded = tmp_path / "recorded.json"
    recorded.write_text(json.dumps(body))
    junit = tmp_path / "check.xml"
    result = run("check", "--operation", "course_offline_user_assignment", "--junit", str(junit), str(recorded))
    assert result.exit_code == 1
    pad = " " * (43 + len(str(recorded)) + 2 + 8 + 8)
    assert result.stdout.splitlines() == [
        "OPERATION                                  " + "TARGET".ljust(len(str(recorded))) + "  STATUS  RESULT  DIFFERENCES",
        f"ruangkerja.course_offline_user_assignment  {recorded}  -       FAIL    "
        "data.totalPage: missing required field",
        pad + "data.items[2].feedback: missing required field",
        pad + "data.items[2].isAttend: expected boolean, got string",
        pad + "data.items[2].userAssignedStatus: unexpected value 'Dropped', expected one of Ongoing, Cleared, Failed",
        pad + "data.totalPages: unexpected field (integer)",
        "1 checked: 0 passed, 1 failed, 0 skipped; 5 differences",
    ]
    assert b'<failure type="ContractViolation" message="5 differences">' in junit.read_bytes()


def test_check_reads_the_docs_typos_as_not_json(tmp_path):
    broken = tmp_path / "user_webinar_course_activity" / "as-printed.json"
    broken.parent.mkdir()
    broken.write_text('{"status": "success", "message": "Success", "data": [\n  {"batch": {"name": "B1",}}\n]}')
    result = run("check", str(broken))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].endswith(
        "FAIL    $: not JSON: Expecting property name enclosed in double quotes (line 2, column 27)")


def test_check_order_is_optional(tmp_path):
    body = json.loads((ROOT / "ruangkerja" / "error" / "token-not-valid.json").read_text())
    shuffled = tmp_path / "ruangkerja" / "error" / "shuffled.json"  # the folder's parent names the vendor
    shuffled.parent.mkdir(parents=True)
    shuffled.write_text(json.dumps({"detail": body["detail"], "errorCode": 123, "message": body["message"]}))
    assert run("check", str(shuffled)).exit_code == 0
    result = run("check", "--check-order", str(shuffled))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].endswith(
        "FAIL    $: keys in order ['detail', 'errorCode', 'message'], expected ['errorCode', 'message', 'detail']")


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
    assert result.stdout.splitlines() == [
        "OPERATION                                  METHOD  PATH                                                       "
        "             KIND     CONTRACT",
        "ruangkerja.generate_access_token           POST    /oauth/token                                               "
        "             read     TokenResponseSchema",
        "ruangkerja.course                          GET     /ruangkerja/dashboard/courses                              "
        "             read     CourseListResponseSchema",
        "ruangkerja.course_batch                    GET     /ruangkerja/dashboard/courses/:courseSerial/batches        "
        "             read     CourseBatchListResponseSchema",
        "ruangkerja.course_offline_user_assignment  GET     /ruangkerja/dashboard/courses/:courseSerial/offline/:batchS"
        "erial/users  read     CourseOfflineUsersResponseSchema",
        "ruangkerja.user_webinar_course_activity    GET     /ruangkerja/dashboard/users/:employeeID/courses/webinar    "
        "             read     UserWebinarActivityListResponseSchema | UserWebinarActivityPageResponseSchema",
        "ruangkerja.error                           *       (any failure)                                              "
        "             failure  ErrorSchema",
    ]


def test_list_without_vendor_lists_every_vendor_in_the_checkout():
    result = run("list")
    names = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert names == [op.qualified for v in catalogue.VENDORS.values() for op in v.operations]
