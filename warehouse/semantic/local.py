"""The metric layer over a warehouse file, for the command line: one read-only connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.errors import RefreshError
from warehouse.readonly import connect_readonly
from warehouse.semantic.catalog import read_catalog
from warehouse.semantic.reader import SemanticReader


@contextmanager
def open_reader(warehouse: Path) -> Iterator[SemanticReader]:
    """A :class:`SemanticReader` on ``warehouse``, closed on exit."""
    with connect_readonly(warehouse) as connection:
        try:
            catalog = read_catalog(connection)
        except (duckdb.CatalogException, LookupError) as error:
            raise RefreshError(f"数据仓库缺少指标定义（meta.semantic_manifest）：{warehouse}，"
                               "请用 cadres refresh 重新发布") from error

        def execute(sql: str, params: dict[str, Any]) -> pl.DataFrame:
            return connection.sql(sql, params=params or None).pl()

        yield SemanticReader(execute, catalog)
