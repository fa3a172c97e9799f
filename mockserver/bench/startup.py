"""What a server costs before and beside its load: cold start (the process started to its first 200 on a vendor
route), the world build time its banner prints, each worker's resident memory (idle, then after a load), and a deep
page against the first on a big world (page 50 of 100 users: iSpring's `GET /users` by following `nextPageToken`,
Ruangkerja's `GET /ruangkerja/users` by `page`; the enrollments do not grow with the people), each timed one request
at a time, the two pages in turn."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Callable

import requests

from . import load as wrk
from . import ours
from .load import Load, Request
from .processes import Processes
from .routes import ISPRING_AUTH, REST_XML, RUANGKERJA_AUTH

DEEP_PAGE = 50


def cold_starts(processes: Processes, folder: Path, *, workers: int, samples: int) -> list[dict]:
    """`samples` starts of a default world: seconds to the first 200, and the build time."""
    found = []
    for index in range(samples):
        server = ours.start(processes, folder, f"cold-start-{index + 1}", workers=workers)
        found.append({"first_200_s": server.first_200_seconds, "build_s": server.build_seconds})
        processes.stop(server.process)
    return found


def page_token(base: str, page: int) -> str:
    """The pageToken of page `page` of iSpring's `GET /users` (100 a page), by walking the pages before it."""
    token = None
    with requests.Session() as session:
        for _ in range(page - 1):
            query = {"pageSize": 100, **({"pageToken": token} if token else {})}
            answer = session.get(f"{base}/users", params=query,
                                 headers=dict([ISPRING_AUTH]) | {"Accept": "application/json"}, timeout=60)
            answer.raise_for_status()
            token = answer.json().get("nextPageToken")
            if not token:
                raise RuntimeError(f"the world has fewer than {page} pages of 100 users")
    return token


def deep_pages(base: str) -> dict[str, tuple[Request, Request]]:
    """(first page, page 50) of each paging style."""
    token = page_token(base, DEEP_PAGE)
    ispring, ruangkerja = "/users?pageSize=100", "/ruangkerja/users?pageSize=100&page="
    xml = (ISPRING_AUTH, ("Accept", "application/xml"))
    return {
        "ispring-users": (Request("GET", ispring, xml), Request("GET", f"{ispring}&pageToken={token}", xml)),
        "ruangkerja-users": (Request("GET", ruangkerja + "1", (RUANGKERJA_AUTH,)),
                             Request("GET", ruangkerja + str(DEEP_PAGE), (RUANGKERJA_AUTH,))),
    }


def page_latencies(base: str, first: Request, deep: Request, seconds: float, at_least: int = 3) -> dict:
    """Milliseconds of each page, one request at a time on one connection, first and deep in turn, for `seconds`
    (and `at_least` of each): a page's own cost, whatever the machine's concurrency."""
    times: dict[str, list[float]] = {"first": [], "deep": []}
    started = time.perf_counter()
    with requests.Session() as session:
        while time.perf_counter() - started < seconds or len(times["deep"]) < at_least:
            for which, request in (("first", first), ("deep", deep)):
                before = time.perf_counter()
                answer = session.request(request.method, base + request.path, headers=dict(request.headers),
                                         timeout=120)
                elapsed = (time.perf_counter() - before) * 1000
                if answer.status_code != 200:
                    raise RuntimeError(f"{request.path} answered {answer.status_code}")
                times[which].append(elapsed)
    first_ms, deep_ms = statistics.median(times["first"]), statistics.median(times["deep"])
    return {"page": DEEP_PAGE, "first_ms": round(first_ms, 2), "deep_ms": round(deep_ms, 2),
            "ratio": round(deep_ms / first_ms, 3), "samples": len(times["deep"]),
            "first_path": first.path, "deep_path": deep.path.split("&pageToken=")[0] + (
                "&pageToken=..." if "pageToken=" in deep.path else "")}


def world(processes: Processes, folder: Path, *, employees: int, workers: int, seconds: int, threads: int,
          connections: int, echo: Callable[[str], None]) -> dict:
    """A world of `employees`: start, build, RSS idle, its deep pages, RSS after a load on them."""
    server = ours.start(processes, folder, f"world-{employees}", workers=workers, employees=employees)
    figures: dict = {"employees": employees, "first_200_s": server.first_200_seconds, "build_s": server.build_seconds,
                     "rss_mb_idle": server.worker_rss_mb()}
    echo(f"  {employees:,} employees: first 200 after {server.first_200_seconds:.2f} s, world built in "
         f"{server.build_seconds} s, workers' RSS {figures['rss_mb_idle']} MB")
    try:
        pages = deep_pages(server.url)
        figures["deep_page"] = {name: page_latencies(server.url, first, deep, seconds)
                                for name, (first, deep) in pages.items()}
    except (RuntimeError, requests.RequestException) as error:
        figures["deep_page"] = {"problem": str(error)}
    for name, page in figures["deep_page"].items():
        if isinstance(page, dict):
            echo(f"  {employees:,} employees, {name}: page 1 {page['first_ms']:.1f} ms, page {DEEP_PAGE} "
                 f"{page['deep_ms']:.1f} ms ({page['ratio']:.2f}x)")
    # every worker under load for a while, so that what a request allocates shows in its RSS
    wrk.run(server.url, Load((REST_XML,)), seconds=seconds, threads=threads, connections=connections)
    figures["rss_mb_loaded"] = server.worker_rss_mb()
    echo(f"  {employees:,} employees: workers' RSS after load {figures['rss_mb_loaded']} MB")
    processes.stop(server.process)
    return figures
