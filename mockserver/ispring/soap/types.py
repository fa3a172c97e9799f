"""The Spyne types of the iSpring Learn SOAP API: what the WSDL publishes and requests are parsed with.

Spyne writes a model's namespace into the class itself, so every target namespace gets its own set of classes
(built once, cached): two apps with different namespaces can live in one process.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from spyne import Array, Boolean, ComplexModel, Date, DateTime, Integer32, Unicode

from ...world.ispring import DUE_DATE_TYPES

REQUIRED = {"min_occurs": 1, "nillable": False}
OPTIONAL = {"min_occurs": 0, "nillable": True}  # nillable: an empty <pageToken/> means "not given"


class Flag(Boolean):
    """An xs:boolean the docs print as 0/1 (seed 002's shouldLockAfterDueDate); true/false by setting."""


class DocsDate(Date):
    """An xs:date that also takes the docs' `2019-09-24 10:30:00` (the time is dropped)."""


class DocsDateTime(DateTime):
    """An xs:dateTime that also takes a bare date and the docs' space-separated `2019-09-24 10:30:00`."""


def req(kind):
    return kind.customize(**REQUIRED)


def opt(kind):
    return kind.customize(**OPTIONAL)


def many(kind):
    return kind.customize(max_occurs="unbounded", **OPTIONAL)


@functools.cache
def soap_types(tns: str) -> SimpleNamespace:
    def model(name: str, fields: list) -> type[ComplexModel]:
        return type(name, (ComplexModel,), {"__namespace__": tns, "__type_name__": name, "_type_info": fields})

    subordination = model("Subordination", [
        ("subordinationType", Unicode(values=["manual", "inherit", "no_supervisor"], **REQUIRED)),
        ("supervisorId", opt(Unicode)),
    ])
    certificate = model("Certificate", [
        ("issuedCertificateId", req(Unicode)), ("issueDate", req(DateTime)), ("expiryDate", opt(DateTime)),
    ])
    field = model("UserProfileField", [("name", req(Unicode)), ("value", req(Unicode))])
    groups = _group_types(model)
    return SimpleNamespace(
        **groups,
        **_training_types(model),
        Ids=Array(req(Unicode), member_name="id"),
        DueDateType=Unicode(values=list(DUE_DATE_TYPES), **REQUIRED),
        Credentials=model("Credentials", [
            ("accountUrl", opt(Unicode)), ("token", opt(Unicode)), ("email", opt(Unicode)), ("password", opt(Unicode)),
        ]),
        # Element order as seed 002 prints it; dueDate/expirationDate where the docs' field table puts them.
        Enrollment=model("Enrollment", [
            ("enrollmentId", req(Unicode)), ("courseId", req(Unicode)), ("learnerId", req(Unicode)),
            ("accessDate", req(Date)), ("dueDate", opt(Date)), ("expirationDate", opt(Date)),
            ("enrollmentTypeGroup", Integer32(values=[0, 1], **REQUIRED)),
            ("shouldLockAfterDueDate", req(Flag)), ("certificate", opt(certificate)),
        ]),
        UserProfile=model("UserProfile", [
            ("userId", req(Unicode)), ("role", req(Unicode)), ("departmentId", req(Unicode)),
            ("status", Integer32(values=[1, 3, 5], **REQUIRED)),
            ("fields", Array(field, member_name="field", **REQUIRED)),
        ]),
        ContentItem=model("ContentItem", [
            ("contentItemId", req(Unicode)), ("title", req(Unicode)), ("subtitle", req(Unicode)),
            ("description", req(Unicode)), ("userId", req(Unicode)), ("addedDate", req(DateTime)),
            ("viewUrl", req(Unicode)), ("type", req(Unicode)),
        ]),
        Department=model("Department", [
            ("departmentId", req(Unicode)), ("name", req(Unicode)), ("code", req(Unicode)),
            ("parentDepartmentId", opt(Unicode)), ("subordination", req(subordination)),
            ("coSubordination", req(subordination)),
        ]),
        # --- users ---
        # getUserProfileFields (docs.ispring.ru 18809452): booleans true/false as in the docs' sample
        UserFieldInfo=model("UserFieldInfo", [
            ("userFieldInfoId", req(Unicode)), ("name", req(Unicode)), ("label", req(Unicode)),
            ("type", req(Unicode)), ("isUnique", req(Boolean)), ("isVisible", req(Boolean)),
            ("isRequired", req(Boolean)), ("orderPriority", req(Integer32)),
        ]),
        # addUser's login and e-mail: strings on the wire; the names say they are a new user's, unique in the account
        # (the world refuses an empty or taken one; the table suite sends a fresh one)
        Login=Unicode,
        Email=Unicode,
    )


# --- groups ---


def _group_types(model) -> dict:
    """getGroups' group and addSmartGroup's rules > and > or > rule (the docs' sample request)."""
    # attributeType (1-3) and operator (1-2) are plain ints here, checked by the world: two enumerations in one
    # model are written to the WSDL in a hash-seeded order, and the WSDL must be the same bytes every run.
    rule = model("SmartGroupRule", [
        ("attributeType", req(Integer32)), ("attributeId", opt(Unicode)), ("operator", req(Integer32)),
        ("value", req(Unicode)),
    ])
    or_node = model("OrSmartGroupRuleNode", [("rule", req(rule))])
    and_node = model("AndSmartGroupRuleNode", [("or", many(or_node).customize(min_occurs=1))])
    rules = model("SmartGroupRuleNodes", [("and", many(and_node).customize(min_occurs=1))])
    # A request's rules that select by a profile field, for whoever needs a valid value (tests/test_operations.py).
    rules.EXAMPLE = {"and": [{"or": [{"rule": {"attributeType": 3, "attributeId": "LOGIN", "operator": 1,
                                               "value": "example.login"}}]}]}
    return {
        "SoapGroup": model("Group", [("groupId", req(Unicode)), ("name", req(Unicode))]),
        "SmartGroupRules": rules,
    }


# --- training ---


def _training_types(model) -> dict:
    """listSessionsByTraining's trainingSession, in the docs' order (vendor notes §1.4): id, title, startTime,
    duration (seconds), dayIds, instructor."""
    return {"TrainingSession": model("TrainingSession", [
        ("id", req(Unicode)), ("title", req(Unicode)), ("startTime", req(DateTime)), ("duration", req(Integer32)),
        ("dayIds", Array(req(Unicode), member_name="id").customize(**REQUIRED)), ("instructor", opt(Unicode)),
    ])}

