"""人员名单: the people behind a figure, for 分析员 and 数据管理员 only.

Pick a metric (any count of the metric layer whose rows are people's: a person count, or a
count of posts or classes, whose people are listed) and, optionally, values of one of its
dimensions; the sidebar's scope applies as everywhere. A click on a chart's bar or a card's
link elsewhere opens this page with the bar's every condition filled in: the metric, one
``people_where=维度:取值`` per condition (labels a reader understands: 是/否 for a flag) and,
for a bar at another snapshot, ``people_snapshot=2017-12-31`` (:mod:`dashboard.drill`). The
older form ``?people_metric=在库人数&people_dim=民族&people_values=彝族`` still opens the same
list. Every parameter is checked first (:mod:`dashboard.addresses`): an unknown value is refused
in Chinese, never ignored. Who is listed is the metric grouped by the ``person`` entity
(``warehouse.personal.people``): the same rule as the figure, so for a person count the list's
length is the bar's number. Names come from the restricted store, ID numbers masked to the
first 6 and last 4 characters. Every view and every download is written to the audit log (who,
when, what was listed, row count).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import polars as pl
import streamlit as st

from dashboard import access, addresses, connection, drill, filters, labels, metrics, orders, ui
from warehouse.accounts import audit
from warehouse.errors import RefreshError
from warehouse.personal.people import listable, people_behind
from warehouse.semantic.query import Scope

METRICS = ()  # any count with people behind it, chosen by the user
NONE = ""
TITLE = labels.PAGES["people"][0]
CAPTION = "所列人员即所选指标在当前范围内计入的人；证件号码只显示前 6 位和后 4 位。查看和下载均记入审计日志。"


def _scope(sidebar: Scope) -> Scope:
    """The sidebar's scope, at the snapshot a link names (a trend's bar at another snapshot)."""
    scope = metrics.at_snapshot(sidebar)
    snapshots = [d.isoformat() for d in metrics.options().snapshots]
    addresses.refuse_unknown_values({drill.SNAPSHOT_PARAM: snapshots})
    asked = st.query_params.get(drill.SNAPSHOT_PARAM)
    return dataclasses.replace(scope, snapshot=date.fromisoformat(asked)) if asked else scope


def _values(metric: str, dimension: str, scope: Scope) -> dict[str, str]:
    """The values ``metric`` has for ``dimension`` at ``scope``: as a reader sees them → as stored."""
    frame = metrics.query([metric], [dimension], scope).frame
    present = frame[dimension].drop_nulls().unique().cast(pl.String)
    return {drill.reader_value(v): v for v in orders.ordered(present, dimension)}


def _conditions(metric: str, dimensions: dict[str, str], scope: Scope) -> dict[str, list[str]]:
    """The link's ``people_where`` conditions, dimension → stored values; a dimension the metric
    lacks or a value it does not have stops the page with the allowed ones."""
    asked = [drill.parse_condition(item) for item in st.query_params.get_all(drill.WHERE_PARAM)]
    if not asked:
        return {}
    by_label = {label: name for name, label in dimensions.items()}
    known = {label: _values(metric, by_label[label], scope) for label in dict.fromkeys(a for a, _ in asked)
             if label in by_label}
    allowed = [drill.condition(label, v) for label, values in known.items() for v in values]
    addresses.refuse_unknown_values({drill.WHERE_PARAM: allowed or [drill.condition(d, "") for d in by_label]})
    where: dict[str, list[str]] = {}
    for label, value in asked:
        where.setdefault(by_label[label], []).append(known[label][value])
    return where


def _forget_link() -> None:
    """Widget callback: another metric, or 清除条件, drops the link's conditions and snapshot."""
    for key in (drill.WHERE_PARAM, drill.SNAPSHOT_PARAM):
        if key in st.query_params:
            del st.query_params[key]


def _describe(metric_label: str, scope: Scope, where: dict[str, list[str]]) -> str:
    """What is listed, in one Chinese line: metric; scope; snapshot; every condition."""
    catalog = metrics.catalog()
    parts = [metric_label, filters.describe(Scope(scope.regions, scope.sectors, scope.lists)) or labels.WHOLE_CITY,
             f"{labels.AS_OF}：{scope.snapshot.isoformat() if scope.snapshot else labels.NOT_AVAILABLE}"]
    parts += [f"{catalog.dimension(d).label}：{'、'.join(drill.reader_value(v) for v in values)}"
              for d, values in where.items()]
    return "；".join(parts)


def main() -> None:
    visibility = access.current()
    if not visibility.sees_persons:  # also reached by typing the page's address
        st.error("人员名单仅对分析员和数据管理员开放。", icon=":material/lock:")
        st.stop()
    scope = _scope(filters.current())
    ui.page_header(TITLE, CAPTION, snapshot=scope.snapshot)
    catalog = metrics.catalog()
    names = listable(catalog)
    addresses.refuse_unknown_values({drill.METRIC_PARAM: [catalog.metric(n).label for n in names]})
    left, middle, right = st.columns([2, 1, 2])
    with left:
        metric = st.selectbox("指标", names, key=drill.METRIC_PARAM, bind="query-params",
                              index=names.index("pool_total") if "pool_total" in names else 0,
                              format_func=lambda n: catalog.metric(n).label, on_change=_forget_link)
    dimensions = {d.name: d.label for d in catalog.dimensions_for([metric])}
    where = _conditions(metric, dimensions, scope)
    addresses.refuse_unknown_values({"people_dim": list(dimensions.values())})
    with middle:
        dimension = st.selectbox("再按", [NONE, *dimensions], key="people_dim", bind="query-params",
                                 format_func=lambda d: dimensions.get(d, "（不限）"))
    if dimension:
        values = _values(metric, dimension, scope)
        addresses.refuse_unknown_values({"people_values": list(values)})
        with right:
            picked = st.multiselect("取值", list(values), key="people_values", bind="query-params",
                                    placeholder=labels.FILTER_ALL)
        if picked:  # narrows the link's condition on the same dimension, never widens it
            chosen = [values[v] for v in picked]
            where[dimension] = [v for v in where.get(dimension, chosen) if v in chosen]
    elif "people_values" in st.query_params:
        addresses.refuse_unknown_values({"people_values": []})  # a value without its dimension
    try:
        people = people_behind(metrics.reader(), connection.warehouse_path(), metric, scope, where or None)
    except RefreshError as error:
        st.error(str(error).split("：", 1)[0] + "。请数据管理员运行 cadres refresh。", icon=":material/database_off:")
        st.stop()
    chosen_metric = catalog.metric(metric)
    what = _describe(chosen_metric.label, scope, where)
    shown_key = ("people_logged", what, people.height)
    if st.session_state.get("people_last_logged") != shown_key:  # once per view, not once per rerun
        audit.record("person_view", visibility.who, what, rows=people.height)
        st.session_state["people_last_logged"] = shown_key
    with st.container(border=True):
        st.markdown(f"**{labels.PEOPLE_LISTING}**　{what}")
        if chosen_metric.unit != "人":
            st.caption(labels.PEOPLE_NOT_A_HEAD_COUNT.format(metric=chosen_metric.label, unit=chosen_metric.unit))
        if drill.WHERE_PARAM in st.query_params or drill.SNAPSHOT_PARAM in st.query_params:
            st.button(labels.PEOPLE_CLEAR_LINK, on_click=_forget_link, type="tertiary",
                      icon=":material/filter_alt_off:")
    st.metric("人数", f"{people.height:,} 人", border=True)
    st.dataframe(people, hide_index=True, width="stretch", height=38 + 35 * max(1, min(people.height, 15)))
    st.download_button(labels.DOWNLOAD_CSV, data=ui.csv_bytes(people, f"{TITLE}（{what}）"),
                       file_name=ui.file_stem(f"{TITLE}_{chosen_metric.label}", scope.snapshot) + ".csv",
                       mime="text/csv", key="people_csv", type="tertiary", icon=":material/download:",
                       on_click=audit.record, args=("download", visibility.who, what),
                       kwargs={"rows": people.height, "detail": TITLE})


main()
