"""Sidebar filters that live in the URL (``?region=市中区&sector=党政机关&list=…&snapshot=2017-12-31``).

The widgets are bound to query parameters (``bind="query-params"``, the key is the parameter
name), so a view is shared by copying the address, survives a reload, and follows the user
from page to page. Streamlit validates what comes in from the URL against the options and
silently drops anything else, so values are checked first (:mod:`dashboard.addresses`). A click
on a bar writes the same session-state keys in a callback, i.e. before the widgets are drawn,
which is the one moment Streamlit lets code set them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st

from dashboard import addresses, labels
from dashboard.drill import Drill
from warehouse.semantic.query import Scope

REGION, SECTOR, LIST, SNAPSHOT = "region", "sector", "list", "snapshot"
MULTI_KEYS = (REGION, SECTOR, LIST)
NAMES = {REGION: labels.FILTER_REGION, SECTOR: labels.FILTER_SECTOR, LIST: labels.FILTER_LIST,
         SNAPSHOT: labels.FILTER_SNAPSHOT}
_LATEST = "_latest_snapshot"
_LOCKED = "_locked_region"
_LOCKED_WIDGET = "region_locked"


def render_sidebar(options: dict[str, Sequence[str]], snapshots: Sequence[date], *,
                   locked_region: str | None = None) -> Scope:
    """Draw the filters in the sidebar and return the choices. ``locked_region``: a county
    user's own region, which every number is about whatever the URL or the widgets say."""
    snapshot_options = [d.isoformat() for d in snapshots]
    addresses.refuse_unknown_values(allowed_values(options, snapshots))
    st.session_state[_LATEST] = snapshot_options[0] if snapshot_options else None
    st.session_state[_LOCKED] = locked_region
    if locked_region is not None and REGION in st.query_params:
        del st.query_params[REGION]  # a county user's links never name another region
    with st.sidebar:
        st.subheader(labels.FILTER_HEADER)
        helps = {REGION: labels.FILTER_HELP_REGION, SECTOR: labels.FILTER_HELP_SECTOR, LIST: labels.FILTER_HELP_LIST}
        for key in MULTI_KEYS:
            if key == REGION and locked_region is not None:
                st.multiselect(NAMES[key], [locked_region], default=[locked_region], key=_LOCKED_WIDGET,
                               disabled=True, help=labels.FILTER_HELP_LOCKED)
                continue
            st.multiselect(NAMES[key], options.get(key, []), key=key, bind="query-params",
                           placeholder=labels.FILTER_ALL, help=helps[key])
        if snapshot_options:
            st.selectbox(NAMES[SNAPSHOT], snapshot_options, key=SNAPSHOT, bind="query-params",
                         help=labels.FILTER_HELP_SNAPSHOT)
        chosen = current()
        untouched = not chosen.on_persons and chosen.snapshot is None
        st.button(labels.FILTER_CLEAR, on_click=clear, disabled=untouched, icon=":material/filter_alt_off:",
                  width="stretch")
        st.caption(labels.FILTER_SHARE)
    return chosen


def allowed_values(options: dict[str, Sequence[str]], snapshots: Sequence[date]) -> dict[str, list[str]]:
    """What the address may say for each filter, as the URL spells it."""
    return {**{key: list(options.get(key, [])) for key in MULTI_KEYS}, SNAPSHOT: [d.isoformat() for d in snapshots]}


def current() -> Scope:
    """The filters as chosen now; the latest snapshot is ``None`` (the as-of date)."""
    state = st.session_state
    snapshot = state.get(SNAPSHOT)
    latest = state.get(_LATEST)
    locked = state.get(_LOCKED)
    return Scope(
        regions=(locked,) if locked else tuple(state.get(REGION) or ()),
        sectors=tuple(state.get(SECTOR) or ()),
        lists=tuple(state.get(LIST) or ()),
        snapshot=None if not snapshot or snapshot == latest else date.fromisoformat(snapshot),
    )


def clear() -> None:
    """Button callback: back to everything at the latest snapshot (the URL loses its parameters)."""
    for key in MULTI_KEYS:
        if key in st.session_state:
            st.session_state[key] = []
    if st.session_state.get(_LATEST):
        st.session_state[SNAPSHOT] = st.session_state[_LATEST]


def describe(filters: Scope) -> str:
    """One line naming the active filters, for captions and download names."""
    parts = []
    for key, values in ((REGION, filters.regions), (SECTOR, filters.sectors), (LIST, filters.lists)):
        if values:
            parts.append(f"{NAMES[key]}：{'、'.join(values)}")
    if filters.snapshot:
        parts.append(f"{labels.AS_OF}：{filters.snapshot.isoformat()}")
    return "；".join(parts)


DRILL = "_drill"  # the last bar an analyst clicked: (chart key, drill.Target), for the 人员名单 link


def on_click(chart_key: str, filter_key: str | None, field: str = "customdata",
             drill: Drill | None = None) -> Callable[[], None]:
    """A plotly ``on_select`` callback that filters by the clicked bar's category.

    ``field`` is where the category is: ``customdata`` (its first item) or ``x``/``y``.
    ``filter_key`` None: no filter, only the drill. ``drill``: remember the bar (its metric,
    conditions and snapshot) for :func:`dashboard.ui.people_link` (only passed in sessions that
    may list people).
    """

    def apply() -> None:
        state = st.session_state.get(chart_key)
        points = (state or {}).get("selection", {}).get("points", []) if state else []
        if not points:
            return
        point = points[0]
        if drill is not None:
            target = drill.target(point)
            if target is None:
                st.session_state.pop(DRILL, None)
            else:
                st.session_state[DRILL] = (chart_key, target)
        value = point.get("customdata", [None])[0] if field == "customdata" else point.get(field)
        if value is None or filter_key is None:
            return
        value = str(value)
        if filter_key == SNAPSHOT:
            st.session_state[SNAPSHOT] = value[:10]
        else:
            st.session_state[filter_key] = [value]
        st.toast(labels.FILTER_APPLIED_TOAST.format(dimension=NAMES[filter_key], value=value))

    return apply
