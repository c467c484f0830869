"""Every number on the dashboard, from dbt's metric layer, at the scope the sidebar chose.

A page asks for metrics by name, a breakdown (MetricFlow's dimension names, e.g.
``pool_membership__sex``) and extra filters; the scope (region, sector, list, snapshot) comes
from the sidebar. The SQL is compiled by MetricFlow from the definitions stored in the
published file and run on the dashboard's read-only connection (:mod:`dashboard.connection`),
so a new publish brings new numbers *and* new definitions at once, and a metric added in dbt
appears on 自助分析 with no change here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from dashboard import access, connection
from warehouse.accounts.visibility import cells_of, narrows
from warehouse.semantic.catalog import Catalog
from warehouse.semantic.comparison import Compared, compare
from warehouse.semantic.query import MetricResult, Scope
from warehouse.semantic.reader import Figure, ScopeOptions, SemanticReader

_lock = threading.Lock()
_readers: dict[connection.Identity, SemanticReader] = {}


def reader() -> SemanticReader:
    """The metric layer of the file published now (one reader per file identity)."""
    ident = connection.file_identity()
    with _lock:
        found = _readers.get(ident)
        if found is None:
            manifest = connection.query("select manifest from meta.semantic_manifest", ident=ident)
            catalog = Catalog.from_json(manifest["manifest"][0])

            def execute(sql: str, params: dict[str, Any]) -> pl.DataFrame:
                return connection.query(sql, params, ident=ident)

            found = SemanticReader(execute, catalog)
            _readers.clear()
            _readers[ident] = found
        return found


def catalog() -> Catalog:
    return reader().catalog


def options() -> ScopeOptions:
    return reader().options


def at_snapshot(scope: Scope) -> Scope:
    """``scope`` with its snapshot filled in (the latest when the sidebar says 最新)."""
    return options().check(scope)


def latest() -> date | None:
    return options().latest


def query(metrics: Sequence[str], group_by: Sequence[str] = (), scope: Scope | None = None,
          filters: Mapping[str, Sequence[str]] | None = None, *, every_snapshot: bool = False) -> MetricResult:
    """``metrics`` by ``group_by`` at ``scope`` (its snapshot filled in; every snapshot with
    ``every_snapshot`` and ``metric_time`` among ``group_by``) and ``filters``, as this session
    may see it (:mod:`dashboard.access`: small counts hidden for 领导 and 区县)."""
    visibility = access.current()
    for name in [*group_by, *(filters or {})]:
        if not visibility.offers_dimension(name):
            raise PermissionError(f"当前角色不可按“{name}”分组或筛选")
    where = scope or Scope()
    asked = where if every_snapshot else at_snapshot(where)
    result = reader().query(metrics, group_by, asked, filters)
    if not group_by or list(group_by) == ["metric_time__day"]:  # cards and series: one place decides
        def fetch(names: Sequence[str]) -> dict[str, float | None]:
            found = reader().query(names, (), asked, filters)
            return {name: found.value(name) for name in names}

        frame = visibility.shown_rows(result.frame, catalog(), narrows(asked, filters),
                                      None if group_by else fetch, cells_of(reader(), asked, filters))
        return MetricResult(frame, result.notes)
    units = {name: catalog().metric(name).unit for name in metrics}
    return MetricResult(visibility.shown(result.frame, group_by, units, narrowed=narrows(asked, filters)),
                        result.notes)


def series(metrics: Sequence[str], scope: Scope) -> pl.DataFrame:
    """``metrics`` at every snapshot in the scope's regions, sectors and lists, oldest first; a
    small count this session may not see is null at its snapshot (:mod:`dashboard.access`)."""
    return access.current().shown_rows(reader().series(metrics, scope), catalog(), narrows(scope),
                                       cells=cells_of(reader(), scope))


def _values_at(scope: Scope) -> Callable[[Sequence[str]], dict[str, float | None]]:
    """Fetches the exact values of other figures at ``scope``, for the suppression of a group."""
    def fetch(names: Sequence[str]) -> dict[str, float | None]:
        return {f.figure_id: f.value for f in reader().figures(scope, names)}

    return fetch


def figures(scope: Scope, ids: Sequence[str] | None = None) -> list[Figure]:
    """Key figures (or ``ids``) at ``scope``, each with the reason when it is empty; a small
    count this session may not see is marked hidden."""
    return access.current().shown_figures(reader().figures(scope, ids), catalog(), narrows(scope),
                                          _values_at(scope), cells_of(reader(), at_snapshot(scope)))


def compared(scope: Scope, ids: Sequence[str] | None = None) -> list[Compared]:
    """:func:`figures` with 较上年同期 and 较年初; a change that would give a hidden count away is
    hidden too."""
    return access.current().shown_compared(compare(reader(), scope, ids), catalog(), narrows(scope),
                                           _values_at(scope), cells_of(reader(), at_snapshot(scope)))


def label(name: str) -> str:
    """The Chinese label of a metric or a dimension, as dbt's YAML gives it."""
    found = catalog()
    if name in found.metrics:
        return found.metrics[name].label
    if name == "metric_time__day":
        return "统计截止日期"
    return found.dimension(name).label


POOL_METRIC = "pool_total"
LIST_METRIC = "pool_list_members"


def pool_breakdowns() -> dict[str, str]:
    """Breakdowns of the pool, short name (``sex``) → MetricFlow's (``pool_membership__sex``):
    those of ``pool_total``, then those only the per-list count has (the list itself)."""
    found: dict[str, str] = {}
    for metric in (POOL_METRIC, LIST_METRIC):
        for dimension in catalog().dimensions_for([metric]):
            found.setdefault(dimension.name.split("__", 1)[1], dimension.name)
    return found


def pool_metric_for(dimensions: Sequence[str]) -> str:
    """The pool count that ``dimensions`` (MetricFlow names) split: ``pool_total``, or the
    per-list count when the list itself is among them."""
    plain = {d.name for d in catalog().dimensions_for([POOL_METRIC])}
    return POOL_METRIC if set(dimensions) <= plain else LIST_METRIC


def pool_persons_by(breakdowns: Sequence[str], scope: Scope, *, every_snapshot: bool = False) -> pl.DataFrame:
    """Persons in the pool by ``breakdowns`` (short names), counted in a column named
    ``pool_total`` and the breakdowns in ``value_1``, ``value_2``…. A breakdown by list counts
    ``pool_list_members`` (a person on two lists counts in both), the only count a list splits.
    ``every_snapshot``: one row per snapshot too (``metric_time__day``), whatever the scope's."""
    names = [pool_breakdowns()[b] for b in breakdowns]
    metric = pool_metric_for(names)
    group_by = ["metric_time__day", *names] if every_snapshot else names
    frame = query([metric], group_by, scope, every_snapshot=every_snapshot).frame
    return frame.rename({metric: POOL_METRIC, **{n: f"value_{i}" for i, n in enumerate(names, start=1)}})
