"""总览: the article's key figures as cards, and the programme's chain as a funnel.

Every card is a metric of dbt's semantic layer at the sidebar's scope and snapshot, with its
change 较上年同期 (the arrow) and 较年初 (under the card) against the snapshots dbt's
``dim_snapshot`` names; the pool cards add a sparkline over all snapshots. A card whose metric
the chosen filters do not apply to, or that has nothing to compare with, shows "—" and says why.
For 分析员 and 数据管理员 a person-count card links to its 人员名单, and a click on a funnel stage
or a snapshot's bar offers that stage's or snapshot's list.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard import access, briefing, charts, filters, labels, metrics, run_records, ui
from dashboard.drill import SERIES, SNAPSHOT, Drill
from warehouse.semantic.comparison import PRIOR_YEAR, Change, Compared, change_text
from warehouse.semantic.query import Scope

POOL = tuple(labels.OVERVIEW_SECTIONS["pool"][2])
CARDS = (*POOL, *labels.OVERVIEW_SECTIONS["training"][2], *labels.OVERVIEW_SECTIONS["placement"][2])
FUNNEL = ("pool_total", "pool_trained", "pool_placed_after_training")
METRICS = (*CARDS, *FUNNEL[1:], "trainees")  # trainees: the 生成简报 briefing's yearly chart


def _versus(change: Change, unit: str) -> str:
    """``较年初 +40（+4.7%）``, or ``较年初 —`` with the reason."""
    if change.delta is None:
        return f"{change.kind} {labels.NOT_AVAILABLE}（{change.note}）"
    return f"{change.kind} {change_text(change, unit)}"


def _card(container: st.delta_generator.DeltaGenerator, compared: Compared, *,
          spark: list[float] | None = None, help_text: str | None = None) -> None:
    """One key figure; the card title is shortened where the metric's label would be cut off."""
    figure, prior = compared.figure, compared.prior_year
    label = labels.CARD_LABELS.get(figure.figure_id, figure.label)
    notes = [figure.label] if label != figure.label else []
    notes += [figure.description]
    if figure.note:
        notes.append(labels.NOT_APPLICABLE.format(note=figure.note))
    if help_text:
        notes.append(help_text)
    notes += [_versus(prior, figure.unit), _versus(compared.year_start, figure.unit)]
    flat = prior.delta is not None and change_text(prior, figure.unit) == labels.NO_CHANGE
    delta = None if prior.delta is None else f"{change_text(prior, figure.unit)} {PRIOR_YEAR}"
    with container:
        st.metric(label, ui.figure_text(figure), delta=delta, border=True, help="  \n".join(notes),
                  delta_color="off" if flat else "normal", delta_arrow="off" if flat else "auto",
                  chart_data=spark if spark and len(spark) > 1 else None, chart_type="area")
        st.caption(_versus(compared.year_start, figure.unit) if prior.delta is not None
                   else f"{_versus(prior, figure.unit)} · {_versus(compared.year_start, figure.unit)}")
        if figure.unit == "人":  # who the card counts, for those who may list people
            ui.people_link(figure.figure_id, label=labels.PEOPLE_CARD_LINK)


def _pool_cards(figures: dict[str, Compared], series: pl.DataFrame) -> None:
    for start, stop in ((0, 4), (4, 9), (9, 13)):
        row = POOL[start:stop]
        for column, figure_id in zip(st.columns(len(row)), row, strict=True):
            # a snapshot at which the figure is hidden (null) takes the whole sparkline with it
            spark = None if series[figure_id].null_count() else [float(v) for v in series[figure_id]]
            _card(column, figures[figure_id], spark=spark, help_text=labels.POOL_CARD_HELP)


def _compare_note(compared: Compared) -> None:
    """Which snapshots the arrows and the lines under the cards compare with."""
    def against(change: Change) -> str:
        if change.against is None:
            return labels.COMPARE_NONE.format(reason=change.note)
        return labels.COMPARE_AGAINST.format(date=change.against.isoformat())

    st.caption(labels.COMPARE_NOTE.format(prior=against(compared.prior_year), start=against(compared.year_start)))


def _figure_cards(figures: dict[str, Compared], section: str, per_row: int) -> None:
    ids = labels.OVERVIEW_SECTIONS[section][2]
    for start in range(0, len(ids), per_row):
        for column, figure_id in zip(st.columns(per_row), ids[start:start + per_row], strict=False):
            _card(column, figures[figure_id])


def _funnel(scope: Scope) -> None:
    result = metrics.query(FUNNEL, scope=scope)
    values = [None if result.value(m) is None else int(result.value(m) or 0) for m in FUNNEL]
    fig = charts.funnel(labels.FUNNEL_STAGES, values, title=labels.FUNNEL_TITLE,
                        hidden=access.current().hidden_text)
    frame = pl.DataFrame({"stage": list(labels.FUNNEL_STAGES), "persons": values})
    ui.chart(fig, frame, name=labels.FUNNEL_TITLE, key="overview_funnel" + ui.key_chart_suffix(scope),
             when=scope.snapshot, people=Drill(FUNNEL[0], (SERIES,), series=dict(zip(labels.FUNNEL_STAGES, FUNNEL,
                                                                                      strict=True)),
                                               snapshot=scope.snapshot))
    st.caption(" ".join(metrics.catalog().metric(m).description for m in FUNNEL[1:]))


def _pool_size(series: pl.DataFrame, snapshot: date) -> None:
    """The pool's size at every snapshot: the three-year trend at a glance; a click picks it."""
    dates = [d.isoformat() for d in series["snapshot_date"]]
    fig = charts.bars(dates, series["pool_total"].to_list(), title=labels.POOL_SIZE_TITLE,
                      value_label=labels.FLOW_PERSONS, horizontal=False, highlight=[snapshot.isoformat()], height=320)
    ui.chart(fig, series.select("snapshot_date", pl.col("pool_total").alias("persons")), name=labels.POOL_SIZE_TITLE,
             key="overview_pool_size", when=snapshot, click_filter=filters.SNAPSHOT,
             people=Drill("pool_total", (SNAPSHOT,)))
    st.caption(labels.TREND_CLICK_SNAPSHOT)


def main() -> None:
    chosen = filters.current()
    scope = metrics.at_snapshot(chosen)
    log = run_records.refresh_log()
    context = None
    if not log.is_empty():
        context = f"{labels.REFRESHED_AT} {log['refreshed_at'][0]:%Y-%m-%d %H:%M}（北京时间）"
    ui.page_header(labels.PAGES["overview"][0], context, snapshot=scope.snapshot)
    briefing.buttons(scope)
    figures = {c.figure.figure_id: c for c in metrics.compared(scope, CARDS)}
    series = metrics.series(POOL, chosen)

    title, subtitle, _ = labels.OVERVIEW_SECTIONS["pool"]
    st.subheader(f"{title} · {subtitle}", divider="red")
    _compare_note(figures[POOL[0]])
    _pool_cards(figures, series)
    left, right = st.columns(2, gap="large")
    with left:
        _funnel(scope)
    with right:
        _pool_size(series, scope.snapshot)
    for section, per_row in (("training", 5), ("placement", 4)):
        title, subtitle, _ = labels.OVERVIEW_SECTIONS[section]
        st.subheader(f"{title} · {subtitle}", divider="red")
        _figure_cards(figures, section, per_row)
        notes = dict.fromkeys(c.figure.note for c in figures.values()
                              if c.figure.figure_id in labels.OVERVIEW_SECTIONS[section][2] and c.figure.note)
        if notes:
            st.caption(labels.NOT_APPLICABLE_SECTION.format(notes="；".join(notes)))


main()
