"""Request input of the REST routes: XML bodies (the default, hardened parser), JSON bodies, PHP-style query arrays.

XML carries text only, so each reader parses it; JSON must carry the right type already (a string is no integer).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from flask import request

from ..errors import BadRequestError
from .dates import docs_moment
from ..api.xml import local_name, parse_xml

_MISSING = object()


class RequestBody:
    def __init__(self, values: dict[str, Any], from_xml: bool):
        self.values = values
        self.from_xml = from_xml

    @classmethod
    def read(cls) -> "RequestBody":
        data = request.get_data(cache=True)
        if request.mimetype == "application/json" or request.mimetype.endswith("+json"):
            try:
                values = json.loads(data or b"null")
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise BadRequestError(f"the body is not valid JSON: {error}") from None
            if not isinstance(values, dict):
                raise BadRequestError("the body must be a JSON object")
            return cls(values, from_xml=False)
        return cls(_xml_values(parse_xml(data)), from_xml=True)

    def _get(self, name: str, required: bool):
        value = self.values.get(name, _MISSING)
        if value is _MISSING or value is None or (self.from_xml and value == ""):
            if required:
                raise BadRequestError(f"{name} is required")
            return _MISSING
        return value

    def ids(self, name: str, required: bool = False) -> list[str] | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if self.from_xml and isinstance(value, str):  # <courseIds>uuid</courseIds>, unwrapped, as POST /enrollments
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise BadRequestError(f"{name} must be a list of IDs")
        if required and not value:
            raise BadRequestError(f"{name} must name at least one ID")
        return [v.strip() for v in value]

    def text(self, name: str, required: bool = False, choices: tuple[str, ...] | None = None) -> str | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            raise BadRequestError(f"{name} must be a string")
        if choices and value not in choices:
            raise BadRequestError(f"{name} must be one of {', '.join(choices)}")
        return value

    def integer(self, name: str) -> int | None:
        value = self._get(name, False)
        if value is _MISSING:
            return None
        if self.from_xml and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise BadRequestError(f"{name} must be an integer")

    def flag(self, name: str) -> bool:
        value = self._get(name, False)
        if value is _MISSING:
            return False
        if self.from_xml and isinstance(value, str) and value.strip() in ("true", "false", "1", "0"):
            return value.strip() in ("true", "1")
        if isinstance(value, bool):
            return value
        raise BadRequestError(f"{name} must be a boolean")

    def moment(self, name: str, required: bool = False) -> datetime | None:
        value = self.text(name, required)
        return None if value is None else docs_moment(value, name)


def _xml_values(root) -> dict[str, Any]:
    """`<request>` children by name: text, or the texts of an array's items (`<courseIds><id>..</id></courseIds>`);
    a repeated element collects into a list."""
    values: dict[str, Any] = {}
    for child in root:
        name = local_name(child)
        value = [(item.text or "").strip() for item in child] if len(child) else (child.text or "").strip()
        if name in values:
            previous = values[name]
            values[name] = (previous if isinstance(previous, list) else [previous]) + (
                value if isinstance(value, list) else [value])
        else:
            values[name] = value
    return values


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def query_ids(name: str) -> list[str] | None:
    """`?courseIds[]=a&courseIds[]=b` (the spec's PHP style); `?courseIds=a` is taken too. The spec types the items
    as UUIDs: anything else is a 400, like an empty one, not a filter that quietly matches nothing."""
    found = [v.strip() for v in request.args.getlist(f"{name}[]") + request.args.getlist(name)]
    if any(not v for v in found):
        raise BadRequestError(f"{name}[] must not be empty")
    wrong = next((v for v in found if not _UUID.fullmatch(v)), None)
    if wrong is not None:
        raise BadRequestError(f"{name}[] must be UUIDs, got {wrong!r}")
    return found or None


def query_int(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.strip().isdigit():
        raise BadRequestError(f"{name} must be a positive integer")
    return int(value)


# --- users ----------------------------------------------------------------------------------------------------------


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------


_RULE_INTS = {"attributeType": (1, 2, 3), "operator": (1, 2)}  # SmartGroupRule's enums


def member_ids(body: RequestBody, name: str = "userIds") -> list[str]:
    """A required list of user IDs that may be empty (the docs: "an empty userIds ... will remove all users from
    the group"): `<userIds/>` or `[]` is no one; left out it is a 400."""
    if name not in body.values or body.values[name] is None:
        raise BadRequestError(f"{name} is required")
    if body.from_xml and body.values[name] == "":
        return []
    return body.ids(name) or []


def smart_group_rules(body: RequestBody, name: str = "rules") -> dict:
    """SmartGroupRuleNodes, required: JSON `{"and": [{"or": [{"rule": {...}}]}]}`, XML
    `<rules><and><or><rule>...</rule></or></and></rules>` (repeated <and> and <or>, as the spec's unwrapped arrays
    and the docs' sample). Normalized to the JSON shape with typed rules, attributeId only when given."""
    if body.from_xml:
        root = parse_xml(request.get_data(cache=True))
        found = [child for child in root if local_name(child) == name]
        if not found:
            raise BadRequestError(f"{name} is required")
        return {"and": [{"or": [{"rule": _xml_rule(rule_holder)} for rule_holder in _children(node, "or")]}
                        for node in _children(found[0], "and")]}
    value = body.values.get(name)
    if value is None:
        raise BadRequestError(f"{name} is required")
    if not isinstance(value, dict) or not isinstance(value.get("and"), list):
        raise BadRequestError(f"{name} must be an object with an and array")
    nodes = []
    for node in value["and"]:
        if not isinstance(node, dict) or not isinstance(node.get("or"), list):
            raise BadRequestError(f"{name}.and[] must be objects with an or array")
        rules = []
        for entry in node["or"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("rule"), dict):
                raise BadRequestError(f"{name}.and[].or[] must be objects with a rule")
            rules.append({"rule": _json_rule(entry["rule"])})
        nodes.append({"or": rules})
    return {"and": nodes}


def _children(element, name: str) -> list:
    return [child for child in element if isinstance(child.tag, str) and local_name(child) == name]


def _xml_rule(holder) -> dict:
    rules = _children(holder, "rule")
    if len(rules) != 1:
        raise BadRequestError("rules: every <or> must hold one <rule>")
    values = {local_name(c): (c.text or "").strip() for c in rules[0] if isinstance(c.tag, str)}
    rule = {}
    for field in ("attributeType", "operator"):
        text = values.get(field, "")
        if not text:
            raise BadRequestError(f"rules: rule.{field} is required")
        if not text.isdigit() or int(text) not in _RULE_INTS[field]:
            raise BadRequestError(f"rules: rule.{field} must be one of {', '.join(map(str, _RULE_INTS[field]))}")
        rule[field] = int(text)
    return _rule(rule["attributeType"], values.get("attributeId") or None, rule["operator"], values.get("value"))


def _json_rule(values: dict) -> dict:
    for field in ("attributeType", "operator"):
        value = values.get(field)
        if value is None:
            raise BadRequestError(f"rules: rule.{field} is required")
        if isinstance(value, bool) or not isinstance(value, int) or value not in _RULE_INTS[field]:
            raise BadRequestError(f"rules: rule.{field} must be one of {', '.join(map(str, _RULE_INTS[field]))}")
    attribute = values.get("attributeId")
    if attribute is not None and not isinstance(attribute, str):
        raise BadRequestError("rules: rule.attributeId must be a string")
    value = values.get("value")
    if value is not None and not isinstance(value, str):
        raise BadRequestError("rules: rule.value must be a string")
    return _rule(values["attributeType"], attribute or None, values["operator"], value)


def _rule(attribute_type: int, attribute_id: str | None, operator: int, value: str | None) -> dict:
    if not value:
        raise BadRequestError("rules: rule.value is required")
    rule = {"attributeType": attribute_type, "attributeId": attribute_id, "operator": operator, "value": value}
    return {k: v for k, v in rule.items() if v is not None}
