"""Running dbt as a child process that cannot outlive the refresh that started it.

dbt runs in its own process rather than in-process (``dbtRunner``): its DuckDB connection
closes when it exits, and a refresh killed mid-build takes dbt down with it (``PDEATHSIG``),
so no orphan keeps writing to a build file that the next refresh will delete.

Parsing the project from scratch costs dbt several seconds of CPU; a partial parse under one
second. dbt reuses its saved parse (``partial_parse.msgpack``) only when the profile is the same,
and the profile holds the database path, so a refresh names its build file relative to the
folder dbt runs in, and a warehouse's first refresh starts from the last parse any refresh of
this project saved (``PARSE_CACHE``) instead of from nothing. dbt still checks every file's
checksum and the vars, and parses afresh whatever changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warehouse.settings import DBT_PROJECT_DIR

_PR_SET_PDEATHSIG = 1
PARTIAL_PARSE = "partial_parse.msgpack"
# The last parse a refresh saved, shared by every warehouse built from this project folder.
PARSE_CACHE = DBT_PROJECT_DIR / "target" / "refresh-parse" / PARTIAL_PARSE


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
    cwd: Path = DBT_PROJECT_DIR,
) -> DbtResult:
    """Run dbt in ``cwd``, feeding each output line to ``on_line``; read ``run_results.json`` after."""
    process = subprocess.Popen(
        dbt_command(args),
        cwd=cwd,
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


def restore_parse(target: Path) -> None:
    """Give a target folder without a saved parse the project's last one (dbt checks it)."""
    saved = target / PARTIAL_PARSE
    if saved.exists() or not PARSE_CACHE.exists():
        return
    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PARSE_CACHE, saved)


def keep_parse(target: Path) -> None:
    """Save a target folder's parse as the project's last one; atomic, since refreshes of other
    warehouses may read it at the same moment. A read-only project folder only loses the cache."""
    saved = target / PARTIAL_PARSE
    if not saved.exists():
        return
    with contextlib.suppress(OSError):
        PARSE_CACHE.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=PARSE_CACHE.parent, suffix=".tmp")
        os.close(handle)
        try:
            shutil.copyfile(saved, temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, PARSE_CACHE)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
