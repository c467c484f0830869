"""三年趋势: the pool over its snapshots, training and appointments by year.

Snapshots are the pool's own dates (one a year plus the latest). Training and appointments are
counted as at the chosen snapshot (nothing after it counts) by the year a class or a tenure
started; the year of the snapshot, still in progress, is marked 截至M月D日. A click on a
snapshot's bar picks that snapshot for every page.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard import charts, filters, labels, metrics, orders, ui
from warehouse.semantic.query import Scope

POOL = tuple(labels.OVERVIEW_SECTIONS["pool"][2])
FLOWS = ("pool_total", "pool_entered", "pool_left")
TRAINING = ("trainees", "classes")
APPOINTMENTS = ("tenures",)
METRICS = (*FLOWS, *POOL, *TRAINING, *APPOINTMENTS)
SHARE_ENTITY = "pool_membership__"


def _pool(chosen: Scope, snapshot: date) -> None:
    flows = metrics.series(FLOWS, chosen)
    first = flows["snapshot_date"].min()
    # the first snapshot has no previous one to compare with: no flows there, not zero
    flows = flows.with_columns(pl.when(pl.col("snapshot_date") == first).then(None).otherwise(pl.col(c)).alias(c)
                               for c in ("pool_entered", "pool_left"))
    dates = [d.isoformat() for d in flows["snapshot_date"]]
    fig = charts.pool_trend(dates, flows["pool_total"].to_list(), flows["pool_entered"].to_list(),
                            flows["pool_left"].to_list(), title=labels.TREND_POOL_TITLE,
                            names=(labels.FLOW_PERSONS, labels.FLOW_ENTERED, labels.FLOW_LEFT),
                            highlight=snapshot.isoformat())
    table = flows.rename({"pool_total": "persons", "pool_entered": "entered", "pool_left": "left_pool"})
    ui.chart(fig, table, name=labels.TREND_POOL_TITLE, key="trend_pool" + ui.key_chart_suffix(chosen),
             click_filter=filters.SNAPSHOT, click_field="x")
    st.caption(labels.TREND_CLICK_SNAPSHOT)


def _changes(chosen: Scope) -> None:
    """Each pool figure per snapshot with its change since the previous snapshot."""
    series = metrics.series(POOL, chosen)
    snapshots = [d.isoformat() for d in series["snapshot_date"]]
    rows = []
    for figure_id in POOL:
        values = series[figure_id].to_list()
        change = values[-1] - values[-2] if len(values) > 1 and None not in values[-2:] else None
        share = change / values[-2] if change is not None and values[-2] else None
        rows.append({"label_zh": metrics.label(figure_id), **dict(zip(snapshots, values, strict=True)),
                     "change": change, "change_pct": share})
    table = pl.DataFrame(rows)
    st.subheader(labels.TREND_CHANGES_TITLE)
    config = {labels.COLUMNS["label_zh"]: st.column_config.TextColumn(width="medium"),
              labels.COLUMNS["change"]: st.column_config.NumberColumn(format="%+d"),
              labels.COLUMNS["change_pct"]: st.column_config.NumberColumn(format="percent")}
    config |= {s: st.column_config.NumberColumn(s, format="%d") for s in snapshots}
    ui.table(table, name=labels.TREND_CHANGES_TITLE, key="trend_changes", column_config=config)


def _shares(chosen: Scope) -> None:
    names = {d.name.removeprefix(SHARE_ENTITY): d.label for d in metrics.catalog().dimensions_for(["pool_total"])}
    keys = [k for k in names if k != "ethnicity"]
    dimension = st.pills(labels.TREND_SHARE_PICK, keys, format_func=names.get,
                         default="generation" if "generation" in keys else keys[0], required=True,
                         key="trend_dim") or keys[0]
    every = Scope(chosen.regions, chosen.sectors, chosen.lists)
    frame = metrics.query(["pool_total"], ["metric_time__day", SHARE_ENTITY + dimension], every,
                          every_snapshot=True).frame
    totals = dict(metrics.series(["pool_total"], chosen).iter_rows())
    frame = frame.rename({"metric_time__day": "snapshot_date", SHARE_ENTITY + dimension: "value"}).with_columns(
        pl.col("value").cast(pl.String),
        share=pl.col("pool_total") / pl.col("snapshot_date").replace_strict(totals, return_dtype=pl.Float64))
    dates = sorted({d.isoformat() for d in frame["snapshot_date"]})
    values = orders.ordered(set(frame["value"].drop_nulls()), SHARE_ENTITY + dimension)
    cells = {(d.isoformat(), v): s for d, v, _, s in frame.select("snapshot_date", "value", "pool_total", "share")
             .iter_rows()}
    title = labels.TREND_SHARE_TITLE.format(dimension=names[dimension])
    fig = charts.stacked(dates, {v: [cells.get((d, v), 0.0) for d in dates] for v in values}, title=title,
                         value_label=labels.COLUMNS["share"], percent=True, height=420)
    if dimension == "list_name":
        fig.update_layout(barmode="group")
    ui.chart(fig, frame.rename({"pool_total": "persons"}).sort("snapshot_date", "value"), name=title,
             key="trend_share" + ui.key_chart_suffix(dimension, chosen))
    if dimension == "list_name":
        st.caption(labels.COMPOSITION_LIST_NOTE)


def _by_year(frame: pl.DataFrame, year: str, category: str, measure: str, snapshot: date) -> tuple[list[str], dict]:
    """Years (the snapshot's own marked as partial) and one series per category value."""
    years = sorted({int(y) for y in frame[year].drop_nulls()})
    present = [v for v in frame[category].drop_nulls().unique().to_list()]
    names = orders.ordered(present, category)
    cells = {(int(y), str(c)): n for y, c, n in frame.select(year, category, measure).iter_rows() if y is not None}
    shown = [ui.year_label(y, snapshot) for y in years]
    return shown, {n: [cells.get((y, n), 0) for y in years] for n in names}


def _training(scope: Scope) -> None:
    trainees = metrics.query(["trainees"], ["training__start_year", "training__training_type"], scope).frame
    classes = metrics.query(["classes"], ["class_snapshot__start_year", "class_snapshot__host_level"], scope)
    if trainees.is_empty():
        st.info(labels.NO_DATA)
        return
    left, right = st.columns(2, gap="large")
    with left:
        years, series = _by_year(trainees, "training__start_year", "training__training_type", "trainees",
                                 scope.snapshot)
        fig = charts.stacked(years, series, title=labels.TREND_TRAINING_TITLE,
                             value_label=labels.COLUMNS["participants"])
        ui.chart(fig, trainees, name=labels.TREND_TRAINING_TITLE, key="trend_training" + ui.key_chart_suffix(scope),
                 when=scope.snapshot)
    with right:
        if "classes" in classes.notes:
            st.info(labels.NOT_APPLICABLE.format(note=classes.notes["classes"]))
        else:
            years, series = _by_year(classes.frame, "class_snapshot__start_year", "class_snapshot__host_level",
                                     "classes", scope.snapshot)
            fig = charts.stacked(years, series, title=labels.TREND_CLASSES_TITLE, value_label=labels.COLUMNS["classes"])
            ui.chart(fig, classes.frame, name=labels.TREND_CLASSES_TITLE,
                     key="trend_classes" + ui.key_chart_suffix(scope), when=scope.snapshot)
    st.caption(labels.TREND_TRAINING_NOTE)


def _appointments(scope: Scope) -> None:
    categories = [c for c in orders.ordered(["领导职务", "政治安排"], "tenure__appointment_category")]
    category = st.segmented_control(labels.TREND_APPOINTMENT_CATEGORY, categories, default=categories[0],
                                    required=True, key="trend_category") or categories[0]
    frame = metrics.query(["tenures"], ["tenure__start_year", "tenure__selection_method"], scope,
                          {"tenure__appointment_category": [category]}).frame
    if frame.is_empty():
        st.info(labels.NO_DATA)
        return
    years, series = _by_year(frame, "tenure__start_year", "tenure__selection_method", "tenures", scope.snapshot)
    title = f"{labels.TREND_APPOINTMENTS_TITLE} · {category}"
    fig = charts.stacked(years, series, title=title, value_label=labels.COLUMNS["tenures"])
    ui.chart(fig, frame, name=title, key="trend_appointments" + ui.key_chart_suffix(category, scope),
             when=scope.snapshot)
    st.caption(metrics.catalog().metric("tenures").description + labels.TREND_PARTIAL_NOTE)


def main() -> None:
    chosen = filters.current()
    scope = metrics.at_snapshot(chosen)
    ui.page_header(labels.PAGES["trends"][0], labels.TREND_CAPTION, snapshot=scope.snapshot)
    _pool(chosen, scope.snapshot)
    _changes(chosen)
    st.divider()
    _shares(chosen)
    st.divider()
    _training(scope)
    st.divider()
    _appointments(scope)


main()
