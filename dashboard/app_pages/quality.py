"""数据质量: what the last refresh read, loaded and rejected, and whether dbt's checks passed.

Counts only: the rejected rows themselves stay in the warehouse's landing schema (they hold
names and ID numbers) and are listed by ``cadres rejects`` for the stewards.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, labels, metrics, run_records, ui

METRICS = ()  # counts of the last refresh, not metrics: rows read, loaded, rejected


def _refresh() -> None:
    st.subheader(labels.QUALITY_REFRESH_TITLE)
    log = run_records.refresh_log()
    if log.is_empty():
        st.info(labels.QUALITY_NO_META)
        return
    row = log.row(0, named=True)
    columns = st.columns(4)
    columns[0].metric(labels.COLUMNS["refreshed_at"], f"{row['refreshed_at']:%Y-%m-%d}", border=True,
                      delta=f"{row['refreshed_at']:%H:%M}（北京时间）", delta_color="off", delta_arrow="off")
    columns[1].metric(labels.AS_OF, str(row.get("as_of_date") or labels.NOT_AVAILABLE), border=True)
    columns[2].metric(labels.COLUMNS["term_start"], str(row.get("term_start") or labels.NOT_AVAILABLE), border=True)
    seconds = sum(v or 0 for k, v in row.items() if k.startswith("seconds_"))
    columns[3].metric(labels.QUALITY_SECONDS, f"{seconds:.1f}", border=True,
                      help="读取 {:.1f} 秒，dbt 构建 {:.1f} 秒".format(row.get("seconds_ingest") or 0,
                                                                  row.get("seconds_dbt") or 0))


def _files(when: object) -> None:
    files = run_records.ingest_files()
    if files.is_empty():
        st.info(labels.NO_DATA)
        return
    per_file = (files.group_by("file").agg(pl.col("rows_read", "rows_loaded", "rows_rejected").sum())
                .sort("rows_rejected", "file", descending=[True, False]))
    rejected = per_file.filter(pl.col("rows_rejected") > 0)
    totals = files.select(pl.col("rows_read", "rows_loaded", "rows_rejected").sum()).row(0)
    columns = st.columns(4)
    for column, label, value in zip(columns, ("读取", labels.QUALITY_LOADED, labels.QUALITY_REJECTED), totals,
                                    strict=False):
        column.metric(f"{label}（行）", f"{value:,}", border=True)
    columns[3].metric("文件 / 工作表", f"{per_file.height} / {files.height}", border=True)
    left, right = st.columns([2, 3], gap="large")
    with left:
        if rejected.is_empty():
            st.success("所有文件的行都已导入。")
        else:
            fig = charts.bars(rejected["file"].to_list(), rejected["rows_rejected"].to_list(),
                              title=labels.QUALITY_REJECTED_TITLE, value_label=labels.COLUMNS["rows_rejected"])
            ui.chart(fig, rejected, name=labels.QUALITY_REJECTED_TITLE, key="quality_rejected", when=when)
    with right:
        st.markdown(f"**{labels.QUALITY_FILES_TITLE}**")
        ui.table(files, name=labels.QUALITY_FILES_TITLE, key="quality_files", when=when, max_rows=12)


def _reasons(when: object) -> None:
    st.subheader(labels.QUALITY_REASONS_TITLE)
    reasons = run_records.ingest_reasons()
    if reasons.is_empty():
        st.success("没有拒收行，也没有提示。")
        return
    ui.table(reasons, name=labels.QUALITY_REASONS_TITLE, key="quality_reasons", when=when, max_rows=20,
             column_config={labels.COLUMNS["reason"]: st.column_config.TextColumn(width="large")})
    st.caption("拒收行的原文可用命令 `cadres rejects` 查看（含个人信息，仅限数据管理员）。")


def _tests(when: object) -> None:
    st.subheader(labels.QUALITY_TESTS_TITLE)
    summary = run_records.dbt_summary()
    if summary.is_empty():
        st.info(labels.QUALITY_NO_META)
        return
    tests = summary.filter(pl.col("resource_type").is_in(["test", "unit_test"]))
    by_status = dict(tests.group_by("status").agg(pl.col("count").sum()).iter_rows())
    columns = st.columns(3)
    columns[0].metric(labels.STATUS_NAMES["pass"], f"{by_status.get('pass', 0):,} 项", border=True)
    columns[1].metric(labels.STATUS_NAMES["warn"], f"{by_status.get('warn', 0):,} 项", border=True)
    failed = sum(v for k, v in by_status.items() if k in ("fail", "error", "runtime error"))
    columns[2].metric(labels.STATUS_NAMES["fail"], f"{failed:,} 项", border=True)
    problems = run_records.dbt_problems()
    if problems.is_empty():
        st.success(labels.QUALITY_TESTS_OK)
    else:
        shown = problems.with_columns(
            resource_type=pl.col("resource_type").replace(labels.RESOURCE_NAMES),
            status=pl.col("status").replace(labels.STATUS_NAMES))
        ui.table(shown, name=labels.QUALITY_TESTS_TITLE, key="quality_tests", when=when)
    nodes = summary.with_columns(resource_type=pl.col("resource_type").replace(labels.RESOURCE_NAMES),
                                 status=pl.col("status").replace(labels.STATUS_NAMES))
    with st.expander("全部 dbt 节点统计"):
        ui.table(nodes, name="dbt节点统计", key="quality_nodes", when=when)


def main() -> None:
    when = metrics.latest()
    ui.page_header(labels.PAGES["quality"][0], labels.QUALITY_FILTER_NOTE, snapshot=when)
    _refresh()
    _files(when)
    _reasons(when)
    _tests(when)


main()
