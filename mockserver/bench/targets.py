"""Issue 13's targets, each checked against a run's result: met, not met, or not measured (and why)."""

from __future__ import annotations

MET, NOT_MET, NOT_MEASURED = "met", "not met", "not measured"


def _check(target: str, status: str, figure: str) -> dict:
    return {"target": target, "status": status, "figure": figure}


def _ours(table: list[dict], server: str = "ours") -> list[dict]:
    return [row for row in table if row["server"] == server and "rps" in row]


def _versus(table: list[dict], peer: str, at_least: float, target: str) -> dict:
    ratios = [(row["ratio"], row["route"]) for row in table
              if row["server"] == peer and row["kind"] == "read" and row.get("ratio") is not None]
    if not ratios:
        why = next((row["problem"] for row in table if row["server"] == peer and "problem" in row), "not run")
        return _check(target, NOT_MEASURED, why)
    worst, route = min(ratios)
    return _check(target, MET if worst >= at_least else NOT_MET,
                  f"worst {worst:.2f}x ({route}) over {len(ratios)} read routes")


def evaluate(result: dict) -> list[dict]:
    table, settings = result.get("table", []), result.get("settings", {})
    checks = [
        _versus(table, "wiremock", 1.0, "every read route >= 1.0x WireMock's static stub of the same bytes"),
        _versus(table, "prism-dynamic", 30.0, "every read route >= 30x Prism dynamic"),
    ]
    ours = _ours(table)
    connections = settings.get("connections", 16)
    p99_target = "p99 <= 20 ms at 16 connections"
    if not ours:
        checks.append(_check(p99_target, NOT_MEASURED, "no route was measured"))
    else:
        worst = max(ours, key=lambda row: row["p99_ms"])
        figure = f"worst {worst['p99_ms']:.1f} ms ({worst['route']})"
        if connections != 16:
            checks.append(_check(p99_target, NOT_MEASURED, f"{figure} at {connections} connections"))
        else:
            checks.append(_check(p99_target, MET if worst["p99_ms"] <= 20 else NOT_MET, figure))
    soap = next((row for row in ours if row["route"] == "soap-100"), None)
    checks.append(_check("SOAP getEnrollments (100 rows) >= 1,000 rps", NOT_MEASURED if soap is None else
                         MET if soap["rps"] >= 1000 else NOT_MET,
                         "route soap-100 not run" if soap is None else f"{soap['rps']:,.0f} rps"))
    write = next((row for row in ours if row["route"] == "write"), None)
    if write is None:
        checks.append(_check("writes >= 500 rps with 0 lost", NOT_MEASURED, "route write not run"))
    else:
        good = write["rps"] >= 500 and write.get("lost") == 0 and write["errors"] == 0
        checks.append(_check("writes >= 500 rps with 0 lost", MET if good else NOT_MET,
                             f"{write['rps']:,.0f} rps, {write.get('lost')} lost of {write.get('acknowledged')} "
                             f"acknowledged, {write['errors']} errors"))
    start = result.get("startup", {})
    cold = start.get("cold_start_s")
    checks.append(_check("cold start <= 1.5 s", NOT_MEASURED if cold is None else MET if cold <= 1.5 else NOT_MET,
                         "not run" if cold is None else f"{cold:.2f} s to the first 200 (median of "
                                                        f"{len(start.get('cold_starts', []))})"))
    big = result.get("big_world") or {}
    build, rss = big.get("build_s"), big.get("rss_mb_loaded") or big.get("rss_mb_idle")
    if big.get("employees") not in (None, 10_000):  # --big-world N: figures of another size are no verdict
        other = f"measured at {big['employees']:,} employees"
        checks.append(_check("a 10,000-employee world built in <= 5 s", NOT_MEASURED, f"{build} s, {other}"))
        checks.append(_check("<= 200 MB RSS per worker (10,000 employees)", NOT_MEASURED, f"{rss} MB, {other}"))
    else:
        checks.append(_check("a 10,000-employee world built in <= 5 s", NOT_MEASURED if build is None else
                             MET if build <= 5 else NOT_MET, "not run" if build is None else f"{build:.2f} s"))
        checks.append(_check("<= 200 MB RSS per worker (10,000 employees)", NOT_MEASURED if not rss else
                             MET if max(rss) <= 200 else NOT_MET,
                             "not run" if not rss else f"largest worker {max(rss):.0f} MB after load"))
    deep = {name: page for name, page in (big.get("deep_page") or {}).items()
            if isinstance(page, dict) and page.get("ratio")}
    if deep:
        name, page = max(deep.items(), key=lambda item: item[1]["ratio"])
        checks.append(_check("a deep page (page 50) <= 1.2x the first", MET if page["ratio"] <= 1.2 else NOT_MET,
                             f"worst {page['ratio']:.2f}x ({name})"))
    else:
        why = (big.get("deep_page") or {}).get("problem", "not run")
        checks.append(_check("a deep page (page 50) <= 1.2x the first", NOT_MEASURED, why))
    return checks
