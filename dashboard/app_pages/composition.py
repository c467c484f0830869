"""人才库构成: who is in the pool, by one dimension or two (a cross-tab).

The dimensions are those dbt's semantic layer gives the metric ``pool_total`` (with their
Chinese labels), so a dimension added there appears here. The choice is in the URL too
(``?dim=性别&by=年龄段``: the labels, as the pickers show them; an unknown one is refused).
A bar of region, sector or list filters the whole dashboard by it.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import addresses, charts, filters, labels, metrics, orders, ui
from warehouse.semantic.query import Scope

METRIC = "pool_total"
METRICS = (METRIC,)
ENTITY = "pool_membership__"
NO_SECOND = "none"
CLICK_FILTERS = {"region": filters.REGION, "sector": filters.SECTOR, "list_name": filters.LIST}


def _dimensions() -> dict[str, str]:
    """short name → label, for every dimension of the pool metric."""
    return {d.name.removeprefix(ENTITY): d.label for d in metrics.catalog().dimensions_for([METRIC])}


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
    frame = metrics.query([METRIC], [ENTITY + dimension], scope).frame.rename({ENTITY + dimension: "value_1"})
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    persons = {ui.display_value(v): int(n) for v, n in frame.iter_rows()}
    values = orders.ordered(persons, ENTITY + dimension, persons)
    shares = {v: persons[v] / total if total else 0.0 for v in values}
    title = labels.COMPOSITION_TITLE.format(dimension=name)
    fig = charts.bars(values, [persons[v] for v in values], title=title, value_label=labels.COLUMNS["persons"],
                      text=[f"{persons[v]:,} 人 · {shares[v]:.1%}" for v in values])
    table = pl.DataFrame({name: values, "persons": [persons[v] for v in values], "share": [shares[v] for v in values]})
    click = CLICK_FILTERS.get(dimension)
    ui.chart(fig, table, name=title, key="composition_one" + ui.key_chart_suffix(dimension, scope),
             when=scope.snapshot, click_filter=click)
    notes = [labels.CLICK_TO_FILTER] if click else []
    if dimension == "list_name":
        notes.append(labels.COMPOSITION_LIST_NOTE)
    if notes:
        st.caption(" ".join(notes))


def _two(scope: Scope, first: str, second: str, names: dict[str, str], kind: str) -> None:
    frame = metrics.query([METRIC], [ENTITY + first, ENTITY + second], scope).frame
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    frame = frame.rename({ENTITY + first: "value_1", ENTITY + second: "value_2"}).with_columns(
        pl.col("value_1", "value_2").cast(pl.String).replace({"true": "是", "false": "否"}))
    totals_1 = dict(frame.group_by("value_1").agg(pl.col(METRIC).sum()).iter_rows())
    totals_2 = dict(frame.group_by("value_2").agg(pl.col(METRIC).sum()).iter_rows())
    rows = orders.ordered(totals_1, ENTITY + first, totals_1)
    columns = orders.ordered(totals_2, ENTITY + second, totals_2)
    cells = {(a, b): n for a, b, n in frame.select("value_1", "value_2", METRIC).iter_rows()}
    counts = [[int(cells.get((r, c), 0)) for c in columns] for r in rows]
    title = labels.COMPOSITION_CROSS_TITLE.format(first=names[first], second=names[second])
    if kind == labels.COMPOSITION_HEATMAP:
        shares = [[n / totals_1[r] if totals_1[r] else 0 for n in row] for r, row in zip(rows, counts, strict=True)]
        fig = charts.heatmap(rows, columns, shares, title=title, text=[[f"{n:,}" for n in row] for row in counts],
                             value_label=labels.COLUMNS["share"], percent=True, zmax=1)
    else:
        fig = charts.stacked(rows, {c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)},
                             title=title, value_label=labels.COLUMNS["persons"], horizontal=True,
                             height=max(320, 34 * len(rows) + 140))
    table = pl.DataFrame({names[first]: rows,
                          **{c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)}})
    ui.chart(fig, table, name=title, key="composition_two" + ui.key_chart_suffix(first, second, kind, scope),
             when=scope.snapshot)
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
