"""Request input of the REST routes: XML bodies (the default, hardened parser), JSON bodies (`application/json`,
`text/json`, `+json`), form bodies (urlencoded or multipart, PHP-style arrays) and PHP-style query arrays.

XML and forms carry text only, so each reader parses it; JSON should carry the right type, but a number or boolean
sent as a string (`"duePeriod": "72"`, `"lockAfterDueDate": "true"`) is taken as real clients send them.

Query and form names follow PHP, the real server's language: `ids[]=a&ids[]=b` and `ids[0]=a&ids[1]=b` (what PHP's
http_build_query and Laravel send, percent-encoded or not) are both arrays; `fields[login]=x` is an object. A name
with brackets that PHP-style parsing cannot read is a 400, never a filter quietly dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Iterable

from flask import request

from ..errors import BadRequestError, echo
from .dates import docs_moment
from ..api import json_input
from ..api.xml import local_name, parse_xml

_MISSING = object()
JSON_TYPES = ("application/json", "text/json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class RequestBody:
    """A request body's values by name. `from_xml`: read from an XML body (children texts, lists of item texts);
    `textual`: every value is text (XML or a form), so an empty value counts as absent and a single ID as a list."""

    def __init__(self, values: dict[str, Any], from_xml: bool, textual: bool | None = None):
        self.values = values
        self.from_xml = from_xml
        self.textual = from_xml if textual is None else textual

    @classmethod
    def read(cls, empty_ok: bool = False) -> "RequestBody":
        """The body by its Content-Type: JSON, a form, else XML (the default). `empty_ok`: no body at all is no
        values (the token call, whose credentials may all be in the Authorization header)."""
        mimetype = request.mimetype
        if mimetype in FORM_TYPES:  # before any get_data(): Werkzeug parses the form from the stream
            return cls(php_values(request.form.items(multi=True)), from_xml=False, textual=True)
        data = request.get_data(cache=True)
        if empty_ok and not data.strip():
            return cls({}, from_xml=False, textual=True)
        if mimetype in JSON_TYPES or mimetype.endswith("+json"):
            try:
                values = json_input.loads(data)
            except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, and what json_input refuses
                raise BadRequestError(f"the body is not valid JSON: {error}") from None
            if not isinstance(values, dict):
                raise BadRequestError("the body must be a JSON object")
            null = next((name for name, value in values.items() if value is None), None)
            if null is not None:  # the spec marks nothing nullable: null is no value of any of its types
                raise BadRequestError(f"{null} must not be null: leave it out instead")
            return cls(values, from_xml=False)
        return cls(_xml_values(parse_xml(data)), from_xml=True)

    def _get(self, name: str, required: bool):
        value = self.values.get(name, _MISSING)
        if value is _MISSING or value is None or (self.textual and value == ""):
            if required:
                raise BadRequestError(f"{name} is required")
            return _MISSING
        return value

    def ids(self, name: str, required: bool = False) -> list[str] | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if self.textual and isinstance(value, str):  # <courseIds>uuid</courseIds>, unwrapped, as POST /enrollments
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
        """An integer; in JSON a string of decimal digits too (`"72"`, `" -3 "`). `"abc"`, `"7.5"`, `7.5` are 400s."""
        value = self._get(name, False)
        if value is _MISSING:
            return None
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            if len(value.strip().lstrip("-").lstrip("0")) > 10:  # no 32-bit integer; int() of 4300+ digits raises
                raise BadRequestError(f"{name} must be a 32-bit integer, got {echo(value.strip(), 20)}")
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadRequestError(f"{name} must be an integer")
        if not -2**31 <= value < 2**31:  # the spec's integers are 32-bit (its maxima say 2147483647)
            raise BadRequestError(f"{name} must be a 32-bit integer, got {echo(value, 20)}")
        return value

    def flag(self, name: str) -> bool:
        """A boolean; also, in any body, the strings true/false/1/0 (any case) and, in JSON, the numbers 1 and 0."""
        value = self._get(name, False)
        if value is _MISSING:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and value in (0, 1):
            return value == 1
        raise BadRequestError(f"{name} must be a boolean")

    def moment(self, name: str, required: bool = False) -> datetime | None:
        value = self.text(name, required)
        return None if value is None else docs_moment(value, name)


def _xml_values(root) -> dict[str, Any]:
    """`<request>` children by name: text, or the texts of an array's items (`<courseIds><id>..</id></courseIds>`);
    a repeated element collects into a list. A root holding text and no element is no request (`<request>true`)."""
    if not len(root) and (root.text or "").strip():
        raise BadRequestError(f"the body must be <{local_name(root)}> with one element per field, not text")
    values: dict[str, Any] = {}
    repeated: set[str] = set()  # names whose list this call built, so it is extended in place: linear, not quadratic
    for child in root:
        name = local_name(child)
        value = [(item.text or "").strip() for item in child] if len(child) else (child.text or "").strip()
        if name not in values:
            values[name] = value
            continue
        if name not in repeated:
            previous = values[name]
            values[name] = list(previous) if isinstance(previous, list) else [previous]
            repeated.add(name)
        values[name].extend(value if isinstance(value, list) else [value])
    return values


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")  # base, then its [segments]
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")  # PHP reads these as integer keys; `01`, `-1`, ` 1` are not


def _segments(key: str) -> tuple[str, list[str]] | None:
    """`ids[0][x]` -> ("ids", ["0", "x"]); None when the brackets are not PHP's (`ids[0`, `ids]`, `ids[0]x`)."""
    found = _NAME.fullmatch(key)
    if not found:
        return None
    return found[1], re.findall(r"\[([^\[\]]*)\]", found[2])


def query_values(name: str) -> list[str] | None:
    """The values of array query parameter `name`, in order: `name[]=a&name[]=b` (the spec's style), PHP's
    http_build_query `name[0]=a&name[1]=b` (read in index order; `%5B0%5D` is the same), and bare `name=a` (which
    clients send too). A bracketed form that is no flat array (`name[x]`, `name[0][1]`, `name[01]`, `name[0`, an index
    given twice) is a 400 naming it: never ignored, so a filter never silently matches everything."""
    plain = [v.strip() for v in request.args.getlist(name)]
    indexed: dict[int, str] = {}
    for key in request.args:
        if not key.startswith(name) or key == name or key[len(name)] not in "[]":
            continue
        parsed = _segments(key)
        if parsed is None or parsed[0] != name or len(parsed[1]) != 1 or not (
                parsed[1][0] == "" or _INDEX.fullmatch(parsed[1][0])):
            raise BadRequestError(f"{name}[]: {key!r} is no array parameter; send {name}[]=… or {name}[0]=…")
        for value in request.args.getlist(key):
            if parsed[1][0] == "":
                index = max(indexed, default=-1) + 1  # PHP: `[]` takes the next index
            else:
                index = int(parsed[1][0])
                if index in indexed:
                    raise BadRequestError(f"{name}[]: index {index} is given twice")
            indexed[index] = value.strip()
    found = [indexed[i] for i in sorted(indexed)] + plain
    return found or None


def query_ids(name: str) -> list[str] | None:
    """query_values(name), each a UUID as the spec types them: anything else is a 400, like an empty one, not a filter
    that quietly matches nothing."""
    found = query_values(name) or []
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
    if not re.fullmatch(r"[0-9]+", value.strip()):
        raise BadRequestError(f"{name} must be a positive integer")
    if len(value.strip().lstrip("0")) > 18:  # past any page size; int() of 4300+ digits raises
        raise BadRequestError(f"{name} must be at most {10**18}")
    return int(value)


def php_values(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Form fields as PHP reads them into $_POST, shaped like the JSON of the same body: `ids[]=a&ids[]=b` and
    `ids[0]=a&ids[1]=b` are lists (in index order), `fields[login]=x` an object, `fields[0][name]=x` a list of
    objects; a plain name given twice is a list (as a repeated XML element). Brackets PHP cannot read, an index given
    twice, and a name used both as a value and as an array are 400s naming the field."""
    tree: dict[str, Any] = {}
    for key, value in pairs:
        parsed = _segments(key)
        if parsed is None:
            raise BadRequestError(f"{key!r} is no field name PHP can read (unbalanced brackets)")
        base, segments = parsed
        if not segments:
            previous = tree.get(base, _MISSING)
            if isinstance(previous, dict):
                raise BadRequestError(f"{base} is given both as a value and as an array")
            tree[base] = value if previous is _MISSING else (
                previous if isinstance(previous, list) else [previous]) + [value]
            continue
        node = tree.setdefault(base, {})
        if not isinstance(node, dict):
            raise BadRequestError(f"{base} is given both as a value and as an array")
        for depth, segment in enumerate(segments):
            last = depth == len(segments) - 1
            if segment == "":
                segment = max((k for k in node if isinstance(k, int)), default=-1) + 1
            elif _INDEX.fullmatch(segment):
                segment = int(segment)
            if last:
                if segment in node:
                    raise BadRequestError(f"{key!r} is given twice")
                node[segment] = value
            else:
                node = node.setdefault(segment, {})
                if not isinstance(node, dict):
                    raise BadRequestError(f"{key!r} is given both as a value and as an array")
    return {name: _shaped(value) for name, value in tree.items()}


def _shaped(node):
    """A parsed bracket tree: integer keys only -> a list in index order; else an object (keys as text)."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_shaped(node[k]) for k in sorted(node)]
    return {str(k): _shaped(v) for k, v in node.items()}


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


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


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


def body_objects(body: RequestBody, name: str, many: bool) -> list[RequestBody]:
    """The objects under `name` as bodies of their own: JSON `{"name": {...}}` (or `[{...}, ...]` when `many`);
    XML `<name><child>..</child></name>`, repeated when `many` (the spec's `xml.wrapped: false`)."""
    if body.from_xml:
        root = parse_xml(request.get_data(cache=True))
        found = [RequestBody(_xml_values(child), from_xml=True) for child in root if local_name(child) == name]
        if not many and len(found) > 1:
            raise BadRequestError(f"{name} must be given once")
        return found
    value = body._get(name, False)
    if value is _MISSING:
        return []
    items = value if many and isinstance(value, list) else [value]
    if many != isinstance(value, list) or not all(isinstance(v, dict) for v in items):
        raise BadRequestError(f"{name} must be {'a list of objects' if many else 'an object'}")
    return [RequestBody(v, from_xml=False) for v in items]


def body_int_choice(body: RequestBody, name: str, choices: tuple[int, ...]) -> int:
    """A required integer among `choices` (<status>3</status>, JSON 3)."""
    value = body.integer(name)
    if value is None:
        raise BadRequestError(f"{name} is required")
    if value not in choices:
        raise BadRequestError(f"{name} must be one of {', '.join(map(str, choices))}")
    return value


# --- departments ----------------------------------------------------------------------------------------------------


def body_object(body: RequestBody, name: str) -> dict[str, str] | None:
    """An object of the request body (`<subordination><subordinationType>manual</subordinationType>...` or its JSON
    twin) as {child: text}; None when absent. XML nests what `RequestBody` flattens, so it is read again here."""
    if not body.from_xml:
        value = body.values.get(name)
        if value is None:
            return None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise BadRequestError(f"{name} must be an object of strings")
        return value
    for child in parse_xml(request.get_data(cache=True)):
        if local_name(child) == name:
            if len(child) == 0 and (child.text or "").strip():
                raise BadRequestError(f"{name} must hold elements, not text")
            return {local_name(c): (c.text or "").strip() for c in child}
    return None



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
        if not re.fullmatch("[0-9]{1,9}", text) or int(text) not in _RULE_INTS[field]:  # not isdigit(): '²' is one
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


# --- content --------------------------------------------------------------------------------------------------------

# The spec's targetLocale parameter (X-Target-Locale): the mock's catalogue has one language, so a locale is checked
# and changes nothing.
TARGET_LOCALES = ("en-US", "ru-RU", "da-DK", "de-DE", "es-ES", "fr-FR", "zh-CN", "ja-JP", "pt-BR", "id-ID", "mn-MN",
                  "it-IT", "nl-NL", "fi-FI", "uk-UA", "no-NO", "pl-PL", "az-AZ", "kk-KK", "ro-RO", "ko-KR", "bg-BG",
                  "cs-CZ", "uz-UZ", "zh-TW")


def target_locale() -> str | None:
    value = request.headers.get("X-Target-Locale")
    if value is not None and value not in TARGET_LOCALES:
        raise BadRequestError(f"X-Target-Locale must be one of {', '.join(TARGET_LOCALES)}, got {value!r}")
    return value


def _content_types(found: list[str] | None, name: str) -> list[str] | None:
    from mockserver.contracts.ispring import CONTENT_TYPES

    wrong = next((v for v in found or () if v not in CONTENT_TYPES), None)
    if wrong is not None:
        raise BadRequestError(f"{name} must be ContentTypes ({', '.join(CONTENT_TYPES)}), got {wrong!r}")
    return found


def query_content_types(name: str = "contentTypes") -> list[str] | None:
    """`contentTypes=Course&contentTypes=Quiz` (the spec's form), or `contentTypes[]=…` (the new docs' sample)."""
    found = query_values(name)
    if found is not None and any(not v for v in found):
        raise BadRequestError(f"{name} must not be empty")
    return _content_types(found, name)


def body_content_types(body: RequestBody, name: str = "contentTypes") -> list[str] | None:
    return _content_types(body_texts(body, name), name)


def query_id(name: str, required: bool = False) -> str | None:
    """One UUID query value (`quizId`), given once."""
    found = request.args.getlist(name)
    if not found or (len(found) == 1 and not found[0].strip()):
        if required:
            raise BadRequestError(f"{name} is required")
        return None
    if len(found) > 1:
        raise BadRequestError(f"{name} must be given once")
    if not is_uuid(found[0].strip()):
        raise BadRequestError(f"{name} must be a UUID, got {found[0]!r}")
    return found[0].strip()


def query_comma_ids(name: str) -> list[str]:
    """A required list of UUIDs given comma-separated (`learningTrackIds=a,b`, the spec's form), or repeated."""
    found = [part.strip() for value in query_values(name) or () for part in value.split(",")]
    if not found:
        raise BadRequestError(f"{name} is required")
    wrong = next((v for v in found if not is_uuid(v)), None)
    if wrong is not None:
        raise BadRequestError(f"{name} must be comma-separated UUIDs, got {wrong!r}")
    return found


def query_date_range(name: str) -> tuple[datetime, datetime] | None:
    """The spec's DateRange as a deepObject: `name[startDate]=…&name[endDate]=…`, both required when either is given.
    A moment without a zone is UTC; a date alone is its midnight (the end: the last second of that day)."""
    keys = [key for key in request.args if key == name or key.startswith(name + "[")]
    if not keys:
        return None
    unknown = [key for key in keys if key not in (f"{name}[startDate]", f"{name}[endDate]")]
    if unknown:
        raise BadRequestError(f"{name} is {name}[startDate] and {name}[endDate], got {unknown[0]!r}")
    bounds = []
    for part in ("startDate", "endDate"):
        values = request.args.getlist(f"{name}[{part}]")
        if len(values) != 1 or not values[0].strip():
            raise BadRequestError(f"{name}[{part}] is required, once")
        moment = docs_moment(values[0], f"{name}[{part}]")
        if part == "endDate" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", values[0].strip()):
            moment = moment.replace(hour=23, minute=59, second=59)
        bounds.append(moment)
    if bounds[1] < bounds[0]:
        raise BadRequestError(f"{name}[endDate] is before {name}[startDate]")
    return bounds[0], bounds[1]

# --- results --------------------------------------------------------------------------------------------------------


def query_range(name: str) -> tuple[datetime, datetime] | None:
    """A DateRange in the spec's deepObject style, `name[startDate]=..&name[endDate]=..`, both required once either
    is given; a bare date as the end means its whole day. Any other key under `name` is a 400 naming it."""
    given = {}
    for key in request.args:
        if key == name or key.startswith(name + "["):
            parsed = _segments(key)
            if parsed is None or parsed[0] != name or len(parsed[1]) != 1 or parsed[1][0] not in ("startDate",
                                                                                                 "endDate"):
                raise BadRequestError(f"{name}: {key!r} is not {name}[startDate] or {name}[endDate]")
            given[parsed[1][0]] = request.args[key].strip()
    if not given:
        return None
    for part in ("startDate", "endDate"):
        if not given.get(part):
            raise BadRequestError(f"{name}[{part}] is required with {name}")
    start, end = docs_moment(given["startDate"], f"{name}[startDate]"), docs_moment(given["endDate"],
                                                                                   f"{name}[endDate]")
    if len(given["endDate"]) == 10:  # a date: until its last second
        end = end.replace(hour=23, minute=59, second=59)
    if end < start:
        raise BadRequestError(f"{name}[endDate] is before {name}[startDate]")
    return start, end


def query_choices(name: str, choices: tuple, cast=str) -> list | None:
    """An array query parameter (`name`, `name[]`, `name[0]`) whose values must be among `choices`."""
    found = query_values(name)
    if found is None:
        return None
    values = []
    for value in found:
        try:
            typed = cast(value)
        except ValueError:
            typed = None
        if typed not in choices:
            raise BadRequestError(f"{name} must be among {', '.join(map(str, choices))}, got {value!r}")
        values.append(typed)
    return values


def body_number(body: RequestBody, name: str, required: bool = False) -> float | None:
    """A number; in XML, forms and JSON strings its decimal text (`"12.5"`). NaN and infinities are not numbers."""
    value = body._get(name, required)
    if value is _MISSING:
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+(\.[0-9]+)?\s*", value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")):
        raise BadRequestError(f"{name} must be a number")
    return value


def body_items(body: RequestBody, name: str, item: str) -> list[RequestBody]:
    """An array of objects, each a body of its own: JSON `[{...}]`; XML wrapped as the spec writes it,
    `<name><item>..</item><item>..</item></name>`, or `<name>` repeated, one object each (as body_objects reads)."""
    if not body.from_xml:
        return body_objects(body, name, many=True)
    found = []
    for holder in (c for c in parse_xml(request.get_data(cache=True)) if local_name(c) == name):
        items = [c for c in holder if isinstance(c.tag, str) and local_name(c) == item]
        found += [RequestBody(_xml_values(c), from_xml=True) for c in items] if items else \
            [RequestBody(_xml_values(holder), from_xml=True)]
    return found
