"""The comparison itself: for each round, for each route, every server in turn (the order rotating from round to
round, so that a drift of the machine's load does not favour one), each run by wrk for the same time.

Before its first run a (route, server) pair is probed: each request of the route once, which must answer a 2xx (a
peer that refuses a route is left out of it, saying why), and a static peer's body is compared with ours. A server
holding state (ours) is reset before each write run, so that every write creates an enrollment, and afterwards every
enrollment a 201 acknowledged is looked for in its world: the ones missing are counted as lost.
"""

from __future__ import annotations

import statistics
from typing import Callable

import requests

from . import load as wrk
from .load import Load
from .peers import Server
from .routes import Route, enrollments


def adapted(route: Route, server: Server) -> Load:
    """The route's load as this server is sent it (Prism static: a header naming the example)."""
    fixed = tuple(server.adapt(request, index) for index, request in enumerate(route.load.fixed))
    writes = tuple(server.adapt(request, wrk.WRITE) for request in route.load.writes)
    return Load(fixed, route.load.pattern, writes)


def probe(route: Route, server: Server) -> dict:
    """Each request of the route once: {"problem": ...} when one is not a 2xx, else what was seen."""
    seen: dict = {"bytes": {}, "same_bytes": None}
    load = adapted(route, server)
    same = []
    with requests.Session() as session:
        for kind in dict.fromkeys(route.load.pattern):
            if kind == wrk.WRITE and server.stateful:
                continue  # a write probe would take a pair wrk is to send; the run itself checks them
            request = load.first(kind)
            try:
                answer = session.request(request.method, server.url + request.path, headers=dict(request.headers),
                                         data=request.body, timeout=60)
            except requests.RequestException as error:
                return {"problem": f"{request.method} {request.path.split('?')[0]}: {error.__class__.__name__}"}
            if not 200 <= answer.status_code < 300:
                text = " ".join(answer.text.split())[:160]
                return {"problem": f"answered {answer.status_code} to {request.method} {request.path.split('?')[0]}"
                                   f": {text}"}
            seen["bytes"][str(kind)] = len(answer.content)
            if server.serves_our_bytes:
                same.append(answer.content == route.answers[kind].body)
    if same:
        seen["same_bytes"] = all(same)
    return seen


def lost_writes(server: Server, acknowledged: list[str]) -> int:
    """Acknowledged enrollment IDs the server's world does not hold."""
    with requests.Session() as session:
        held = {row["enrollmentId"] for row in enrollments(server.url, session)}
    return sum(1 for enrollment in set(acknowledged) if enrollment not in held)


def reset(server: Server) -> None:
    requests.post(f"{server.url}/__admin/reset", timeout=120).raise_for_status()


def compare(routes: list[Route], servers: list[Server], *, rounds: int, seconds: int, warmup: int, threads: int,
            connections: int, echo: Callable[[str], None]) -> list[dict]:
    """Every run, as {"route", "server", "round", figures...}; a pair left out as one entry with its "problem"."""
    runs: list[dict] = []
    problems: dict[tuple[str, str], str] = {}
    probes: dict[tuple[str, str], dict] = {}
    live = [s for s in servers if s.url and not s.problem]
    for round_index in range(rounds):
        order = live[round_index % len(live):] + live[:round_index % len(live)]
        for route in routes:
            for server in order:
                key = (route.name, server.name)
                if key in problems:
                    continue
                server.prepare(route)
                if key not in probes:
                    if server.stateful:  # the pristine world our answers were captured on
                        reset(server)
                    probes[key] = probe(route, server)
                    if "problem" in probes[key]:
                        problems[key] = probes[key]["problem"]
                        echo(f"  {route.name:24} {server.label:30} left out: {problems[key]}")
                        runs.append({"route": route.name, "server": server.name, "problem": problems[key]})
                        continue
                load = adapted(route, server)
                if round_index == 0 and warmup:
                    if server.stateful and route.writes:
                        reset(server)
                    wrk.run(server.url, load, seconds=warmup, threads=threads, connections=connections)
                if server.stateful and route.writes:
                    reset(server)
                figures = wrk.run(server.url, load, seconds=seconds, threads=threads, connections=connections)
                run = {"route": route.name, "server": server.name, "round": round_index + 1, **figures.as_json(),
                       "bytes": probes[key]["bytes"], "same_bytes": probes[key]["same_bytes"]}
                if server.stateful and route.writes:
                    run["lost"] = lost_writes(server, figures.acknowledged)
                    run["distinct_writes"] = len(route.load.writes)
                    sent = figures.requests // len(route.load.pattern) * route.load.pattern.count(wrk.WRITE)
                    run["repeated_writes"] = max(0, sent - len(route.load.writes))  # created nothing new
                runs.append(run)
                lost = f"  lost {run['lost']}" if "lost" in run else ""
                echo(f"  {route.name:24} {server.label:30} {figures.rps:>9,.0f} rps  p50 {figures.p50_ms:6.1f} ms  "
                     f"p99 {figures.p99_ms:6.1f} ms  errors {figures.errors}{lost}")
    return runs


def summarise(runs: list[dict], routes: list[Route], servers: list[Server]) -> list[dict]:
    """One row per (route, server): the median of its rounds (errors and lost writes summed), the ratio ours/it."""
    rows = []
    for route in routes:
        ours_rps = None
        for server in servers:
            mine = [r for r in runs if r["route"] == route.name and r["server"] == server.name]
            if not mine and not server.problem:
                continue
            problem = server.problem or next((r["problem"] for r in mine if "problem" in r), None)
            row = {"route": route.name, "title": route.title, "kind": route.kind, "server": server.name,
                   "label": server.label}
            if problem:
                rows.append({**row, "problem": problem})
                continue
            row |= {"rounds": len(mine),
                    "rps": round(statistics.median(r["rps"] for r in mine), 1),
                    "p50_ms": round(statistics.median(r["p50_ms"] for r in mine), 2),
                    "p99_ms": round(statistics.median(r["p99_ms"] for r in mine), 2),
                    "errors": sum(r["errors"] for r in mine),
                    "same_bytes": mine[0]["same_bytes"]}
            if any("lost" in r for r in mine):
                row["lost"] = sum(r["lost"] for r in mine)
                row["acknowledged"] = sum(r["acknowledged"] for r in mine)
                row["repeated_writes"] = max(r.get("repeated_writes", 0) for r in mine)
            if server.name == "ours":
                ours_rps = row["rps"]
            elif ours_rps is not None and row["rps"]:
                row["ratio"] = round(ours_rps / row["rps"], 3)
            rows.append(row)
    return rows
