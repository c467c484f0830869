"""Shared fixtures: one real refresh of the bundled sample per test run, shared by the workers."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR

# Test files, the most expensive first (per-file seconds of a full run, `--durations`, issue 12).
# pytest-xdist's --dist loadfile hands whole files to the workers in collection order
# (`--no-loadscope-reorder` in pyproject.toml keeps it from putting the files with the most
# tests first), so the long files start at once and the two workers end together. A long file
# left off this list runs last and leaves one worker alone at the end.
SLOWEST_FIRST = (
    "test_dashboard_screens.py", "test_crash_safety.py", "test_analyst_workflow.py", "test_reconciliation.py",
    "test_live_dashboard.py", "test_briefing.py", "test_refresh.py", "test_steward.py", "test_drill_apptest.py",
    "test_dashboard_browser.py", "test_corpus.py", "test_dbt_project.py", "test_properties.py",
    "test_conventions.py", "test_dashboard_apptest.py", "test_access_apptest.py", "test_metric_layer.py",
    "test_privacy_scan.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Collect the expensive files first (a stable sort: order inside a file is unchanged)."""
    rank = {name: index for index, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def run_cadres(*args: str, env: dict[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process, as a steward runs it."""
    return subprocess.run(
        [sys.executable, "-m", "warehouse.cli", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def dbt_workers(folder: Path) -> list[str]:
    """Process ids of a refresh's dbt processes (warehouse.dbt_worker) still alive under ``folder``."""
    found = subprocess.run(["pgrep", "-f", f"dbt_worker.*{folder}"], capture_output=True, text=True)
    return found.stdout.split()


def cadres_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command line run in this process: what ``main`` prints and returns, without a
    new interpreter importing MetricFlow, polars and DuckDB again (~6 CPU s a child, issue 12).
    For the many scope and query variants; each command keeps a real child process
    (``run_cadres``) in its test file for what only a process shows."""
    from warehouse.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: a bad command line
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["cadres", *args], code, stdout.getvalue(), stderr.getvalue())


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test run. Under pytest-xdist each worker has its own
    session, so the folder lives in the run's shared temporary root and the first worker to
    ask builds it under a file lock while the other waits: one refresh per run, not per worker."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # pytest-N/, whose popen-gwK/ folders are the workers' own
    folder = root / f"shared-{name}"
    with (root / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / ".built"
        if not done.exists():
            folder.mkdir(exist_ok=True)
            build(folder)
            done.touch()
    return folder


def _refresh(raw: Path, warehouse: Path) -> None:
    """``cadres refresh``; what it printed is kept beside the warehouse (``refresh-console.log``)
    for the privacy scan (tests/test_privacy_scan.py), as a steward's terminal would show it."""
    result = run_cadres("refresh", "--raw", str(raw), "--warehouse", str(warehouse))
    (warehouse.parent / "refresh-console.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse refreshed from ``seeds/raw`` by ``cadres refresh``; read-only: every worker
    reads the same file."""
    folder = built_once(tmp_path_factory, "sample",
                        lambda folder: _refresh(SAMPLE_RAW_DIR, folder / "cadres.duckdb"))
    return folder / "cadres.duckdb"


def _seed7(folder: Path) -> None:
    generated = run_cadres("sample", "--out", str(folder / "raw"), "--seed", "7")
    assert generated.returncode == 0, generated.stderr
    _refresh(folder / "raw", folder / "cadres.duckdb")


@pytest.fixture(scope="session")
def other_seed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse refreshed from a sample generated with another seed (7): other people, other
    counts, the same contract; for tests that must not hold only on the bundled sample."""
    return built_once(tmp_path_factory, "seed7", _seed7) / "cadres.duckdb"


@pytest.fixture(scope="session", autouse=True)
def no_installed_accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read the machine's own accounts (``~/.config/cadres``): each run starts with none.

    Without accounts the bundled sample opens in 演示数据 mode, which is what the dashboard tests
    expect; tests of sign-in make their own users file. Child processes inherit the variables.
    """
    folder = tmp_path_factory.mktemp("accounts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADRES_USERS_FILE", str(folder / "users.json"))
        for name in ("CADRES_SIGNIN_STATE", "CADRES_AUDIT_LOG"):
            patch.delenv(name, raising=False)
        yield
