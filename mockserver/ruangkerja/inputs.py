"""Ruangkerja request input: JSON bodies and query values, checked strictly (a wrong one is a 400 naming the field,
never a guess).

Bodies of the writes are marshmallow schemas with the contracts' JSON-strict fields (`"1"` is no integer, `"true"` no
boolean) and unknown fields refused; the same schemas describe the request bodies in the OpenAPI document.
Query paging is api/paging.py's, the same for every list.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import request
from marshmallow import Schema, ValidationError, validate, validates_schema

from mockserver.contracts.base import StrictSchema, one_of, violations
from mockserver.contracts.fields import Bool, Int, List, Nested, Str
from mockserver.contracts.wording import reword

from ..api import json_input
from ..errors import BadRequestError


def json_object(fields: str) -> dict:
    """The body as a JSON object with `fields` (the token call's GET carries one too: the method does not matter)."""
    try:
        body = json_input.loads(request.get_data(cache=True))
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, and what json_input refuses
        raise BadRequestError(f"request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise BadRequestError(f"request body must be a JSON object with {fields}")
    return body


def required_text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequestError(f"{name} is required and must be a string")
    return value


# An RFC 3339 date-time with its offset. The docs' curl sends `+07:00` unencoded, which a query string reads as a
# space: a space before the offset stands for the `+` it was.
_RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+ -])(\d\d):(\d\d))")
TIMESTAMP_EXAMPLE = "2019-10-12T14:20:50+07:00"


def timestamp_arg(name: str) -> datetime:
    """A required query value such as `2019-10-12T14:20:50+07:00` (any offset, `Z` too), as an aware datetime."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        raise BadRequestError(f"{name} is required")
    found = _RFC3339.fullmatch(raw)
    try:
        if found is None:
            raise ValueError
        year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
        micro = int((found.group(7) or "0")[:6].ljust(6, "0"))
        if second == 60:  # a leap second: the last instant of its minute
            second, micro = 59, 999999
        offset = timedelta(0)
        if not found.group(8):
            hours, minutes = int(found.group(10)), int(found.group(11))
            if hours > 23 or minutes > 59:
                raise ValueError
            offset = (-1 if found.group(9) == "-" else 1) * timedelta(hours=hours, minutes=minutes)
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(offset))
    except ValueError:
        raise BadRequestError(f"{name} must be an RFC 3339 date-time with an offset, e.g. {TIMESTAMP_EXAMPLE}, "
                              f"got {raw!r}") from None


# --- request bodies as marshmallow schemas (strict JSON types, unknown fields refused) --------------------------------

MAX_BULK_ITEMS = 100  # items of one bulk call: as many as a page holds (pageSize "Maximum value 100")
MAX_INT32 = 2**31 - 1


class _Whole(validate.Regexp):
    """The whole value must match: re.match lets a trailing newline through `^[A-Za-z0-9]+$`."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


_ALNUM = _Whole(r"^[A-Za-z0-9]+$", error="must be letters and digits only (a-z, A-Z, 0-9), got {input!r}")
_NOT_EMPTY = validate.Length(min=1, error="must not be empty")
_BULK = validate.Length(min=1, max=MAX_BULK_ITEMS, error=f"must hold 1 to {MAX_BULK_ITEMS} items")


def _optional(field_type=Str, **kwargs):
    return field_type(required=False, allow_none=True, **kwargs)


def _iso_8601(value: str) -> None:
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        raise ValidationError(f"must be an ISO 8601 date-time, got {value!r}") from None


class CreateUserRequestSchema(StrictSchema):
    """Create User and each Create User Bulk item: isActive, optional tags and organization, and email or phone (or
    both): that rule is the world's (world/ruangkerja.py), so in a bulk call it fails the one item, not the call."""

    employeeID = Str(validate=_ALNUM)
    name = Str(validate=_NOT_EMPTY)
    username = _optional(validate=_ALNUM)  # None: the employee ID, lower-cased
    email = _optional()  # not checked for a format: the docs' own example sets "John Doe"
    phone = _optional()
    password = _optional()  # sent to the user by the real API; the mock keeps no password
    isActive = Bool()
    tagSerials = _optional(List, inner=Str())
    organizationSerial = _optional()


class UpdateUserRequestSchema(StrictSchema):
    """Update User By Employee ID and each Update User Bulk item; an email changes through Update User Email Bulk.
    A field left out (or null) stays as it is; tagSerials replaces the user's tags ([] takes them all off)."""

    employeeID = Str(validate=_ALNUM)
    name = Str(validate=_NOT_EMPTY)
    newEmployeeID = _optional(validate=_ALNUM)
    username = _optional(validate=_ALNUM)
    phone = _optional()
    isActive = Bool()
    tagSerials = _optional(List, inner=Str())
    organizationSerial = _optional()


class UpdateUserEmailRequestSchema(StrictSchema):
    employeeID = Str(validate=_NOT_EMPTY)
    email = Str(validate=_NOT_EMPTY)
    password = _optional()


class CreateUsersRequestSchema(StrictSchema):
    items = List(Nested(CreateUserRequestSchema), validate=_BULK)


class UpdateUsersRequestSchema(StrictSchema):
    items = List(Nested(UpdateUserRequestSchema), validate=_BULK)


class UpdateUsersEmailRequestSchema(StrictSchema):
    items = List(Nested(UpdateUserEmailRequestSchema), validate=_BULK)


class TagRequestSchema(StrictSchema):
    """Create Tag, Update Tag By Serial, and each Create Tag Bulk item."""

    name = Str(validate=_NOT_EMPTY)


class TagUpdateItemSchema(StrictSchema):
    serial = Str(validate=_NOT_EMPTY)
    name = Str(validate=_NOT_EMPTY)


class CreateTagsRequestSchema(StrictSchema):
    items = List(Nested(TagRequestSchema), validate=_BULK)


class UpdateTagsRequestSchema(StrictSchema):
    items = List(Nested(TagUpdateItemSchema), validate=_BULK)


class DeleteTagsRequestSchema(StrictSchema):
    serials = List(Str(validate=_NOT_EMPTY), validate=_BULK)


class FormSettingSchema(StrictSchema):
    formSerial = Str(validate=_NOT_EMPTY)
    lockBy = Str(validate=one_of("open", "manual"))


class AssignOnlineCourseRequestSchema(StrictSchema):
    """Assign Online Course: users by serial or employee ID (either list may be empty, not both)."""

    userSerials = _optional(List, inner=Str(validate=_NOT_EMPTY))
    employeeIDs = _optional(List, inner=Str(validate=_NOT_EMPTY))
    isMandatory = Bool()
    dueDate = _optional(validate=_iso_8601, metadata={"format": "date-time"})
    assignedDate = _optional(validate=_iso_8601, metadata={"format": "date-time"})
    maxPostTestAttempts = _optional(Int, validate=validate.Range(
        min=0, max=MAX_INT32, error=f"must be 0 (unlimited) to {MAX_INT32}, got {{input}}"))  # 0: unlimited
    formSetting = List(Nested(FormSettingSchema))  # [] when the course has no form

    @validates_schema
    def _someone(self, data, **kwargs):
        if not data.get("userSerials") and not data.get("employeeIDs"):
            raise ValidationError("userSerials or employeeIDs must name at least one user", field_name="userSerials")


def any_of_filled(names: tuple[str, ...], kind: str) -> list[dict]:
    """OpenAPI for "one of these fields at least, not empty" (each of JSON type `kind`), which a marshmallow schema
    cannot say: an `anyOf` beside a row's body schema, so a body that fits the document fits the mock too."""
    filled = {"type": "string", "minLength": 1} if kind == "string" else {"type": "array", "minItems": 1}
    return [{"required": [name], "properties": {name: filled}} for name in names]


def load_body(schema: type[Schema]) -> dict:
    """The JSON body loaded by `schema`; a 400 naming every field that is wrong (`items[0].isActive: expected
    boolean, got string`), and nothing done, when it does not fit."""
    instance = schema()
    body = json_object(", ".join(instance.fields))
    problems = violations(instance, body)
    if problems:  # in a fixed order (marshmallow finds unknown fields as a set): the declared fields', then the body's
        order = {key: i for i, key in enumerate([*instance.fields, *body])}
        problems.sort(key=lambda line: (order.get(re.split(r"[.\[:]", line, maxsplit=1)[0], len(order)), line))
        raise BadRequestError("; ".join(reword(line, body) for line in problems))
    return instance.load(body)


_GO_BOOLS = {**dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
             **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False)}


def query_bool(name: str, raw: str | None) -> bool | None:
    """A boolean query value as the vendor's Go backend reads one (strconv.ParseBool, which refuses ""); None when
    absent."""
    if raw is None:
        return None
    if raw not in _GO_BOOLS:
        raise BadRequestError(f"{name} must be true or false, got {raw!r}")
    return _GO_BOOLS[raw]
