"""数据质量: what the last refresh read, loaded and rejected, and whether dbt's checks passed.

Counts for everyone. The rejected rows themselves (they hold names and ID numbers) are only in
the restricted store: 数据管理员 can list them here (ID numbers masked, the view audited) and in
full with ``cadres rejects`` on the server.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access, charts, connection, labels, metrics, run_records, ui
from warehouse import contract
from warehouse.accounts import audit
from warehouse.errors import RefreshError
from warehouse.personal.mask import mask_id_like
from warehouse.rejects import REJECT_HEADERS, read_rejects

METRICS = ()  # counts of the last refresh, not metrics: rows read, loaded, rejected
TABLE_TITLES = {t.name: t.title for t in (contract.TALENT_POOL, *(t for _, t in contract.SINGLE_FILE_TABLES))}


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
                      help=labels.QUALITY_SECONDS_HELP.format(row.get("seconds_ingest") or 0,
                                                                  row.get("seconds_dbt") or 0))


def _readable(frame: pl.DataFrame) -> pl.DataFrame:
    """The contract's Chinese name for each landing table, and no sheet for a CSV (the sheet
    column of a CSV holds its file name again)."""
    if "table_name" in frame.columns:
        frame = frame.with_columns(pl.col("table_name").replace(TABLE_TITLES))
    if "sheet" in frame.columns:
        frame = frame.with_columns(pl.when(pl.col("file").str.to_lowercase().str.ends_with(".csv")).then(None)
                                   .otherwise(pl.col("sheet")).alias("sheet"))
    return frame


def _files(when: object) -> None:
    files = _readable(run_records.ingest_files())
    if files.is_empty():
        st.info(labels.NO_DATA)
        return
    per_file = (files.group_by("file").agg(pl.col("rows_read", "rows_loaded", "rows_rejected").sum())
                .sort("rows_rejected", "file", descending=[True, False]))
    rejected = per_file.filter(pl.col("rows_rejected") > 0)
    totals = files.select(pl.col("rows_read", "rows_loaded", "rows_rejected").sum()).row(0)
    columns = st.columns(4)
    for column, label, value in zip(columns, (labels.QUALITY_READ, labels.QUALITY_LOADED, labels.QUALITY_REJECTED),
                                    totals, strict=False):
        column.metric(labels.QUALITY_ROWS.format(label=label), f"{value:,}", border=True)
    columns[3].metric(labels.QUALITY_FILES_SHEETS, f"{per_file.height} / {files.height}", border=True)
    if rejected.is_empty():
        st.success(labels.QUALITY_ALL_LOADED)
    else:
        fig = charts.bars(rejected["file"].to_list(), rejected["rows_rejected"].to_list(),
                          title=labels.QUALITY_REJECTED_TITLE, value_label=labels.COLUMNS["rows_rejected"])
        ui.chart(fig, rejected, name=labels.QUALITY_REJECTED_TITLE, key="quality_rejected", when=when,
                 scope=labels.QUALITY_SCOPE)
    # the whole width: its seven columns did not fit beside the chart at 1440 px
    st.markdown(f"**{labels.QUALITY_FILES_TITLE}**")
    ui.table(files, name=labels.QUALITY_FILES_TITLE, key="quality_files", when=when, max_rows=12,
             scope=labels.QUALITY_SCOPE)


def _reasons(when: object) -> None:
    st.subheader(labels.QUALITY_REASONS_TITLE)
    reasons = _readable(run_records.ingest_reasons())
    if reasons.is_empty():
        st.success(labels.QUALITY_NO_REASONS)
        return
    ui.table(reasons, name=labels.QUALITY_REASONS_TITLE, key="quality_reasons", when=when, max_rows=20,
             scope=labels.QUALITY_SCOPE,
             column_config={labels.COLUMNS["reason"]: st.column_config.TextColumn(width="large")})
    if access.current().stewards:
        _rejected_rows(when)
    else:
        st.caption(labels.QUALITY_REJECTS_NOTE)


def _rejected_rows(when: object) -> None:
    """The rejected rows with their values, for stewards: IDs masked, every view audited."""
    if not st.toggle(labels.QUALITY_REJECTS_TOGGLE, key="quality_show_rejects"):
        st.caption(labels.QUALITY_REJECTS_NOTE)
        return
    try:
        rows = read_rejects(connection.warehouse_path())
    except RefreshError as error:
        st.error(str(error).split("：", 1)[0] + "。", icon=":material/database_off:")
        return
    frame = pl.DataFrame(rows, schema=list(REJECT_HEADERS), orient="row").with_columns(
        pl.col("值", "原因").map_elements(mask_id_like, return_dtype=pl.String))
    if st.session_state.get("quality_rejects_logged") != frame.height:
        audit.record("person_view", access.current().who, "数据质量·拒收行", rows=frame.height)
        st.session_state["quality_rejects_logged"] = frame.height
    st.dataframe(frame, hide_index=True, width="stretch", height=38 + 35 * max(1, min(frame.height, 20)))
    st.download_button(labels.DOWNLOAD_CSV, data=ui.csv_bytes(frame), file_name=ui.file_stem("拒收行", when) + ".csv",
                       mime="text/csv", key="quality_reject_rows_csv", type="tertiary", icon=":material/download:",
                       on_click=audit.record, args=("download", access.current().who, "数据质量·拒收行"),
                       kwargs={"rows": frame.height, "detail": "拒收行"})


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
        ui.table(shown, name=labels.QUALITY_TESTS_TITLE, key="quality_tests", when=when, scope=labels.QUALITY_SCOPE)
    nodes = summary.with_columns(resource_type=pl.col("resource_type").replace(labels.RESOURCE_NAMES),
                                 status=pl.col("status").replace(labels.STATUS_NAMES))
    with st.expander(labels.QUALITY_NODES_TITLE):
        ui.table(nodes, name=labels.QUALITY_NODES_TITLE, key="quality_nodes", when=when, scope=labels.QUALITY_SCOPE)


def main() -> None:
    when = metrics.latest()
    ui.page_header(labels.PAGES["quality"][0], labels.QUALITY_FILTER_NOTE, snapshot=when)
    _refresh()
    _files(when)
    _reasons(when)
    _tests(when)


main()
