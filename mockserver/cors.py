"""CORS for a browser-based frontend: which origins may read, which may also write, and the headers that say so.

`--cors-origins` lists origins; `*` lets any origin read (GET, HEAD) but not write, so that a page the developer
happens to open can see the fake world yet not change it. Writing (any other method, SOAP included) and the admin API
need an origin that is listed, or, under `*`, a loopback one (http://localhost:3000, http://127.0.0.1:5173): a dev
frontend runs there, a foreign site cannot. Default: `*` on a loopback bind, nothing on any other (a QA server lists
its frontends). No flask-cors: it is not a dependency, and the read/write split is this mock's own rule.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Response, request

from .config import Config

READS = frozenset({"GET", "HEAD", "OPTIONS"})
METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE"
# What a client of either vendor sends, for a preflight that names no headers of its own.
HEADERS = "Accept, Authorization, Content-Type, SOAPAction, X-Auth-Account-Url, X-Auth-Email, X-Auth-Password"
# Answer headers a page may read besides the CORS-safelisted ones.
EXPOSED = "Allow, Location, Retry-After, WWW-Authenticate, X-Mockserver-Worker"
MAX_AGE = "600"  # seconds a browser may keep a preflight's answer: short, so a changed setting shows soon


@lru_cache(maxsize=256)  # asked of the Host header on every call: a handful of names, parsed once each
def is_loopback_name(host: str) -> bool:
    """localhost (and *.localhost, which browsers never ask DNS for), 127.0.0.0/8, ::1; brackets allowed."""
    host = host.strip().lower().removeprefix("[").removesuffix("]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normal_origin(origin: str) -> str:
    """`HTTP://LocalHost:80/` -> `http://localhost`: as browsers write an Origin header."""
    parts = urlsplit(origin.strip())
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        return origin
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None and port != default else "")


def is_loopback_origin(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and is_loopback_name(parts.hostname or "")


@dataclass(frozen=True)
class OriginPolicy:
    listed: frozenset[str]
    any: bool  # `*`

    @property
    def active(self) -> bool:
        return self.any or bool(self.listed)

    def may_read(self, origin: str) -> bool:
        return self.any or normal_origin(origin) in self.listed

    def may_write(self, origin: str) -> bool:
        """Writes and the admin API: a listed origin, or under `*` a loopback one."""
        return normal_origin(origin) in self.listed or (self.any and is_loopback_origin(origin))


def policy(config: Config) -> OriginPolicy:
    return _policy(config.cors_origins, config.host)  # keyed by the two settings: hashing a whole Config costs


@lru_cache(maxsize=16)
def _policy(cors_origins: tuple[str, ...], host: str) -> OriginPolicy:
    given = cors_origins or (("*",) if is_loopback_name(host) else ())
    if "off" in given:
        return OriginPolicy(frozenset(), False)
    return OriginPolicy(frozenset(normal_origin(o) for o in given if o != "*"), "*" in given)


def is_preflight() -> bool:
    return request.method == "OPTIONS" and "Origin" in request.headers \
        and "Access-Control-Request-Method" in request.headers


def preflight_answer(may_write: bool) -> Response:
    """204, no body, no credentials asked: the methods this origin may use and the headers it asked for."""
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body
    response.headers["Access-Control-Allow-Methods"] = METHODS if may_write else "GET, HEAD"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers") or HEADERS
    response.headers["Access-Control-Max-Age"] = MAX_AGE
    response.vary.update(("Access-Control-Request-Method", "Access-Control-Request-Headers"))
    return response


def add_headers(config: Config, response: Response) -> Response:
    """On every answer, errors included: the origin echoed back when it may read it."""
    rules = policy(config)
    if not rules.active:
        return response
    response.vary.add("Origin")  # a cache must not hand one origin's answer to another
    origin = request.headers.get("Origin")
    if origin is not None and rules.may_read(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response
