"""大屏 (``?mode=screen``): the headline figures and three charts, in turn, for a wall display.

Full screen, dark, large type, no sidebar and nothing to click: a display in the department's
hall shows it all day. A fragment reruns itself every ``SCREEN_SECONDS`` and shows the next
slide; nothing else of the page reruns. The scope is the address's (``?mode=screen&region=市中区``)
checked like any other address, and a county account sees its own region whatever the address
says. Every number is a metric of the metric layer, as on 总览.
"""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import streamlit as st

from dashboard import access, charts, filters, labels, metrics, ui
from warehouse.semantic.query import Scope

HEADLINES = ("pool_total", "pool_female", "pool_born_1980s", "progressive_trainees", "arranged_since_term",
             "county_cppcc_nonparty_share")
FUNNEL = ("pool_total", "pool_trained", "pool_placed_after_training")
SLIDE = "_screen_slide"

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stApp"], [data-testid="stMain"] { background: #0E1117 !important; color: #F2F2F2 !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.5rem 3rem !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem !important; color: #FFFFFF !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  color: #C9CDD4 !important; font-size: 1.4rem !important; }
[data-testid="stMetric"] {
  background: #1B1F27 !important; border-color: #343a46 !important; padding: 1.5rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.7rem !important; color: #C9CDD4 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {
  font-size: 5rem !important; line-height: 1.2 !important; color: #FFFFFF !important; }
[data-testid="stAlertContainer"] { background: #3A3015 !important; }
[data-testid="stAlertContainer"] * { color: #F5D78E !important; }
</style>
"""


def address_scope(locked_region: str | None, latest: date | None) -> Scope:
    """The scope the address asks for (already checked by :mod:`dashboard.addresses`): no
    sidebar widgets on a wall display, so the parameters are read directly."""
    params = st.query_params
    snapshot = params.get(filters.SNAPSHOT)
    return Scope(regions=(locked_region,) if locked_region else tuple(params.get_all(filters.REGION)),
                 sectors=tuple(params.get_all(filters.SECTOR)), lists=tuple(params.get_all(filters.LIST)),
                 snapshot=date.fromisoformat(snapshot) if snapshot and latest and snapshot != latest.isoformat()
                 else None)


def _dark(fig: go.Figure) -> go.Figure:
    fig.update_layout(template="plotly_dark", paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      font={"size": 22, "color": "#F2F2F2"}, title_font={"size": 32, "color": "#FFFFFF"}, height=640,
                      margin={"l": 20, "r": 40, "t": 110, "b": 40})
    return fig


def _headlines(scope: Scope) -> None:
    figures = {f.figure_id: f for f in metrics.figures(scope, HEADLINES)}
    for row in (HEADLINES[:3], HEADLINES[3:]):
        for column, figure_id in zip(st.columns(3, gap="large"), row, strict=True):
            figure = figures[figure_id]
            column.metric(labels.CARD_LABELS.get(figure_id, figure.label), ui.figure_text(figure), border=True)


def _pool_size(scope: Scope) -> go.Figure:
    series = metrics.series(["pool_total"], scope)
    dates = [d.isoformat() for d in series["snapshot_date"] if d <= scope.snapshot]
    values = series["pool_total"].to_list()[: len(dates)]
    return charts.bars(dates, values, title=labels.POOL_SIZE_TITLE, value_label=labels.FLOW_PERSONS,
                       horizontal=False, highlight=[scope.snapshot.isoformat()])


def _funnel(scope: Scope) -> go.Figure:
    result = metrics.query(FUNNEL, scope=scope)
    values = [None if result.value(m) is None else int(result.value(m) or 0) for m in FUNNEL]
    return charts.funnel(labels.FUNNEL_STAGES, values, title=labels.FUNNEL_TITLE, hidden=access.current().hidden_text)


def _cppcc(scope: Scope) -> go.Figure | None:
    frame = metrics.query(["team_nonparty_share", "team_nonparty_members", "team_approved_seats"],
                          ["team__region", "team__region_sort_order"], scope,
                          {"team__team_type": ["政协"], "team__is_county_level": ["true"]}).frame
    if frame.is_empty():
        return None
    frame = frame.sort("team__region_sort_order")
    return charts.share_against_line(
        frame["team__region"].to_list(), frame["team_nonparty_share"].to_list(),
        [f"{m}/{s}" for m, s in zip(frame["team_nonparty_members"], frame["team_approved_seats"], strict=True)],
        title=labels.TEAMS_CPPCC_TITLE, line=metrics.catalog().metric("county_cppcc_nonparty_share").target,
        line_label=labels.TEAMS_CPPCC_LINE, value_label=labels.COLUMNS["nonparty_share"])


@st.fragment(run_every=timedelta(seconds=labels.SCREEN_SECONDS))
def _slides(scope: Scope) -> None:
    """One slide a run: the figures, then each chart; the fragment's timer moves it on."""
    slides = [labels.SCREEN_HEADLINES, labels.POOL_SIZE_TITLE, labels.FUNNEL_TITLE, labels.TEAMS_CPPCC_TITLE]
    index = st.session_state.get(SLIDE, -1) + 1
    index %= len(slides)
    st.session_state[SLIDE] = index
    st.caption(labels.SCREEN_PROGRESS.format(n=index + 1, total=len(slides), title=slides[index]))
    if index == 0:
        _headlines(scope)
        return
    fig = (_pool_size, _funnel, _cppcc)[index - 1](scope)
    if fig is None:
        st.info(labels.NO_DATA)
        return
    # theme=None: Streamlit's own chart theme would redraw the text dark, for its light theme
    st.plotly_chart(_dark(fig), config={"displayModeBar": False, "staticPlot": True}, key=f"screen_{index}",
                    theme=None)


def show(chosen: Scope) -> None:
    """The wall display at ``chosen`` (its snapshot filled in here)."""
    scope = metrics.at_snapshot(chosen)
    st.html(_CSS)
    st.title(labels.APP_TITLE)
    where = filters.describe(Scope(scope.regions, scope.sectors, scope.lists)) or labels.WHOLE_CITY
    st.caption(f"{labels.SCOPE}：{where} · {labels.AS_OF}：{scope.snapshot.isoformat()}")
    _slides(scope)
