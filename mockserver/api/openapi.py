"""The OpenAPI document of every REST row of every table (Ruangkerja JSON, iSpring REST in XML and JSON, the admin
routes), generated from the rows and their contracts with apispec, never written by hand. SOAP rows are in the WSDL.

Served at `GET /__admin/openapi.json` and printed by `mockserver openapi`; schemathesis fuzzes the mock from it.
A wing's vendor-wide facts (media types, error contract, auth header, paging parameters) are its OPENAPI dict.
"""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from mockserver.contracts import fields as strict
from mockserver.contracts.base import BareValueSchema

from .. import __version__
from .operation import Operation, openapi_path


def openapi_document(wings) -> dict:
    """The document of the wings' tables (mockserver.wings.WINGS)."""
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec("LMS mockserver", __version__, "3.0.3", plugins=[plugin])
    for field, kind in ((strict.Str, "string"), (strict.Bool, "boolean"), (strict.Int, "integer"),
                        (strict.Number, "number")):
        plugin.map_to_openapi_type(field, kind, None)
    for wing in wings:
        for op in wing.OPERATIONS:
            if op.soap is not None:
                continue
            for n, (method, path) in enumerate(op.routes()):
                operation = _operation(wing.OPENAPI, op, path, plugin)
                # The same row at another (method, path), e.g. the doc curl's GET of the token call.
                operation["operationId"] = op.name if n == 0 else f"{op.name}_{method.lower()}"
                spec.path(path=openapi_path(path), operations={method.lower(): operation})
    return spec.to_dict()


def _operation(facts: dict, op: Operation, path: str, plugin: MarshmallowPlugin) -> dict:
    parameters = [{"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
                  for name in op.path_names(path)]
    for name, schema, description in facts.get("paging", {}).get(op.paging, ()):
        required = op.paging in facts.get("required_paging", ())
        parameters.append({"in": "query", "name": name, "required": required, "schema": schema,
                           "description": description})
    for p in op.params:
        parameters.append({"in": p.where, "name": p.name, "required": p.required, "schema": p.schema,
                           **({"description": p.description} if p.description else {}),
                           **({"example": p.example} if p.example is not None else {})})
    if not op.public and facts.get("auth"):
        parameters.append(facts["auth"])
    operation = {"summary": op.summary, "parameters": parameters, "responses": _responses(facts, op, plugin)}
    if op.body:
        operation["requestBody"] = {"required": True,
                                    "content": {media: {"schema": schema} for media, schema in op.body.items()}}
    return operation


def _responses(facts: dict, op: Operation, plugin: MarshmallowPlugin) -> dict:
    media_types = facts["media_types"]
    found = {str(op.status): {"description": op.summary}}
    if op.contracts:
        found[str(op.status)]["content"] = {media: {"schema": _bare(_schema(op, media, media_types), plugin)}
                                            for media in media_types}
    for status in op.errors:
        found[str(status)] = {"description": "Error", "content": {"text/plain": {"schema": {"type": "string"}}}} \
            if status in op.text_errors else \
            {"description": "Error", "content": {media: {"schema": facts["error"]} for media in media_types}}
    return found


def _schema(op: Operation, media: str, media_types: tuple[str, ...]):
    """One contract per media type (iSpring REST: JSON first, XML last); several readings of one are a oneOf."""
    if len(media_types) > 1:
        contract = op.contracts[0] if media == media_types[0] else op.contracts[-1]
        return getattr(contract, "OPENAPI", None) or contract  # a body that is no object: the contract says its schema
    readings = list(dict.fromkeys(op.contracts))
    return readings[0] if len(readings) == 1 else {"oneOf": readings}


def _bare(schema, plugin: MarshmallowPlugin):
    """A bare array or string body (contracts.base.BareValueSchema) with no OPENAPI is described by its `value` field alone."""
    if isinstance(schema, type) and issubclass(schema, BareValueSchema):
        return plugin.converter.field2property(schema().fields["value"])
    return schema


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    return "Ispring" + name if cls.__module__ == "mockserver.contracts.ispring" else name  # both vendors have an Error
