"""Rendering helpers shared by the pages: a chart with its downloads, tables, headers.

Every chart goes through :func:`chart`, so every chart gets the same things without each page
repeating them: a PNG download with a Chinese file name from Plotly's own modebar, a CSV
download of exactly the numbers drawn (UTF-8 with BOM, so Excel opens the Chinese correctly),
Chinese column headers, and optional click-to-filter.
"""

from __future__ import annotations

import re
import zlib
from datetime import date

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import access, connection, filters, labels, metrics
from warehouse.safety import neutralise_frame
from warehouse.semantic.query import Scope

_UNSAFE = re.compile(r'[\\/:*?"<>|]+')
BOM = "\ufeff"


def file_stem(name: str, when: date | None = None) -> str:
    """A Chinese file name without characters that Windows or a browser would refuse."""
    stem = _UNSAFE.sub("_", re.sub(r"\s+", "", name)).strip("_")
    return f"{stem}_{when.isoformat()}" if when else stem


def display_value(value: object) -> str:
    """A dimension value as a leader reads it: 是/否 for flags, 未填写 for a blank."""
    if value is None:
        return labels.NOT_FILLED
    return {"true": "是", "false": "否", "True": "是", "False": "否"}.get(str(value), str(value))


def header(column: str) -> str:
    """A column's Chinese header: labels.COLUMNS, else the metric's or dimension's dbt label."""
    if column in labels.COLUMNS:
        return labels.COLUMNS[column]
    try:
        return metrics.label(column)
    except (KeyError, connection.WarehouseMissing):
        return column


def chinese_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Chinese column headers and 是/否 for booleans (also "true"/"false" dimension values), for
    tables and downloads."""
    flags = [c for c, t in frame.schema.items() if t == pl.Boolean]
    if flags:
        frame = frame.with_columns(pl.when(pl.col(c)).then(pl.lit("是")).otherwise(pl.lit("否")).alias(c)
                                   for c in flags)
    texts = [c for c, t in frame.schema.items() if t == pl.String]
    if texts:
        frame = frame.with_columns(pl.col(c).replace({"true": "是", "false": "否"}) for c in texts)
    return frame.rename({c: header(c) for c in frame.columns})


def mark_hidden(frame: pl.DataFrame) -> pl.DataFrame:
    """In a session that suppresses small counts, a hidden (null) count reads "<5" in tables and
    downloads, never a blank that looks like 0 or missing data."""
    visibility = access.current()
    if not visibility.suppresses:
        return frame
    numbers = [c for c, t in frame.schema.items() if t.is_numeric() and frame[c].null_count()]
    return frame.with_columns(pl.col(c).cast(pl.String).fill_null(visibility.hidden_text) for c in numbers)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark: Excel on a Chinese Windows PC reads it as UTF-8."""
    return (BOM + neutralise_frame(chinese_columns(mark_hidden(frame))).write_csv()).encode("utf-8")


def plotly_config(name: str, when: date | None) -> dict[str, object]:
    """Modebar: PNG download with a Chinese file name, no Plotly logo, no lasso tools."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem(name, when), "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    }


def chart(fig: go.Figure, frame: pl.DataFrame, *, name: str, key: str, when: date | None = None,
          click_filter: str | None = None, click_field: str = "customdata") -> None:
    """Draw ``fig`` with a CSV of ``frame`` under it; a click filters by ``click_filter``."""
    if click_filter:
        st.plotly_chart(fig, key=key, config=plotly_config(name, when), selection_mode="points",
                        on_select=filters.on_click(key, click_filter, click_field))
    else:
        st.plotly_chart(fig, key=key, config=plotly_config(name, when))
    st.download_button(labels.DOWNLOAD_CSV, data=csv_bytes(frame), file_name=file_stem(name, when) + ".csv",
                       mime="text/csv", key=f"{key}_csv", on_click="ignore", type="tertiary",
                       icon=":material/download:")


def table(frame: pl.DataFrame, *, name: str, key: str, when: date | None = None,
          column_config: dict[str, object] | None = None, max_rows: int = 15) -> None:
    """A read-only table with Chinese headers and its CSV download; tall enough for
    ``max_rows`` rows without an inner scrollbar."""
    shown = chinese_columns(mark_hidden(frame)).with_columns(pl.col(pl.String).fill_null(labels.NOT_AVAILABLE))
    config: dict[str, object] = {labels.COLUMNS.get(c, c): st.column_config.DateColumn(format="YYYY-MM-DD")
                                 for c, t in frame.schema.items() if t == pl.Date}
    config |= column_config or {}
    height = 38 + 35 * max(1, min(frame.height, max_rows))
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, height=height)
    st.download_button(labels.DOWNLOAD_CSV, data=csv_bytes(frame), file_name=file_stem(name, when) + ".csv",
                       mime="text/csv", key=f"{key}_csv", on_click="ignore", type="tertiary",
                       icon=":material/download:")


def page_header(title: str, caption: str | None = None, *, snapshot: date | None = None) -> None:
    """Page title and one line of context: the snapshot actually shown, then the active filters."""
    st.title(title)
    chosen = filters.current()
    active = filters.describe(Scope(chosen.regions, chosen.sectors, chosen.lists))
    lines = [f"{labels.AS_OF}：{snapshot.isoformat()}"] if snapshot else []
    lines += [caption] if caption else []
    if active:
        lines.append(f"{labels.FILTER_ACTIVE}{active}")
    if lines:
        st.caption(" · ".join(lines))


def key_chart_suffix(*parts: object) -> str:
    """A widget-key suffix that changes with the view, so a stale selection never lingers."""
    return f"_{zlib.crc32('|'.join(str(p) for p in parts).encode('utf-8')):08x}"


def format_value(value: float | None, unit: str) -> str:
    """A figure as a leader reads it: counts with separators, ratios as percentages."""
    if value is None:
        return labels.NOT_AVAILABLE
    if unit == "比率":
        return f"{value:.1%}"
    return f"{round(value):,}"


def cell_text(value: float | None, unit: str) -> str:
    """A cell of a breakdown: "<5" where this session's suppression hid the count (None)."""
    return access.hidden(value) or format_value(value, unit)


def value_text(value: float | None, unit: str) -> str:
    """A figure with its unit (ratios as percentages carry none)."""
    text = format_value(value, unit)
    return text if unit == "比率" or value is None else f"{text} {unit}"


def year_label(year: int, snapshot: date | None) -> str:
    """A year on a year axis; the snapshot's own year, still in progress (dbt's
    ``dim_snapshot.is_year_in_progress``), says so."""
    if snapshot is not None and year == snapshot.year and metrics.reader().snapshot_info(snapshot).year_in_progress:
        return labels.PARTIAL_YEAR.format(year=year, month=snapshot.month, day=snapshot.day)
    return str(year)


def format_delta(change: float | None, unit: str) -> str | None:
    if change is None:
        return None
    if unit == "比率":
        return f"{change * 100:+.1f} {labels.PERCENT_POINTS}"
    return f"{round(change):+,}"
