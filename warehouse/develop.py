"""The analyst's loop: dbt against a development copy, and the dbt docs site.

``cadres dbt …`` never touches the published warehouse: it works on ``<dir>/dev/<name>``, a
copy of the published file (same file name, so DuckDB's catalog name matches the one in the
copied views). Published data changes only through ``cadres refresh``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from warehouse.dbt import dbt_command, dbt_environment
from warehouse.errors import RefreshError
from warehouse.settings import DBT_PROJECT_DIR, Settings


def dev_copy(warehouse: Path) -> Path:
    """The development database that belongs to a published warehouse."""
    return warehouse.parent / "dev" / warehouse.name


def ensure_dev_copy(settings: Settings) -> Path:
    """Copy the published warehouse to the dev path when it is missing or older."""
    published, dev = settings.warehouse, dev_copy(settings.warehouse)
    if not published.exists():
        raise RefreshError(f"数据仓库不存在：{published}（请先运行 cadres refresh）")
    if not dev.exists() or dev.stat().st_mtime < published.stat().st_mtime:
        dev.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(published, dev)
        print(f"开发副本已更新为最新发布的数据仓库：{dev}", flush=True)
    return dev


def _with_target(args: list[str]) -> list[str]:
    if not args or "--target" in args or "-t" in args:
        return args
    return [args[0], "--target", "dev", *args[1:]]


def run_dev_dbt(settings: Settings, args: list[str]) -> int:
    """``dbt ARGS`` with the project's profile, target ``dev``, on the development copy."""
    dev = ensure_dev_copy(settings)
    env = dbt_environment(dev, dev_database=dev)
    return subprocess.call(dbt_command(_with_target(list(args))), cwd=DBT_PROJECT_DIR, env=env)


def generate_docs(settings: Settings) -> Path:
    """Build the dbt docs site (with the database catalogue) into ``dbt_project/target``."""
    dev = ensure_dev_copy(settings)
    env = dbt_environment(dev, dev_database=dev)
    status = subprocess.call(dbt_command(["docs", "generate", "--target", "dev", "--static"]),
                             cwd=DBT_PROJECT_DIR, env=env)
    if status != 0:
        raise RefreshError("dbt docs generate 失败")
    return DBT_PROJECT_DIR / "target" / "static_index.html"


def serve_docs(settings: Settings, *, port: int, serve: bool = True) -> int:
    """Generate the docs site, then serve it on loopback until stopped."""
    site = generate_docs(settings)
    print(f"dbt 文档已生成：{site}", flush=True)
    if not serve:
        return 0
    print(f"dbt 文档地址：http://127.0.0.1:{port}/", flush=True)
    env = dbt_environment(dev_copy(settings.warehouse))
    try:
        return subprocess.call(dbt_command(["docs", "serve", "--target", "dev", "--port", str(port),
                                            "--host", "127.0.0.1", "--no-browser"]),
                               cwd=DBT_PROJECT_DIR, env=env)
    except KeyboardInterrupt:
        return 0
