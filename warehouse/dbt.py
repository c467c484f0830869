"""Running dbt as a child process that cannot outlive the refresh that started it.

dbt runs in its own process rather than in the refresh's: its DuckDB connection closes when it
exits, and a refresh killed mid-build takes dbt down with it (``PDEATHSIG``), so no orphan keeps
writing to a build file that the next refresh will delete. The refresh starts it early
(:class:`DbtWorker`): dbt imports and parses while the exports are read.

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
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


class DbtWorker:
    """A refresh's dbt process (``warehouse.dbt_worker``), started before the build file exists.

    It imports dbt and parses the project while the refresh reads the exports, so those ~5 s
    leave a refresh's critical path (issue 12); :meth:`build` then runs the build. Leaving the
    ``with`` block without :meth:`build` (bad input, an interrupted refresh) ends the process
    before it has opened the database. Its output is read as it comes, so a full pipe never
    stalls it, and handed to ``on_line`` once the build is under way.
    """

    def __init__(self, parse_args: list[str], build_args: list[str], env: dict[str, str],
                 cwd: Path = DBT_PROJECT_DIR) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "warehouse.dbt_worker",
             json.dumps({"parse": parse_args, "build": build_args})],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            preexec_fn=_die_with_parent,
        )
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def build(self, *, on_line: Callable[[str], None] | None = None,
              run_results: Path | None = None) -> DbtResult:
        """Start the build and wait for it; read ``run_results.json`` after."""
        assert self._process.stdin is not None
        # a worker whose parse failed has already ended: its output says why
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.write("build\n")
            self._process.stdin.flush()
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()
        tail: list[str] = []
        while (line := self._lines.get()) is not None:
            tail = [*tail[-40:], line]
            if on_line is not None:
                on_line(line)
        returncode = self._process.wait()
        results: list[dict[str, Any]] = []
        if run_results is not None and run_results.exists():
            results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
        return DbtResult(returncode, results, tail)

    def __enter__(self) -> DbtWorker:
        return self

    def __exit__(self, *_: object) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()


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
