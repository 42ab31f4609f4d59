"""Small measuring helpers shared by the benchmark steps: quantiles, peak memory, child processes, the machine."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quantiles(seconds: list[float]) -> dict[str, float]:
    """min / p50 / p95 / max of durations given in seconds, in milliseconds."""
    if not seconds:
        return {}
    ms = sorted(s * 1000 for s in seconds)

    def at(q: float) -> float:
        return round(ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))], 3)

    return {"n": len(ms), "min": round(ms[0], 3), "p50": at(0.5), "p95": at(0.95), "max": round(ms[-1], 3)}


def min_median(values: list[float], digits: int = 3) -> dict[str, float]:
    return {"n": len(values), "min": round(min(values), digits), "median": round(statistics.median(values), digits)}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_json(args: list[str], *, timeout: float = 7200, env: dict[str, str] | None = None) -> dict:
    """Run `python -m ...` (or any command) in a child process and parse the JSON object it prints last."""
    command = [sys.executable, *args] if args[0] == "-m" else args
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=REPO, env={**os.environ, **(env or {})}
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(command)} printed no JSON:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return json.loads(lines[-1])


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def busy_processes(threshold: float = 20.0) -> list[str]:
    """Other processes using the CPU right now (a short `ps` sample): they make every figure slower."""
    try:
        out = subprocess.run(["ps", "-eo", "pid,pcpu,args", "--sort=-pcpu"], capture_output=True, text=True).stdout
    except OSError:
        return []
    mine = {os.getpid(), os.getppid()}
    busy = []
    for line in out.splitlines()[1:12]:
        parts = line.split(None, 2)
        if len(parts) == 3 and int(parts[0]) not in mine and float(parts[1]) >= threshold:
            busy.append(f"{parts[1]}% {parts[2][:90]}")
    return busy


def machine() -> dict:
    cpu = ""
    flags = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name") and not cpu:
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = line
    except OSError:
        pass
    memory = 0
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    except (ValueError, OSError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("torch", "sentence-transformers", "onnxruntime", "faiss-cpu", "bm25s", "haystack-ai",
                 "sentence-transformers-haystack", "numpy"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "avx512_vnni": "avx512_vnni" in flags,
        "python": platform.python_version(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
