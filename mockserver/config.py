"""Server settings: one frozen dataclass, each field a CLI flag with its MOCKSERVER_* twin.

The CLI builds its options from the field metadata below, so a setting is declared once.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any


def setting(default: Any, help: str, *, choices: tuple | None = None, multiple: bool = False):
    return field(default=default, metadata={"help": help, "choices": choices, "multiple": multiple})


@dataclass(frozen=True)
class Config:
    host: str = setting("127.0.0.1", "Interface to listen on.")
    port: int = setting(8080, "Port to listen on.")
    workers: int = setting(0, "Gunicorn worker processes (0 = one per CPU).")
    seed: int = setting(20240601, "Seed of the generated world.")
    employees: int = setting(200, "Number of employees (the doc-example people keep their documented IDs).")
    courses: int = setting(30, "Number of courses (the doc-example courses included).")
    fixtures: str | None = setting(None, "Serve exactly this world JSON (from `mockserver fixtures export`).")
    state: str | None = setting(
        None, "SQLite file shared by the workers (writes, tokens). Default: a fresh temporary file per run."
    )
    max_body_bytes: int = setting(10 * 1024 * 1024, "Larger request bodies are refused with 413.")
    check_contracts: bool = setting(
        False, "Validate every response against its contract before sending it; a violation answers 500 naming it."
    )

    # Ruangkerja
    ruangkerja_clients: tuple[str, ...] = setting(
        ("example:example_secret",), "Ruangkerja API clients as clientID:clientSecret.", multiple=True
    )
    ruangkerja_static_tokens: tuple[str, ...] = setting(
        ("access_token",), "Ruangkerja tokens that never expire (the docs' literal one by default).", multiple=True
    )
    ruangkerja_token_ttl: int = setting(43199, "Lifetime in seconds of a Ruangkerja access token.")
    ruangkerja_auth_status: int = setting(
        403, "HTTP status of a refused Ruangkerja token (the body is errorCode 123 either way).", choices=(401, 403)
    )
    ruangkerja_conflict_status: int = setting(
        409,
        "HTTP status of a documented business error (10101 employee ID, 10102 email, 11101 tag name: already taken): "
        "409 as gRPC AlreadyExists maps, or 400.",
        choices=(409, 400),
    )
    ruangkerja_user_activity: str = setting(
        "list",
        "Shape of `data` on the user-scoped course-activity routes: the docs' bare list, or the paginated object.",
        choices=("list", "paginated"),
    )

    # iSpring Learn
    ispring_clients: tuple[str, ...] = setting(
        ("example:example_secret",), "iSpring clients of POST /api/v3/token as client_id:client_secret.", multiple=True
    )
    ispring_logins: tuple[str, ...] = setting(
        ("email@email.com:12345Q",),
        "iSpring logins (X-Auth-* headers, SOAP accountUrl/email/password) as email:password; "
        "email:password:learner is a login without API rights (403, SOAP 'Permission denied').",
        multiple=True,
    )
    ispring_static_tokens: tuple[str, ...] = setting(
        ("p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE",),
        "iSpring tokens that never expire (by default the docs' sample token, so their examples work verbatim).",
        multiple=True,
    )
    ispring_token_ttl: int = setting(1800, "Lifetime in seconds of an iSpring access token.")
    ispring_soap_namespace: str = setting(
        "https://ispringlearn.ru/go/services/api/soap",
        "Target namespace of the iSpring SOAP service (the http/https and .com/.ru variants are accepted too).",
    )
    ispring_soap_booleans: str = setting(
        "digits", "SOAP booleans as 0/1 (getEnrollments docs example) or true/false (getEnrollment's).",
        choices=("digits", "words"),
    )

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)


def settings() -> list[dataclasses.Field]:
    return list(dataclasses.fields(Config))
