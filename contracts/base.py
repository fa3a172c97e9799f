"""The strict base schema and the one way to check a payload: a list of violations, each a field path and a reason."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError
from marshmallow.validate import OneOf


class StrictSchema(Schema):
    """Every field required (fields.py defaults), no field the contract does not name."""

    class Meta:
        unknown = RAISE


class BareValueSchema(StrictSchema):
    """A body that is no JSON object: a bare array or value (iSpring `GET /user`'s array, the 201s'
    `<response>{uuid}</response>`). It is checked as the object `{"value": body}` (violations() wraps it): the one
    field `value` says what the body must be. The OpenAPI document describes it by the class's `OPENAPI` schema when
    it gives one, else by its `value` field."""


def one_of(*choices):
    return OneOf(choices, error="unexpected value {input!r}, expected one of {choices}")


def _flatten(errors, path: str = "") -> list[str]:
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            if key == "_schema":
                step = path
            elif isinstance(key, int):
                step = f"{path}[{key}]"
            else:
                step = f"{path}.{key}" if path else str(key)
            found.extend(_flatten(value, step))
        return found
    if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        return [f"{path or '$'}: {message}" for message in errors]
    return [f"{path or '$'}: {errors}"]


def _order(schema: Schema, data, path: str = "") -> list[str]:
    """Keys out of the contract's declared order (the vendor's order), recursively."""
    if not isinstance(data, dict):
        return []
    found = []
    declared = [name for name in schema.fields if name in data]
    present = [key for key in data if key in schema.fields]
    if declared != present:
        found.append(f"{path or '$'}: keys in order {present}, expected {declared}")
    for name, field in schema.fields.items():
        inner = getattr(field, "schema", None) or getattr(getattr(field, "inner", None), "schema", None)
        value = data.get(name)
        step = f"{path}.{name}" if path else name
        if inner is None or value is None:
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                found.extend(_order(inner, item, f"{step}[{i}]"))
        else:
            found.extend(_order(inner, value, step))
    return found


def violations(schema: Schema | type[Schema], data, *, ordered: bool = False) -> list[str]:
    """What in `data` breaks the contract, as `path: reason` lines; empty when it conforms."""
    if isinstance(schema, type):
        schema = schema()
    if isinstance(schema, BareValueSchema):
        data = {"value": data}
    try:
        schema.load(data)
        found = []
    except ValidationError as error:
        found = _flatten(error.messages)
    if ordered:
        found.extend(_order(schema, data))
    return found
