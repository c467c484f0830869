"""What a session may see: the one place that decides; the dashboard's pages ask it.

| role | aggregates | small cells | fine dimensions | person lists | stewardship |
| --- | --- | --- | --- | --- | --- |
| 领导 | city-wide | "<k" (see below) | no | no | no |
| 区县 | own region only | "<k" | no | no | no |
| 分析员 | city-wide | exact | yes | masked IDs, logged | no |
| 数据管理员 | city-wide | exact | yes | masked IDs, logged | rejects with values, audit |
| 演示数据 (no account, synthetic sample only) | city-wide | exact | yes | yes | yes |

Suppressed: person counts of the pool and training broken down by ethnicity, affiliation or
list (the 宗教界代表人士 list among them), or by any two dimensions; under a scope that narrows who
is counted (see below) by any one dimension, the scope being the other.

Ungrouped figures (cards, sparklines, comparisons, trends, the briefing's key figures) by
:meth:`Visibility.hidden_figures`: under a scope that narrows who is counted (a region, sector,
list or extra filter; always for a county session) a card is a cell of scope × its own attribute,
a pair of dimensions, so a person count of 1..k−1 is hidden; city-wide only a sensitive figure's
is. A headline total is never hidden. A figure that is one row of its headline total's breakdown
(meta ``cell``) is hidden exactly when that breakdown, asked at the same scope and snapshot
(:class:`Cells`) and suppressed by :meth:`Visibility.shown`, hides the row, so a card and its
breakdown agree. Other figures of one partition (they add up to a total that is shown) hide a
second one with the first, chosen as a breakdown's would be. Which figures are headline totals,
sensitive, of a partition or a cell is said once, in the metric's meta in dbt.

The region lock itself is applied by ``dashboard.filters`` (``locked_region``); suppression by
:meth:`Visibility.shown` on every grouped metric result, so charts, tables and downloads (all
drawn from that result) agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import polars as pl

from warehouse.accounts.roles import Role
from warehouse.accounts.store import Account
from warehouse.accounts.suppression import DEFAULT_MIN_CELL, hidden_cells, suppress
from warehouse.semantic.catalog import METRIC_TIME, PERSON_ENTITIES, Catalog
from warehouse.semantic.comparison import Change, Compared
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure, SemanticReader

# Dimensions finer than a birth year, or that name one person: never offered to 领导 / 区县.
# A post's 任职时间 is not here: an appointment is public (it has its 任职文号), and 班子配备
# lists the city's department posts by date for leaders.
_FINE = re.compile(r"birth_date|person_key|(^|__)person$|tenure_id|出生日期")
# Breakdowns of the people of the pool and of training (not public): by one of these sensitive
# dimensions, or by any two dimensions, their counts are suppressed. Appointments and teams are
# public posts (each has its 任职文号), and are not.
_PERSON_MODELS = PERSON_ENTITIES
_SENSITIVE = re.compile(r"__(ethnicity|ethnic_group|affiliation|list_name)$")
COUNT_UNITS = frozenset({"人"})
Values = Mapping[str, float | None]
Fetch = Callable[[Sequence[str]], Values]  # more figures at the same scope, when a partition lacks some
# (total, dimension) → the total by metric_time__day and that dimension at the figures' scope and
# filters, every snapshot: the breakdown a card's cell is a row of, exact (not yet suppressed)
Breakdown = Callable[[str, str], pl.DataFrame]


@dataclass
class Cells:
    """The breakdowns that cards with a cell (meta ``cell``) follow, at one scope (and filters):
    each (total, dimension) is asked once for every snapshot and suppressed once, then reused for
    every card, sparkline point and change at that scope. ``snapshot``: the figures' own."""

    breakdown: Breakdown
    snapshot: date | None
    # (total, dimension) → its hidden (snapshot, value) rows; None: no such breakdown here
    rows: dict[tuple[str, str], set[tuple[object, object]] | None] = field(default_factory=dict)


def cells_of(reader: SemanticReader, scope: Scope, filters: Mapping[str, Sequence[str]] | None = None) -> Cells:
    """:class:`Cells` at ``scope`` (its regions, sectors and lists; every snapshot) and ``filters``,
    through the same metric layer as the pages' breakdowns."""
    every = Scope(scope.regions, scope.sectors, scope.lists, None)

    def breakdown(total: str, dimension: str) -> pl.DataFrame:
        return reader.query([total], [METRIC_TIME, dimension], every, filters).frame

    return Cells(breakdown, scope.snapshot)


def _day(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


def narrows(scope: Scope, filters: Mapping[str, Sequence[str]] | None = None) -> bool:
    """Whether ``scope`` (and extra ``filters``) narrows who is counted: then every figure is a
    cell of that narrowing × the figure's own attribute."""
    return bool(scope.regions or scope.sectors or scope.lists or filters)


@dataclass(frozen=True)
class Visibility:
    """A session's rights; ``account`` is ``None`` in 演示数据 mode (the synthetic sample)."""

    account: Account | None
    min_cell: int = DEFAULT_MIN_CELL

    @property
    def role(self) -> Role | None:
        return self.account.role if self.account else None

    @property
    def region(self) -> str | None:
        """The only region a county session sees."""
        return self.account.region if self.account and self.account.role is Role.COUNTY else None

    @property
    def suppresses(self) -> bool:
        """Leader and county sessions see aggregates in which no small group can be singled out."""
        return self.role in (Role.LEADER, Role.COUNTY)

    @property
    def sees_persons(self) -> bool:
        """Person-level lists (names, masked ID numbers): analysts and stewards."""
        return not self.suppresses

    @property
    def stewards(self) -> bool:
        """Rejected rows with their values and the audit log."""
        return self.account is None or self.role is Role.STEWARD

    @property
    def who(self) -> str:
        """The name the audit log records."""
        return self.account.name if self.account else "演示数据"

    def confine(self, scope: Scope) -> Scope:
        """``scope`` as this session may ask it: a county session's is its own region, whatever
        regions were asked (a briefing, like every page, never reaches outside it)."""
        if self.region is None:
            return scope
        return replace(scope, regions=(self.region,))

    def offers_dimension(self, name: str) -> bool:
        """False for a dimension finer than birth year (or naming a person) in a suppressed session."""
        return not (self.suppresses and _FINE.search(name))

    def shown(self, frame: pl.DataFrame, group_by: Sequence[str], units: dict[str, str], *,
              narrowed: bool = False) -> pl.DataFrame:
        """A grouped metric result as this session may see it: small counts null (shown "<k").
        ``narrowed`` (:func:`narrows`): the scope is a dimension too, so a breakdown by one
        dimension is a pair (one column of scope × dimension, its total the exact headline)."""
        if not self.suppresses or not group_by:
            return frame
        for name in group_by:
            if not self.offers_dimension(name):
                raise PermissionError(f"维度“{name}”过细，当前角色不可使用")
        by = [name for name in group_by if not name.startswith("metric_time")]
        persons = [name for name in by if name.startswith(_PERSON_MODELS)]
        if not persons or not (len(by) >= 2 or narrowed or any(_SENSITIVE.search(name) for name in by)):
            return frame
        counts = [metric for metric, unit in units.items() if unit in COUNT_UNITS]
        return suppress(frame, list(group_by), counts, self.min_cell)

    def _cell_hidden(self, name: str, catalog: Catalog, narrowed: bool, cells: Cells, when: date | None
                     ) -> bool | None:
        """Whether the suppressed breakdown of ``name``'s cell (meta ``cell``) at ``when`` hides
        that cell: the breakdown is asked and suppressed by :meth:`shown`, as a page's is. None
        when ``name`` has no cell or its breakdown has no such column (the cards' rule then)."""
        metric = catalog.metric(name)
        total = catalog.total_of(name)
        if metric.cell is None or total is None or when is None:
            return None
        key = (total, metric.cell.dimension)
        if key not in cells.rows:
            frame = cells.breakdown(total, metric.cell.dimension)
            columns = [METRIC_TIME, metric.cell.dimension, total]
            if not set(columns) <= set(frame.columns):
                cells.rows[key] = None
            else:
                shown = self.shown(frame, columns[:2], {total: catalog.metric(total).unit}, narrowed=narrowed)
                cells.rows[key] = {(_day(day), value) for day, value, n in shown.select(columns).iter_rows()
                                      if n is None}
        found = cells.rows[key]
        return None if found is None else (_day(when), metric.cell.value) in found

    def hidden_figures(self, values: Values, catalog: Catalog, narrowed: bool, fetch: Fetch | None = None,
                       cells: Cells | None = None, when: date | None = None) -> set[str]:
        """Which of ``values`` (figure → its person count at one snapshot and scope) this session
        may not see. ``narrowed``: the scope narrows who is counted (:func:`narrows`).

        A figure with a cell (meta ``cell``: it is one row of its headline total's breakdown by
        one dimension) is hidden exactly when that breakdown at the same scope and snapshot
        ``when``, asked through ``cells`` and suppressed by :meth:`shown` as a page's is, hides the
        row: as a small count or as the complementary partner of another, so the card and the
        breakdown agree by construction.

        Any other person count (unit 人, of the pool or training) that is not a headline total,
        or a figure with a cell when ``cells`` is not given, is hidden from 1 to k−1 when
        ``narrowed`` or when the figure is sensitive. Figures of one partition add up to a total
        that is shown, so a hidden one is pinned by the others: the partition is one column of a
        breakdown and :func:`hidden_cells` picks the second to hide (the same rule as a
        breakdown's). A partition some of whose figures are not in ``values`` is completed with
        ``fetch``; without it every figure of it here is hidden with the first (the others may be
        shown elsewhere).
        """
        if not self.suppresses:
            return set()
        k = self.min_cell

        def counted(name: str) -> bool:
            metric = catalog.metric(name)
            return metric.unit in COUNT_UNITS and not metric.headline and catalog.counts_persons(name)

        def guarded(name: str) -> bool:
            return counted(name) and (narrowed or catalog.metric(name).sensitive)

        def small(value: float | None) -> bool:
            return value is not None and 0 < value < k

        by_cell = {name: None if cells is None or value is None or not counted(name)
                   else self._cell_hidden(name, catalog, narrowed, cells, when or cells.snapshot)
                   for name, value in values.items()}
        hidden = {name for name, found in by_cell.items() if found}
        hidden |= {name for name, value in values.items()
                   if by_cell[name] is None and guarded(name) and small(value)}
        for group in {catalog.partition(name) for name in hidden
                      if by_cell[name] is None and len(catalog.partition(name)) > 1}:
            known = dict(values)
            missing = [name for name in group if name not in known]
            if missing and fetch is not None:
                known |= fetch(missing)
            if any(known.get(name) is None for name in group) or not all(guarded(name) for name in group):
                hidden |= {name for name in group if name in values}
                continue
            positions = hidden_cells([[int(known[name] or 0)] for name in group], k)
            hidden |= {group[row] for row, _ in positions if group[row] in values}
        return hidden

    def shown_figures(self, figures: Sequence[Figure], catalog: Catalog, narrowed: bool,
                      fetch: Fetch | None = None, cells: Cells | None = None) -> list[Figure]:
        """``figures`` (one snapshot, one scope: ``cells``' own) with those this session may not
        see emptied and marked ``hidden`` with the text shown instead ("<k")."""
        hidden = self.hidden_figures({f.figure_id: f.value for f in figures}, catalog, narrowed, fetch, cells)
        return [replace(f, value=None, hidden=self.hidden_text) if f.figure_id in hidden else f for f in figures]

    def shown_compared(self, compared: Sequence[Compared], catalog: Catalog, narrowed: bool,
                       fetch: Fetch | None = None, cells: Cells | None = None) -> list[Compared]:
        """Figures with their 较上年同期 / 较年初: a change is hidden when the figure is hidden
        at either snapshot (a delta from a shown value gives the other one away), and so is the
        earlier value. A figure with a cell is checked at the earlier snapshot in its breakdown
        at that snapshot."""
        figures = self.shown_figures([c.figure for c in compared], catalog, narrowed, fetch, cells)
        hidden_now = {f.figure_id for f in figures if f.hidden}

        def earlier(kind: str) -> set[str]:
            changes = [c.prior_year if kind == "prior" else c.year_start for c in compared]
            found: set[str] = set()
            for when in {change.against for change in changes if change.against is not None}:
                values = {c.figure.figure_id: change.before for c, change in zip(compared, changes, strict=True)
                          if change.against == when}
                found |= self.hidden_figures(values, catalog, narrowed, cells=cells, when=when)
            return found

        hidden_prior, hidden_start = earlier("prior"), earlier("start")

        def change(item: Change, hidden: set[str], figure_id: str) -> Change:
            if figure_id not in hidden_now | hidden:
                return item
            return Change(item.kind, item.against, None, None, None, f"人数不足{self.min_cell}人，不予比较")

        return [Compared(f, change(c.prior_year, hidden_prior, f.figure_id),
                         change(c.year_start, hidden_start, f.figure_id))
                for f, c in zip(figures, compared, strict=True)]

    def shown_rows(self, frame: pl.DataFrame, catalog: Catalog, narrowed: bool, fetch: Fetch | None = None,
                   cells: Cells | None = None) -> pl.DataFrame:
        """An ungrouped result, or a series (one row per snapshot: ``snapshot_date`` or
        ``metric_time__day``), with each row's hidden figures null (shown "<k"). ``fetch``: for an
        ungrouped (one-row) result only; ``cells``: a row's snapshot, or ``cells``' own."""
        if not self.suppresses or frame.is_empty():
            return frame
        names = [c for c in frame.columns if c in catalog.metrics]
        time = next((c for c in ("snapshot_date", METRIC_TIME) if c in frame.columns), None)
        days = frame[time].to_list() if time else [None] * frame.height
        masks: dict[str, list[bool]] = {name: [] for name in names}
        for row, day in zip(frame.select(names).iter_rows(named=True), days, strict=True):
            hidden = self.hidden_figures(row, catalog, narrowed, fetch, cells, day)
            for name in names:
                masks[name].append(name in hidden)
        return frame.with_columns(pl.when(pl.Series(masks[name])).then(None).otherwise(pl.col(name)).alias(name)
                                  for name in names)

    @property
    def hidden_text(self) -> str:
        return f"<{self.min_cell}"
