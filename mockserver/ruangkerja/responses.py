"""Ruangkerja answers: JSON in the vendor's key order, the success envelope, and the generic paging of list rows.

Paging (`paging` of a row): "pages" answers the page object `{"currentPage","totalItems","totalPage","items"}`;
"bare" answers the page's items as a bare list, as the user-scoped activity pages' examples show, unless
--ruangkerja-user-activity paginated asks for the page object there too.
"""

from __future__ import annotations

from flask import Response, current_app, request

from ..api.checking import check
from ..api.paging import numbered_page, page_items, page_request


def envelope(data) -> dict:
    return {"status": "success", "message": "Success", "data": data}


def list_payload(call) -> dict:
    number, size = page_request(request.args)  # before the query: a bad page is a 400 even for an unknown course
    rows = call.op.rows(call)
    item = lambda row: call.op.item(call.world, row)  # noqa: E731
    if call.op.paging == "bare" and call.config.ruangkerja_user_activity == "list":
        return envelope(page_items(rows, number, size, item))
    return envelope(numbered_page(rows, number, size, item))


def json_response(payload, status: int = 200) -> Response:
    response = current_app.json.response(payload)
    response.status_code = status
    return response


def respond(call, payload) -> Response:
    """Send `payload` as JSON; with --check-contracts, a payload that breaks its contract is a 500 naming why."""
    if call.config.check_contracts:
        op = call.op
        check(op.choose(payload) if op.choose else op.contracts[0], payload)
    return json_response(payload, call.op.status)
