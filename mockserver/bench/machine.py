"""The machine a run was measured on (cores, CPU, memory, Python, OS, load), and the versions of what ran."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from pathlib import Path


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text, re.M)
    return match.group(1).strip() if match else None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def describe() -> dict:
    cpuinfo, meminfo, release = _read("/proc/cpuinfo"), _read("/proc/meminfo"), _read("/etc/os-release")
    memory = _first(r"^MemTotal:\s+(\d+) kB", meminfo)
    return {
        "cores": os.cpu_count(),
        "cpu": _first(r"^model name\s*:\s*(.+)$", cpuinfo) or platform.processor() or platform.machine(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1) if memory else None,
        "python": platform.python_version(),
        "os": (_first(r'^PRETTY_NAME="?([^"\n]+)"?', release) or platform.system()) + f" ({platform.release()})",
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def summary(machine: dict) -> str:
    memory = f", {machine['memory_gb']} GB" if machine.get("memory_gb") else ""
    return (f"{machine['cores']} cores ({machine['cpu']}){memory}, {machine['os']}, Python {machine['python']}, "
            f"load average {machine.get('load_average')} at the start")


def tool_version(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else None
