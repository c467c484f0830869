"""A refresh killed at any moment leaves the old or the new warehouse, never a broken one.

Each case starts ``cadres refresh`` as its own process, waits for a progress line of the stage
to hit (ingest, dbt, publish), sends SIGKILL after a delay, and checks the published file:
it must open and be byte-identical to the old one, or be a complete new one. The next refresh
must clean up what the killed one left and succeed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import dbt_workers, run_cadres
from tests.rawkit import person, write_raw
from warehouse.semantic.local import open_reader
from warehouse.semantic.query import Scope
from warehouse.settings import PROJECT_ROOT

# (progress text to wait for, seconds to wait after it before SIGKILL)
KILL_POINTS = [
    ("[1/4]", 0.1),  # reading the exports
    ("[2/4]", 0.0),  # dbt starting the build (parsed while the exports were read)
    ("[2/4]", 3.0),  # dbt loading seeds or building models
    ("PASS", 0.0),  # dbt testing
    ("[3/4]", 0.0),  # writing the refresh log into the build file
    ("[4/4]", 0.0),  # publishing
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pool_total(warehouse: Path) -> float:
    """The published file opens and answers through the metric layer (its definitions inside)."""
    with open_reader(warehouse) as reader:
        return reader.figures(Scope(), ["pool_total"])[0].value


# Two and three persons: the pool moves by a third or more each time, past the key-figure gate;
# these tests are about atomicity, so every refresh accepts the gates.
def _start_refresh(raw: Path, warehouse: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "warehouse.cli", "refresh", "--accept", "--raw", str(raw),
         "--warehouse", str(warehouse), *extra],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _kill_when(process: subprocess.Popen[str], marker: str, delay: float,
               timeout: float = 300) -> bool:
    """SIGKILL the refresh once ``marker`` appears on its progress output; False if it ended first."""
    seen = threading.Event()

    def watch() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if marker in line:
                seen.set()
                return

    threading.Thread(target=watch, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not seen.is_set() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if not seen.is_set():
        return False
    time.sleep(delay)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


@pytest.fixture(scope="module")
def two_raw_folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An old export (2 people in the pool) and a new one (3 people)."""
    root = tmp_path_factory.mktemp("raw")
    old = write_raw(root / "old", pool={"2018-04-30": {"党外知识分子": [person(1), person(2)]}})
    new = write_raw(root / "new", pool={"2018-04-30": {"党外知识分子": [person(1), person(2), person(3)]}})
    return old, new


def test_kill_at_every_stage_leaves_old_or_new(two_raw_folders: tuple[Path, Path],
                                              tmp_path: Path) -> None:
    """Each attempt refreshes towards the folder that is not published, so old and new differ;
    the attempt after a kill must itself clean up what the killed one left."""
    raws = {2: two_raw_folders[0], 3: two_raw_folders[1]}
    warehouse = tmp_path / "cadres.duckdb"
    assert run_cadres("refresh", "--accept", "--raw", str(raws[2]),
                      "--warehouse", str(warehouse)).returncode == 0
    published = 2
    outcomes: list[str] = []
    for marker, delay in KILL_POINTS:
        before = _digest(warehouse)
        target = 5 - published
        process = _start_refresh(raws[target], warehouse)
        killed = _kill_when(process, marker, delay)
        if not killed:
            assert process.wait() == 0
        else:
            time.sleep(0.5)
            assert dbt_workers(tmp_path) == [], "dbt outlived the refresh that started it"
        assert warehouse.exists()
        total = _pool_total(warehouse)  # opens: never a half-written file
        if _digest(warehouse) == before:
            assert total == published
            outcomes.append(f"{marker}+{delay}: old")
        else:
            assert total == target, (marker, delay, total)
            published = target
            outcomes.append(f"{marker}+{delay}: new")
    leftovers = list(tmp_path.glob(".cadres.build-*"))
    final = run_cadres("refresh", "--accept", "--raw", str(raws[5 - published]),
                       "--warehouse", str(warehouse))
    assert final.returncode == 0, final.stderr
    assert _pool_total(warehouse) == 5 - published
    assert not list(tmp_path.glob(".cadres.build-*")), "leftover build folder not cleaned"
    assert any(o.endswith("old") for o in outcomes)
    print(f"kills: {len(KILL_POINTS)}, leftovers before the final refresh: {len(leftovers)}, "
          f"outcomes: {outcomes}")


def test_second_refresh_is_refused_while_one_runs(two_raw_folders: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    old_raw, new_raw = two_raw_folders
    warehouse = tmp_path / "cadres.duckdb"
    first = _start_refresh(new_raw, warehouse)
    try:
        assert first.stderr is not None
        for line in first.stderr:
            if "[2/4]" in line:
                break
        second = run_cadres("refresh", "--raw", str(old_raw), "--warehouse", str(warehouse))
        assert second.returncode != 0
        assert "另一个刷新正在进行" in second.stderr.strip().splitlines()[-1]
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0
    assert _pool_total(warehouse) == 3  # the refused refresh changed nothing


def test_waiting_refresh_queues_behind_the_running_one(tmp_path: Path) -> None:
    from warehouse.publish import refresh_lock

    warehouse = tmp_path / "cadres.duckdb"
    order: list[str] = []
    with refresh_lock(warehouse):
        waiter = threading.Thread(target=lambda: _hold_and_record(warehouse, order))
        waiter.start()
        time.sleep(0.5)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second ran"]


def _hold_and_record(warehouse: Path, order: list[str]) -> None:
    from warehouse.publish import refresh_lock

    with refresh_lock(warehouse, wait=True):
        order.append("second ran")


def test_lock_holder_pid_is_named(tmp_path: Path) -> None:
    from warehouse.errors import RefreshError
    from warehouse.publish import refresh_lock

    warehouse = tmp_path / "cadres.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from warehouse.publish import refresh_lock\n"
         f"with refresh_lock(Path({str(warehouse)!r})):\n print('held', flush=True); time.sleep(30)"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RefreshError, match=str(holder.pid)), refresh_lock(warehouse):
            pass
    finally:
        holder.kill()
        holder.wait()
    with refresh_lock(warehouse):  # released when its holder died
        pass
    assert not os.path.exists(tmp_path / ".cadres.build-x")
    shutil.rmtree(tmp_path, ignore_errors=True)
