"""The official iSpring Learn REST spec (../shared/specs/, beside the project; never copied in), and its XML read
the way the spec's own `xml` hints describe (OpenAPI 3.0 XML object rules): shared by tests/test_ispring_spec.py
and tests/test_fuzz_ispring_spec.py."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from lxml import etree

SPEC = Path(__file__).resolve().parents[3] / "shared" / "specs" / "ispring-learn-rest-openapi.yaml"
ABSENT = (f"the vendor's OpenAPI spec is not at {SPEC} "
          "(it lives beside the project, in ../shared/specs/, and is not ours to copy)")


def load_spec() -> dict:
    """The spec with its corrections below: a copy of its own each call (the fuzz run edits its copy)."""
    return copy.deepcopy(_parsed())


@functools.cache
def _parsed() -> dict:
    import yaml

    found = yaml.load(SPEC.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # The spec's one self-contradiction the mock meets: ContentItemInformation requires `viewType` but never defines
    # it (no type, no values, in no doc either), so the mock does not invent one (README).
    found["components"]["schemas"]["ContentItemInformation"]["required"].remove("viewType")
    # UserProfileFields lists `additionalProperties` among its properties, a field of that name: it means the other
    # profile fields (first_name, job_title, custom ones ...) are strings beside login and email.
    fields = found["components"]["schemas"]["UserProfileFields"]
    fields["additionalProperties"] = fields["properties"].pop("additionalProperties")
    return found


def deref(spec: dict, node: dict) -> dict:
    """Follow `$ref: '#/components/...'` to the node it names."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def from_xml(spec: dict, element: etree._Element, schema: dict):
    """Data read from `element` by the spec's schema and its `xml` hints (OpenAPI 3.0 XML object rules)."""
    schema = deref(spec, schema)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        data = {}
        for name, prop in schema.get("properties", {}).items():
            prop = deref(spec, prop)
            if prop.get("type") == "array":
                items = deref(spec, prop["items"])
                item_name = items.get("xml", {}).get("name", name)
                holder = element.find(name) if prop.get("xml", {}).get("wrapped") else element
                if holder is not None:
                    data[name] = [from_xml(spec, child, items) for child in holder.findall(item_name)]
            else:
                child = element.find(prop.get("xml", {}).get("name", name))
                if child is not None:
                    data[name] = from_xml(spec, child, prop)
        known = {deref(spec, p).get("xml", {}).get("name", n) for n, p in schema.get("properties", {}).items()}
        known |= {deref(spec, p.get("items", {})).get("xml", {}).get("name", n)
                  for n, p in schema.get("properties", {}).items()}
        extra = [c for c in element if c.tag not in known]
        if schema.get("additionalProperties"):  # open: every other child is a property of that schema
            data.update((c.tag, from_xml(spec, c, schema["additionalProperties"])) for c in extra)
            extra = []
        assert not extra, f"<{element.tag}> has elements the spec does not name: {[c.tag for c in extra]}"
        return data
    if kind == "array":  # a root array (GET /role): its items, by the items' XML name, inside the root
        items = deref(spec, schema.get("items", {}))
        item_name = items.get("xml", {}).get("name")
        extra = [c.tag for c in element if item_name is not None and c.tag != item_name]
        assert not extra, f"<{element.tag}> has elements the spec does not name: {extra}"
        return [from_xml(spec, child, items) for child in element]
    text = element.text or ""
    if kind == "number":
        try:
            return float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            return text
    if kind == "integer":
        return int(text) if text.lstrip("-").isdigit() else text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def response_schema(spec: dict, method: str, path: str, status: int, media: str) -> dict | None:
    """The spec's schema for this answer, or None when the spec gives the status no body."""
    responses = spec["paths"][path][method]["responses"]
    assert str(status) in responses, f"the spec lists no {status} for {method.upper()} {path}"
    content = deref(spec, responses[str(status)]).get("content")
    return None if content is None else content[media]["schema"]


def validate(spec: dict, schema: dict, data) -> None:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    validator = OAS30Validator({**schema, "components": spec["components"]}, format_checker=oas30_format_checker)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def matches_spec(spec: dict, method: str, path: str, response, media: str) -> None:
    """Assert an answer is what the spec says for its status in `media`: JSON as it is, XML read by the spec's `xml`
    hints, its root the schema's XML name."""
    schema = response_schema(spec, method, path, response.status_code, media)
    if media == "application/json":
        data = response.get_json()
    else:
        root = etree.fromstring(response.get_data())
        assert root.tag == deref(spec, schema).get("xml", {}).get("name", "response")
        data = from_xml(spec, root, schema)
    validate(spec, schema, data)
