"""XML bodies checked with the same marshmallow contracts as JSON.

`xml_data` reads an lxml element the way its schema expects: child elements become keys in document order (so
`violations(..., ordered=True)` checks the vendor's element order), nested schemas recurse, lists are either
wrapped (`<enrollments><enrollment/>...</enrollments>`) or the field's element repeated, and text becomes an int or
a bool only when it is exactly such a literal; anything else stays a string and fails the typed field.
"""

from __future__ import annotations

import re

from lxml import etree
from marshmallow import Schema, fields

from .base import BareValueSchema
from .fields import List

_INT = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def XmlList(inner, *, item: str | None = None, **kwargs):
    """A list; in XML `item` elements inside the field's element, or (item None) the field's element repeated."""
    kwargs.setdefault("metadata", {})["xml_item"] = item
    return List(inner, **kwargs)


def Flag(field):
    """A boolean that XML writes with the caller's `flags` literals (e.g. SOAP's 0/1) instead of false/true."""
    field.metadata["xml_flag"] = True
    return field


def xml_data(element: etree._Element, schema: Schema | type[Schema], *, ns: str | None = None,
             flags: tuple[str, str] = ("false", "true")) -> dict:
    """The data `schema` checks, read from `element`'s children; elements outside `ns` keep their {ns} name."""
    schema = schema() if isinstance(schema, type) else schema
    if isinstance(schema, BareValueSchema) and not len(element):
        return element.text or ""  # the value itself: violations() checks it as the schema's `value`
    data: dict = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child)
        key = name.localname if name.namespace == ns else child.tag
        field = schema.fields.get(key)
        if isinstance(field, fields.List):
            item = field.metadata.get("xml_item")
            if item is None:
                data.setdefault(key, []).append(_value(child, field.inner, ns, flags))
                continue
            data[key] = [
                _value(c, field.inner, ns, flags) if _is(c, item, ns) else {f"unexpected <{c.tag}>": c.text}
                for c in child if isinstance(c.tag, str)
            ]
            continue
        value = _value(child, field, ns, flags)
        data[key] = [data[key], value] if key in data else value  # a repeated scalar fails as an array
    return data


def _is(element, local: str, ns: str | None) -> bool:
    return etree.QName(element).localname == local and etree.QName(element).namespace == ns


def _value(element, field, ns, flags):
    reader = field.metadata.get("xml_read") if field is not None else None
    if reader is not None:  # a field XML writes in more than one shape reads itself
        return reader(element, ns, flags)
    if isinstance(field, fields.Nested):
        return xml_data(element, field.schema, ns=ns, flags=flags)
    if len(element):  # children where text belongs
        return xml_data(element, Schema(), ns=ns, flags=flags)
    text = element.text or ""
    kind = type(field).__name__
    if kind == "Bool":
        literals = flags if field.metadata.get("xml_flag") else ("false", "true")
        return literals.index(text) == 1 if text in literals else text
    if kind in ("Int", "Number") and _INT.fullmatch(text):
        return int(text)
    if kind == "Number" and _DECIMAL.fullmatch(text):  # a float's text, as `80.0`
        return float(text)
    return text
