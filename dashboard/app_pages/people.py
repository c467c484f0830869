"""人员名单: the people behind a figure, for 分析员 and 数据管理员 only.

Pick a metric (any person count of the metric layer) and, optionally, one value of one of its
dimensions; the sidebar's scope applies as everywhere. A click on a chart's bar or a card's link
elsewhere opens this page with them filled in (``?people_metric=在库人数&people_dim=民族&
people_values=彝族``: the labels the widgets show, checked by :mod:`dashboard.addresses`).
Who is listed is the metric grouped by the ``person`` entity (``warehouse.personal.people``): the
same rule as the figure. Names come from the restricted store, ID numbers masked to the first 6
and last 4 characters. Every view and every download is written to the audit log (who, when,
scope, row count).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access, addresses, connection, filters, labels, metrics, orders, ui
from warehouse.accounts import audit
from warehouse.errors import RefreshError
from warehouse.personal.people import people_behind

METRICS = ()  # any person count of the semantic layer, chosen by the user
NONE = ""
TITLE = labels.PAGES["people"][0]
CAPTION = "所列人员即所选指标在当前范围内计入的人；证件号码只显示前 6 位和后 4 位。查看和下载均记入审计日志。"


def _scope_label(metric_label: str, dimension_label: str | None, values: list[str]) -> str:
    where = filters.describe(filters.current()) or "全市"
    picked = f"；{dimension_label}：{'、'.join(values)}" if dimension_label and values else ""
    return f"{metric_label}；{where}{picked}"


def main() -> None:
    visibility = access.current()
    if not visibility.sees_persons:  # also reached by typing the page's address
        st.error("人员名单仅对分析员和数据管理员开放。", icon=":material/lock:")
        st.stop()
    scope = metrics.at_snapshot(filters.current())
    ui.page_header(TITLE, CAPTION, snapshot=scope.snapshot)
    catalog = metrics.catalog()
    counts = sorted((m for m in catalog.metrics.values() if m.unit == "人"), key=lambda m: (m.models, m.label))
    names = [m.name for m in counts]
    # a link from a chart or a card (ui.people_link) fills these in; each value is checked first
    addresses.refuse_unknown_values({"people_metric": [catalog.metric(n).label for n in names]})
    left, middle, right = st.columns([2, 1, 2])
    with left:
        metric = st.selectbox("指标", names, key="people_metric", bind="query-params",
                              index=names.index("pool_total") if "pool_total" in names else 0,
                              format_func=lambda n: catalog.metric(n).label)
    dimensions = {d.name: d.label for d in catalog.dimensions_for([metric])}
    addresses.refuse_unknown_values({"people_dim": list(dimensions.values())})
    with middle:
        dimension = st.selectbox("再按", [NONE, *dimensions], key="people_dim", bind="query-params",
                                 format_func=lambda d: dimensions.get(d, "（不限）"))
    picked: list[str] = []
    if dimension:
        values = metrics.query([metric], [dimension], scope).frame[dimension].cast(pl.String)
        allowed = orders.ordered(values.drop_nulls().unique(), dimension)
        addresses.refuse_unknown_values({"people_values": allowed})
        with right:
            picked = st.multiselect("取值", allowed, key="people_values", bind="query-params",
                                    placeholder=labels.FILTER_ALL)
    elif "people_values" in st.query_params:
        addresses.refuse_unknown_values({"people_values": []})  # a value without its dimension
    try:
        people = people_behind(metrics.reader(), connection.warehouse_path(), metric, scope,
                               {dimension: picked} if dimension and picked else None)
    except RefreshError as error:
        st.error(str(error).split("：", 1)[0] + "。请数据管理员运行 cadres refresh。", icon=":material/database_off:")
        st.stop()
    where = _scope_label(catalog.metric(metric).label, dimensions.get(dimension), picked)
    shown_key = ("people_logged", where, people.height)
    if st.session_state.get("people_last_logged") != shown_key:  # once per view, not once per rerun
        audit.record("person_view", visibility.who, where, rows=people.height)
        st.session_state["people_last_logged"] = shown_key
    st.metric("人数", f"{people.height:,} 人", border=True)
    st.dataframe(people, hide_index=True, width="stretch", height=38 + 35 * max(1, min(people.height, 15)))
    st.download_button(labels.DOWNLOAD_CSV, data=ui.csv_bytes(people),
                       file_name=ui.file_stem(f"{TITLE}_{catalog.metric(metric).label}", scope.snapshot) + ".csv",
                       mime="text/csv", key="people_csv", type="tertiary", icon=":material/download:",
                       on_click=audit.record, args=("download", visibility.who, where),
                       kwargs={"rows": people.height, "detail": TITLE})


main()
