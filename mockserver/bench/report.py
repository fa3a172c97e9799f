"""A run's result as people read it: the table (route, server, rps, p50, p99, errors, ours/peer), the start, build,
memory and deep-page figures, the targets checklist; as text for the console, as Markdown for README, as JSON to
compare over time."""

from __future__ import annotations

import json
from pathlib import Path

from .machine import summary
from .targets import MET, NOT_MET

MARKS = {MET: "[x]", NOT_MET: "[ ]"}


def _number(value, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(row: dict) -> str:
    return f"{row['ratio']:.2f}" if row.get("ratio") is not None else ""


def _errors(row: dict) -> str:
    text = str(row["errors"])
    if "lost" in row:
        text += f", {row['lost']} lost of {row['acknowledged']:,}"
    return text


def table_rows(result: dict) -> list[list[str]]:
    """[route, server, rps, p50 ms, p99 ms, errors, ours/peer] per row; a server left out says why."""
    rows = []
    for row in result["table"]:
        if "problem" in row:
            rows.append([row["route"], row["label"], "-", "-", "-", "-", f"not run: {row['problem']}"])
        else:
            rows.append([row["route"], row["label"], _number(row["rps"]), _number(row["p50_ms"], 1),
                         _number(row["p99_ms"], 1), _errors(row), _ratio(row)])
    return rows


HEADER = ["route", "server", "rps", "p50 ms", "p99 ms", "errors", "ours/peer"]


def text_table(result: dict) -> str:
    rows = [HEADER, *table_rows(result)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)] + [0]  # the last: unpadded
    numeric = {2, 3, 4}
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def route_legend(result: dict) -> list[str]:
    return [f"{route['name']}: {route['title']}" for route in result["routes"]]


def figure_lines(result: dict) -> list[str]:
    lines = []
    start = result.get("startup") or {}
    if start.get("cold_start_s") is not None:
        lines.append(f"cold start (process start to the first 200, {result['settings']['employees']} employees): "
                     f"{start['cold_start_s']:.2f} s, median of {len(start['cold_starts'])}; world built in "
                     f"{start['build_s']:.2f} s")
    if start.get("rss_mb_idle"):
        lines.append(f"RSS per worker, {result['settings']['employees']} employees: {start['rss_mb_idle']} MB idle, "
                     f"{start.get('rss_mb_loaded')} MB after the comparison")
    big = result.get("big_world") or {}
    if big.get("employees"):
        lines.append(f"{big['employees']:,} employees: first 200 after {big['first_200_s']:.2f} s, world built in "
                     f"{big['build_s']:.2f} s, RSS per worker {big.get('rss_mb_idle')} MB idle, "
                     f"{big.get('rss_mb_loaded')} MB after load")
        for name, page in (big.get("deep_page") or {}).items():
            if isinstance(page, dict) and page.get("ratio"):
                lines.append(f"deep page ({name}, `{page['deep_path']}`, {big['employees']:,} employees): "
                             f"{page['deep_ms']:.1f} ms against {page['first_ms']:.1f} ms for page 1: "
                             f"{page['ratio']:.2f}x (median of {page['samples']}, one request at a time)")
        problem = (big.get("deep_page") or {}).get("problem")
        if problem:
            lines.append(f"deep page: not measured ({problem})")
    elif big.get("problem"):
        lines.append(f"big world: not measured ({big['problem']})")
    for row in result["table"]:
        if row.get("repeated_writes"):
            lines.append(f"{row['route']} on {row['label']}: about {row['repeated_writes']:,} writes of a run went "
                         "past the world's unenrolled (course, learner) pairs and repeated one (a shorter --duration "
                         "keeps every write new)")
    pg = result.get("postgres") or {}
    if pg.get("status") == "skipped":
        lines.append(f"PostgreSQL state: comparison skipped ({pg['reason']})")
    elif pg.get("status") == "measured":
        ratios = [row for row in result["table"] if row["server"] == "ours-postgres" and row.get("ratio")]
        if ratios:
            spread = ", ".join(f"{row['route']} {1 / row['ratio']:.2f}" for row in ratios)
            lines.append(f"PostgreSQL state ({pg.get('source')}, {pg.get('version')}): one replica's rps as a share "
                         f"of the same on SQLite: {spread}")
    return lines


def target_lines(result: dict) -> list[str]:
    return [f"{MARKS.get(check['status'], '[?]')} {check['target']}: {check['status']} ({check['figure']})"
            for check in result.get("targets", [])]


def heading(result: dict) -> str:
    s = result["settings"]
    return (f"{result['date']}, {summary(result['machine'])}. wrk -t{s['threads']} -c{s['connections']}, "
            f"{s['duration']} s a run, {s['rounds']} round(s) (medians), `mockserver serve --workers {s['workers']}`; "
            f"mockserver {result['versions'].get('mockserver')}, WireMock {result['versions'].get('wiremock') or '-'}"
            f", Prism {result['versions'].get('prism') or '-'}, wrk {result['versions'].get('wrk')}.")


def text(result: dict) -> str:
    parts = [heading(result), "", *route_legend(result), "", text_table(result), "", *figure_lines(result), "",
             "Targets (issue 13):", *target_lines(result)]
    return "\n".join(parts)


def markdown(result: dict) -> str:
    """README's Benchmark table: the date, the machine, the table, the figures, the checklist."""
    titles = {route["name"]: route["title"] for route in result["routes"]}
    lines = [f"Measured {heading(result)}", "", "| " + " | ".join(HEADER) + " |",
             "|" + "---|" * 2 + "---:|" * 3 + "---|---:|"]
    previous = None
    for row, cells in zip(result["table"], table_rows(result)):
        route = titles[row["route"]] if row["route"] != previous else ""
        previous = row["route"]
        lines.append("| " + " | ".join([route, *cells[1:]]).replace("\n", " ") + " |")
    lines += ["", *[f"- {line}" for line in figure_lines(result)], "", "Targets:", "",
              *[f"- {line}" for line in target_lines(result)]]
    return "\n".join(lines) + "\n"


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
