"""Read-only access to the published warehouse for the command line."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.errors import RefreshError
from warehouse.semantic.compiler import DUCKDB_CONFIG


def connect_readonly(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; a missing warehouse is a clear error, not an empty database."""
    if not warehouse.exists():
        raise RefreshError(f"数据仓库不存在：{warehouse}（请先运行 cadres refresh）")
    return duckdb.connect(str(warehouse), read_only=True, config=DUCKDB_CONFIG)
