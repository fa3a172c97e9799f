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


def query_texts(name: str) -> list[str] | None:
    """`?logins[]=a&logins[]=b` (also `logins=a` and PHP's indexed `logins[0]=a`): strings, not UUIDs."""
    found = request.args.getlist(f"{name}[]") + request.args.getlist(name)
    found += [v for key in request.args if re.fullmatch(rf"{re.escape(name)}\[\d+\]", key)
              for v in request.args.getlist(key)]
    found = [v.strip() for v in found]
    if any(not v for v in found):
        raise BadRequestError(f"{name}[] must not be empty")
    return found or None


def body_texts(body: RequestBody, name: str) -> list[str] | None:
    """A body's array of strings (`logins`, `emails`): JSON strings, XML `<logins>a</logins>` repeated or wrapped."""
    value = body._get(name, False)
    if value is _MISSING:
        return None
    if body.from_xml and isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadRequestError(f"{name} must be a list of strings")
    return [v.strip() for v in value]


def body_ids(body: RequestBody, name: str) -> list[str] | None:
    """An array of IDs that must be UUIDs (the spec's ArrayOfIds), or None when absent."""
    ids = body.ids(name)
    wrong = next((v for v in ids or () if not _UUID.fullmatch(v)), None)
    if wrong is not None:
        raise BadRequestError(f"{name} must be UUIDs, got {wrong!r}")
    return ids


def profile_fields_input(body: RequestBody, known: tuple[str, ...]) -> dict[str, str] | None:
    """The request's `fields`: XML `<fields><login>..</login><email>..</email>...</fields>` (real clients), JSON the
    spec's object `{"login": .., "email": ..}`, or the answers' array `[{"name": "LOGIN", "value": ..}]`.
    Keys are lower-case (`first_name`); values strings."""
    if body.from_xml:
        root = parse_xml(request.get_data(cache=True))
        holder = next((c for c in root if local_name(c) == "fields"), None)
        if holder is None:
            return None
        pairs = []
        for child in holder:
            name = local_name(child)
            if name == "field":  # <field><name>LOGIN</name><value>..</value></field>
                parts = {local_name(c): (c.text or "").strip() for c in child}
                pairs.append((parts.get("name", ""), parts.get("value", "")))
            else:
                pairs.append((name, (child.text or "").strip()))
    else:
        value = body.values.get("fields")
        if value is None:
            return None
        if isinstance(value, dict):
            pairs = list(value.items())
        elif isinstance(value, list) and all(isinstance(v, dict) and set(v) == {"name", "value"} for v in value):
            pairs = [(v["name"], v["value"]) for v in value]
        else:
            raise BadRequestError("fields must be an object of profile fields ({\"login\": ..., \"email\": ...})")
    found: dict[str, str] = {}
    for name, value in pairs:
        key = str(name).lower()
        if key not in known:
            raise BadRequestError(f"fields.{name} is not a profile field ({', '.join(known)})")
        if not isinstance(value, str):
            raise BadRequestError(f"fields.{key} must be a string")
        found[key] = value.strip()
    return found


# --- user lifecycle -------------------------------------------------------------------------------------------------


# --- departments ----------------------------------------------------------------------------------------------------


# --- groups ---------------------------------------------------------------------------------------------------------
