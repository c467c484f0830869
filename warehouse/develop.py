"""The analyst's loop: dbt against a development copy, and the dbt docs site.

``cadres dbt …`` never touches the published warehouse: it works on ``<dir>/dev/<name>``, a
copy of the published file (same file name, so DuckDB's catalog name matches the one in the
copied views), refreshed whenever a newer warehouse has been published. Both of the profile's
targets point at the copy, so not even ``--target build`` reaches the published file; dbt's
target and log folders are ``<dir>/dev/target`` and ``<dir>/dev/logs``, apart from the
project's sources and from other warehouses. Published data changes only through
``cadres refresh``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from warehouse.dbt import dbt_command, dbt_environment
from warehouse.errors import Locked, RefreshError
from warehouse.settings import DBT_PROJECT_DIR, Settings

# dbt commands that take --vars; `cadres dbt` passes them the run's term start
_TAKES_VARS = frozenset({"build", "clone", "compile", "list", "ls", "parse", "run", "run-operation",
                         "seed", "show", "snapshot", "test"})


def dev_copy(warehouse: Path) -> Path:
    """The development database that belongs to a published warehouse."""
    return warehouse.parent / "dev" / warehouse.name


def dev_target_dir(warehouse: Path) -> Path:
    """dbt's target folder for the development copy (manifest, compiled SQL, docs site)."""
    return warehouse.parent / "dev" / "target"


@contextlib.contextmanager
def dev_lock(warehouse: Path) -> Iterator[None]:
    """One ``cadres dbt`` (or ``cadres docs``) at a time on a development copy.

    Without it a second command would replace the copy (a newer warehouse was published) while
    the first one's dbt is building in it. A second command fails at once with the holder's
    process id; the lock is released when the holder exits, however it exits.
    """
    path = warehouse.parent / "dev" / ".dev.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "未知"
            raise Locked(f"另一个 cadres dbt 或 cadres docs 正在使用开发副本（进程 {holder}），"
                         "请等它结束后再试") from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_dev_copy(settings: Settings) -> Path:
    """Copy the published warehouse to the dev path when it is missing or older."""
    published, dev = settings.warehouse, dev_copy(settings.warehouse)
    if not published.exists():
        raise RefreshError(f"数据仓库不存在：{published}（请先运行 cadres refresh）")
    if not dev.exists() or dev.stat().st_mtime < published.stat().st_mtime:
        dev.parent.mkdir(parents=True, exist_ok=True)
        partial = dev.with_name(f".{dev.name}.copying-{os.getpid()}")
        try:
            shutil.copyfile(published, partial)
            # a write-ahead log of the old copy must never be replayed onto the new one
            dev.with_name(dev.name + ".wal").unlink(missing_ok=True)
            os.replace(partial, dev)
        finally:
            partial.unlink(missing_ok=True)
        _log(f"开发副本已更新为最新发布的数据仓库：{dev}")
    return dev


def dev_environment(settings: Settings) -> dict[str, str]:
    """dbt's environment for the development copy: both targets on it, target ``dev`` by default."""
    dev = ensure_dev_copy(settings)
    env = dbt_environment(dev, dev_database=dev)
    env.update({
        "DBT_TARGET": "dev",
        "DBT_TARGET_PATH": str(dev_target_dir(settings.warehouse)),
        "DBT_LOG_PATH": str(dev.parent / "logs"),
    })
    return env


def _with_vars(args: list[str], settings: Settings) -> list[str]:
    """Append the run's ``term_start`` unless the analyst passed ``--vars`` themselves."""
    takes_vars = (bool(args) and args[0] in _TAKES_VARS) or args[:2] == ["docs", "generate"]
    if "--vars" in args or not takes_vars:
        return args
    return [*args, "--vars", f"{{term_start: '{settings.term_start.isoformat()}'}}"]


def run_dev_dbt(settings: Settings, args: list[str]) -> int:
    """``dbt ARGS`` with the project's profile, target ``dev``, on the development copy."""
    with dev_lock(settings.warehouse):
        env = dev_environment(settings)
        return subprocess.call(dbt_command(_with_vars(list(args), settings)), cwd=DBT_PROJECT_DIR,
                               env=env)


def generate_docs(settings: Settings) -> Path:
    """Build the dbt docs site (manifest, the copy's catalogue, lineage to the dashboard pages)."""
    env = dev_environment(settings)
    status = subprocess.call(dbt_command(_with_vars(["docs", "generate", "--static"], settings)),
                             cwd=DBT_PROJECT_DIR, env=env)
    if status != 0:
        raise RefreshError("dbt docs generate 失败")
    return dev_target_dir(settings.warehouse) / "static_index.html"


def serve_docs(settings: Settings, *, port: int, serve: bool = True) -> int:
    """Generate the docs site, then serve it on loopback until stopped."""
    with dev_lock(settings.warehouse):
        site = generate_docs(settings)
        env = dev_environment(settings)  # copies nothing now: the copy is current
    print(f"dbt 文档已生成：{site}（单个文件，可直接用浏览器打开）", flush=True)
    if not serve:
        return 0
    print(f"dbt 文档地址：http://127.0.0.1:{port}/ （血缘图：右下角 View Lineage Graph；Ctrl+C 停止）", flush=True)
    try:
        return subprocess.call(dbt_command(["docs", "serve", "--port", str(port), "--host", "127.0.0.1",
                                            "--no-browser"]),
                               cwd=DBT_PROJECT_DIR, env=env)
    except KeyboardInterrupt:
        return 0
