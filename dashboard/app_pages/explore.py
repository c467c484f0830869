"""自助分析: 指标 × 维度 × 筛选 from dbt's semantic layer, and (for 分析员, 数据管理员) the marts browser.

Everything on the first tab comes from the semantic manifest of the published file: the
metrics with their Chinese labels and 口径, the dimensions each can be broken down by, and the
values to filter on. A metric added in dbt's YAML appears here after the next refresh with no
change to this page. The sidebar's scope applies as everywhere else.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access, charts, filters, labels, marts, metrics, orders, ui
from warehouse.semantic.catalog import METRIC_TIME
from warehouse.semantic.query import Scope

METRICS = ()  # any metric of the semantic layer, chosen by the user; the marts tab reads every mart
NONE = ""
MAX_FILTERS = 2


def _metric_picker() -> list[str]:
    catalog = metrics.catalog()
    by_model = sorted(catalog.metrics.values(), key=lambda m: (m.models, m.label))
    names = [m.name for m in by_model]
    default = ["pool_total"] if "pool_total" in names else names[:1]
    return st.multiselect(labels.EXPLORE_METRICS, names, default=default, key="explore_metrics",
                          format_func=lambda n: f"{catalog.metric(n).label}（{catalog.metric(n).unit}）",
                          help=labels.EXPLORE_METRICS_HELP) or []


def _dimension_picker(chosen: list[str]) -> tuple[list[str], dict[str, str]]:
    dimensions = {METRIC_TIME: labels.EXPLORE_BY_SNAPSHOT}
    visibility = access.current()  # no dimension finer than birth year for 领导 / 区县
    dimensions |= {d.name: d.label for d in metrics.catalog().dimensions_for(chosen)
                   if visibility.offers_dimension(d.name)}
    left, right = st.columns(2)
    with left:
        first = st.selectbox(labels.EXPLORE_DIMENSION, [NONE, *dimensions], key="explore_dim",
                             format_func=lambda d: dimensions.get(d, labels.EXPLORE_NO_DIMENSION))
    with right:
        second = st.selectbox(labels.EXPLORE_SECOND, [NONE, *[d for d in dimensions if d != first]],
                              key="explore_dim2", disabled=not first,
                              format_func=lambda d: dimensions.get(d, labels.EXPLORE_NO_DIMENSION))
    return [d for d in (first, second) if d], dimensions


def _filter_picker(chosen: list[str], dimensions: dict[str, str], scope: Scope) -> dict[str, list[str]]:
    picked: dict[str, list[str]] = {}
    candidates = [d for d in dimensions if d != METRIC_TIME]
    columns = st.columns(MAX_FILTERS)
    for index, column in enumerate(columns):
        with column:
            dimension = st.selectbox(labels.EXPLORE_FILTER.format(n=index + 1), [NONE, *candidates],
                                     key=f"explore_filter_{index}",
                                     format_func=lambda d: dimensions.get(d, labels.EXPLORE_NO_FILTER))
            if dimension:
                frame = metrics.query(chosen[:1], [dimension], scope).frame
                values = orders.ordered(frame[dimension].cast(pl.String), dimension)
                selected = st.multiselect(labels.EXPLORE_FILTER_VALUES, values, key=f"explore_values_{index}",
                                          placeholder=labels.FILTER_ALL)
                if selected:
                    picked[dimension] = selected
    return picked


def _metrics_tab(chosen_scope: Scope) -> None:
    catalog = metrics.catalog()
    chosen = _metric_picker()
    if not chosen:
        st.info(labels.EXPLORE_PICK_METRIC)
        return
    by, dimensions = _dimension_picker(chosen)
    scope = metrics.at_snapshot(chosen_scope)
    picked = _filter_picker(chosen, dimensions, scope)
    if METRIC_TIME in by:
        scope = Scope(scope.regions, scope.sectors, scope.lists)
        result = metrics.query(chosen, by, scope, picked, every_snapshot=True)
    else:
        result = metrics.query(chosen, by, scope, picked)
    frame = result.frame
    for dimension in by:
        order = {v: i for i, v in enumerate(orders.ordered(frame[dimension].cast(pl.String).unique(), dimension))}
        frame = frame.with_columns(pl.col(dimension).cast(pl.String))
        frame = frame.sort(pl.col(dimension).replace_strict(order, default=len(order)), maintain_order=True)
    named = {d: dimensions[d] for d in by}
    named |= {m: f"{catalog.metric(m).label}（{catalog.metric(m).unit}）" for m in chosen}
    title = labels.EXPLORE_METRIC_TITLE.format(metrics="、".join(catalog.metric(m).label for m in chosen),
                                               dimension="、".join(dimensions[d] for d in by) or labels.EXPLORE_TOTAL)
    if frame.is_empty():
        st.info(labels.NO_DATA)
    else:
        _draw(frame, by, chosen, named, title, scope)
    for metric in chosen:
        text = f"**{catalog.metric(metric).label}**：{catalog.metric(metric).description}"
        if metric in result.notes:
            text += " " + labels.NOT_APPLICABLE.format(note=result.notes[metric])
        st.caption(text)


def _draw(frame: pl.DataFrame, by: list[str], chosen: list[str], named: dict[str, str], title: str,
          scope: Scope) -> None:
    key = "explore_metric_chart" + ui.key_chart_suffix(by, chosen, frame.height, scope)
    if not by:
        values = [float(frame[m][0]) if frame[m][0] is not None else 0.0 for m in chosen]
        fig = charts.bars([named[m] for m in chosen], values, title=title, value_label=labels.COLUMNS["value"],
                          text=[ui.format_value(v, metrics.catalog().metric(m).unit) for v, m in
                                zip(values, chosen, strict=True)])
    elif len(by) == 1 and len(chosen) == 1:
        categories = frame[by[0]].fill_null(labels.NOT_FILLED).to_list()
        values = [float(v or 0) for v in frame[chosen[0]]]
        unit = metrics.catalog().metric(chosen[0]).unit
        fig = charts.bars(categories, values, title=title, value_label=named[chosen[0]],
                          text=[ui.cell_text(None if v is None else float(v), unit) for v in frame[chosen[0]]])
    else:
        x = by[0]
        categories = list(dict.fromkeys(frame[x].fill_null(labels.NOT_FILLED)))
        series: dict[str, list[float]] = {}
        if len(by) == 2:
            for value in dict.fromkeys(frame[by[1]].fill_null(labels.NOT_FILLED)):
                part = frame.filter(pl.col(by[1]).fill_null(labels.NOT_FILLED) == value)
                cells = dict(zip(part[x].fill_null(labels.NOT_FILLED), part[chosen[0]], strict=True))
                series[value] = [float(cells.get(c) or 0) for c in categories]
        else:
            for metric in chosen:
                cells = dict(zip(frame[x].fill_null(labels.NOT_FILLED), frame[metric], strict=True))
                series[named[metric]] = [float(cells.get(c) or 0) for c in categories]
        fig = charts.stacked(categories, series, title=title, value_label=named[chosen[0]], height=420)
        fig.update_layout(barmode="group")
    ui.chart(fig, frame.rename(named), name=title, key=key, when=scope.snapshot)


def _marts_tab(scope: Scope) -> None:
    catalog = marts.mart_catalog()
    if catalog.is_empty():
        st.info(labels.NO_DATA)
        return
    names = {t: (c or t).split("。", 1)[0] for t, c in zip(catalog["table_name"], catalog["comment"], strict=True)}
    tables = list(names)
    default = tables.index("fct_pool_person_snapshot") if "fct_pool_person_snapshot" in tables else 0
    table = st.selectbox(labels.EXPLORE_MART, tables, index=default, key="explore_mart",
                         format_func=lambda t: f"{names[t]}（{t}）")
    st.caption(catalog.filter(pl.col("table_name") == table)["comment"][0] or "")
    columns = marts.mart_columns(table)
    rows = list(columns.iter_rows(named=True))
    labelled = {r["column_name"]: (r["comment"] or r["column_name"]).split("。", 1)[0] for r in rows}
    dims = [r["column_name"] for r in rows if marts.is_dimension(r["column_name"], r["data_type"])]
    measures: dict[str, tuple[str, str]] = {labels.EXPLORE_ROWS: (marts.MEASURE_ROWS, "sum")}
    if "person_key" in labelled:
        measures[labels.EXPLORE_PERSONS] = (marts.MEASURE_PERSONS, "sum")
    for r in rows:
        if marts.is_measure(r["column_name"], r["data_type"]):
            measures[labels.EXPLORE_SUM.format(label=labelled[r["column_name"]])] = (r["column_name"], "sum")
            measures[labels.EXPLORE_AVG.format(label=labelled[r["column_name"]])] = (r["column_name"], "avg")
    if not dims:
        st.info(labels.NO_DATA)
        return
    left, right = st.columns(2)
    with left:
        dimension = st.selectbox(labels.EXPLORE_MART_DIMENSION, dims, key=f"explore_mart_dim_{table}",
                                 format_func=lambda c: f"{labelled[c]}（{c}）")
    with right:
        measure = st.selectbox(labels.EXPLORE_MEASURE, list(measures), key=f"explore_mart_measure_{table}")
    column, aggregate = measures[measure]
    frame = marts.explore(metrics.at_snapshot(scope), table, dimension, column, aggregate)
    values = [labels.NOT_FILLED if v is None else ("是" if v is True else "否" if v is False else str(v))
              for v in frame["category"].to_list()]
    numbers = [float(v or 0) for v in frame["value"]]
    title = labels.EXPLORE_TITLE.format(mart=names[table], dimension=labelled[dimension])
    fig = charts.bars(values, numbers, title=title, value_label=measure,
                      text=[f"{n:,.2f}".rstrip("0").rstrip(".") for n in numbers])
    ui.chart(fig, pl.DataFrame({labelled[dimension]: values, measure: numbers}), name=title,
             key="explore_mart_chart" + ui.key_chart_suffix(table, dimension, column, aggregate, scope),
             when=metrics.at_snapshot(scope).snapshot)
    st.caption(labels.EXPLORE_FILTERS + " " + labels.EXPLORE_LIMIT)


def main() -> None:
    chosen = filters.current()
    ui.page_header(labels.PAGES["explore"][0], labels.EXPLORE_CAPTION,
                   snapshot=metrics.at_snapshot(chosen).snapshot)
    if not access.current().sees_persons:  # the marts browser groups by any column (a person's key too)
        _metrics_tab(chosen)
        return
    metrics_tab, marts_tab = st.tabs([labels.EXPLORE_TAB_METRICS, labels.EXPLORE_TAB_MARTS])
    with metrics_tab:
        _metrics_tab(chosen)
    with marts_tab:
        _marts_tab(chosen)


main()
