"""Rendering helpers shared by the pages: a chart with its downloads, tables, headers.

Every chart goes through :func:`chart`, so every chart gets the same things without each page
repeating them: a PNG download with a Chinese file name from Plotly's own modebar, a CSV
download of exactly the numbers drawn (UTF-8 with BOM, so Excel opens the Chinese correctly),
Chinese column headers, and optional click-to-filter.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import access, connection, drill, filters, labels, metrics
from dashboard.drill import Drill, Target
from warehouse.safety import neutralise_frame
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import Figure

SUBTITLE_SPACE = 18
IMAGE_WIDTH = 1100  # px of a chart image saved from the toolbar (twice that at scale 2)
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')
BOM = "\ufeff"


def file_stem(name: str, when: date | None = None) -> str:
    """A Chinese file name without characters that Windows or a browser would refuse."""
    stem = _UNSAFE.sub("_", re.sub(r"\s+", "", name)).strip("_")
    return f"{stem}_{when.isoformat()}" if when else stem


def display_value(value: object) -> str:
    """A dimension value as a leader reads it: 是/否 for flags, 未填写 for a blank."""
    return labels.NOT_FILLED if value is None else drill.reader_value(value)


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
        frame = frame.with_columns(pl.when(pl.col(c)).then(pl.lit("是")).when(~pl.col(c)).then(pl.lit("否"))
                                   .otherwise(None).alias(c) for c in flags)
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


def without_blanks(frame: pl.DataFrame) -> pl.DataFrame:
    """"—" for every blank cell of a table on screen (Streamlit draws a missing value as "None").

    A number or date column with a blank becomes text (numbers with separators, dates as
    YYYY-MM-DD); a column without blanks keeps its type, so it still sorts as numbers.
    """
    def as_text(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name)
        if dtype.is_integer():
            text = column.map_elements(lambda v: f"{v:,}", return_dtype=pl.String)
        elif dtype.is_float():
            text = column.map_elements(lambda v: f"{v:,.4g}", return_dtype=pl.String)
        else:
            text = column.cast(pl.String)
        return text.fill_null(labels.NOT_AVAILABLE).alias(name)

    return frame.with_columns(as_text(c, t) for c, t in frame.schema.items()
                              if t == pl.String or frame[c].has_nulls())


def csv_bytes(frame: pl.DataFrame, heading: str | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark: Excel on a Chinese Windows PC reads it as UTF-8.

    ``heading`` (title, scope and date) is the first line, as on a printed table, so a file
    forwarded by e-mail still says what it is; the column headers follow on the second line.
    """
    first = '"' + heading.replace('"', '""') + '"\n' if heading else ""
    return (BOM + first + neutralise_frame(chinese_columns(mark_hidden(frame))).write_csv()).encode("utf-8")


def scope_text(when: date | None, scope: str | None = None) -> str:
    """The scope and date of what is drawn, for chart subtitles and download headings:
    ``范围：全市 · 统计截止日期：2018-04-30``; ``when`` None: a chart over every snapshot.
    ``scope`` names it on a page the filters do not narrow."""
    chosen = filters.current()
    active = scope or filters.describe(Scope(chosen.regions, chosen.sectors, chosen.lists))
    latest = metrics.latest()
    parts = [f"{labels.SCOPE}：{active or labels.WHOLE_CITY}"]
    if when is not None:
        parts.append(f"{labels.AS_OF}：{when.isoformat()}")
    elif latest is not None:  # a chart over every snapshot
        parts.append(labels.EVERY_SNAPSHOT.format(date=latest.isoformat()))
    return " · ".join(parts)


def download_heading(name: str, when: date | None, scope: str | None = None) -> str:
    return f"{name}（{scope_text(when, scope)}）"


def stamp(fig: go.Figure, when: date | None, scope: str | None = None) -> go.Figure:
    """Scope and date under the figure's title, so a PNG saved from the toolbar says them."""
    layout = fig.layout
    fig.update_layout(title_subtitle_text=scope_text(when, scope), title_subtitle_font_size=12,
                      margin_t=(layout.margin.t or 56) + SUBTITLE_SPACE,
                      height=(layout.height or 400) + SUBTITLE_SPACE)
    return fig


def plotly_config(name: str, when: date | None) -> dict[str, object]:
    """Modebar: PNG download with a Chinese file name, no Plotly logo, no lasso tools, Plotly's
    words in Chinese (:data:`labels.PLOTLY_WORDS`). The image is
    drawn 1100 px wide whatever the screen (its height is the chart's), so one saved on a phone
    has room for its whole title, scope and date."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_stem(name, when), "scale": 2,
                                 "width": IMAGE_WIDTH},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": labels.PLOTLY_WORDS}},
    }


def chart(fig: go.Figure, frame: pl.DataFrame, *, name: str, key: str, when: date | None = None,
          click_filter: str | None = None, click_field: str = "customdata", scope: str | None = None,
          people: Drill | None = None) -> None:
    """Draw ``fig`` (its title stamped with scope and date) with a CSV of ``frame`` under it; a
    click filters by ``click_filter``. ``scope``: see :func:`scope_text`. ``people`` (what the
    bars are, :class:`dashboard.drill.Drill`): for a session that may list people, a click on a
    bar also offers the 人员名单 of exactly that bar."""
    stamp(fig, when, scope)
    offered = people if people and access.current().sees_persons else None
    if click_filter or offered:
        st.plotly_chart(fig, key=key, config=plotly_config(name, when), selection_mode="points",
                        on_select=filters.on_click(key, click_filter, click_field, offered))
    else:
        st.plotly_chart(fig, key=key, config=plotly_config(name, when))
    clicked = st.session_state.get(filters.DRILL)
    if offered and clicked and _same_chart(clicked[0], key, bool(click_filter)) and isinstance(clicked[1], Target):
        target = clicked[1]
        people_link(target.metric, dict(target.where), snapshot=target.snapshot)
    elif offered:
        st.caption(labels.PEOPLE_CLICK_HINT)
    st.download_button(labels.DOWNLOAD_CSV, data=csv_bytes(frame, download_heading(name, when, scope)),
                       file_name=file_stem(name, when) + ".csv",
                       mime="text/csv", key=f"{key}_csv", on_click="ignore", type="tertiary",
                       icon=":material/download:")


PEOPLE_PAGE = Path(__file__).resolve().parent / "app_pages" / "people.py"


def _same_chart(clicked: str, key: str, filters_on_click: bool) -> bool:
    """Whether the remembered click was on this chart in this view. A chart whose click also
    filters (a region, a snapshot) changes its view key by that very click; its link stays."""
    if filters_on_click:
        return _VIEW_SUFFIX.sub("", clicked) == _VIEW_SUFFIX.sub("", key)
    return clicked == key


def people_link(metric: str, where: Mapping[str, Sequence[str]] | None = None, *, snapshot: date | None = None,
                label: str | None = None) -> None:
    """A link to 人员名单 listing who ``metric`` counts where each dimension of ``where`` is one
    of its values, at ``snapshot`` (None: the sidebar's), in the sidebar's scope; drawn only for
    sessions that may list people (the page refuses others even by address). The parameters are
    labels a reader understands (``people_where=培训类型:递进培训``), checked there by
    :mod:`dashboard.addresses`."""
    if not access.current().sees_persons:
        return
    catalog = metrics.catalog()
    params: dict[str, str | list[str]] = {drill.METRIC_PARAM: catalog.metric(metric).label}
    conditions = [(catalog.dimension(d).label, drill.reader_value(v)) for d, values in (where or {}).items()
                  for v in values]
    if conditions:
        params[drill.WHERE_PARAM] = [drill.condition(d, v) for d, v in conditions]
    if snapshot is not None:
        params[drill.SNAPSHOT_PARAM] = snapshot.isoformat()
    text = "；".join([catalog.metric(metric).label, *(f"{d}：{v}" for d, v in conditions),
                     *([f"{labels.AS_OF}：{snapshot.isoformat()}"] if snapshot else [])])
    st.page_link(str(PEOPLE_PAGE), label=label or labels.PEOPLE_LINK.format(what=text), query_params=params,
                 icon=":material/group:")


def table(frame: pl.DataFrame, *, name: str, key: str, when: date | None = None,
          column_config: dict[str, object] | None = None, max_rows: int = 15, hide: tuple[str, ...] = (),
          scope: str | None = None) -> None:
    """A read-only table with Chinese headers and its CSV download; tall enough for
    ``max_rows`` rows without an inner scrollbar. ``hide``: columns kept in the CSV only (an
    identifier a steward needs, which would push a wide table past the page's width)."""
    shown = without_blanks(chinese_columns(mark_hidden(frame)))
    config: dict[str, object] = {header(c): st.column_config.DateColumn(format="YYYY-MM-DD")
                                 for c, t in frame.schema.items() if t == pl.Date}
    config |= column_config or {}
    # a number or date column that became text for its blanks keeps only text settings
    config = {c: v for c, v in config.items()
              if shown.schema.get(c) != pl.String or not isinstance(v, dict)
              or v.get("type_config", {}).get("type") in (None, "text")}
    height = 38 + 35 * max(1, min(frame.height, max_rows))
    order = [header(c) for c in frame.columns if c not in hide] if hide else None
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, height=height, column_order=order)
    st.download_button(labels.DOWNLOAD_CSV, data=csv_bytes(frame, download_heading(name, when, scope)),
                       file_name=file_stem(name, when) + ".csv",
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


_VIEW_SUFFIX = re.compile(r"_[0-9a-f]{8}$")  # what key_chart_suffix appends (keep the two together)


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


def figure_text(figure: Figure) -> str:
    """A card's value: "<5" for a small count this session may not see, else :func:`value_text`."""
    return f"{figure.hidden} {figure.unit}" if figure.hidden else value_text(figure.value, figure.unit)


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
