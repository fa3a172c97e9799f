"""Server settings: one frozen dataclass, each field a CLI flag with its MOCKSERVER_* twin.

The CLI builds its options from the field metadata below, so a setting is declared once, with its check: a value out
of range or in the wrong format is refused where it is read (the CLI names the flag or variable it came from, in one
line; Config(...) in code raises SettingError).
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit


class SettingError(ValueError):
    """A setting's value is refused: `field` is the Config field, `value` the value as given, `reason` why."""

    def __init__(self, field: str, value: Any, reason: str):
        super().__init__(f"{field}={value!r}: {reason}")
        self.field, self.value, self.reason = field, value, reason


Check = Callable[[Any], "str | None"]  # a value -> None when good, else what it must be


def between(low: int, high: int | None = None, what: str = "") -> Check:
    def check(value: int) -> str | None:
        if value < low or (high is not None and value > high):
            span = f"{low} to {high}" if high is not None else f"at least {low}"
            return f"must be {what + ', ' if what else ''}{span}"
        return None

    return check


def pair(first: str, second: str, *, third: tuple[str, ...] = ()) -> Check:
    """`first:second` (each non-empty), or `first:second:third` with third one of `third`."""
    shape = f"{first}:{second}" + (f"[:{'|'.join(third)}]" if third else "")

    def check(value: str) -> str | None:
        parts = value.split(":", 2 if third else 1)
        if len(parts) < 2 or not parts[0].strip() or not parts[1] or (len(parts) == 3 and parts[2] not in third):
            return f"must be {shape}"
        return None

    return check


def token(value: str) -> str | None:
    return None if re.fullmatch(r"[!-~]+", value) else "must be a token: printable ASCII, no spaces"


def url(value: str) -> str | None:
    parts = urlsplit(value)
    return None if parts.scheme in ("http", "https") and parts.netloc else "must be an http(s) URL"


def host(value: str) -> str | None:
    return None if value.strip() and " " not in value else "must be a host name or address"


def setting(default: Any, help: str, *, choices: tuple | None = None, multiple: bool = False,
            check: Check | None = None):
    return field(default=default, metadata={"help": help, "choices": choices, "multiple": multiple, "check": check})


@dataclass(frozen=True)
class Config:
    host: str = setting("127.0.0.1", "Interface to listen on.", check=host)
    port: int = setting(8080, "Port to listen on.", check=between(1, 65535, "a port number"))
    workers: int = setting(0, "Gunicorn worker processes (0 = one per CPU).", check=between(0, 256))
    seed: int = setting(20240601, "Seed of the generated world.")
    employees: int = setting(200, "Number of employees (the doc-example people keep their documented IDs).",
                             check=between(1, 100_000))
    courses: int = setting(30, "Number of courses (the doc-example courses included).",
                           check=between(3, 10_000))
    fixtures: str | None = setting(None, "Serve exactly this world JSON (from `mockserver fixtures export`).")
    state: str | None = setting(
        None, "SQLite file shared by the workers (writes, tokens), or a postgresql://user:pass@host:5432/db URL "
        "shared by several replicas. Default: a fresh temporary file per run."
    )
    read_timeout: int = setting(
        5, "Seconds a client has to send a whole request (headers and body, from its first byte) and to take the "
        "answer; a new connection silent that long is closed too. A slower one is cut (408 when it can be told).",
        check=between(1, 3600, "a number of seconds"))
    max_body_bytes: int = setting(10 * 1024 * 1024, "Larger request bodies are refused with 413.",
                                  check=between(1, None, "a size in bytes"))
    check_contracts: bool = setting(
        False, "Validate every response against its contract before sending it; a violation answers 500 naming it."
    )
    access_log: str | None = setting(
        None, "A console line per request (method, path, status, ms, vendor operation): text or json, or off. "
        "Default: text when stderr is a terminal, else off.", choices=("off", "text", "json"),
    )

    # Ruangkerja
    ruangkerja_clients: tuple[str, ...] = setting(
        ("example:example_secret",), "Ruangkerja API clients as clientID:clientSecret.", multiple=True,
        check=pair("clientID", "clientSecret")
    )
    ruangkerja_static_tokens: tuple[str, ...] = setting(
        ("access_token",), "Ruangkerja tokens that never expire (the docs' literal one by default).", multiple=True,
        check=token
    )
    ruangkerja_token_ttl: int = setting(43199, "Lifetime in seconds of a Ruangkerja access token.",
                                       check=between(1, None, "a number of seconds"))
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
        ("example:example_secret",), "iSpring clients of POST /api/v3/token as client_id:client_secret.", multiple=True,
        check=pair("client_id", "client_secret")
    )
    ispring_logins: tuple[str, ...] = setting(
        ("email@email.com:12345Q",),
        "iSpring logins (X-Auth-* headers, SOAP accountUrl/email/password) as email:password; "
        "email:password:learner is a login without API rights (403, SOAP 'Permission denied').",
        multiple=True,
        check=pair("email", "password", third=("learner", "administrator")),
    )
    ispring_static_tokens: tuple[str, ...] = setting(
        ("p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE",),
        "iSpring tokens that never expire (by default the docs' sample token, so their examples work verbatim).",
        multiple=True,
        check=token,
    )
    ispring_token_ttl: int = setting(1800, "Lifetime in seconds of an iSpring access token.",
                                     check=between(1, None, "a number of seconds"))
    ispring_soap_namespace: str = setting(
        "https://ispringlearn.ru/go/services/api/soap",
        "Target namespace of the iSpring SOAP service (the http/https and .com/.ru variants are accepted too).",
        check=url,
    )
    ispring_soap_booleans: str = setting(
        "digits", "SOAP booleans as 0/1 (getEnrollments docs example) or true/false (getEnrollment's).",
        choices=("digits", "words"),
    )
    ispring_soap_reply_namespace: str = setting(
        "request",
        "Namespace of SOAP answers: the request's own (any accepted http/https, .com/.ru variant, as the doc samples "
        "answer in the namespace they ask in), or always the configured --ispring-soap-namespace (the WSDL's).",
        choices=("request", "configured"),
    )
    ispring_task_seconds: int = setting(
        2, "How long an iSpring async task runs (GET /task/{taskId}/status): waiting for the first half, in_progress "
           "for the second, then complete; 0 = complete at once.", check=between(0, 86_400, "a number of seconds"))
    # iSpring users
    ispring_user_shape: str = setting(
        "clients",
        "User answers as real clients read them (`fields` an array of {name,value}, GET /user/v2 items "
        "<userProfileV2>) or as the official spec models them (`fields` an object {login,email,...}, <userProfile>).",
        choices=("clients", "spec"),
    )
    ispring_user_conflict_status: int = setting(
        400, "HTTP status of POST /user with a login or email already registered: the spec's 400 or the legacy "
        "docs' 409.", choices=(400, 409),
    )
    answer_cache_mb: int = setting(
        64, "Megabytes of rendered read answers each worker keeps, served again while the shared log and the clock's "
        "second stand (a write or the next second makes new ones); 0 = render every answer.",
        check=between(0, 4096, "megabytes"))
    # --- journal ---
    journal_size: int = setting(
        10_000, "Requests the journal keeps (GET /__admin/requests), across every worker: the oldest are dropped, so "
        "the state file stays flat; 0 = no journal.", check=between(0, 1_000_000, "a number of entries"))

    # --- webhooks ---
    webhook_hosts: tuple[str, ...] = setting(
        ("127.0.0.1", "::1", "localhost"),
        "Hosts an iSpring webhook callbackUrl may name (a name or an address): another is refused at registration, "
        "and a name that resolves outside these hosts' addresses is refused at delivery. Loopback only by default, "
        "so a shared deployment cannot be made to call other machines.", multiple=True,
        check=lambda value: host(value))  # the module's check: in this class body `host` is the setting above
    webhook_attempts: int = setting(4, "Attempts at delivering a webhook before it is recorded as failed.",
                                    check=between(1, 100))
    webhook_retry_seconds: int = setting(
        2, "Wait before a webhook's first retry; each later retry waits twice as long.",
        check=between(0, 86_400, "a number of seconds"))
    webhook_timeout: int = setting(5, "Seconds a webhook receiver has to answer.", check=between(1, 300))
    webhook_queue: int = setting(
        1000, "Pending webhook deliveries kept at most; past it the oldest pending are dropped (and counted).",
        check=between(1, 1_000_000))

    def __post_init__(self) -> None:
        for f in settings():
            value = getattr(self, f.name)
            problem = check_value(f, value)
            if problem:
                raise SettingError(f.name, value, problem)

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)

    # --- access ---
    cors_origins: tuple[str, ...] = setting(
        (), "Browser origins allowed to call the mock (CORS), as scheme://host[:port]; `*` any origin, but for reads "
        "only (writes and the admin API need a listed or a loopback origin); `off` none. Default: `*` on a loopback "
        "bind, none otherwise.", multiple=True, check=lambda value: origin(value),  # defined below, in this section
    )
    admin: str = setting("on", "The /__admin API: on, or off (then only /__admin/health answers).",
                         choices=("on", "off"))
    admin_token: str | None = setting(
        None, "When set, every /__admin route but health needs `Authorization: Bearer TOKEN`.", check=token
    )


def settings() -> list[dataclasses.Field]:
    return list(dataclasses.fields(Config))


def check_value(f: dataclasses.Field, value: Any) -> str | None:
    """What is wrong with a value of setting `f` (each item of a repeatable one), or None."""
    meta = f.metadata
    if value is None:
        return None
    if meta["choices"] and value not in meta["choices"]:
        return "must be one of " + ", ".join(str(c) for c in meta["choices"])
    check = meta["check"]
    for item in (value if meta["multiple"] else (value,)):
        problem = check(item) if check else None
        if problem:
            return problem + (f" (not {item!r})" if meta["multiple"] and len(value) > 1 else "")
    return None


# --- access ---
def origin(value: str) -> str | None:
    """A browser origin (scheme://host[:port], no path), `*` or `off`."""
    if value in ("*", "off"):
        return None
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname and parts.path in ("", "/") and not parts.query \
            and not parts.fragment and not parts.username:
        return None
    return "must be an origin (http://localhost:3000), `*` or `off`"
