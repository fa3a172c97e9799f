"""The /webhook/* operations (the spec's `webhook` tag): request bodies in, world writes and answers out.

Bodies are JSON or XML (`<request>`) as every iSpring REST body. The docs name the secret `Secret` in their tables
and `secret` in their samples (Pipedream sends `Secret`): both are read. A subscription's params are
`[{"name": "userIds", "value": "[\"<uuid>\", ...]"}]`, the value a JSON array as text (the docs' sample); in XML
`<subscription><subscriptionType/><params><name/><value/></params>...</subscription>` (the spec's unwrapped array).
"""

from __future__ import annotations

import json

from flask import request

from ..api.xml import local_name, parse_xml
from ..errors import BadRequestError
from ..state import suspended_subscribers
from ..webhooks.delivery import host_allowed
from ..world import webhooks as world
from .inputs import RequestBody


def _name(body: RequestBody) -> str:
    return body.text("subscriberName", required=True)


def _callback_url(call, body: RequestBody) -> str:
    url = body.text("callbackUrl", required=True)
    problem = host_allowed(url, call.config.webhook_hosts)
    if problem:
        raise BadRequestError(problem)
    return url


def _secret(body: RequestBody) -> str | None:
    found = body.values.get("secret", body.values.get("Secret"))
    if found is None:
        return None
    if not isinstance(found, str):
        raise BadRequestError("secret must be a string")
    return found


def register_subscriber(call) -> None:
    body = RequestBody.read()
    world.register(call.world, call.state, _name(body), _callback_url(call, body), _secret(body))


def change_subscriber_settings(call) -> None:
    body = RequestBody.read()
    name = _name(body)
    world.subscriber(call.world, name)  # an unknown subscriber is the spec's 404 before a refused URL's 400
    world.change_settings(call.world, call.state, name, _callback_url(call, body), _secret(body))


def send_confirmation_code(call) -> None:
    world.send_code(call.world, call.state, _name(RequestBody.read()))


def confirm(call) -> None:
    body = RequestBody.read()
    name = _name(body)
    world.confirm(call.world, call.state, name, body.text("code", required=True))


def enable_subscriber(call) -> None:
    world.set_enabled(call.world, call.state, _name(RequestBody.read()), True)


def disable_subscriber(call) -> None:
    world.set_enabled(call.world, call.state, _name(RequestBody.read()), False)


def remove_subscriber(call) -> None:
    world.remove(call.world, call.state, _name(RequestBody.read()))


def subscribe(call) -> None:
    body = RequestBody.read()
    name = _name(body)
    subscription_type, params = _subscription(body)
    world.subscribe(call.world, call.state, name, subscription_type, params)


def unsubscribe(call) -> None:
    body = RequestBody.read()
    name = _name(body)
    world.unsubscribe(call.world, call.state, name,
                      body.text("subscriptionType", required=True, choices=world.SUBSCRIPTION_TYPES))


def list_subscriptions(call) -> list:
    found = world.subscriber(call.world, _query_name())
    return [{"subscriptionType": s["subscriptionType"], "params": s["params"]} for s in found.subscriptions]


def get_subscriber_info(call) -> dict:
    """The docs: notificationProcessStatus Active (events are sent), Inactive (not sent: the subscriber is disabled
    or its URL unconfirmed), Suspended (a delivery failed and awaits its retry; events accumulate meanwhile)."""
    found = world.subscriber(call.world, _query_name())
    if not (found.enabled and found.confirmed):
        process = "INACTIVE"
    else:
        process = "SUSPENDED" if found.subscriber_name in suspended_subscribers(call.state) else "ACTIVE"
    return {"subscriberStatus": "ACTIVE" if found.enabled else "INACTIVE",
            "confirmationStatus": "CONFIRMED" if found.confirmed else "UNCONFIRMED",
            "notificationProcessStatus": process}


def _query_name() -> str:
    name = request.args.get("subscriberName")
    if not name:
        raise BadRequestError("subscriberName is required")
    return name


# --- subscription ---------------------------------------------------------------------------------------------------


def _subscription(body: RequestBody) -> tuple[str, list[dict]]:
    """(subscriptionType, params) of the body's required `subscription` object."""
    if body.from_xml:
        holders = [child for child in parse_xml(request.get_data(cache=True)) if local_name(child) == "subscription"]
        if len(holders) != 1:
            raise BadRequestError("subscription is required, once")
        texts = {local_name(c): (c.text or "").strip() for c in holders[0] if not len(c)}
        params = [{local_name(c): (c.text or "").strip() for c in p} for p in holders[0] if local_name(p) == "params"]
        values = {**texts, "params": params}
    else:
        values = body.values.get("subscription")
        if not isinstance(values, dict):
            raise BadRequestError("subscription is required: an object with subscriptionType and params")
    kind = values.get("subscriptionType")
    if not isinstance(kind, str) or kind not in world.SUBSCRIPTION_TYPES:
        raise BadRequestError(f"subscription.subscriptionType must be one of {', '.join(world.SUBSCRIPTION_TYPES)}")
    params = values.get("params", [])
    if not isinstance(params, list):
        raise BadRequestError("subscription.params must be a list of {name, value}")
    return kind, [_param(p) for p in params]


def _param(param) -> dict:
    """A SubscriptionParameter: name, and a value that is a JSON array of IDs as text."""
    if not isinstance(param, dict) or not all(isinstance(param.get(k), str) for k in ("name", "value")):
        raise BadRequestError("subscription.params: each must have a name and a value, both strings")
    try:
        ids = json.loads(param["value"])
    except ValueError:
        ids = None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequestError(f"subscription.params: the value of {param['name']} must be a JSON array of IDs, "
                              'e.g. ["d15e8c54-c26f-11ed-b604-0a768b65ead7"]')
    return {"name": param["name"], "value": param["value"]}
