"""The OpenAPI document is generated from the contracts and describes exactly the JSON routes the mock serves."""

import json
import re

from click.testing import CliRunner

from mockserver.cli import main
from mockserver.openapi import openapi_document


VENDOR_NAMES = {"course_serial": "courseSerial", "batch_serial": "batchSerial", "employee_id": "employeeID"}


def flask_route(rule: str) -> str:
    """`/courses/<course_serial>` as the vendor writes it: `/courses/{courseSerial}`."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + VENDOR_NAMES[m.group(1)] + "}", rule)


def test_every_json_route_is_described(app):
    described = {(path, method.upper()) for path, ops in openapi_document()["paths"].items() for method in ops}
    served = {
        (flask_route(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/ruangkerja", "/oauth", "/__admin/health", "/__admin/reset"))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert described == served


def test_document_is_strict_like_the_contracts(client):
    document = client.get("/__admin/openapi.json").get_json()
    assert document == json.loads(json.dumps(openapi_document()))
    assert document["openapi"] == "3.0.3"
    item = document["components"]["schemas"]["BatchUserAssignment"]
    assert item["additionalProperties"] is False
    assert item["properties"]["userAssignedStatus"]["enum"] == ["Ongoing", "Cleared", "Failed"]
    assert item["properties"]["postTestPassingScore"] == {"type": "integer", "nullable": True}
    assert list(item["properties"])[:2] == ["user", "absentReason"]


def test_cli_prints_it():
    result = CliRunner().invoke(main, ["openapi"])
    assert result.exit_code == 0
    printed = result.stdout
    assert json.loads(printed) == json.loads(json.dumps(openapi_document()))
