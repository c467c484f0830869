"""三年趋势: the pool over its snapshots, training per year, appointments per year.

Snapshots are the pool's own dates (one a year plus the latest); training and appointments
count by the year a class or a tenure started. A click on a snapshot's bar picks that snapshot
for every page.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui


def _pool(chosen: data.Filters) -> None:
    flows = data.pool_flows(chosen)
    dates = [d.isoformat() for d in flows["snapshot_date"]]
    selected = (chosen.snapshot or flows["snapshot_date"].max()).isoformat()
    fig = charts.pool_trend(dates, flows["persons"].to_list(), flows["entered"].to_list(),
                            flows["left_pool"].to_list(), title=labels.TREND_POOL_TITLE,
                            names=(labels.FLOW_PERSONS, labels.FLOW_ENTERED, labels.FLOW_LEFT), highlight=selected)
    ui.chart(fig, flows, name=labels.TREND_POOL_TITLE, key="trend_pool" + ui.key_chart_suffix(chosen),
             click_filter=filters.SNAPSHOT, click_field="x")
    st.caption(labels.TREND_CLICK_SNAPSHOT)


def _year_on_year(chosen: data.Filters, figures: pl.DataFrame) -> None:
    """Each pool figure per snapshot with its change since the previous snapshot."""
    names = dict(zip(figures["figure_id"], figures["label_zh"], strict=True))
    order = dict(zip(figures["figure_id"], figures["sort_order"], strict=True))
    series = (data.pool_figures_by_snapshot(chosen)
              .sort("figure_id", "snapshot_date")
              .with_columns(previous_value=pl.col("value").shift(1).over("figure_id"))
              .with_columns(change=pl.col("value") - pl.col("previous_value"),
                            change_pct=((pl.col("value") - pl.col("previous_value")) / pl.col("previous_value"))))
    wide = series.pivot(on="snapshot_date", index="figure_id", values="value", sort_columns=True)
    snapshots = [c for c in wide.columns if c != "figure_id"]
    latest = series.filter(pl.col("snapshot_date") == pl.col("snapshot_date").max())
    table = (wide.join(latest.select("figure_id", "change", "change_pct"), on="figure_id", how="left")
             .with_columns(order=pl.col("figure_id").replace_strict(order, default=999),
                           label_zh=pl.col("figure_id").replace_strict(names, default=None))
             .sort("order")
             .select("label_zh", *snapshots, "change", "change_pct"))
    st.subheader(labels.TREND_YOY_TITLE)
    config = {"label_zh": st.column_config.TextColumn(labels.COLUMNS["label_zh"], width="medium"),
              labels.COLUMNS["change"]: st.column_config.NumberColumn(format="%+d"),
              labels.COLUMNS["change_pct"]: st.column_config.NumberColumn(format="percent")}
    config |= {s: st.column_config.NumberColumn(s, format="%d") for s in snapshots}
    ui.table(table, name=labels.TREND_YOY_TITLE, key="trend_yoy", column_config=config)


def _shares(chosen: data.Filters, orders: dict[str, dict[str, int]]) -> None:
    keys = [k for k in labels.DIMENSIONS if k != "ethnicity"]
    dimension = st.pills(labels.TREND_SHARE_PICK, keys, format_func=labels.DIMENSIONS.get, default="generation",
                         required=True, key="trend_dim") or "generation"
    frame = data.composition_by_snapshot(chosen, dimension)
    dates = sorted({d.isoformat() for d in frame["snapshot_date"]})
    order = orders.get(dimension, {})
    values = sorted(set(frame["value"].to_list()), key=lambda v: (order.get(v, 999), v))
    cells = {(d.isoformat(), v): s for d, v, _, s in frame.iter_rows()}
    title = labels.TREND_SHARE_TITLE.format(dimension=labels.DIMENSIONS[dimension])
    fig = charts.stacked(dates, {v: [cells.get((d, v), 0.0) for d in dates] for v in values}, title=title,
                         value_label=labels.COLUMNS["share"], percent=True, height=420)
    if dimension == "list":
        fig.update_layout(barmode="group")
    ui.chart(fig, frame, name=title, key="trend_share" + ui.key_chart_suffix(dimension, chosen))
    if dimension == "list":
        st.caption(labels.COMPOSITION_LIST_NOTE)


def _by_year(frame: pl.DataFrame, category: str, measure: str, order: list[str]) -> tuple[list[str], dict]:
    """Years as categories and one series per value of ``category`` (reference order first)."""
    grouped = frame.group_by("start_year", category).agg(pl.col(measure).sum())
    years = [str(y) for y in sorted(set(grouped["start_year"].to_list()))]
    present = set(grouped[category].to_list())
    names = [v for v in order if v in present] + sorted(v for v in present if v not in order and v is not None)
    cells = {(str(y), c): n for y, c, n in grouped.iter_rows()}
    return years, {n: [cells.get((y, n), 0) for y in years] for n in names}


def _training(chosen: data.Filters) -> None:
    frame = data.training_by_year(chosen)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    left, right = st.columns(2, gap="large")
    with left:
        years, series = _by_year(frame, "training_type", "participants", ["递进培训班", "专题学习", "调训", "实践锻炼"])
        fig = charts.stacked(years, series, title=labels.TREND_TRAINING_TITLE,
                             value_label=labels.COLUMNS["participants"])
        ui.chart(fig, frame.group_by("start_year", "training_type").agg(pl.col("participants").sum()).sort(pl.all()),
                 name=labels.TREND_TRAINING_TITLE, key="trend_training" + ui.key_chart_suffix(chosen))
    with right:
        years, series = _by_year(frame, "host_level", "classes", ["中央", "省级", "市级", "县级"])
        fig = charts.stacked(years, series, title=labels.TREND_CLASSES_TITLE, value_label=labels.COLUMNS["classes"])
        ui.chart(fig, frame.group_by("start_year", "host_level").agg(pl.col("classes").sum()).sort(pl.all()),
                 name=labels.TREND_CLASSES_TITLE, key="trend_classes" + ui.key_chart_suffix(chosen))
    st.caption("参训人数按各年各类型去重计数；同一人参加不同类型的培训分别计入。")


def _appointments(chosen: data.Filters) -> None:
    frame = data.appointments_by_year(chosen)
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    categories = [c for c in ("领导职务", "政治安排") if c in set(frame["appointment_category"].to_list())]
    category = st.segmented_control(labels.TREND_APPOINTMENT_CATEGORY, categories, default=categories[0],
                                    required=True, key="trend_category") if categories else None
    shown = frame.filter(pl.col("appointment_category") == category) if category else frame
    years, series = _by_year(shown, "selection_method", "tenures", ["新提拔", "交流", "重用", "换届选举", "其他"])
    title = f"{labels.TREND_APPOINTMENTS_TITLE} · {category}" if category else labels.TREND_APPOINTMENTS_TITLE
    fig = charts.stacked(years, series, title=title, value_label=labels.COLUMNS["tenures"])
    ui.chart(fig, shown, name=title, key="trend_appointments" + ui.key_chart_suffix(category, chosen))
    st.caption("按任职时间所在年份统计任职条数；一人可有多条任职。")


def main() -> None:
    chosen = filters.current()
    ui.page_header(labels.PAGES["trends"][0], "人才库按各快照统计；培训与任职按开始年份统计。")
    figures = data.key_figures()
    orders = data.value_orders()
    _pool(chosen)
    _year_on_year(chosen, figures)
    st.divider()
    _shares(chosen, orders)
    st.divider()
    _training(chosen)
    st.divider()
    _appointments(chosen)


main()
