"""MetricFlow as a compiler only: a query shape in, DuckDB SQL out, cached.

Importing MetricFlow costs seconds and compiling a query tens of milliseconds, so one engine is
built per semantic manifest and per process, and each compiled statement is kept per query
shape (metrics, group-by items, where templates). Values never enter the SQL: the where
templates carry DuckDB parameters (``$scope_region``) that the caller binds at execution, so
one compiled statement serves every value of a filter. MetricFlow never connects to the
warehouse (its own connection would conflict with the caller's read-only one): the client
below only names the dialect.

Two rewrites make MetricFlow's DuckDB SQL fast without changing what it counts (``for_duckdb``):
its common table expressions become ``NOT MATERIALIZED``, so DuckDB inlines them and pushes a
snapshot filter into the table scan instead of first copying a whole fact table; and
``DATE_TRUNC('day', column)`` becomes the column itself, so ``metric_time__day = $snapshot``
reaches the scan and skips the other snapshots' row groups (the facts are stored in snapshot
order). The second relies on every time dimension being a DATE column, which truncating to a
day leaves unchanged; ``tests/test_metric_layer.py`` checks that they are.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections import OrderedDict
from typing import Any

_MAX_STATEMENTS = 2048
_lock = threading.Lock()
_engines: dict[str, Any] = {}
_statements: OrderedDict[tuple[Any, ...], str] = OrderedDict()


_CTE = re.compile(r"^(WITH |, )(\w+) AS \($", re.MULTILINE)
_DAY_TRUNC = re.compile(r"DATE_TRUNC\('day', (\w+)\)")


def for_duckdb(sql: str) -> str:
    """MetricFlow's statement with inlined CTEs and day truncations of DATE columns dropped."""
    return _DAY_TRUNC.sub(r"\1", _CTE.sub(r"\1\2 AS NOT MATERIALIZED (", sql))


DUCKDB_CONFIG: dict[str, str] = {"disabled_optimizers": "join_order"}
"""Settings of every connection that runs MetricFlow's statements. MetricFlow joins the parts of
a query (one per semantic model, and one per filtered or ratio metric) with CROSS JOINs of
one-row aggregates or FULL OUTER JOINs on the group-by columns: there is no join order to choose,
but DuckDB's join-order optimizer still enumerates them, and for 总览's 30 key figures it was half
of the statement's time at sample scale (profiled: 0.72 of 1.43 s). Turned off, the same
statement costs about a third less CPU at sample scale and a quarter less at scale 100, with the
same results (``bench/bench_dashboard_queries.py --compare-defaults`` measures every page query
both ways and checks that they agree)."""


class CompileError(ValueError):
    """MetricFlow refused the query (an unknown metric or dimension, an impossible join)."""


def preload() -> None:
    """Import MetricFlow (about 1.5 s at a refresh's gates). A refresh calls it in a background
    thread while it waits for dbt, whose build runs in another process."""
    for module in ("metricflow.engine.metricflow_engine", "metricflow.sql.render.duckdb_renderer",
                   "metricflow_semantics.model.dbt_manifest_parser",
                   "metricflow_semantics.model.semantic_manifest_lookup"):
        importlib.import_module(module)


def _engine(fingerprint: str, manifest_json: str) -> Any:
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    class CompileOnlyClient:
        """Names DuckDB's dialect; refuses to run anything."""

        sql_engine_type = SqlEngine.DUCKDB
        sql_plan_renderer = DuckDbSqlPlanRenderer()

        def query(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("compile only: the caller runs the SQL")

        execute = dry_run = query

        def close(self) -> None:
            return None

        def render_bind_parameter_key(self, key: str) -> str:
            return "$" + key

    engine = _engines.get(fingerprint)
    if engine is None:
        manifest = parse_manifest_from_dbt_generated_manifest(manifest_json)
        engine = MetricFlowEngine(SemanticManifestLookup(manifest), CompileOnlyClient())
        _engines.clear()  # a new publish brings new definitions; the old engine is not needed
        _engines[fingerprint] = engine
    return engine


def compile_sql(fingerprint: str, manifest_json: str, metrics: tuple[str, ...], group_by: tuple[str, ...],
                where: tuple[str, ...], order_by: tuple[str, ...] = ()) -> str:
    """The SQL of one query shape (cached)."""
    key = (fingerprint, metrics, group_by, where, order_by)
    with _lock:
        if key in _statements:
            _statements.move_to_end(key)
            return _statements[key]
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics), group_by_names=list(group_by) or None,
            where_constraints=list(where) or None, order_by_names=list(order_by) or None)
        try:
            sql = for_duckdb(_engine(fingerprint, manifest_json).explain(request).sql_statement.sql)
        except Exception as error:  # MetricFlow raises many kinds; the message is what matters
            raise CompileError(str(error).strip().splitlines()[0] if str(error).strip() else repr(error)) from error
        _statements[key] = sql
        if len(_statements) > _MAX_STATEMENTS:
            _statements.popitem(last=False)
        return sql


def cached_statements() -> int:
    """How many compiled statements are cached (for the benchmarks)."""
    return len(_statements)
