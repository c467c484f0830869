"""总览: the article's key figures as cards, and the programme's chain as a funnel.

The pool cards follow the sidebar filters and the chosen snapshot, with the change since the
previous snapshot and a sparkline over all snapshots. Training and placement figures are
defined at the as-of date for the whole city (dbt's ``key_figures``), so they are shown as
they are and say so when a filter is active.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

import charts
import data
import filters
import labels
import ui


def _pool_series(chosen: data.Filters) -> dict[str, list[tuple[date, float]]]:
    """figure_id → [(snapshot, value)] in date order."""
    series: dict[str, list[tuple[date, float]]] = {}
    for snapshot, figure_id, value in data.pool_figures_by_snapshot(chosen).sort("snapshot_date").iter_rows():
        series.setdefault(figure_id, []).append((snapshot, value))
    return series


def _card(container: st.delta_generator.DeltaGenerator, figure: dict, value: str, *, change: float | None = None,
          spark: list[float] | None = None, help_text: str | None = None) -> None:
    """One key figure; the card title is shortened where dbt's label would be cut off."""
    label = labels.CARD_LABELS.get(figure["figure_id"], figure["label_zh"])
    if label != figure["label_zh"]:
        help_text = figure["label_zh"] + ("。" + help_text if help_text else "")
    delta = None if change is None else (labels.NO_CHANGE if change == 0 else ui.format_delta(change, figure["unit"]))
    with container:
        st.metric(label, value, delta=delta, border=True, help=help_text,
                  delta_color="off" if change == 0 else "normal", delta_arrow="off" if change == 0 else "auto",
                  chart_data=spark if spark and len(spark) > 1 else None, chart_type="area")


def _value_text(value: float | None, unit: str) -> str:
    text = ui.format_value(value, unit)
    return text if unit == "比率" or value is None else f"{text} {unit}"


def _pool_cards(figures: pl.DataFrame, chosen: data.Filters, snapshot: date) -> None:
    meta = {r["figure_id"]: r for r in figures.iter_rows(named=True)}
    series = _pool_series(chosen)
    rows = [labels.OVERVIEW_SECTIONS["pool"][2][i:j] for i, j in ((0, 4), (4, 9), (9, 13))]
    for row in rows:
        columns = st.columns(len(row))
        for column, figure_id in zip(columns, row, strict=False):
            points = series.get(figure_id, [])
            upto = [(d, v) for d, v in points if d <= snapshot]
            value = upto[-1][1] if upto and upto[-1][0] == snapshot else None
            previous = upto[-2][1] if len(upto) > 1 and value is not None else None
            unit = meta[figure_id]["unit"]
            change = value - previous if previous is not None and value is not None else None
            _card(column, meta[figure_id], _value_text(value, unit), change=change,
                  spark=[v for _, v in points], help_text=labels.POOL_CARD_HELP)


def _figure_cards(figures: pl.DataFrame, section: str, per_row: int = 4) -> None:
    meta = {r["figure_id"]: r for r in figures.iter_rows(named=True)}
    ids = [i for i in labels.OVERVIEW_SECTIONS[section][2] if i in meta]
    for start in range(0, len(ids), per_row):
        columns = st.columns(per_row)
        for column, figure_id in zip(columns, ids[start:start + per_row], strict=False):
            row = meta[figure_id]
            _card(column, row, _value_text(row["value"], row["unit"]))


def _funnel(chosen: data.Filters, snapshot: date) -> None:
    row = data.funnel(chosen).row(0, named=True)
    values = [row["in_pool"], row["trained"], row["placed"]]
    fig = charts.funnel(labels.FUNNEL_STAGES, values, title=labels.FUNNEL_TITLE)
    frame = pl.DataFrame({"stage": list(labels.FUNNEL_STAGES), "persons": values})
    ui.chart(fig, frame, name=labels.FUNNEL_TITLE, key="overview_funnel", when=snapshot)
    st.caption(labels.FUNNEL_HELP)


def _pool_size(chosen: data.Filters, snapshot: date) -> None:
    """The pool's size at every snapshot: the three-year trend at a glance; a click picks it."""
    flows = data.pool_flows(chosen)
    dates = [d.isoformat() for d in flows["snapshot_date"]]
    fig = charts.bars(dates, flows["persons"].to_list(), title=labels.POOL_SIZE_TITLE,
                      value_label=labels.FLOW_PERSONS, horizontal=False, highlight=[snapshot.isoformat()], height=320)
    ui.chart(fig, flows.select("snapshot_date", "persons"), name=labels.POOL_SIZE_TITLE, key="overview_pool_size",
             when=snapshot, click_filter=filters.SNAPSHOT)
    st.caption(labels.TREND_CLICK_SNAPSHOT)


def main() -> None:
    chosen = filters.current()
    figures = data.key_figures()
    as_of = data.as_of_date()
    snapshot = chosen.snapshot or as_of
    log = data.refresh_log()
    context = f"{labels.AS_OF}：{as_of.isoformat() if as_of else labels.NOT_AVAILABLE}"
    if not log.is_empty():
        context += f" · {labels.REFRESHED_AT} {log['refreshed_at'][0]:%Y-%m-%d %H:%M}（北京时间）"
    ui.page_header(labels.PAGES["overview"][0], context)

    title, subtitle, _ = labels.OVERVIEW_SECTIONS["pool"]
    st.subheader(f"{title} · {subtitle}", divider="red")
    _pool_cards(figures, chosen, snapshot)
    left, right = st.columns(2, gap="large")
    with left:
        _funnel(chosen, snapshot)
    with right:
        _pool_size(chosen, snapshot)

    for section in ("training", "placement"):
        title, subtitle, _ = labels.OVERVIEW_SECTIONS[section]
        st.subheader(f"{title} · {subtitle}", divider="red")
        if not chosen.is_empty:
            st.caption(labels.CITYWIDE_NOTE.format(as_of=as_of))
        _figure_cards(figures, section, per_row=5 if section == "training" else 4)


main()
