"""The load generator: wrk, driven by a Lua script generated for each run, its figures read as JSON.

The script's `done()` hook writes one JSON object to a file (requests, duration, latency percentiles, every error
count), so nothing depends on wrk's text output. A route of one request sets `wrk.method`, `wrk.headers` and
`wrk.body` and leaves wrk its fast path (the request is formatted once); a route that writes, or mixes several
requests, formats its fixed requests in `init()` and picks one per call in `request()`: the fixed ones in a
repeating pattern, and for a write the next of a list of distinct bodies (kept as data, formatted per call), each
thread taking every n-th so that no two requests of the run send the same. Such a route also keeps, in `response()`,
the enrollment IDs its 201 answers acknowledged (to check afterwards that the world holds them all) and counts every
answer that is not a 2xx.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WRK_MISSING = ("wrk is not installed: the benchmark's load generator (Debian/Ubuntu: apt-get install wrk; "
               "macOS: brew install wrk)")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with its query string
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def with_header(self, name: str, value: str) -> "Request":
        return Request(self.method, self.path, (*self.headers, (name, value)), self.body)


@dataclass(frozen=True)
class Load:
    """What one wrk run sends: `pattern` repeats; an int picks `fixed[i]`, WRITE the next of `writes`."""

    fixed: tuple[Request, ...]
    pattern: tuple[int, ...] = (0,)
    writes: tuple[Request, ...] = ()

    @property
    def is_static(self) -> bool:
        return len(self.pattern) == 1 and self.pattern[0] != WRITE

    def first(self, kind: int) -> Request:
        return self.writes[0] if kind == WRITE else self.fixed[kind]


WRITE = -1


@dataclass
class Figures:
    """One wrk run, as its done() hook reported it (times in milliseconds)."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int  # socket errors (connect, read, write, timeout) + HTTP status >= 400 + other non-2xx seen
    error_detail: dict
    acknowledged: list[str] = field(default_factory=list)  # enrollment IDs of 201 answers (write routes)

    def as_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "acknowledged"}
        return {**data, "acknowledged": len(self.acknowledged)}


def lua_string(value: str | bytes) -> str:
    """A Lua long-bracket-free string literal: every byte that is not plain printable ASCII as a decimal escape."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    out = []
    for byte in data:
        char = chr(byte)
        if char in '"\\' or not 32 <= byte < 127:
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _headers(request: Request) -> str:
    return "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in request.headers) + "}"


DONE = """
function done(summary, latency, requests)
  local ids, other = {}, 0
  for _, t in ipairs(threads) do
    local acked = t:get("acked")
    if acked then for _, id in ipairs(acked) do ids[#ids + 1] = '"' .. id .. '"' end end
    other = other + (t:get("other") or 0)
  end
  local e = summary.errors
  local out = assert(io.open(%(out)s, "w"))
  out:write(string.format('{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, '
    .. '"write": %%d, "status": %%d, "timeout": %%d, "other": %%d, "p50_us": %%d, "p99_us": %%d, "mean_us": %%.1f, '
    .. '"max_us": %%d, "acknowledged": [%%s]}',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, other,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max, table.concat(ids, ",")))
  out:close()
end
"""

THREADS = """
threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end
"""

DYNAMIC = """
local headers = {%(headers)s}
local raw_fixed = {%(fixed)s}
local writes = {}
local function add(method, path, header, body) writes[#writes + 1] = {method, path, header, body} end
%(writes)s
local fixed = {}
local pattern = {%(pattern)s}
local calls, next_write = 0, nil
acked, other = {}, 0

function init(args)
  for i, r in ipairs(raw_fixed) do fixed[i] = wrk.format(r[1], r[2], headers[r[3]], r[4]) end
  next_write = id + 1
end

function request()
  local kind = pattern[calls %% #pattern + 1]
  calls = calls + 1
  if kind >= 0 then return fixed[kind + 1] end
  local r = writes[(next_write - 1) %% #writes + 1]
  next_write = next_write + %(threads)d
  return wrk.format(r[1], r[2], headers[r[3]], r[4])
end

function response(status, headers, body)
  if status == 201 then
    for value in body:gmatch("<id>([%%w%%-]+)</id>") do acked[#acked + 1] = value end
  elseif status < 200 or (status >= 300 and status < 400) then
    other = other + 1
  end
end
"""

CHUNK = 500  # writes per Lua function: LuaJIT allows a function 65,536 constants


def _dynamic(load: Load, threads: int) -> str:
    """Fixed requests formatted once in init(); writes kept as data, added in chunks, formatted per call."""
    tables: dict[tuple, int] = {}

    def entry(request: Request) -> str:
        index = tables.setdefault(request.headers, len(tables) + 1)
        body = lua_string(request.body) if request.body is not None else "nil"
        return f"{lua_string(request.method)}, {lua_string(request.path)}, {index}, {body}"

    fixed = ", ".join("{" + entry(r) + "}" for r in load.fixed)
    chunks = []
    for start in range(0, len(load.writes), CHUNK):
        lines = "\n".join(f"  add({entry(r)})" for r in load.writes[start:start + CHUNK])
        chunks.append(f";(function()\n{lines}\nend)()")
    headers = ", ".join(_headers(Request("", "", names)) for names in tables)
    return DYNAMIC % {"headers": headers, "fixed": fixed, "writes": "\n".join(chunks),
                      "pattern": ", ".join(str(kind) for kind in load.pattern), "threads": threads}


def script(load: Load, out: Path, threads: int) -> str:
    """The Lua script of one wrk run writing its figures to `out`."""
    parts = [THREADS]
    if load.is_static:
        request = load.fixed[load.pattern[0]]
        parts.append(f"wrk.method = {lua_string(request.method)}\n")
        parts.append(f"wrk.path = {lua_string(request.path)}\n")
        for name, value in request.headers:
            parts.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}\n")
        if request.body is not None:
            parts.append(f"wrk.body = {lua_string(request.body)}\n")
    else:
        parts.append(_dynamic(load, threads))
    parts.append(DONE % {"out": lua_string(str(out))})
    return "".join(parts)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    found = wrk_path()
    if not found:
        return "none"
    text = subprocess.run([found, "-v"], capture_output=True, text=True, timeout=10).stdout
    match = re.search(r"wrk (\S+)", text)
    return match.group(1) if match else text.strip().splitlines()[0] if text.strip() else "unknown"


class WrkFailed(RuntimeError):
    pass


def parse(text: str) -> Figures:
    """The done() hook's JSON, as Figures."""
    raw = json.loads(text)
    seconds = raw["duration_us"] / 1e6
    detail = {k: raw[k] for k in ("connect", "read", "write", "timeout", "status", "other")}
    return Figures(
        requests=raw["requests"], seconds=round(seconds, 3),
        rps=round(raw["requests"] / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=raw["p50_us"] / 1000, p99_ms=raw["p99_us"] / 1000, mean_ms=round(raw["mean_us"] / 1000, 3),
        max_ms=raw["max_us"] / 1000, errors=sum(detail.values()), error_detail=detail,
        acknowledged=list(raw.get("acknowledged", [])),
    )


def run(base_url: str, load: Load, *, seconds: int, threads: int = 2, connections: int = 16,
        timeout_seconds: int = 5) -> Figures:
    """One wrk run of `seconds` against `base_url`."""
    found = wrk_path()
    if not found:
        raise WrkFailed(WRK_MISSING)
    with tempfile.TemporaryDirectory(prefix="mockserver-bench-wrk-") as folder:
        out, lua = Path(folder) / "figures.json", Path(folder) / "load.lua"
        lua.write_text(script(load, out, threads), encoding="utf-8")
        first = load.fixed[load.pattern[0]] if load.is_static else load.first(load.pattern[0])
        command = [found, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout_seconds}s",
                   "-s", str(lua), base_url.rstrip("/") + first.path]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout_seconds + 60,
                              start_new_session=True)
        if not out.exists():
            raise WrkFailed(f"wrk wrote no figures (exit {done.returncode}): "
                            f"{(done.stderr or done.stdout).strip()[-400:]}")
        return parse(out.read_text(encoding="utf-8"))
