"""培训: every class and its cohort — who came, who completed, who went on to a leadership post.

"Went on to a leadership post" is dbt's ``was_placed_after``: a 领导职务 tenure that started on
or after the class started. Filters narrow the trainees to the pool persons in scope.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui

TYPES = ["递进培训班", "专题学习", "调训", "实践锻炼"]
ALL = labels.FILTER_ALL
PLACED = "获任领导职务"
COHORT_COLORS = {"参训": charts.PALETTE[1], "结业": charts.PALETTE[3], PLACED: charts.ACCENT}


def _controls() -> tuple[tuple[str, ...], bool]:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        picked = st.pills(labels.TRAINING_TYPE_PICK, [*TYPES, ALL], default=TYPES[0], required=True,
                          key="training_type")
    with right:
        recent = st.toggle(labels.TRAINING_RECENT_ONLY, value=False, key="training_recent")
    return (() if picked in (None, ALL) else (picked,)), recent


def _cards(chosen: data.Filters, classes: pl.DataFrame, types: tuple[str, ...], recent: bool) -> None:
    totals = data.training_totals(chosen, types, recent_only=recent).row(0, named=True)
    participants = totals["participants"]
    values = [classes.height, participants, totals["completed"], totals["placed_after"]]
    columns = st.columns(4)
    for index, (column, label, value) in enumerate(zip(columns, labels.TRAINING_TOTALS, values, strict=True)):
        unit = "期" if index == 0 else "人"
        delta = f"{value / participants:.0%}" if index >= 2 and participants else None
        column.metric(label, f"{value:,} {unit}", delta=delta, delta_color="off", delta_arrow="off", border=True,
                      help=labels.TRAINING_PLACED_HELP if index == 3 else None)


def _by_type(chosen: data.Filters, recent: bool, when: object, key: str) -> None:
    """The whole programme at a glance: per training type, trainees → completed → placed."""
    frame = data.training_by_type(chosen, recent_only=recent)
    order = {t: i for i, t in enumerate(TYPES)}
    frame = frame.sort(pl.col("training_type").replace_strict(order, default=99))
    types = frame["training_type"].to_list()
    series = {"参训": frame["participants"].to_list(), "结业": frame["completed"].to_list(),
              PLACED: frame["placed_after"].to_list()}
    fig = charts.stacked(types, series, title=labels.TRAINING_BY_TYPE_TITLE, value_label=labels.COLUMNS["persons"],
                         height=340, colors=COHORT_COLORS)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_traces(texttemplate="%{y:,}", textposition="outside", cliponaxis=False)
    ui.chart(fig, frame, name=labels.TRAINING_BY_TYPE_TITLE, key="training_by_type" + key, when=when)


def _completion(classes: pl.DataFrame, when: object, key: str) -> None:
    names = [f"{n}（{d:%Y.%m}）" for n, d in zip(classes["class_name"], classes["class_start"], strict=True)]
    series = {"结业": classes["completed"].to_list(), "未结业": classes["not_completed"].to_list(),
              "在训": classes["in_training"].to_list()}
    colors = {"结业": charts.PALETTE[3], "未结业": charts.ACCENT, "在训": charts.PALETTE[2]}
    fig = charts.stacked(names, series, title=labels.TRAINING_CLASSES_TITLE, value_label=labels.COLUMNS["persons"],
                         horizontal=True, height=max(320, 28 * len(names) + 140), colors=colors)
    ui.chart(fig, classes.select("class_id", "class_name", "class_start", "participants", "completed", "not_completed",
                                 "in_training"),
             name=labels.TRAINING_CLASSES_TITLE, key="training_completion" + key, when=when)


def _cohorts(classes: pl.DataFrame, when: object, key: str) -> None:
    names = [f"{n}（{d:%Y.%m}）" for n, d in zip(classes["class_name"], classes["class_start"], strict=True)]
    series = {"参训": classes["participants"].to_list(), "结业": classes["completed"].to_list(),
              PLACED: classes["placed_after"].to_list()}
    fig = charts.stacked(names, series, title=labels.TRAINING_COHORT_TITLE, value_label=labels.COLUMNS["persons"],
                         horizontal=True, height=max(320, 28 * len(names) + 140),
                         colors=COHORT_COLORS)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    ui.chart(fig, classes.select("class_id", "class_name", "class_start", "participants", "completed", "placed_after"),
             name=labels.TRAINING_COHORT_TITLE, key="training_cohorts" + key, when=when)
    st.caption(labels.TRAINING_PLACED_HELP)


def main() -> None:
    chosen = filters.current()
    when = chosen.snapshot or data.as_of_date()
    ui.page_header(labels.PAGES["training"][0], "近三年：开班日期在统计截止日期前三年内。")
    types, recent = _controls()
    classes = data.classes(chosen)
    if types:
        classes = classes.filter(pl.col("training_type").is_in(list(types)))
    if recent:
        classes = classes.filter(pl.col("is_in_last_three_years"))
    _cards(chosen, classes, types, recent)
    if classes.is_empty():
        st.info(labels.NO_DATA)
        return
    key = ui.key_chart_suffix(types, recent, chosen)
    _by_type(chosen, recent, when, key)
    left, right = st.columns(2, gap="large")
    with left:
        _completion(classes, when, key)
    with right:
        _cohorts(classes, when, key)
    st.subheader(labels.TRAINING_TABLE_TITLE)
    ui.table(classes, name=labels.TRAINING_TABLE_TITLE, key="training_table", when=when,
             column_config={labels.COLUMNS["class_start"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
                            labels.COLUMNS["class_end"]: st.column_config.DateColumn(format="YYYY-MM-DD")})


main()
