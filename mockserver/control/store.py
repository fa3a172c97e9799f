"""The control plane's rows in the shared state (tables: state/base.py's journal section): what every worker (and
replica) reads; the SQL runs on either backend.

Faults and stubs are JSON specs, one row each; every change bumps `control_version`, and a worker re-reads the lists
only when the version it last saw moved (one indexed SELECT a request). A fault's counters (`calls` matching calls,
`fired` the ones it broke) are updated in one `locked()` transaction, so `times` and `rate` hold across workers.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass

from ..state import SharedState


@dataclass(frozen=True)
class Stored:
    """A fault or stub as stored: its id and spec (the wire object without its counters)."""

    id: int
    spec: dict


def _dump(value) -> str:
    return json.dumps(value, separators=(",", ":"))


# --- the version every worker checks ---------------------------------------------------------------------------


def version(state: SharedState) -> int:
    return state.execute("SELECT version FROM control_version WHERE id = 1").fetchone()[0]


def _bump(state: SharedState) -> None:
    state.execute("UPDATE control_version SET version = version + 1 WHERE id = 1")


# --- faults --------------------------------------------------------------------------------------------------------


def add_fault(state: SharedState, spec: dict, scenario: str | None = None) -> int:
    now = time.time()
    seconds, times = spec.get("seconds"), spec.get("times")
    with state.locked():
        if scenario is not None:  # switching a scenario on again replaces it
            state.execute("DELETE FROM faults WHERE scenario = ?", (scenario,))
        fault_id = state.insert(
            "INSERT INTO faults (spec, scenario, created, expires_at, times) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (_dump(spec), scenario, now, None if seconds is None else now + seconds, times))
        _bump(state)
    return fault_id


def faults(state: SharedState) -> list[Stored]:
    rows = state.execute("SELECT id, spec FROM faults ORDER BY id").fetchall()
    return [Stored(i, json.loads(spec)) for i, spec in rows]


def fault_counters(state: SharedState) -> dict[int, dict]:
    """id -> {calls, fired, active} (a fault past its `times` or `seconds` is inactive, still listed)."""
    now = time.time()
    rows = state.execute("SELECT id, calls, fired, times, expires_at FROM faults").fetchall()
    return {i: {"calls": calls, "fired": fired,
                "active": (times is None or fired < times) and (expires is None or now < expires)}
            for i, calls, fired, times, expires in rows}


def remove_faults(state: SharedState, *, fault_id: int | None = None, scenario: str | None = None) -> int:
    """Every fault, the one `fault_id`, or a scenario's; how many went."""
    where, args = ("WHERE id = ?", (fault_id,)) if fault_id is not None else \
        ("WHERE scenario = ?", (scenario,)) if scenario is not None else ("", ())
    with state.locked():
        removed = state.execute(f"DELETE FROM faults {where}", args).rowcount
        if removed:
            _bump(state)
    return removed


def scenarios_on(state: SharedState) -> set[str]:
    return {name for (name,) in state.execute("SELECT scenario FROM faults WHERE scenario IS NOT NULL").fetchall()}


def fires(state: SharedState, fault: Stored, seed: int) -> bool:
    """Count one matching call and decide whether the fault breaks it: not past its expiry, then its `rate` by a
    generator seeded with (world seed, fault, call number), so a run with the same calls breaks the same ones."""
    rate = fault.spec.get("rate")
    with state.locked():
        row = state.execute("SELECT calls, fired, times, expires_at FROM faults WHERE id = ?",
                            (fault.id,)).fetchone()
        if row is None:
            return False
        calls, fired, times, expires_at = row
        if (times is not None and fired >= times) or (expires_at is not None and time.time() >= expires_at):
            return False
        calls += 1
        hit = rate is None or random.Random(f"{seed}/fault/{fault.id}/{calls}").random() < rate
        state.execute("UPDATE faults SET calls = ?, fired = fired + ? WHERE id = ?", (calls, int(hit), fault.id))
    return hit


# --- stubs ---------------------------------------------------------------------------------------------------------


def add_stub(state: SharedState, spec: dict) -> int:
    with state.locked():
        stub_id = state.insert("INSERT INTO stubs (spec, priority) VALUES (?, ?) RETURNING id",
                               (_dump(spec), spec["priority"]))
        _bump(state)
    return stub_id


def stubs(state: SharedState) -> list[Stored]:
    """In the order they are tried: priority 1 first (WireMock's), then newest first."""
    rows = state.execute("SELECT id, spec FROM stubs ORDER BY priority, id DESC").fetchall()
    return [Stored(i, json.loads(spec)) for i, spec in rows]


def remove_stubs(state: SharedState, stub_id: int | None = None) -> int:
    where, args = ("WHERE id = ?", (stub_id,)) if stub_id is not None else ("", ())
    with state.locked():
        removed = state.execute(f"DELETE FROM stubs {where}", args).rowcount
        if removed:
            _bump(state)
    return removed


# --- the journal ---------------------------------------------------------------------------------------------------

COLUMNS = ("id", "time", "worker", "vendor", "operation", "method", "path", "query", "headers", "body", "status", "ms",
           "stubbed", "fault", "content_type", "answer", "events")
TRIM_EVERY = 64  # the ring is trimmed every so many entries: one INSERT a request, a DELETE now and then


def record(state: SharedState, size: int, entry: tuple) -> int:
    """One journal entry (COLUMNS but id); entries older than the newest `size` go (reads never show them).
    Returns the entry's id."""
    entry_id = state.insert(f"INSERT INTO journal ({', '.join(COLUMNS[1:])}) VALUES "
                            f"({', '.join('?' * (len(COLUMNS) - 1))}) RETURNING id", entry)
    if entry_id % TRIM_EVERY == 0:
        state.execute("DELETE FROM journal WHERE id <= ?", (entry_id - size,))
    return entry_id


def _where(state: SharedState, size: int, filters: dict) -> tuple[str, list]:
    clauses = ["id > (SELECT COALESCE(MAX(id), 0) FROM journal) - ?"]
    args: list = [size]
    if filters.get("vendor"):
        clauses.append("vendor = ?")
        args.append(filters["vendor"])
    if filters.get("operation"):
        clauses.append("(operation = ? OR operation = vendor || '.' || ?)")
        args += [filters["operation"]] * 2
    if filters.get("path"):
        clause, arg = state.glob("path", filters["path"])
        clauses.append(clause)
        args.append(arg)
    if filters.get("status") is not None:
        clauses.append("status = ?")
        args.append(filters["status"])
    if filters.get("since") is not None:
        clauses.append("time >= ?")
        args.append(filters["since"])
    return " AND ".join(clauses), args


def entry(state: SharedState, entry_id: int) -> dict | None:
    found = state.execute(f"SELECT {', '.join(COLUMNS)} FROM journal WHERE id = ?", (entry_id,)).fetchone()
    return dict(zip(COLUMNS, found)) if found else None


def entries(state: SharedState, size: int, filters: dict, limit: int) -> list[dict]:
    where, args = _where(state, size, filters)
    rows = state.execute(f"SELECT {', '.join(COLUMNS)} FROM journal WHERE {where} ORDER BY id DESC LIMIT ?",
                         (*args, limit)).fetchall()
    return [dict(zip(COLUMNS, row)) for row in rows]


def count(state: SharedState, size: int, filters: dict) -> int:
    where, args = _where(state, size, filters)
    return state.execute(f"SELECT COUNT(*) FROM journal WHERE {where}", args).fetchone()[0]


def clear_journal(state: SharedState) -> int:
    return state.execute("DELETE FROM journal").rowcount
