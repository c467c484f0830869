"""The dashboard's own CSS: phone layout, print layout and the 大屏 (wall display) look.

Streamlit lays pages out for a desk. Leaders also open the dashboard on a phone and print it
for meetings, so three media rules adjust what Streamlit draws, by its stable ``data-testid``
attributes only (no generated class names, which change between Streamlit releases):

* phone (≤ 640 px): cards two per row instead of one (总览 is a third as tall); of Plotly's
  toolbar only the camera is kept, labelled 保存图片 and always shown (a phone has no hover), on a
  strip of its own above the chart so it never covers the title (the whole toolbar did); smaller
  chart titles, narrower page margins; tables keep their own horizontal scrolling;
* print: sidebar, toolbar, buttons, menus and download links hidden, each section of 总览 and
  each part of a page after a divider on its own page, no chart or card split across pages;
* always: narrower page margins on a desk too, so wide tables are not cut off at 1440 px.
"""

from __future__ import annotations

import streamlit as st

from dashboard import labels

# the camera's tip: Plotly's words are Chinese on every chart (ui.plotly_config), so this is its title
_SAVE = labels.PLOTLY_WORDS["Download plot as a PNG"]

_COMMON = """
[data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
"""

_PHONE = """
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
      > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; width: calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important; max-width: calc(50% - 0.25rem) !important;
  }
  [data-testid="stMetricValue"] { font-size: 1.5rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem; white-space: normal; }
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"] .modebar-container) {
    height: auto !important; padding-top: 1.8rem;  /* the strip; Streamlit fixes the height to the chart's */
  }
  .js-plotly-plot:has(.modebar-container) { overflow: visible !important; }
  .js-plotly-plot .modebar-container { top: -1.8rem !important; }
  .js-plotly-plot .modebar-group { display: none !important; }
  .js-plotly-plot .modebar .modebar-group:has(> [data-title="{save}"]) {
    display: flex !important; opacity: 1 !important; background: none !important; padding: 0 !important;
  }
  .js-plotly-plot .modebar-btn[data-title="{save}"] {
    display: flex !important; align-items: center; gap: 0.25rem; height: 1.6rem !important; padding: 0 0.2rem;
  }
  .js-plotly-plot .modebar-btn[data-title="{save}"]::before { display: none !important; }
  .js-plotly-plot .modebar-btn[data-title="{save}"]::after {
    content: "{save}" !important; display: inline !important; opacity: 1 !important; position: static !important;
    transform: none !important; background: none !important; box-shadow: none !important; border: none !important;
    padding: 0 !important; margin: 0 !important; color: #555 !important; font-size: 0.8rem !important;
    line-height: 1.6rem; white-space: nowrap; width: auto !important;
  }
  .js-plotly-plot .gtitle { font-size: 14px !important; }
  .js-plotly-plot .gtitle-subtitle { font-size: 11px !important; }
  h1 { font-size: 1.8rem !important; }
}
""".replace("{save}", _SAVE)

_PRINT = """
@page { size: A4; margin: 12mm; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stPageLink"],
  [data-testid="stElementToolbar"], [data-testid="stPills"], [data-testid="stSegmentedControl"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stCheckbox"],
  [data-testid="stTooltipIcon"], .js-plotly-plot .modebar-container { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stElementContainer"]:has([data-testid="stHeading"] hr)
      ~ [data-testid="stElementContainer"]:has([data-testid="stHeading"] hr) { break-before: page; }
  [data-testid="stElementContainer"]:has(> [data-testid="stDivider"]),
  [data-testid="stElementContainer"]:has(> hr) { break-after: page; visibility: hidden; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stDataFrame"],
  [data-testid="stHorizontalBlock"] { break-inside: avoid; }
}
"""


def apply() -> None:
    """Add the dashboard's CSS to this run's page (draws nothing visible)."""
    st.html(f"<style>{_COMMON}{_PHONE}{_PRINT}</style>")
