"""JSON-strict field types. marshmallow's own coerce ("1" passes as an int, "true" as a bool); a contract must not."""

from __future__ import annotations

from marshmallow import ValidationError, fields


def json_type(value) -> str:
    """The JSON name of a Python value's type, for messages like `expected boolean, got string`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


class _Strict(fields.Field):
    expected = "value"

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)
        self.error_messages["null"] = f"expected {self.expected}, got null"

    def accepts(self, value) -> bool:
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        if not self.accepts(value):
            raise ValidationError(f"expected {self.expected}, got {json_type(value)}")
        return value


class Str(_Strict):
    expected = "string"

    def accepts(self, value):
        return isinstance(value, str)


class Bool(_Strict):
    expected = "boolean"

    def accepts(self, value):
        return isinstance(value, bool)


class Int(_Strict):
    expected = "integer"

    def accepts(self, value):
        return isinstance(value, int) and not isinstance(value, bool)


class Number(_Strict):
    expected = "number"

    def accepts(self, value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)


def Nested(schema, **kwargs):
    kwargs.setdefault("required", True)
    return fields.Nested(schema, **kwargs)


def List(inner, **kwargs):
    kwargs.setdefault("required", True)
    return fields.List(inner, **kwargs)
