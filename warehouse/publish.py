"""Building beside the published warehouse and swapping it in atomically, one refresh at a time.

The build file has the same *name* as the published one, in a hidden sibling folder, because
DuckDB names a database's catalog after its file stem and dbt writes that catalog into views;
after ``os.replace`` the views still resolve. Readers that hold the old file keep reading the
old inode until they reopen, so a dashboard never blocks a refresh.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from warehouse.errors import Locked, RefreshError

BUILD_MARKER = ".build-"


def lock_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.stem}.lock"


def build_dir(warehouse: Path) -> Path:
    """The private folder a refresh builds in; the refresh lock makes it one refresh's alone."""
    return warehouse.parent / f".{warehouse.stem}{BUILD_MARKER}in-progress"


def build_file(warehouse: Path) -> Path:
    return build_dir(warehouse) / warehouse.name


def dbt_state_dir(warehouse: Path) -> Path:
    """dbt's target folder, kept between refreshes of one warehouse so dbt parses partially."""
    return warehouse.parent / f".{warehouse.stem}.dbt-target"


@contextlib.contextmanager
def refresh_lock(warehouse: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the warehouse's refresh lock; a second refresh waits or fails with a clear message."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(warehouse)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "未知"
            raise Locked(
                f"另一个刷新正在进行（进程 {holder}），请等它结束后再试，或加 --wait 排队等待"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing the descriptor releases the flock


def remove_leftovers(warehouse: Path) -> list[Path]:
    """Delete build folders of refreshes that died; call only while holding the lock."""
    removed: list[Path] = []
    for path in warehouse.parent.glob(f".{warehouse.stem}{BUILD_MARKER}*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(built: Path, warehouse: Path, companions: Sequence[tuple[Path, Path]] = ()) -> None:
    """Atomically replace the published warehouse with a finished build file.

    ``companions`` (built, published) are files built beside it that belong to it (the
    restricted store); each is renamed into place just before the warehouse, so a refresh
    that fails before publishing leaves every published file as it was.
    """
    for path in (built, *(source for source, _ in companions)):
        if path.with_name(path.name + ".wal").exists():
            raise RefreshError(f"构建文件仍有未写入的日志：{path}.wal")
        _fsync(path)
    for source, target in companions:
        os.replace(source, target)
    os.replace(built, warehouse)
    _fsync(warehouse.parent)
    shutil.rmtree(built.parent, ignore_errors=True)
