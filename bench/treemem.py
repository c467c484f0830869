"""Run a command while sampling the summed resident memory of it and all its descendants.

``/usr/bin/time -v`` reports the largest single process, but a refresh is a tree (the CLI,
dbt as a child, DuckDB threads inside each): what the machine must hold is the sum.  Linux
only (reads ``/proc``); no third-party dependency.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    """How one command went: wall seconds, output, exit status, peak tree memory in bytes, and
    CPU seconds (user + system) of the whole tree — on a shared machine, the steadier figure."""

    seconds: float
    stdout: str
    stderr: str
    returncode: int
    peak_bytes: int
    cpu_seconds: float


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Summed RSS of ``root`` and every descendant, now."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo += tree.get(pid, [])
    return total


def run(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        interval: float = 0.1) -> Run:
    """Run ``command`` to the end, sampling its process tree every ``interval`` seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, stdout, stderr, process.returncode, peak, cpu)
