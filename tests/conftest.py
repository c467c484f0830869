"""Shared fixtures: one real refresh of the bundled sample per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR


def run_cadres(*args: str, env: dict[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process, as a steward runs it."""
    return subprocess.run(
        [sys.executable, "-m", "warehouse.cli", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse refreshed from ``seeds/raw`` by ``cadres refresh``; treat it as read-only."""
    warehouse = tmp_path_factory.mktemp("sample") / "cadres.duckdb"
    result = run_cadres("refresh", "--raw", str(SAMPLE_RAW_DIR), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr + result.stdout
    return warehouse


@pytest.fixture(scope="session")
def other_seed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse refreshed from a sample generated with another seed (7): other people, other
    counts, the same contract; for tests that must not hold only on the bundled sample."""
    root = tmp_path_factory.mktemp("seed7")
    generated = run_cadres("sample", "--out", str(root / "raw"), "--seed", "7")
    assert generated.returncode == 0, generated.stderr
    warehouse = root / "cadres.duckdb"
    result = run_cadres("refresh", "--raw", str(root / "raw"), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr + result.stdout
    return warehouse


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
