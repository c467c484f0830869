"""自助分析: any mart of the warehouse, grouped by one column and counted, summed or averaged.

The list of marts and every caption come from the warehouse itself (dbt writes each model's
and column's description as a DuckDB comment, "中文标签。含义"), so a mart added in dbt shows
up here after the next refresh with no change to this page.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui


def _label(comment: str | None, fallback: str) -> str:
    """The Chinese label: the part of a dbt description before the first 。"""
    return (comment or "").split("。", 1)[0].strip() or fallback


def _pick_mart(catalog: pl.DataFrame) -> tuple[str, str, str]:
    names = {t: _label(c, t) for t, c in zip(catalog["table_name"], catalog["comment"], strict=True)}
    tables = list(names)
    default = tables.index("fct_pool_person_snapshot") if "fct_pool_person_snapshot" in tables else 0
    table = st.selectbox(labels.EXPLORE_MART, tables, index=default, key="explore_mart",
                         format_func=lambda t: f"{names[t]}（{t}）")
    comment = catalog.filter(pl.col("table_name") == table)["comment"][0] or ""
    return table, names[table], comment


def _pick_columns(columns: pl.DataFrame, table: str) -> tuple[str, str, str]:
    rows = list(columns.iter_rows(named=True))
    names = {r["column_name"]: _label(r["comment"], r["column_name"]) for r in rows}
    dimensions = [r["column_name"] for r in rows if data.is_dimension(r["column_name"], r["data_type"])]
    measures: dict[str, tuple[str, str]] = {labels.EXPLORE_ROWS: (data.MEASURE_ROWS, "sum")}
    if "person_key" in names:
        measures[labels.EXPLORE_PERSONS] = (data.MEASURE_PERSONS, "sum")
    for r in rows:
        if data.is_measure(r["column_name"], r["data_type"]):
            label = names[r["column_name"]]
            measures[labels.EXPLORE_SUM.format(label=label)] = (r["column_name"], "sum")
            measures[labels.EXPLORE_AVG.format(label=label)] = (r["column_name"], "avg")
    types = {r["column_name"]: r["data_type"] for r in rows}
    # a category reads better than a date as the first view
    first = next((i for i, c in enumerate(dimensions) if types[c] == "VARCHAR"), 0)
    left, right = st.columns(2)
    with left:
        dimension = st.selectbox(labels.EXPLORE_DIMENSION, dimensions, index=first if dimensions else None,
                                 key=f"explore_dim_{table}", format_func=lambda c: f"{names[c]}（{c}）")
    with right:
        measure = st.selectbox(labels.EXPLORE_MEASURE, list(measures), key=f"explore_measure_{table}")
    column, aggregate = measures[measure]
    return dimension, names.get(dimension, dimension), f"{column}|{aggregate}|{measure}"


def main() -> None:
    chosen = filters.current()
    ui.page_header(labels.PAGES["explore"][0], labels.EXPLORE_CAPTION)
    catalog = data.mart_catalog()
    if catalog.is_empty():
        st.info(labels.NO_DATA)
        return
    table, mart_label, comment = _pick_mart(catalog)
    st.caption(comment)
    columns = data.mart_columns(table)
    with st.expander(labels.EXPLORE_COLUMNS):
        described = columns.with_columns(label=pl.col("comment").map_elements(lambda c: _label(c, ""),
                                                                             return_dtype=pl.String))
        ui.table(described.select("column_name", "label", "data_type", "comment"), name=f"{mart_label}_字段说明",
                 key=f"explore_columns_{table}", max_rows=25)
    dimension, dimension_label, picked = _pick_columns(columns, table)
    if not dimension:
        st.info(labels.NO_DATA)
        return
    measure, aggregate, measure_label = picked.split("|", 2)
    frame = data.explore(chosen, table, dimension, measure, aggregate)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    values = [labels.NOT_AVAILABLE if v is None else ("是" if v is True else "否" if v is False else str(v))
              for v in frame["category"].to_list()]
    if columns.filter(pl.col("column_name") == dimension)["data_type"][0] == "DATE" or dimension.endswith("_year"):
        order = sorted(range(len(values)), key=lambda i: values[i])
    else:
        order = list(range(len(values)))
    numbers = [float(frame["value"][i] or 0) for i in order]
    title = labels.EXPLORE_TITLE.format(mart=mart_label, dimension=dimension_label)
    fig = charts.bars([values[i] for i in order], numbers, title=title, value_label=measure_label,
                      text=[f"{n:,.2f}".rstrip("0").rstrip(".") for n in numbers])
    table_frame = pl.DataFrame({dimension_label: [values[i] for i in order], measure_label: numbers})
    ui.chart(fig, table_frame, name=title, key="explore_chart" + ui.key_chart_suffix(table, dimension, picked, chosen),
             when=chosen.snapshot or data.as_of_date())
    st.caption(labels.EXPLORE_FILTERS + " " + labels.EXPLORE_LIMIT)


main()
