"""The marts browser of 自助分析 (the analysts' tab): any mart, grouped by one column.

The list of marts and their descriptions come from the warehouse's own catalog (dbt writes
each model's and column's description as a DuckDB comment), so a mart added in dbt appears
after the next refresh. Table and column names are taken only from that catalog and quoted.
The leaders' tab (指标 × 维度) reads the metric layer instead.
"""

from __future__ import annotations

import re

import polars as pl

from dashboard.connection import query
from warehouse.semantic.query import Scope

_MART_NAME = re.compile(r"^(?:dim|fct|mart)_[a-z0-9_]+$")
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
MEASURE_ROWS, MEASURE_PERSONS = "rows", "persons"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def mart_catalog() -> pl.DataFrame:
    """Every mart with its dbt description: table_name, comment, estimated_size."""
    frame = query("select table_name, comment, estimated_size from duckdb_tables() "
                  "where database_name = current_database() and schema_name = 'main' order by table_name")
    return frame.filter(pl.col("table_name").str.contains(_MART_NAME.pattern))


def mart_columns(table: str) -> pl.DataFrame:
    """The columns of one mart with type and dbt description: column_name, data_type, comment."""
    return query("select column_name, data_type, comment from duckdb_columns() "
                 "where database_name = current_database() and schema_name = 'main' and table_name = $table "
                 "order by column_index", {"table": table})


def is_dimension(name: str, data_type: str) -> bool:
    """Columns worth grouping by: categories, flags, dates and years, never keys."""
    if name.endswith(("_key", "_id")) or name in ("tenure_id", "sort_order"):
        return False
    return data_type in ("VARCHAR", "BOOLEAN", "DATE") or (name.endswith("_year") and data_type in _NUMERIC)


def is_measure(name: str, data_type: str) -> bool:
    """Numeric columns worth summing or averaging."""
    return (data_type.startswith(_NUMERIC) and not name.endswith(("_id", "_year", "_order"))
            and name not in ("sort_order",))


def explore(scope: Scope, table: str, dimension: str, measure: str, aggregate: str = "sum") -> pl.DataFrame:
    """One mart grouped by ``dimension``: category, value (rows, distinct persons, or the sum or
    average of a numeric column), at most 200 groups; the scope applies where the mart has the
    column (snapshot_date, region_name, sector, list_name)."""
    if not _MART_NAME.match(table) or table not in set(mart_catalog()["table_name"]):
        raise ValueError(f"unknown mart {table!r}")
    columns = dict(mart_columns(table).select("column_name", "data_type").iter_rows())
    if dimension not in columns or not is_dimension(dimension, columns[dimension]):
        raise ValueError(f"cannot group {table} by {dimension!r}")
    if measure == MEASURE_ROWS:
        value = "count(*)"
    elif measure == MEASURE_PERSONS and "person_key" in columns:
        value = "count(distinct t.person_key)"
    elif measure in columns and is_measure(measure, columns[measure]) and aggregate in ("sum", "avg"):
        value = f"{aggregate}(t.{_quote_ident(measure)})"
    else:
        raise ValueError(f"cannot measure {table} by {measure!r}")
    source = f"main.{_quote_ident(table)}"
    where = ["true"]
    if "snapshot_date" in columns and dimension != "snapshot_date":
        where.append(f"t.snapshot_date = coalesce($snapshot::date, (select max(snapshot_date) from {source}))")
    for column, param in (("region_name", "regions"), ("sector", "sectors"), ("list_name", "lists")):
        if column in columns:
            where.append(f"(len(${param}::varchar[]) = 0 or list_contains(${param}::varchar[], t.{column}))")
    sql = (f"select t.{_quote_ident(dimension)} as category, {value} as value from {source} as t "
           f"where {' and '.join(where)} group by 1 order by 2 desc nulls last, 1 limit 200")
    return query(sql, {"snapshot": scope.snapshot, "regions": list(scope.regions), "sectors": list(scope.sectors),
                       "lists": list(scope.lists)})
