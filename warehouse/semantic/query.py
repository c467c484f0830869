"""A metric query: (metrics, group-by items, scope, filters) → one frame, in the caller's DuckDB.

The scope is what the dashboard's sidebar and ``cadres figures`` offer: regions, sectors (身份类别),
lists (名单) and a snapshot. Which dimension a scope filter narrows is the metric's semantic
model's business (``meta.scope`` in dbt): the person's region for the pool and training, the
post's region for tenures, the team's region for teams. A metric that a chosen filter does not
apply to comes back empty (null) with the model's one-line reason, never silently unfiltered.
Metrics whose filters read different dimensions are compiled as separate statements and joined
on the group-by columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from warehouse.semantic.catalog import METRIC_TIME, SCOPE_KINDS, Catalog
from warehouse.semantic.compiler import compile_sql

Execute = Callable[[str, dict[str, Any]], pl.DataFrame]
"""Runs one statement with named parameters on the caller's read-only connection."""

_SCOPE_NAMES = {"region": "地区", "sector": "身份类别", "list": "名单"}


@dataclass(frozen=True)
class Scope:
    """Who and when a number is about. ``snapshot`` None: every snapshot (grouped by date)."""

    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    snapshot: date | None = None

    def values(self, kind: str) -> tuple[str, ...]:
        return {"region": self.regions, "sector": self.sectors, "list": self.lists}[kind]

    @property
    def active_kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind in SCOPE_KINDS if self.values(kind))

    @property
    def on_persons(self) -> bool:
        """Whether any filter narrows who is counted (not just when)."""
        return bool(self.active_kinds)

    def describe(self) -> str:
        """The scope in one Chinese line, e.g. ``地区：市中区；名单：党外知识分子``."""
        parts = [f"{_SCOPE_NAMES[kind]}：{'、'.join(self.values(kind))}" for kind in self.active_kinds]
        return "；".join(parts) or "全市"


@dataclass
class MetricResult:
    """One row per group (one row without group-by); a column per metric; reasons for nulls."""

    frame: pl.DataFrame
    notes: dict[str, str] = field(default_factory=dict)

    def value(self, metric: str) -> float | None:
        """The single value of ``metric`` in an ungrouped result."""
        if metric not in self.frame.columns or self.frame.is_empty():
            return None
        value = self.frame[metric][0]
        return None if value is None else float(value)


def _dimension_filter(dimension: str, param: str, array: bool = False, count: int = 1) -> str:
    """A filter on one dimension, its ``count`` values bound as ``$param``: any chosen value
    matches (for an array dimension, any of its elements). The array test asks the row's array
    for each chosen value in turn (``list_contains``, joined by ``OR``): the same rows as
    ``list_has_any`` (no row, an empty list or NULL all fail the WHERE), and the list filter is
    the costliest part of a 名单 scope. Measured on the pool's list array at scale 300 (one
    series by sex): 46 ms with one chosen list and 45 with two when the test went the other way
    (each element of the row's array looked up among the chosen), 25 and 38 ms this way;
    ``list_has_any`` 81 ms."""
    if array:
        chosen = (f"list_contains({{{{ Dimension('{dimension}') }}}}, (${param}::VARCHAR[])[{index}])"
                  for index in range(1, count + 1))
        return f"({' OR '.join(chosen)})"
    return f"list_contains(${param}::VARCHAR[], CAST({{{{ Dimension('{dimension}') }}}} AS VARCHAR))"


def _plan(catalog: Catalog, metrics: Sequence[str], scope: Scope, filters: Mapping[str, Sequence[str]]
          ) -> tuple[dict[tuple[tuple[str, str, bool], ...], list[str]], dict[str, str]]:
    """Metrics grouped by the (param, dimension, is-array) filters they need; notes for the rest."""
    groups: dict[tuple[tuple[str, str, bool], ...], list[str]] = {}
    notes: dict[str, str] = {}
    for name in metrics:
        wanted: list[tuple[str, str, bool]] = []
        for kind in scope.active_kinds:
            dimension = catalog.scope_dimension(name, kind)
            if dimension is None:
                notes[name] = catalog.scope_note(name)
                break
            wanted.append((f"scope_{kind}", dimension, catalog.scope_is_array(name, kind)))
        if name in notes:
            continue
        own = {d.name for d in catalog.dimensions_for([name])}
        for index, dimension in enumerate(filters):
            if dimension not in own:
                label = catalog.dimension(dimension).label
                notes[name] = f"该指标不能按“{label}”筛选"
                break
            wanted.append((f"filter_{index}", dimension, False))
        if name not in notes:
            groups.setdefault(tuple(wanted), []).append(name)
    return groups, notes


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Metric time as a DATE; sums as plain numbers (DuckDB sums integers to 128-bit, which
    arrive as decimals: whole ones become Int64, others Float64)."""
    if METRIC_TIME in frame.columns and frame.schema[METRIC_TIME] != pl.Date:
        frame = frame.with_columns(pl.col(METRIC_TIME).cast(pl.Date))
    decimals = {name: dtype for name, dtype in frame.schema.items() if isinstance(dtype, pl.Decimal)}
    if decimals:
        frame = frame.with_columns(pl.col(name).cast(pl.Int64 if dtype.scale == 0 else pl.Float64)
                                   for name, dtype in decimals.items())
    return frame


def run_metrics(execute: Execute, catalog: Catalog, metrics: Sequence[str], group_by: Sequence[str] = (),
                scope: Scope | None = None, filters: Mapping[str, Sequence[str]] | None = None,
                order_by: Sequence[str] = (), *, snapshots: Sequence[date] = ()) -> MetricResult:
    """Compile (cached) and run ``metrics`` by ``group_by`` at ``scope``; one frame back.

    ``snapshots`` (with no snapshot in ``scope``): only these snapshots, in one statement; the
    caller groups by ``metric_time__day`` to tell them apart. One statement for a figure and the
    snapshots it is compared with reads each fact once and is parsed once, instead of three times."""
    filters = dict(filters or {})
    scope = scope or Scope()
    if snapshots and scope.snapshot is not None:
        raise ValueError("snapshots and scope.snapshot exclude each other")
    groups, notes = _plan(catalog, list(metrics), scope, filters)
    params: dict[str, Any] = {f"scope_{kind}": list(scope.values(kind)) for kind in scope.active_kinds}
    params |= {f"filter_{index}": [str(v) for v in values] for index, values in enumerate(filters.values())}
    frames: list[pl.DataFrame] = []
    for wanted, names in groups.items():
        bound = {param: params[param] for param, _, _ in wanted}
        where = [_dimension_filter(dimension, param, array, len(bound[param])) for param, dimension, array in wanted]
        if scope.snapshot is not None:
            where.append("{{ TimeDimension('metric_time', 'day') }} = $snapshot")
            bound["snapshot"] = scope.snapshot
        elif snapshots:
            markers = [f"$snapshot_{index}" for index in range(len(snapshots))]
            where.append(f"{{{{ TimeDimension('metric_time', 'day') }}}} IN ({', '.join(markers)})")
            bound |= {name[1:]: when for name, when in zip(markers, snapshots, strict=True)}
        sql = compile_sql(catalog.fingerprint, catalog.manifest_json, tuple(names), tuple(group_by), tuple(where),
                          tuple(order_by))
        frames.append(_tidy(execute(sql, bound)))
    frame = _merge(frames, list(group_by))
    if frame.width == 0:  # every metric was out of scope: no rows, but the columns asked for
        frame = pl.DataFrame(schema={name: pl.String for name in group_by})
    missing = [name for name in metrics if name not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(name) for name in missing)
    if not group_by and frame.is_empty():
        frame = pl.DataFrame({name: [None] for name in metrics}, schema={n: pl.Float64 for n in metrics})
    return MetricResult(frame.select(*group_by, *metrics), notes)


def _merge(frames: list[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame()
    merged = frames[0]
    for frame in frames[1:]:
        if keys:
            merged = merged.join(frame, on=keys, how="full", coalesce=True, nulls_equal=True)
        else:
            merged = pl.concat([merged, frame], how="horizontal")
    return merged


