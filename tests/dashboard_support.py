"""Shared helpers of the dashboard tests: a real published warehouse, the dashboard on sys.path.

The warehouse comes from a real ``cadres refresh`` of the bundled sample (``seeds/raw``); while
that folder does not exist yet, the sample is generated first with ``cadres sample``, which is
what ``seeds/raw`` is made from. Built once per test process, whichever test asks first.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.settings import PROJECT_ROOT, SAMPLE_RAW_DIR

DASHBOARD_DIR = PROJECT_ROOT / "dashboard"
APP = DASHBOARD_DIR / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, headless as root, with nothing reaching for the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ("overview", "composition", "trends", "teams", "training", "explore", "quality")


def cadres(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process."""
    return subprocess.run([sys.executable, "-m", "warehouse.cli", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))


@functools.cache
def _workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="cadres-dashboard-tests-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def raw_dir() -> Path:
    """``seeds/raw`` if it is there, else a freshly generated sample (the same generator)."""
    if (SAMPLE_RAW_DIR / "talent_pool").exists():
        return SAMPLE_RAW_DIR
    out = _workdir() / "raw"
    result = cadres("sample", "--out", str(out))
    assert result.returncode == 0, result.stderr + result.stdout
    return out


@functools.cache
def sample_warehouse() -> Path:
    """A warehouse published by ``cadres refresh`` from the sample; treat it as read-only."""
    warehouse = _workdir() / "published" / "cadres.duckdb"
    result = cadres("refresh", "--raw", str(raw_dir()), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr + result.stdout
    return warehouse


def copy_warehouse(source: Path, folder: Path) -> Path:
    """A private copy under the same file name (dbt's views name the catalog after the stem)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy2(source, target)
    return target


def key_figures(warehouse: Path) -> dict[str, tuple[str, float | None, str]]:
    """figure_id → (label, value, unit), straight from the mart."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute("select figure_id, label_zh, value, unit from main.key_figures").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def pool_count(warehouse: Path, region: str) -> int:
    """Persons of the latest snapshot in one region: what a ``?region=`` link must show."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select count(*) from main.fct_pool_person_snapshot where is_latest_snapshot and region_name = ?",
            [region]).fetchone()[0]


def use_dashboard_modules() -> None:
    """Import the dashboard's modules the way Streamlit does: from its own folder."""
    if str(DASHBOARD_DIR) not in sys.path:
        sys.path.insert(0, str(DASHBOARD_DIR))


def published_sample(request: pytest.FixtureRequest) -> Path:
    """The session's sample warehouse: the shared ``sample_warehouse`` fixture when ``seeds/raw``
    exists (one refresh for the whole test run), else one built here from a generated sample."""
    if raw_dir() == SAMPLE_RAW_DIR:
        try:
            return request.getfixturevalue("sample_warehouse")
        except pytest.FixtureLookupError:
            pass
    return sample_warehouse()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(warehouse: Path, log: Path) -> Iterator[str]:
    """``streamlit run`` as ``cadres dashboard`` starts it; always stopped at the end."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(DASHBOARD_DIR / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--client.showErrorDetails", "full"]
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(command, cwd=DASHBOARD_DIR, env=dict(os.environ, CADRES_WAREHOUSE=str(warehouse)),
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    assert server.poll() is None, log.read_text(encoding="utf-8")
                    assert time.monotonic() < deadline, "streamlit did not start"
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
