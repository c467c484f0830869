"""三年趋势: the pool over its snapshots, training and appointments by year.

Snapshots are the pool's own dates (one a year plus the latest). Training and appointments are
counted as at the chosen snapshot (nothing after it counts) by the year a class or a tenure
started; the year of the snapshot, still in progress, is marked 截至M月D日. A click on a
snapshot's bar picks that snapshot for every page.

For 分析员 and 数据管理员 a click on any bar also offers the 人员名单 of exactly that bar, at that
bar's snapshot: 在库/进库/出库 list ``pool_total``/``pool_entered``/``pool_left``; a share lists
the persons of that value (``pool_total``, or ``pool_list_members`` by list); a training bar
lists ``trainees`` of that year and type; a 班次 bar (classes are not people) lists the
``trainees`` of that year's classes at that host level; an appointments bar (任职条数, posts)
lists ``tenure_holders`` (the persons holding those tenures, one however many posts) of that
year, selection method and the category picked.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard import charts, filters, labels, metrics, orders, ui
from dashboard.drill import SERIES, SNAPSHOT, Drill
from warehouse.semantic.comparison import PRIOR_YEAR, YEAR_START, Change
from warehouse.semantic.query import Scope

POOL = tuple(labels.OVERVIEW_SECTIONS["pool"][2])
FLOWS = ("pool_total", "pool_entered", "pool_left")
TRAINING = ("trainees", "classes")
APPOINTMENTS = ("tenures",)
PEOPLE = ("tenure_holders",)  # the persons behind an appointments bar (人员名单)
METRICS = (*FLOWS, *POOL, *TRAINING, *APPOINTMENTS, metrics.LIST_METRIC, *PEOPLE)


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
    series = dict(zip((labels.FLOW_PERSONS, labels.FLOW_ENTERED, labels.FLOW_LEFT), FLOWS, strict=True))
    ui.chart(fig, table, name=labels.TREND_POOL_TITLE, key="trend_pool" + ui.key_chart_suffix(chosen),
             click_filter=filters.SNAPSHOT, click_field="x",
             people=Drill(FLOWS[0], (SNAPSHOT, SERIES), series=series))
    st.caption(labels.TREND_CLICK_SNAPSHOT)


def _changes(scope: Scope) -> None:
    """Each pool figure at the snapshot, 较上年同期 and 较年初 (the snapshots dbt names)."""
    compared = metrics.compared(scope, POOL)
    first = compared[0]

    def against(change: Change) -> str:
        if change.against is None:
            return labels.COMPARE_NONE.format(reason=change.note)
        return labels.COMPARE_AGAINST.format(date=change.against.isoformat())

    rows = []
    for item in compared:
        row: dict[str, object] = {"指标": metrics.label(item.figure.figure_id),
                                  scope.snapshot.isoformat(): item.figure.value}
        for change in (item.prior_year, item.year_start):
            when = change.against.isoformat() if change.against else "—"
            row[f"{change.kind}（{when}）"] = change.before
            row[change.kind] = change.delta
            row[f"{change.kind}（%）"] = change.share
        rows.append(row)
    table = pl.DataFrame(rows)
    st.subheader(labels.TREND_CHANGES_TITLE)
    config: dict[str, object] = {"指标": st.column_config.TextColumn(width="medium")}
    for column in table.columns[1:]:
        kind = "percent" if column.endswith("（%）") else ("%+d" if column in (PRIOR_YEAR, YEAR_START) else "%d")
        config[column] = st.column_config.NumberColumn(column, format=kind)
    ui.table(table, name=labels.TREND_CHANGES_TITLE, key="trend_changes", when=scope.snapshot, column_config=config)
    st.caption(labels.TREND_CHANGES_NOTE.format(prior=against(first.prior_year), start=against(first.year_start)))


def _shares(chosen: Scope) -> None:
    names = {short: metrics.label(name) for short, name in metrics.pool_breakdowns().items()}
    keys = [k for k in names if k != "ethnicity"]
    dimension = st.pills(labels.TREND_SHARE_PICK, keys, format_func=names.get,
                         default="generation" if "generation" in keys else keys[0], required=True,
                         key="trend_dim") or keys[0]
    every = Scope(chosen.regions, chosen.sectors, chosen.lists)
    frame = metrics.pool_persons_by([dimension], every, every_snapshot=True)
    totals = dict(metrics.series(["pool_total"], chosen).iter_rows())
    frame = frame.rename({"metric_time__day": "snapshot_date", "value_1": "value"}).with_columns(
        pl.col("value").cast(pl.String),
        share=pl.col("pool_total") / pl.col("snapshot_date").replace_strict(totals, return_dtype=pl.Float64))
    dates = sorted({d.isoformat() for d in frame["snapshot_date"]})
    values = orders.ordered(set(frame["value"].drop_nulls()), dimension)
    cells = {(d.isoformat(), v): s for d, v, _, s in frame.select("snapshot_date", "value", "pool_total", "share")
             .iter_rows()}
    title = labels.TREND_SHARE_TITLE.format(dimension=names[dimension])
    fig = charts.stacked(dates, {v: [cells.get((d, v), 0.0) for d in dates] for v in values}, title=title,
                         value_label=labels.COLUMNS["share"], percent=True, height=420)
    if dimension == "list_name":
        fig.update_layout(barmode="group")
    full = metrics.pool_breakdowns()[dimension]
    ui.chart(fig, frame.rename({"pool_total": "persons"}).sort("snapshot_date", "value"), name=title,
             key="trend_share" + ui.key_chart_suffix(dimension, chosen),
             people=Drill(metrics.pool_metric_for([full]), (SNAPSHOT, full)))
    if dimension == "list_name":
        st.caption(labels.COMPOSITION_LIST_NOTE)


def _by_year(frame: pl.DataFrame, year: str, category: str, measure: str,
             snapshot: date) -> tuple[list[str], dict, dict[str, str]]:
    """Years (the snapshot's own marked as partial), one series per category value, and each
    drawn year → the year itself (for the 人员名单 link)."""
    years = sorted({int(y) for y in frame[year].drop_nulls()})
    present = [v for v in frame[category].drop_nulls().unique().to_list()]
    names = orders.ordered(present, category)
    cells = {(int(y), str(c)): n for y, c, n in frame.select(year, category, measure).iter_rows() if y is not None}
    shown = [ui.year_label(y, snapshot) for y in years]
    return shown, {n: [cells.get((y, n), 0) for y in years] for n in names}, dict(zip(shown, map(str, years),
                                                                                      strict=True))


def _training(scope: Scope) -> None:
    trainees = metrics.query(["trainees"], ["training__start_year", "training__training_type"], scope).frame
    classes = metrics.query(["classes"], ["class_snapshot__start_year", "class_snapshot__host_level"], scope)
    if trainees.is_empty():
        st.info(labels.NO_DATA)
        return
    left, right = st.columns(2, gap="large")
    with left:
        axes = ("training__start_year", "training__training_type")
        years, series, drawn = _by_year(trainees, *axes, "trainees", scope.snapshot)
        fig = charts.stacked(years, series, title=labels.TREND_TRAINING_TITLE,
                             value_label=labels.COLUMNS["participants"])
        ui.chart(fig, trainees, name=labels.TREND_TRAINING_TITLE, key="trend_training" + ui.key_chart_suffix(scope),
                 when=scope.snapshot, people=Drill("trainees", axes, shown={axes[0]: drawn}, snapshot=scope.snapshot))
    with right:
        if "classes" in classes.notes:
            st.info(labels.NOT_APPLICABLE.format(note=classes.notes["classes"]))
        else:
            years, series, drawn = _by_year(classes.frame, "class_snapshot__start_year", "class_snapshot__host_level",
                                            "classes", scope.snapshot)
            fig = charts.stacked(years, series, title=labels.TREND_CLASSES_TITLE, value_label=labels.COLUMNS["classes"])
            axes = ("training__start_year", "training__host_level")  # classes are not people: their trainees
            ui.chart(fig, classes.frame, name=labels.TREND_CLASSES_TITLE,
                     key="trend_classes" + ui.key_chart_suffix(scope), when=scope.snapshot,
                     people=Drill("trainees", axes, shown={axes[0]: drawn}, snapshot=scope.snapshot))
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
    axes = ("tenure__start_year", "tenure__selection_method")
    years, series, drawn = _by_year(frame, *axes, "tenures", scope.snapshot)
    title = f"{labels.TREND_APPOINTMENTS_TITLE} · {category}"
    fig = charts.stacked(years, series, title=title, value_label=labels.COLUMNS["tenures"])
    ui.chart(fig, frame, name=title, key="trend_appointments" + ui.key_chart_suffix(category, scope),
             when=scope.snapshot, people=Drill(PEOPLE[0], axes, where={"tenure__appointment_category": [category]},
                                               shown={axes[0]: drawn}, snapshot=scope.snapshot))
    st.caption(metrics.catalog().metric("tenures").description + labels.TREND_PARTIAL_NOTE)


def main() -> None:
    chosen = filters.current()
    scope = metrics.at_snapshot(chosen)
    ui.page_header(labels.PAGES["trends"][0], labels.TREND_CAPTION, snapshot=scope.snapshot)
    _pool(chosen, scope.snapshot)
    _changes(scope)
    st.divider()
    _shares(chosen)
    st.divider()
    _training(scope)
    st.divider()
    _appointments(scope)


main()
