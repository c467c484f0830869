"""The restricted store: names, ID numbers and raw reject records, in their own DuckDB file.

``<dir>/<stem>.personal.duckdb``, mode 0600, beside the warehouse it belongs to. A refresh
writes it in its private build folder (mode 0700) and publishes it together with the warehouse
(``warehouse.publish.publish``); a refresh that fails leaves both published files as they were.
Only the person-level pages (分析员, 数据管理员) and ``cadres rejects`` open it, read-only; the
dashboard's aggregate pages and the metric layer never do.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl

from warehouse.errors import RefreshError
from warehouse.personal.separate import PersonalData

PRIVATE_MODE = 0o600


def store_path(warehouse: Path) -> Path:
    """The restricted store that belongs to a warehouse file."""
    return warehouse.with_name(f"{warehouse.stem}.personal.duckdb")


def write_store(path: Path, personal: PersonalData) -> None:
    """Write the restricted store (a new file) and make it private before anyone can open it."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as connection:
        os.chmod(path, PRIVATE_MODE)
        for name, frame in (("persons", personal.persons), ("rejects", personal.rejects)):
            connection.register("personal_frame", frame)
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM personal_frame")
            connection.unregister("personal_frame")
        connection.execute("CHECKPOINT")
    os.chmod(path, PRIVATE_MODE)


def connect_store(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The published restricted store, read-only; refused when missing or readable by others."""
    path = store_path(warehouse)
    if not path.exists():
        raise RefreshError(f"没有人员信息库：{path}（请先用 cadres refresh 刷新数据仓库）")
    if stat.S_IMODE(path.stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        raise RefreshError(f"人员信息库权限过宽，拒绝读取：{path}；确认未被他人读取后运行 chmod 600 {path}")
    return duckdb.connect(str(path), read_only=True)


def person_names(warehouse: Path, keys: Iterable[str]) -> pl.DataFrame:
    """``person_key``, ``full_name``, ``id_number`` of the given keys (unmasked: callers mask)."""
    wanted = pl.DataFrame({"person_key": list(dict.fromkeys(keys))}, schema={"person_key": pl.String})
    with connect_store(warehouse) as connection:
        connection.register("wanted", wanted)
        return connection.sql(
            "SELECT p.person_key, p.full_name, p.id_number FROM wanted "
            "JOIN persons p USING (person_key)").pl()
