"""The dashboard's one entry file: page config, navigation, sidebar filters.

Run by ``cadres dashboard`` as ``streamlit run dashboard/app.py`` with ``dashboard/`` as the
working directory (so ``.streamlit/config.toml`` applies) and ``CADRES_WAREHOUSE`` naming the
published warehouse. The dashboard is the installed package ``dashboard`` (see pyproject), so
pages import it like any package. Pages live in ``app_pages/`` and are wired here with
``st.navigation``; the filters are drawn here once, so every page sees the same ones.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import access, addresses, connection, filters, labels, metrics, run_records, screen, signin, style

HERE = Path(__file__).resolve().parent

# collapsed sidebar on a phone; no Streamlit menu items (its menu is English: with toolbarMode
# "minimal" in .streamlit/config.toml and none of these, the ⋮ menu is not drawn at all)
st.set_page_config(page_title=labels.APP_TITLE, page_icon=labels.APP_ICON, layout="wide",
                   initial_sidebar_state="auto", menu_items={"Get help": None, "Report a bug": None, "About": None})
style.apply()

# Nobody sees anything before signing in, except the bundled synthetic sample with no account
# configured (演示数据 mode, bannered by signin).
def _stop_without_warehouse() -> None:
    """A friendly page instead of a traceback when nothing has been published yet."""
    st.title(labels.APP_TITLE)
    st.error(labels.WAREHOUSE_MISSING.format(path=connection.warehouse_path()), icon=":material/database_off:")
    st.stop()


try:
    log = run_records.refresh_log()
except connection.WarehouseMissing:  # nothing published: nothing to protect, say how to publish
    _stop_without_warehouse()
account = signin.require_account(raw_dir=log["raw_dir"][0] if log.height else None)
visibility = access.set_account(account)  # the one decision of what this session may see
addresses.restore_requested_page()  # a link followed before signing in opens its page after


def _page(key: str, *, default: bool = False) -> st.Page:
    title, icon = labels.PAGES[key]
    return st.Page(str(HERE / "app_pages" / f"{key}.py"), title=title, icon=icon, url_path=key, default=default)


pages = [_page("overview", default=True), _page("composition"), _page("trends"), _page("teams"),
         _page("training"), _page("explore"), _page("quality")]
if visibility.sees_persons:  # 分析员, 数据管理员 (and the synthetic 演示数据); the page checks again
    pages.append(_page("people"))
screen_mode = st.query_params.get("mode") == labels.SCREEN_MODE  # 大屏: no sidebar, no navigation
unknown_page = addresses.refuse_unknown_page(pages)
navigation = st.navigation(pages, position="hidden" if screen_mode else "sidebar")
if unknown_page is not None:
    addresses.say_unknown_page(unknown_page, pages)
addresses.remember_page(navigation)
addresses.refuse_unknown_values({"mode": [labels.SCREEN_MODE]})

try:
    scope_options = metrics.options()
except connection.WarehouseMissing:
    _stop_without_warehouse()

choices = {"region": scope_options.regions, "sector": scope_options.sectors, "list": scope_options.lists}
locked_region = account.region if account is not None else None
if screen_mode:
    addresses.refuse_unknown_values(filters.allowed_values(choices, scope_options.snapshots))
    screen.show(screen.address_scope(locked_region, scope_options.latest))
    st.stop()

with st.sidebar:
    st.markdown(f"**{labels.APP_TITLE}**  \n{labels.APP_SUBTITLE}")
filters.render_sidebar(choices, scope_options.snapshots, locked_region=locked_region)
with st.sidebar:
    signin.sign_out_button()
shown = filters.current().snapshot or scope_options.latest  # the snapshot the page shows, not always the latest
if shown:
    st.sidebar.caption(f"{labels.AS_OF}：{shown.isoformat()}")

try:
    navigation.run()
except connection.WarehouseMissing:  # removed while the app was running
    _stop_without_warehouse()
