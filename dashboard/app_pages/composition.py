"""人才库构成: who is in the pool, by one dimension or two (a cross-tab).

The dimensions are those dbt's semantic layer gives the metric ``pool_total`` (with their
Chinese labels), so a dimension added there appears here; a breakdown by list counts
``pool_list_members`` instead (a person on two lists counts in both). The choice is in the URL
too (``?dim=性别&by=年龄段``: the labels, as the pickers show them; an unknown one is refused).
A bar of region, sector or list filters the whole dashboard by it. For 分析员 and 数据管理员 a
click on a bar or a cell also offers the 人员名单 of exactly it: the count drawn (``pool_total``,
or ``pool_list_members`` for a breakdown by list, whose people are those on the list), with the
bar's value of each dimension, at the snapshot shown.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import addresses, charts, filters, labels, metrics, orders, ui
from dashboard.drill import Drill
from warehouse.semantic.query import Scope

METRIC = metrics.POOL_METRIC
METRICS = (METRIC, metrics.LIST_METRIC)
NO_SECOND = "none"
CLICK_FILTERS = {"region": filters.REGION, "sector": filters.SECTOR, "list_name": filters.LIST}


def _dimensions() -> dict[str, str]:
    """short name → label, for every breakdown offered."""
    catalog = metrics.catalog()
    return {short: catalog.dimension(name).label for short, name in metrics.pool_breakdowns().items()}


def _controls(names: dict[str, str]) -> tuple[str, str | None, str]:
    keys = list(names)
    first_label = st.query_params.get("dim", names.get("sector", ""))
    addresses.refuse_unknown_values({"dim": list(names.values()),
                                     "by": [labels.COMPOSITION_NONE, *(n for n in names.values() if n != first_label)]})
    first = st.pills(labels.COMPOSITION_PICK, keys, format_func=names.get,
                     default="sector" if "sector" in keys else None, required=True, key="dim",
                     bind="query-params", help=labels.COMPOSITION_PICK_HELP)
    first = first or keys[0]
    left, right = st.columns([2, 1])
    with left:
        seconds = [NO_SECOND, *[k for k in keys if k != first]]
        second = st.selectbox(labels.COMPOSITION_SECOND, seconds, key="by", bind="query-params",
                              format_func=lambda k: labels.COMPOSITION_NONE if k == NO_SECOND else names[k])
    kind = labels.COMPOSITION_HEATMAP
    if second != NO_SECOND:
        with right:
            kind = st.segmented_control(labels.COMPOSITION_CHART_KIND,
                                        [labels.COMPOSITION_HEATMAP, labels.COMPOSITION_STACKED],
                                        default=labels.COMPOSITION_HEATMAP, required=True, key="composition_kind")
    return first, None if second in (NO_SECOND, None) else second, kind or labels.COMPOSITION_HEATMAP


def _one(scope: Scope, dimension: str, name: str, total: float) -> None:
    frame = metrics.pool_persons_by([dimension], scope)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    # a count hidden for this session (access: "<5") is None: no bar, no share
    persons = {ui.display_value(v): None if n is None else int(n) for v, n in frame.iter_rows()}
    values = orders.ordered(persons, dimension, {v: n or 0 for v, n in persons.items()})
    shares = {v: None if persons[v] is None else persons[v] / total if total else 0.0 for v in values}
    title = labels.COMPOSITION_TITLE.format(dimension=name)
    fig = charts.bars(values, [persons[v] or 0 for v in values], title=title, value_label=labels.COLUMNS["persons"],
                      text=[ui.cell_text(None, "人") if persons[v] is None
                            else f"{persons[v]:,} 人 · {shares[v]:.1%}" for v in values])
    table = pl.DataFrame({name: values, "persons": [persons[v] for v in values], "share": [shares[v] for v in values]})
    click = CLICK_FILTERS.get(dimension)
    full = metrics.pool_breakdowns()[dimension]
    ui.chart(fig, table, name=title, key="composition_one" + ui.key_chart_suffix(dimension, scope),
             when=scope.snapshot, click_filter=click,
             people=Drill(metrics.pool_metric_for([full]), (full,), snapshot=scope.snapshot))
    notes = [labels.CLICK_TO_FILTER] if click else []
    if dimension == "list_name":
        notes.append(labels.COMPOSITION_LIST_NOTE)
    if notes:
        st.caption(" ".join(notes))


def _two(scope: Scope, first: str, second: str, names: dict[str, str], kind: str) -> None:
    frame = metrics.pool_persons_by([first, second], scope)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    frame = frame.with_columns(
        pl.col("value_1", "value_2").cast(pl.String).replace({"true": "是", "false": "否"}))
    totals_1 = dict(frame.group_by("value_1").agg(pl.col(METRIC).sum()).iter_rows())
    totals_2 = dict(frame.group_by("value_2").agg(pl.col(METRIC).sum()).iter_rows())
    rows = orders.ordered(totals_1, first, totals_1)
    columns = orders.ordered(totals_2, second, totals_2)
    cells = {(a, b): n for a, b, n in frame.select("value_1", "value_2", METRIC).iter_rows()}
    # a count hidden for this session (access: "<5") is None: no share, its text says "<5"
    counts = [[None if (r, c) in cells and cells[(r, c)] is None else int(cells.get((r, c)) or 0)
               for c in columns] for r in rows]
    title = labels.COMPOSITION_CROSS_TITLE.format(first=names[first], second=names[second])
    if kind == labels.COMPOSITION_HEATMAP:
        shares = [[None if n is None else n / totals_1[r] if totals_1[r] else 0 for n in row]
                  for r, row in zip(rows, counts, strict=True)]
        fig = charts.heatmap(rows, columns, shares, title=title,
                             text=[[ui.cell_text(n, "人") for n in row] for row in counts],
                             value_label=labels.COLUMNS["share"], percent=True, zmax=1)
    else:
        fig = charts.stacked(rows, {c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)},
                             title=title, value_label=labels.COLUMNS["persons"], horizontal=True,
                             height=max(320, 34 * len(rows) + 140))
    table = pl.DataFrame({names[first]: rows,
                          **{c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)}})
    full = [metrics.pool_breakdowns()[d] for d in (first, second)]
    ui.chart(fig, table, name=title, key="composition_two" + ui.key_chart_suffix(first, second, kind, scope),
             when=scope.snapshot, people=Drill(metrics.pool_metric_for(full), tuple(full), snapshot=scope.snapshot))
    notes = [labels.COMPOSITION_HEATMAP_NOTE] if kind == labels.COMPOSITION_HEATMAP else []
    if "list_name" in (first, second):
        notes.append(labels.COMPOSITION_LIST_NOTE)
    if notes:
        st.caption(" ".join(notes))


def main() -> None:
    scope = metrics.at_snapshot(filters.current())
    ui.page_header(labels.PAGES["composition"][0], snapshot=scope.snapshot)
    names = _dimensions()
    first, second, kind = _controls(names)
    total = metrics.query([METRIC], scope=scope).value(METRIC) or 0
    st.metric(labels.COMPOSITION_TOTAL, f"{int(total):,} 人", help=metrics.catalog().metric(METRIC).description)
    if second is None:
        _one(scope, first, names[first], total)
    else:
        _two(scope, first, second, names, kind)


main()
