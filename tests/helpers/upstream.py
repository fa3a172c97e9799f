"""A local stand-in for the real Ruangkerja API (the doc examples, served on a free loopback port), which can drift.

`drift` names one change to the offline-users answer's fourth item (`data.items[3]`), the kinds of drift
`contract verify` and the proxy must name: renamed, wrong_type, extra, missing, new_enum, null.
Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import copy

from flask import Flask, jsonify, request

# The operations this stand-in serves; verify skips the table's others here, as it would on an account without them.
SERVED = ("generate_access_token", "course", "course_batch", "course_offline_user_assignment",
          "user_webinar_course_activity")
TOKEN = "7tHvlstBB6nE_oyadVhSCYenJSYWMoQA82wQdUpLmUo.va-Gxa60Qvhi9JbfgNhcSkQWbaQMpyz3KxBnKkcAcRU"
CLIENT = ("upstream-client", "upstream-secret")
TOKEN_NOT_VALID = "rpc error: code = PermissionDenied desc = Token is not valid"

COURSES = [
    {"serial": "COURSE-EXAMPLE1", "name": "[OFFLINE] Effisien Menggunakan Spreadsheet untuk Report",
     "description": "Spreadsheet", "category": "Webinar"},
    {"serial": "COURSE-UPSTREAM", "name": "Komunikasi", "description": "Offline workshop", "category": "Offline"},
]
BATCHES = {
    "COURSE-EXAMPLE1": [
        {"serial": "BATCH-EXP-02", "name": "Webinar Training Batch 1", "mainActivityStartAt": "2024-05-27T02:00:00.000Z",
         "mainActivityEndAt": "2024-06-14T09:00:00.000Z", "postActivityStartAt": None, "postActivityEndAt": None,
         "platform": "Google Meet", "location": "https://meet.google.com/exp-abcd-efg", "note": "", "status": "Ongoing"},
    ],
    "COURSE-UPSTREAM": [
        {"serial": "BATCH-UP-01", "name": "Offline Training Batch 1", "mainActivityStartAt": "2022-07-30T02:00:00.000Z",
         "mainActivityEndAt": "2022-07-30T09:00:00.000Z", "postActivityStartAt": None, "postActivityEndAt": None,
         "platform": "", "location": "Jl. Dr. Saharjo No.161, Jakarta Selatan", "note": "", "status": "Completed"},
    ],
}


def _user(serial, name, employee_id, attend, status):
    return {"user": {"serial": serial, "name": name, "employeeID": employee_id}, "absentReason": "",
            "assignedCourseSerial": "ASGC-T0MHUDPV", "feedback": "", "isAttend": attend, "userAssignedStatus": status,
            "postActivityStatus": "", "postTestAttempt": 0, "postTestScore": 0, "postTestPassingScore": None}


USERS = [
    _user("JOHNILXV3QAJJEL3", "John Doe", "EMPLY001", True, "Cleared"),
    _user("JOHNIASD318JJEL5", "John Smith", "EMPLY005", False, "Failed"),
    _user("JANELFMMCKASNDJM", "Jane Smith", "EMPLY006", True, "Ongoing"),
    _user("BUDIXXXXXXXXXXX1", "Budi Santoso", "EMPLY007", True, "Ongoing"),
]
ACTIVITY = [{
    "course": {"serial": "COURSE-EXAMPLE1", "name": "[OFFLINE] Effisien Menggunakan Spreadsheet untuk Report"},
    "batch": {"serial": "BATCH-EXP-02", "name": "Webinar Training Batch 1"},
    **{k: v for k, v in USERS[0].items() if k != "user"}, "userAssignedStatus": "Ongoing",
}]


def drifted(item: dict, drift: str | None) -> dict:
    item = copy.deepcopy(item)
    if drift == "renamed":
        item = {("isAttended" if k == "isAttend" else k): v for k, v in item.items()}
    elif drift == "wrong_type":
        item["isAttend"] = "true"
    elif drift == "extra":
        item["attendance"] = "present"
    elif drift == "missing":
        del item["feedback"]
    elif drift == "new_enum":
        item["userAssignedStatus"] = "Cancelled"
    elif drift == "null":
        item["postTestScore"] = None
    return item


def _page(items):
    return {"currentPage": 1, "totalItems": len(items), "totalPage": 1, "items": items}


def _ok(data):
    return jsonify({"status": "success", "message": "Success", "data": data})


def create_upstream(drift: str | None = None, *, activity: str = "list") -> Flask:
    app = Flask("upstream")
    app.json.sort_keys = False
    app.config["requests"] = []

    @app.before_request
    def note_and_authorize():
        app.config["requests"].append((request.method, request.full_path.rstrip("?"),
                                       request.headers.get("Authorization")))
        if request.path != "/oauth/token" and request.headers.get("Authorization") != TOKEN:
            return jsonify({"errorCode": 123, "message": TOKEN_NOT_VALID, "detail": TOKEN_NOT_VALID}), 403

    @app.post("/oauth/token")
    def token():
        body = request.get_json(silent=True) or {}
        if (body.get("clientID"), body.get("clientSecret")) != CLIENT:
            return jsonify({"errorCode": 400, "message": "BAD_REQUEST",
                            "detail": "Credentials does not match in our records"}), 400
        return jsonify({"status": "success", "message": "success",
                        "data": {"accessToken": TOKEN, "expiresIn": "43199", "tokenType": "bearer"}})

    @app.get("/ruangkerja/dashboard/courses")
    def courses():
        return _ok(_page(COURSES))

    @app.get("/ruangkerja/dashboard/courses/<course>/batches")
    def batches(course):
        return _ok(_page(BATCHES.get(course, [])))

    @app.get("/ruangkerja/dashboard/courses/<course>/offline/<batch>/users")
    def offline_users(course, batch):
        if (course, batch) != ("COURSE-UPSTREAM", "BATCH-UP-01"):
            message = f"rpc error: code = NotFound desc = batch {batch} not found"
            return jsonify(app.config.get("not_found_body")
                           or {"errorCode": 404, "message": message, "detail": message}), 404
        return _ok(_page(USERS[:3] + [drifted(USERS[3], drift)]))

    @app.get("/ruangkerja/dashboard/users/<employee>/courses/webinar")
    def webinar(employee):
        return _ok(ACTIVITY if activity == "list" else _page(ACTIVITY))

    @app.errorhandler(404)
    def not_served(error):  # the table's other routes: the vendor's 404, as an account without such data answers
        message = "rpc error: code = NotFound desc = not found"
        return jsonify({"errorCode": 404, "message": message, "detail": message}), 404

    return app

