"""培训: every class and its cohort — who came, who completed, who went on to a leadership post.

Counted as at the chosen snapshot: classes that started on or before it; "went on to a
leadership post" is a 领导职务 tenure that started on or after the class and on or before the
snapshot (dbt's ``was_placed_after``). The region, sector and list filters narrow the trainees
to the pool persons in scope; classes themselves are counted city-wide.

For 分析员 and 数据管理员 each person-count card links to its 人员名单, and a click on a bar
offers the 人员名单 of exactly that bar, with the
page's 近三年 switch and training-type pills: a stage bar of a type lists that stage's count
(``trainees``, ``completed_trainees``, ``trainees_placed_after``); a class's bar lists its stage
or completion status (``not_completed_trainees``, ``in_training_trainees`` …) in that class. The
其他 bar (many classes folded into one) offers none: the table lists its classes.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard import access, charts, filters, labels, metrics, orders, ui
from dashboard.drill import SERIES, Drill
from warehouse.semantic.query import Scope

COHORT = ("trainees", "completed_trainees", "trainees_placed_after")
STATUS = ("completed_trainees", "not_completed_trainees", "in_training_trainees")
METRICS = ("classes", "class_hours", *COHORT, *STATUS)
ALL = labels.FILTER_ALL
COHORT_COLORS = {labels.TRAINING_STAGES[0]: charts.PALETTE[1], labels.TRAINING_STAGES[1]: charts.PALETTE[3],
                 labels.TRAINING_STAGES[2]: charts.ACCENT}
TOP_CLASSES = 12  # more bars than this are unreadable: the largest, then 其他
COHORT_SERIES = dict(zip(labels.TRAINING_STAGES, COHORT, strict=True))
STATUS_SERIES = dict(zip(labels.TRAINING_STATUS, STATUS, strict=True))
CLASS_DIMS = ("class_snapshot__class_id", "class_snapshot__class_name", "class_snapshot__class_start_date",
              "class_snapshot__training_type",
              "class_snapshot__host_level", "class_snapshot__host_org", "class_snapshot__is_in_last_three_years")


def _controls() -> tuple[tuple[str, ...], bool]:
    types = orders.ordered(orders.value_order("training__training_type"), "training__training_type")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        picked = st.pills(labels.TRAINING_TYPE_PICK, [*types, ALL], default=types[0] if types else ALL, required=True,
                          key="training_type")
    with right:
        recent = st.toggle(labels.TRAINING_RECENT_ONLY, value=False, key="training_recent")
    return (() if picked in (None, ALL) else (picked,)), recent


def _filters(prefix: str, types: tuple[str, ...], recent: bool) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    if types:
        chosen[f"{prefix}__training_type"] = list(types)
    if recent:
        chosen[f"{prefix}__is_in_last_three_years"] = ["true"]
    return chosen


def _cards(scope: Scope, types: tuple[str, ...], recent: bool) -> None:
    classes = metrics.query(["classes"], scope=scope, filters=_filters("class_snapshot", types, recent))
    cohort = metrics.query(COHORT, scope=scope, filters=_filters("training", types, recent))
    values = [classes.value("classes"), *(cohort.value(m) for m in COHORT)]
    participants = values[1]
    for index, (column, metric) in enumerate(zip(st.columns(4), ("classes", *COHORT), strict=True)):
        value, unit = values[index], metrics.catalog().metric(metric).unit
        delta = f"{value / participants:.0%}" if index >= 2 and participants and value is not None else None
        note = classes.notes.get(metric) if metric == "classes" else None
        shown = (access.hidden(value) if note is None else None) or ui.value_text(value, unit)
        column.metric(labels.TRAINING_TOTALS[index], shown, delta=delta, delta_color="off",
                      delta_arrow="off", border=True,
                      help=(labels.NOT_APPLICABLE.format(note=note) if note else metrics.catalog().metric(metric)
                            .description))
        if unit == "人":  # who the card counts, with the page's pills and switch
            with column:
                ui.people_link(metric, _filters("training", types, recent), snapshot=scope.snapshot,
                               label=labels.PEOPLE_CARD_LINK)


def _by_type(scope: Scope, recent: bool, key: str) -> None:
    """The whole programme at a glance: per training type, trainees → completed → placed."""
    frame = metrics.query(COHORT, ["training__training_type"], scope, _filters("training", (), recent)).frame
    types = orders.ordered(frame["training__training_type"], "training__training_type")
    frame = frame.sort(pl.col("training__training_type").replace_strict({t: i for i, t in enumerate(types)},
                                                                        default=99))
    series = {stage: frame[m].to_list() for stage, m in zip(labels.TRAINING_STAGES, COHORT, strict=True)}
    fig = charts.stacked(types, series, title=labels.TRAINING_BY_TYPE_TITLE, value_label=labels.COLUMNS["persons"],
                         height=340, colors=COHORT_COLORS)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_traces(texttemplate="%{y:,}", textposition="outside", cliponaxis=False)
    ui.chart(fig, frame, name=labels.TRAINING_BY_TYPE_TITLE, key="training_by_type" + key, when=scope.snapshot,
             people=Drill(COHORT[0], ("training__training_type", SERIES), where=_filters("training", (), recent),
                          series=COHORT_SERIES, snapshot=scope.snapshot))


def _classes(scope: Scope, types: tuple[str, ...], recent: bool) -> pl.DataFrame:
    """Every class in view with its cohort's counts; filtered to persons, only classes with any."""
    listed = metrics.query(["classes", "class_hours"], CLASS_DIMS, scope,
                           _filters("class_snapshot", types, recent)).frame
    cohort = metrics.query((*COHORT, *STATUS[1:]), ["training__class_id"], scope,
                           _filters("training", types, recent)).frame
    joined = (listed.rename({d: d.removeprefix("class_snapshot__") for d in CLASS_DIMS})
              .rename({"class_start_date": "class_start"})
              .join(cohort.rename({"training__class_id": "class_id"}), on="class_id", how="left")
              .with_columns(pl.col(*COHORT, *STATUS[1:]).fill_null(0)))
    if scope.on_persons:
        joined = joined.filter(pl.col("trainees") > 0)
    return joined.sort("class_start", "class_id").select(
        "class_id", "class_name", "training_type", "host_level", "host_org", "class_start",
        pl.col("class_hours").alias("hours"), "is_in_last_three_years", pl.col("trainees").alias("participants"),
        pl.col("completed_trainees").alias("completed"), pl.col("not_completed_trainees").alias("not_completed"),
        pl.col("in_training_trainees").alias("in_training"), pl.col("trainees_placed_after").alias("placed_after"))


def _top(classes: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The classes a chart draws: all of them when few, else the ``TOP_CLASSES`` largest by
    participants (in date order) and one 其他 bar for the rest; the table below lists every
    class. Also the bars' names: class name with its start month."""
    names = _bar_names(classes)
    if classes.height <= TOP_CLASSES:
        return classes, names
    ranked = classes.with_columns(pl.Series("bar", names)).sort("participants", "class_start",
                                                                descending=[True, False])
    top, rest = ranked.head(TOP_CLASSES).sort("class_start", "class_id"), ranked.slice(TOP_CLASSES)
    other = rest.select(pl.col("participants", "completed", "not_completed", "in_training", "placed_after").sum())
    other = other.with_columns(bar=pl.lit(labels.TRAINING_OTHER_CLASSES.format(n=rest.height)))
    drawn = pl.concat([top.select(other.columns), other], how="vertical_relaxed")
    return drawn, drawn["bar"].to_list()


def _bar_names(classes: pl.DataFrame) -> list[str]:
    """A class's bar name: its name with its start month."""
    return [f"{n}（{d:%Y.%m}）" for n, d in zip(classes["class_name"], classes["class_start"], strict=True)]


def _class_drill(classes: pl.DataFrame, series: dict[str, str], where: dict[str, list[str]],
                 when: date | None) -> Drill:
    """A class's bar → its people: the class (its id, behind the drawn name) and the series'
    count, with the page's filters; the 其他 bar is no class and offers no link."""
    ids = dict(zip(_bar_names(classes), classes["class_id"].cast(pl.String), strict=True))
    return Drill(COHORT[0], ("training__class_id", SERIES), where=where, series=series,
                 shown={"training__class_id": ids}, snapshot=when)


def _completion(classes: pl.DataFrame, when: date | None, key: str, where: dict[str, list[str]]) -> None:
    drawn, names = _top(classes)
    done, not_done, in_training = labels.TRAINING_STATUS
    series = {done: drawn["completed"].to_list(), not_done: drawn["not_completed"].to_list(),
              in_training: drawn["in_training"].to_list()}
    colors = {done: charts.PALETTE[3], not_done: charts.ACCENT, in_training: charts.PALETTE[2]}
    fig = charts.stacked(names, series, title=labels.TRAINING_CLASSES_TITLE, value_label=labels.COLUMNS["persons"],
                         horizontal=True, height=max(320, 28 * len(names) + 140), colors=colors)
    ui.chart(fig, classes.select("class_id", "class_name", "class_start", "participants", "completed", "not_completed",
                                 "in_training"),
             name=labels.TRAINING_CLASSES_TITLE, key="training_completion" + key, when=when,
             people=_class_drill(classes, STATUS_SERIES, where, when))


def _cohorts(classes: pl.DataFrame, when: date | None, key: str, where: dict[str, list[str]]) -> None:
    drawn, names = _top(classes)
    series = {stage: drawn[c].to_list()
              for stage, c in zip(labels.TRAINING_STAGES, ("participants", "completed", "placed_after"), strict=True)}
    fig = charts.stacked(names, series, title=labels.TRAINING_COHORT_TITLE, value_label=labels.COLUMNS["persons"],
                         horizontal=True, height=max(320, 28 * len(names) + 140), colors=COHORT_COLORS)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    ui.chart(fig, classes.select("class_id", "class_name", "class_start", "participants", "completed", "placed_after"),
             name=labels.TRAINING_COHORT_TITLE, key="training_cohorts" + key, when=when,
             people=_class_drill(classes, COHORT_SERIES, where, when))
    st.caption(metrics.catalog().metric("trainees_placed_after").description)


def main() -> None:
    scope = metrics.at_snapshot(filters.current())
    ui.page_header(labels.PAGES["training"][0], labels.TRAINING_CAPTION, snapshot=scope.snapshot)
    types, recent = _controls()
    _cards(scope, types, recent)
    classes = _classes(scope, types, recent)
    if classes.is_empty():
        st.info(labels.NO_DATA)
        return
    key = ui.key_chart_suffix(types, recent, scope)
    _by_type(scope, recent, key)
    left, right = st.columns(2, gap="large")
    where = _filters("training", types, recent)
    with left:
        _completion(classes, scope.snapshot, key, where)
    with right:
        _cohorts(classes, scope.snapshot, key, where)
    if classes.height > TOP_CLASSES:
        st.caption(labels.TRAINING_TOP_NOTE.format(n=TOP_CLASSES))
    st.subheader(labels.TRAINING_TABLE_TITLE)
    ui.table(classes, name=labels.TRAINING_TABLE_TITLE, key="training_table", when=scope.snapshot, hide=("class_id",),
             column_config={labels.COLUMNS["class_start"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
                            labels.COLUMNS["placed_after"]: st.column_config.Column(
                                labels.TRAINING_PLACED_SHORT[0], help=labels.TRAINING_PLACED_SHORT[1])})


main()
