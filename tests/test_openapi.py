"""The OpenAPI document is generated from the tables and contracts, and describes exactly the REST routes served."""

import json
import re

from click.testing import CliRunner

from mockserver.cli import main
from mockserver.api.openapi import openapi_document
from mockserver.wings import WINGS


NOT_REST = {"static", "ispring_soap", "admin_openapi",  # SOAP is in the WSDL; the document does not describe itself
            "console.home", "console.page", "console.static"}  # the QA console's HTML pages (test_console.py)


def test_every_rest_route_is_described(app):
    described = {(path, method.upper()) for path, ops in openapi_document(WINGS)["paths"].items() for method in ops}
    served = {
        (re.sub(r"<(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_REST
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert described == served
    assert ("/enrollment/{enrollmentId}", "GET") in described and ("/oauth/token", "GET") in described


def test_document_is_strict_like_the_contracts(client):
    document = client.get("/__admin/openapi.json").get_json()
    assert document == json.loads(json.dumps(openapi_document(WINGS)))
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
    assert json.loads(printed) == json.loads(json.dumps(openapi_document(WINGS)))
