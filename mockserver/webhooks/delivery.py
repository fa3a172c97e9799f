"""Sending webhooks, off the request path: one delivery thread per worker process, started by the first request the
worker answers (never before gunicorn forks: a thread does not survive a fork) and ending when nothing has been
pending for a while (the next request starts it again).

The thread claims due deliveries from the shared outbox (state.py: claimed under the write lock, so each is sent by
one worker only), POSTs each with a short timeout and no redirects, and records the outcome: 200 is delivered (the
docs: "The service will return the 200 code. Other codes are considered a failure"), anything else is retried after
--webhook-retry-seconds, doubling, until --webhook-attempts, then failed. A callback host is checked again here:
its name must resolve only to addresses of --webhook-hosts, else the delivery is refused and never sent.

Signature (the docs, "Webhooks" 62863671): with a secret, every request carries `X-Hub-Signature`, the SHA-256 of
the body concatenated with the secret, in hex.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import socket
import threading
from urllib.parse import urlsplit

import requests
from flask import Flask

from ..errors import StateUnavailableError
from ..state import DELIVERED, FAILED, PENDING, REFUSED, claim_webhooks, next_webhook_due, record_webhook

log = logging.getLogger("mockserver.webhooks")

POLL_SECONDS = 0.5  # how often an idle thread looks for deliveries another worker queued
IDLE_SECONDS = 10.0  # nothing pending this long: the thread ends (a request starts it again)
USER_AGENT = "lms-mockserver-webhooks"

_wake = threading.Event()
_threads: dict[int, threading.Thread] = {}  # id(app) -> its delivery thread, in this process
_threads_pid = os.getpid()
_threads_lock = threading.Lock()


def wake() -> None:
    """A delivery was queued in this process: the thread looks at once instead of at its next poll."""
    _wake.set()


def init_app(app: Flask) -> None:
    app.before_request(lambda: ensure_running(app))


def ensure_running(app: Flask) -> None:
    global _threads_pid
    with _threads_lock:
        if _threads_pid != os.getpid():  # a forked worker: its parent's threads are not here
            _threads.clear()
            _threads_pid = os.getpid()
        thread = _threads.get(id(app))
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_run, args=(app,), name="webhook-delivery", daemon=True)
            _threads[id(app)] = thread
            thread.start()


def _run(app: Flask) -> None:
    idle = 0.0
    while True:
        rt = app.extensions["mockserver"]  # read each round: a test may give the app a new state
        try:
            # A claim is stale once no attempt could still be running: far past the receiver's timeout.
            batch = claim_webhooks(rt.state, stale_after=2 * rt.config.webhook_timeout + 60)
            for delivery in batch:
                _deliver(rt.config, rt.state, delivery)
            due = None if batch else next_webhook_due(rt.state)
        except StateUnavailableError:  # the state said so itself (one log line): try again at the next round
            batch, due = [], None
        except Exception:  # a state file gone (a test's), a locked database: try again at the next round
            log.exception("webhook delivery round failed")
            batch, due = [], None
        if batch or due is not None:
            idle = 0.0
        elif idle >= IDLE_SECONDS:
            with _threads_lock:
                if _threads.get(id(app)) is threading.current_thread():
                    del _threads[id(app)]
            return
        wait = POLL_SECONDS if due is None else min(due, POLL_SECONDS)
        if not batch:
            _wake.wait(wait)
            _wake.clear()
            idle += wait


def signature(body: bytes, secret: str) -> str:
    return hashlib.sha256(body + secret.encode("utf-8")).hexdigest()


def _deliver(config, state, delivery: dict) -> None:
    body = delivery["body"].encode("utf-8")
    refusal = refused_host(delivery["url"], config.webhook_hosts)
    if refusal:
        record_webhook(state, delivery["id"], REFUSED, error=refusal)
        return
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if delivery["secret"]:
        headers["X-Hub-Signature"] = signature(body, delivery["secret"])
    try:
        response = requests.post(delivery["url"], data=body, headers=headers, timeout=config.webhook_timeout,
                                 allow_redirects=False)  # a receiver cannot send the mock elsewhere
        code, error = response.status_code, None if response.status_code == 200 else \
            f"the receiver answered {response.status_code}, not 200"
        response.close()
    except requests.RequestException as problem:
        code, error = None, f"{type(problem).__name__}: {problem}"
    if error is None:
        record_webhook(state, delivery["id"], DELIVERED, code)
    elif delivery["attempts"] >= config.webhook_attempts:
        record_webhook(state, delivery["id"], FAILED, code, error)
    else:
        retry_in = config.webhook_retry_seconds * 2 ** (delivery["attempts"] - 1)
        record_webhook(state, delivery["id"], PENDING, code, error, retry_in=retry_in)


def host_allowed(url: str, hosts: tuple[str, ...]) -> str | None:
    """Why a callback URL may not be registered (not http(s), or a host not among `hosts`), or None."""
    parts = urlsplit(url)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 (a port that is no number raises here)
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        return f"callbackUrl must be an http(s) URL, not {url!r}"
    if host.lower() not in {h.lower().strip("[]") for h in hosts}:
        return (f"callbackUrl host {host} is not one the mock calls back: it calls only the hosts of its "
                f"--webhook-hosts setting (MOCKSERVER_WEBHOOK_HOSTS), now {', '.join(hosts)}")
    return None


def refused_host(url: str, hosts: tuple[str, ...]) -> str | None:
    """Why a delivery to `url` is not sent: its host is not allowed, or its name resolves to an address that no
    allowed host has (a name changed since registration); None when it may be sent."""
    problem = host_allowed(url, hosts)
    if problem:
        return problem
    parts = urlsplit(url)
    allowed = set().union(*(_addresses(h.strip("[]"), None) for h in hosts))
    found = _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    if not found:
        return f"callbackUrl host {parts.hostname} does not resolve"
    outside = sorted(found - allowed)
    if outside:
        return (f"callbackUrl host {parts.hostname} resolves to {', '.join(outside)}, outside the addresses of "
                f"--webhook-hosts ({', '.join(hosts)})")
    return None


def _addresses(host: str, port: int | None) -> set[str]:
    try:
        return {str(ipaddress.ip_address(host))}
    except ValueError:
        pass
    try:
        return {str(ipaddress.ip_address(info[4][0].split("%")[0])) for info in socket.getaddrinfo(host, port)}
    except (OSError, UnicodeError):
        return set()
