"""The Ruangkerja operations that are not a generic list: each takes the call and returns the payload."""

from __future__ import annotations

from mockserver.contracts.ruangkerja import CreateUserPayloadSchema, TagPayloadSchema, UpdateUserPayloadSchema

from ..errors import BadRequestError, InvalidCredentialsError, MockError
from ..world import ruangkerja as world
from ..world.ruangkerja import NewUser, Outcome, UserChange, only
from . import auth, items
from .errors import item_error
from .inputs import (
    AssignOnlineCourseRequestSchema,
    CreateTagsRequestSchema,
    CreateUserRequestSchema,
    CreateUsersRequestSchema,
    DeleteTagsRequestSchema,
    TagRequestSchema,
    UpdateTagsRequestSchema,
    UpdateUserRequestSchema,
    UpdateUsersEmailRequestSchema,
    UpdateUsersRequestSchema,
    json_object,
    load_body,
    required_text,
    timestamp_arg,
)
from .responses import envelope


def generate_access_token(call) -> dict:
    body = json_object("clientID, clientSecret and grantType")
    client_id, secret = (required_text(body, k) for k in ("clientID", "clientSecret"))
    if required_text(body, "grantType") != "client_credentials":
        raise BadRequestError("grantType must be client_credentials")
    config = call.config
    clients = dict(client.split(":", 1) for client in config.ruangkerja_clients)
    if clients.get(client_id) != secret:
        raise InvalidCredentialsError("Credentials does not match in our records")
    token = auth.new_token()
    call.state.add_token(auth.VENDOR, token, config.ruangkerja_token_ttl, call.world.now().timestamp())
    return {
        "status": "success",
        "message": "success",
        "data": {"accessToken": token, "expiresIn": str(config.ruangkerja_token_ttl), "tokenType": "bearer"},
    }


def user_activity_summary(call) -> dict:
    """One object, no paging: the person and their assignments counted."""
    return envelope(items.activity_summary(call.world, world.activity_summary(call.world, call.path["employeeID"])))


def user_course_status(call) -> dict:
    """`{"items": [...]}`, no paging: the course assignments completed between the two (required) timestamps."""
    start, end = timestamp_arg("startTimestamp"), timestamp_arg("endTimestamp")
    return envelope({"items": [items.course_completion(call.world, c)
                               for c in world.course_completions(call.world, start, end)]})


# --- users ------------------------------------------------------------------------------------------------------------


def bulk(payloads: list[dict], outcomes: list[Outcome]) -> dict:
    """A bulk answer: `"status":"success"` whatever failed, each item with its payload echoed (bulk pages)."""
    failed = [{"error": item_error(o), "payload": p} for p, o in zip(payloads, outcomes) if isinstance(o, MockError)]
    succeeded = [{"payload": p, "response": {"serial": o}} for p, o in zip(payloads, outcomes)
                 if not isinstance(o, MockError)]
    return {"data": {"failedItems": failed, "successItems": succeeded}, "status": "success", "message": "success"}


def echoed(item: dict, contract) -> dict:
    """A bulk item as the answer echoes it: every documented field in the docs' order, null when not sent."""
    return {name: item.get(name) for name in contract._declared_fields}


def _new_user(item: dict) -> NewUser:
    return NewUser(item["employeeID"], item["name"], item["isActive"], item.get("username"), item.get("email"),
                   item.get("phone"), item.get("tagSerials"), item.get("organizationSerial"))


def _user_change(item: dict, who: str | None = None) -> UserChange:
    return UserChange(who or item["employeeID"], item["name"], item.get("newEmployeeID"), item.get("username"),
                      None, item.get("phone"), item["isActive"], item.get("tagSerials"), item.get("organizationSerial"))


def find_user(call) -> dict:
    return envelope(items.user(call.world, world.employee(call.world, call.path["employeeID"])))


def create_user(call) -> dict:
    body = load_body(CreateUserRequestSchema)
    return envelope({"serial": only(world.create_users(call.world, call.state, [_new_user(body)]))})


def update_user(call) -> dict:
    body = load_body(UpdateUserRequestSchema)
    person = world.employee(call.world, call.path["employeeID"])  # an employee ID or a user serial, as on GET
    if body["employeeID"] != person.employee_id:
        raise BadRequestError(f"employeeID: {body['employeeID']!r} is not the employee of the path "
                              f"({person.employee_id}); a new employee ID goes in newEmployeeID")
    return envelope({"serial": only(world.change_users(call.world, call.state, [_user_change(body, person.serial)]))})


def create_users(call) -> dict:
    given = load_body(CreateUsersRequestSchema)["items"]
    outcomes = world.create_users(call.world, call.state, [_new_user(item) for item in given])
    return bulk([echoed(item, CreateUserPayloadSchema) for item in given], outcomes)


def update_users(call) -> dict:
    given = load_body(UpdateUsersRequestSchema)["items"]
    outcomes = world.change_users(call.world, call.state, [_user_change(item) for item in given])
    return bulk([echoed(item, UpdateUserPayloadSchema) for item in given], outcomes)


def update_users_email(call) -> dict:
    given = load_body(UpdateUsersEmailRequestSchema)["items"]
    outcomes = world.change_users(call.world, call.state,
                                  [UserChange(item["employeeID"], email=item["email"]) for item in given])
    return bulk([{"employeeID": i["employeeID"], "email": i["email"], "password": i.get("password")} for i in given],
                outcomes)


# --- tags -------------------------------------------------------------------------------------------------------------


def find_tag(call) -> dict:
    return envelope(items.tag(call.world, world.tag(call.world, call.path["tagSerial"])))


def create_tag(call) -> dict:
    name = load_body(TagRequestSchema)["name"]
    return envelope({"serial": only(world.write_tags(call.world, call.state, [(None, name)]))})


def update_tag(call) -> dict:
    name = load_body(TagRequestSchema)["name"]
    return envelope({"serial": only(world.write_tags(call.world, call.state, [(call.path["tagSerial"], name)]))})


def create_tags(call) -> dict:
    given = load_body(CreateTagsRequestSchema)["items"]
    outcomes = world.write_tags(call.world, call.state, [(None, item["name"]) for item in given])
    return bulk([echoed(item, TagPayloadSchema) for item in given], outcomes)


def update_tags(call) -> dict:
    given = load_body(UpdateTagsRequestSchema)["items"]
    outcomes = world.write_tags(call.world, call.state, [(item["serial"], item["name"]) for item in given])
    return bulk([echoed(item, TagPayloadSchema) for item in given], outcomes)  # the serial is in `response`


def delete_tags(call) -> dict:
    failed, deleted = world.delete_tags(call.world, call.state, load_body(DeleteTagsRequestSchema)["serials"])
    return {"data": {"failed": failed, "success": deleted}, "status": "success", "message": "success"}


# --- company structure and course assignment --------------------------------------------------------------------------


def get_company_structure(call) -> dict:
    tops, children = world.company_structure(call.world)
    return {"data": {"organizations": [items.organization(unit, children) for unit in tops]},
            "status": "success", "message": "success"}


def assign_online_course(call) -> dict:
    body = load_body(AssignOnlineCourseRequestSchema)
    world.assign_online_course(call.world, call.state, call.path["courseSerial"], body.get("userSerials") or [],
                               body.get("employeeIDs") or [], body.get("dueDate"))
    return envelope({})  # the docs' success example is not known (README, compatibility notes)
