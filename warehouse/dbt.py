"""Running dbt as a child process that cannot outlive the refresh that started it.

dbt runs in its own process rather than in-process (``dbtRunner``): its DuckDB connection
closes when it exits, and a refresh killed mid-build takes dbt down with it (``PDEATHSIG``),
so no orphan keeps writing to a build file that the next refresh will delete.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warehouse.settings import DBT_PROJECT_DIR

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: ask the kernel for SIGKILL when the parent dies."""
    # Not Linux: the child merely may outlive a killed parent.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def dbt_environment(database: Path, dev_database: Path | None = None) -> dict[str, str]:
    """The environment dbt needs: the database file, the profile, no telemetry."""
    env = dict(os.environ)
    env.update({
        "CADRES_DBT_DATABASE": str(database),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
        "DO_NOT_TRACK": "1",
    })
    if dev_database is not None:
        env["CADRES_DBT_DEV_DATABASE"] = str(dev_database)
    return env


def dbt_command(args: list[str]) -> list[str]:
    """The command line that runs dbt with this interpreter's installation."""
    return [sys.executable, "-m", "dbt.cli.main", *args]


@dataclass(frozen=True)
class DbtResult:
    """Exit status of a dbt invocation and the per-node results it wrote."""

    returncode: int
    results: list[dict[str, Any]]
    output_tail: list[str]

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Nodes whose error-severity outcome forbids publishing."""
        return [r for r in self.results if r.get("status") in ("error", "fail", "runtime error")]


def run_dbt(
    args: list[str],
    env: dict[str, str],
    *,
    on_line: Callable[[str], None] | None = None,
    run_results: Path | None = None,
) -> DbtResult:
    """Run dbt, feeding each output line to ``on_line``; read ``run_results.json`` after."""
    process = subprocess.Popen(
        dbt_command(args),
        cwd=DBT_PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=_die_with_parent,
    )
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip("\n")
        tail = [*tail[-40:], line]
        if on_line is not None:
            on_line(line)
    returncode = process.wait()
    results: list[dict[str, Any]] = []
    if run_results is not None and run_results.exists():
        results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    return DbtResult(returncode, results, tail)
