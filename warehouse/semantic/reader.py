"""The published warehouse as the metric layer sees it: scope options, key figures, any slice.

Both the command line and the dashboard read through :class:`SemanticReader`; they differ only
in the ``execute`` they hand it (a plain read-only connection, or the dashboard's cached one
that survives publishes). The key figures of contract §10 are the metrics that
``ref_key_figures`` lists, in its order; their labels, units and 口径 are the metrics' own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

import polars as pl

from warehouse.semantic.catalog import METRIC_TIME, Catalog
from warehouse.semantic.query import Execute, MetricResult, Scope, run_metrics


class ScopeError(ValueError):
    """A scope value that the warehouse does not have (names the value and the allowed ones)."""


@dataclass(frozen=True)
class ScopeOptions:
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    lists: tuple[str, ...]
    snapshots: tuple[date, ...]  # newest first

    @property
    def latest(self) -> date | None:
        return self.snapshots[0] if self.snapshots else None

    def check(self, scope: Scope) -> Scope:
        """``scope`` with the latest snapshot filled in; a value the warehouse lacks raises."""
        for label, chosen, allowed in (("地区", scope.regions, self.regions), ("身份类别", scope.sectors, self.sectors),
                                       ("名单", scope.lists, self.lists)):
            for value in chosen:
                if value not in allowed:
                    raise ScopeError(f"{label}“{value}”不存在。可选：{'、'.join(allowed)}")
        if scope.snapshot is not None and scope.snapshot not in self.snapshots:
            shown = "、".join(d.isoformat() for d in self.snapshots)
            raise ScopeError(f"统计截止日期“{scope.snapshot}”不是人才库快照日期。可选：{shown}")
        snapshot = scope.snapshot or self.latest
        return Scope(scope.regions, scope.sectors, scope.lists, snapshot)


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot as dbt's ``dim_snapshot`` describes it: what it is compared with, and
    whether its year is still in progress (then it is marked 截至M月D日 and left out of growth
    rates). The rules that pick these dates are in dbt; this only carries them."""

    snapshot: date
    prior_year: date | None  # 较上年同期
    year_start: date | None  # 较年初
    year_in_progress: bool


@dataclass(frozen=True)
class Figure:
    """One key figure at a scope; ``note`` says why ``value`` is empty when it is."""

    figure_id: str
    label: str
    value: float | None
    unit: str
    description: str
    note: str | None = None
    hidden: str | None = None  # "<5" for a small count this session may not see (``value`` is then None)


class SemanticReader:
    def __init__(self, execute: Execute, catalog: Catalog) -> None:
        self.execute = execute
        self.catalog = catalog

    @cached_property
    def options(self) -> ScopeOptions:
        regions = self.execute("select region_name from main.dim_region order by sort_order", {})
        lists = self.execute("select list_name from main.dim_list order by list_id", {})
        sectors = self.execute("select code_value from main.ref_code_values where domain = 'sector' "
                               "order by sort_order", {})
        snapshots = self.execute("select snapshot_date from main.dim_snapshot order by snapshot_date desc", {})
        return ScopeOptions(tuple(regions["region_name"]), tuple(sectors["code_value"]), tuple(lists["list_name"]),
                            tuple(snapshots["snapshot_date"]))

    @cached_property
    def snapshot_infos(self) -> dict[date, SnapshotInfo]:
        frame = self.execute("select snapshot_date, prior_year_snapshot_date, year_start_snapshot_date, "
                             "is_year_in_progress from main.dim_snapshot", {})
        return {row[0]: SnapshotInfo(*row) for row in frame.iter_rows()}

    def snapshot_info(self, snapshot: date) -> SnapshotInfo:
        """The comparison snapshots and the partial-year flag of ``snapshot`` (from dbt)."""
        return self.snapshot_infos[snapshot]

    @cached_property
    def figure_ids(self) -> tuple[str, ...]:
        """Contract §10's figures, in the article's order (the seed ``ref_key_figures``)."""
        frame = self.execute("select figure_id from main.ref_key_figures order by sort_order", {})
        return tuple(frame["figure_id"])

    def query(self, metrics: Sequence[str], group_by: Sequence[str] = (), scope: Scope | None = None,
              filters: Mapping[str, Sequence[str]] | None = None) -> MetricResult:
        return run_metrics(self.execute, self.catalog, metrics, group_by, scope, filters)

    def figures(self, scope: Scope, ids: Sequence[str] | None = None) -> list[Figure]:
        """The key figures (or ``ids``) at ``scope``; the snapshot defaults to the latest."""
        scope = self.options.check(scope)
        ids = list(ids or self.figure_ids)
        result = self.query(ids, scope=scope)
        return [self._figure(name, result.value(name), result.notes.get(name)) for name in ids]

    def figures_at(self, scope: Scope, snapshots: Sequence[date], ids: Sequence[str] | None = None
                   ) -> dict[date, list[Figure]]:
        """The key figures (or ``ids``) at each of ``snapshots`` in ``scope``'s regions, sectors and
        lists, asked in one statement grouped by snapshot. MetricFlow fills a metric's empty value
        (``fill_nulls_with``) inside its own semantic model's part of the statement, so a model
        with no row at a snapshot leaves its metrics empty after the join where the
        single-snapshot query says 0: those figures are asked again for that snapshot alone
        (rare: a scope with nobody in it), so both ways give the same numbers."""
        ids = list(ids or self.figure_ids)
        every = replace(scope, snapshot=None)
        for when in snapshots:
            self.options.check(Scope(snapshot=when))
        result = run_metrics(self.execute, self.catalog, ids, [METRIC_TIME], every, snapshots=list(snapshots))
        rows = {row[METRIC_TIME]: row for row in result.frame.iter_rows(named=True)}
        found: dict[date, list[Figure]] = {}
        for when in dict.fromkeys(snapshots):
            row = rows.get(when, {})
            empty = [name for name in ids if row.get(name) is None and name not in result.notes]
            again = {f.figure_id: f for f in self.figures(replace(scope, snapshot=when), empty)} if empty else {}
            found[when] = [again.get(name) or self._figure(name, row.get(name), result.notes.get(name))
                           for name in ids]
        return found

    def _figure(self, figure_id: str, value: float | None, note: str | None) -> Figure:
        metric = self.catalog.metric(figure_id)
        return Figure(figure_id, metric.label, None if value is None else float(value), metric.unit,
                      metric.description, note)

    def series(self, metrics: Sequence[str], scope: Scope) -> pl.DataFrame:
        """``metrics`` at every snapshot (scope's snapshot ignored), oldest first."""
        every = Scope(scope.regions, scope.sectors, scope.lists, None)
        result = self.query(metrics, ["metric_time__day"], every)
        return result.frame.rename({"metric_time__day": "snapshot_date"}).sort("snapshot_date")
