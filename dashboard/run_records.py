"""What the last refresh recorded (数据质量): files read, rows rejected, dbt's checks.

Counts and reasons only, from ``mart_ingest_quality`` and schema ``meta``; the rejected rows
themselves stay out of the dashboard (they hold names and ID numbers).
"""

from __future__ import annotations

import polars as pl

from dashboard.connection import query, table_exists


def refresh_log() -> pl.DataFrame:
    """The one row of ``meta.refresh_log``, empty when the file was not published by a refresh."""
    if not table_exists("meta", "refresh_log"):
        return pl.DataFrame()
    # refreshed_at is stored in UTC; leaders read Beijing time (UTC+8, no daylight saving).
    return query("select * replace (refreshed_at + interval 8 hour as refreshed_at) "
                 "from meta.refresh_log order by refreshed_at desc limit 1")


def ingest_files() -> pl.DataFrame:
    """Per file and sheet: rows read, loaded and rejected in the last refresh."""
    return query("""
select file, sheet, table_name, any_value(snapshot_date) as snapshot_date,
    any_value(rows_read) as rows_read, any_value(rows_loaded) as rows_loaded,
    any_value(rows_rejected) as rows_rejected
from main.mart_ingest_quality
where table_name is not null
group by file, sheet, table_name
order by table_name, file, sheet
""")


def ingest_reasons() -> pl.DataFrame:
    """Rejection reasons and warnings with their row counts (counts only, never the rows)."""
    return query("""
select file, sheet, issue_kind, reason, sum(reason_rows)::bigint as reason_rows
from main.mart_ingest_quality
where reason is not null
group by all
order by issue_kind, reason_rows desc, file
""")


def dbt_summary() -> pl.DataFrame:
    """Resource type × status: how many dbt nodes, empty when there is no run record."""
    if not table_exists("meta", "dbt_results"):
        return pl.DataFrame()
    return query("select resource_type, status, count(*) as count from meta.dbt_results group by all order by all")


def dbt_problems() -> pl.DataFrame:
    """dbt nodes that did not simply pass: warnings and failures with their message."""
    if not table_exists("meta", "dbt_results"):
        return pl.DataFrame()
    return query("""
select resource_type, name, status, failures, message
from meta.dbt_results
where status not in ('pass', 'success')
order by status, name
""")
