"""The dashboard's one entry file: page config, navigation, sidebar filters.

Run by ``cadres dashboard`` as ``streamlit run dashboard/app.py`` with ``dashboard/`` as the
working directory (so ``.streamlit/config.toml`` applies) and ``CADRES_WAREHOUSE`` naming the
published warehouse. Pages live in ``app_pages/`` and are wired here with ``st.navigation``;
the filters are drawn here once, so every page sees the same ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # AppTest runs this file without putting its folder on the path
    sys.path.insert(0, str(HERE))

import data  # noqa: E402
import filters  # noqa: E402
import labels  # noqa: E402

st.set_page_config(page_title=labels.APP_TITLE, page_icon=labels.APP_ICON, layout="wide",
                   initial_sidebar_state="expanded")


def _page(key: str, *, default: bool = False) -> st.Page:
    title, icon = labels.PAGES[key]
    return st.Page(str(HERE / "app_pages" / f"{key}.py"), title=title, icon=icon, url_path=key, default=default)


def _stop_without_warehouse() -> None:
    """A friendly page instead of a traceback when nothing has been published yet."""
    st.title(labels.APP_TITLE)
    st.error(labels.WAREHOUSE_MISSING.format(path=data.warehouse_path()), icon=":material/database_off:")
    st.stop()


pages = [_page("overview", default=True), _page("composition"), _page("trends"), _page("teams"),
         _page("training"), _page("explore"), _page("quality")]
navigation = st.navigation(pages, position="sidebar")

try:
    options = data.filter_options()
    snapshot_dates = data.snapshots()
except data.WarehouseMissing:
    _stop_without_warehouse()

with st.sidebar:
    st.markdown(f"**{labels.APP_TITLE}**  \n{labels.APP_SUBTITLE}")
filters.render_sidebar(options, snapshot_dates)
as_of = data.as_of_date()
if as_of:
    st.sidebar.caption(f"{labels.AS_OF}：{as_of.isoformat()}")

try:
    navigation.run()
except data.WarehouseMissing:  # removed while the app was running
    _stop_without_warehouse()
