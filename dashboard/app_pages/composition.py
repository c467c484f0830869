"""人才库构成: who is in the pool, by one dimension or two (a cross-tab).

The dimension and the cross dimension are in the URL too (``?dim=…&by=…``), so a breakdown can
be shared like any filter. A bar of region, sector or list filters the whole dashboard by it.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui

NO_SECOND = "none"


def _ordered(values: list[str], dimension: str, orders: dict[str, dict[str, int]],
             persons: dict[str, int] | None = None) -> list[str]:
    """Reference order where there is one (generation, rank, region …), else by size."""
    order = orders.get(dimension, {})
    if order:
        return sorted(values, key=lambda v: (order.get(v, 999), v))
    weights = persons or {}
    return sorted(values, key=lambda v: (-weights.get(v, 0), v))


def _controls() -> tuple[str, str | None, str]:
    keys = list(labels.DIMENSIONS)
    first = st.pills(labels.COMPOSITION_PICK, keys, format_func=labels.DIMENSIONS.get, default="sector",
                     required=True, key="dim", bind="query-params", help=labels.COMPOSITION_PICK_HELP)
    left, right = st.columns([2, 1])
    with left:
        seconds = [NO_SECOND, *[k for k in keys if k != first]]
        second = st.selectbox(labels.COMPOSITION_SECOND, seconds, key="by", bind="query-params",
                              format_func=lambda k: labels.COMPOSITION_NONE if k == NO_SECOND else labels.DIMENSIONS[k])
    kind = labels.COMPOSITION_HEATMAP
    if second != NO_SECOND:
        with right:
            kind = st.segmented_control(labels.COMPOSITION_CHART_KIND,
                                        [labels.COMPOSITION_HEATMAP, labels.COMPOSITION_STACKED],
                                        default=labels.COMPOSITION_HEATMAP, required=True, key="composition_kind")
    return first or "sector", None if second == NO_SECOND else second, kind or labels.COMPOSITION_HEATMAP


def _one(chosen: data.Filters, dimension: str, orders: dict[str, dict[str, int]], when: object) -> None:
    frame = data.composition(chosen, dimension)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    persons = dict(zip(frame["value_1"], frame["persons"], strict=True))
    shares = dict(zip(frame["value_1"], frame["share"], strict=True))
    values = _ordered([v for v in persons if v is not None], dimension, orders, persons)
    title = labels.COMPOSITION_TITLE.format(dimension=labels.DIMENSIONS[dimension])
    fig = charts.bars(values, [persons[v] for v in values], title=title, value_label=labels.COLUMNS["persons"],
                      text=[f"{persons[v]:,} 人 · {shares[v]:.1%}" for v in values])
    table = pl.DataFrame({"value_1": values, "persons": [persons[v] for v in values],
                          "share": [shares[v] for v in values]}).rename({"value_1": labels.DIMENSIONS[dimension]})
    click = labels.FILTER_OF_DIMENSION.get(dimension)
    ui.chart(fig, table, name=title, key="composition_one" + ui.key_chart_suffix(dimension, chosen), when=when,
             click_filter=click)
    notes = [labels.CLICK_TO_FILTER] if click else []
    if dimension == "list":
        notes.append(labels.COMPOSITION_LIST_NOTE)
    if notes:
        st.caption(" ".join(notes))


def _two(chosen: data.Filters, first: str, second: str, kind: str, orders: dict[str, dict[str, int]],
         when: object) -> None:
    frame = data.composition(chosen, first, second)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    totals_1 = frame.group_by("value_1").agg(pl.col("persons").sum())
    totals_2 = frame.group_by("value_2").agg(pl.col("persons").sum())
    rows = _ordered(totals_1["value_1"].to_list(), first, orders, dict(totals_1.iter_rows()))
    columns = _ordered(totals_2["value_2"].to_list(), second, orders, dict(totals_2.iter_rows()))
    cells = {(a, b): n for a, b, n, _ in frame.iter_rows()}
    row_totals = dict(totals_1.iter_rows())
    counts = [[cells.get((r, c), 0) for c in columns] for r in rows]
    title = labels.COMPOSITION_CROSS_TITLE.format(first=labels.DIMENSIONS[first], second=labels.DIMENSIONS[second])
    if kind == labels.COMPOSITION_HEATMAP:
        shares = [[n / row_totals[r] if row_totals[r] else 0 for n in row] for r, row in zip(rows, counts, strict=True)]
        fig = charts.heatmap(rows, columns, shares, title=title, text=[[f"{n:,}" for n in row] for row in counts],
                             value_label=labels.COLUMNS["share"], percent=True, zmax=1)
    else:
        fig = charts.stacked(rows, {c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)},
                             title=title, value_label=labels.COLUMNS["persons"], horizontal=True,
                             height=max(320, 34 * len(rows) + 140))
    table = pl.DataFrame({labels.DIMENSIONS[first]: rows,
                          **{c: [counts[i][j] for i in range(len(rows))] for j, c in enumerate(columns)}})
    ui.chart(fig, table, name=title, key="composition_two" + ui.key_chart_suffix(first, second, kind, chosen),
             when=when)
    st.caption("热力图颜色为各行内的占比，数字为人数。" if kind == labels.COMPOSITION_HEATMAP else "")
    if "list" in (first, second):
        st.caption(labels.COMPOSITION_LIST_NOTE)


def main() -> None:
    chosen = filters.current()
    snapshot = chosen.snapshot or data.as_of_date()
    ui.page_header(labels.PAGES["composition"][0], f"{labels.AS_OF}：{snapshot}")
    first, second, kind = _controls()
    total = data.pool_figures_by_snapshot(chosen).filter(
        (pl.col("snapshot_date") == snapshot) & (pl.col("figure_id") == "pool_total"))
    st.metric(labels.COMPOSITION_TOTAL, f"{int(total['value'][0]) if not total.is_empty() else 0:,} 人")
    orders = data.value_orders()
    if second is None:
        _one(chosen, first, orders, snapshot)
    else:
        _two(chosen, first, second, kind, orders, snapshot)


main()
