"""Addresses a leader follows: an unknown page or a parameter value the warehouse lacks is refused.

A link is how a view travels (``/teams?region=市中区&year=2018``). Streamlit itself drops a value
it does not know and shows the page without it: for ``?region=不存在`` that is the whole city,
which a leader following a bad county link would report as the county's numbers. Every
parameter of every page is checked here, in one place, before anything is drawn: the page stops
with a Chinese message naming the parameter, its value and the allowed values, and a link to the
page without the parameters. Pages declare what they read by calling :func:`refuse_unknown_values`
with the values they would accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st
from streamlit.navigation.page import Page
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import labels

_PAGE = "_address_page"
_AFTER_SIGNIN = "_address_after_signin"


def remember_page(page: Page) -> None:
    """The page this run shows, for the link back to it without parameters."""
    st.session_state[_PAGE] = page


def refuse_unknown_values(allowed: Mapping[str, Sequence[str]]) -> None:
    """Stop the page when a parameter in ``allowed`` carries a value not among its allowed ones
    (as the URL spells them: the label a widget shows, ``2018-04-30``, ``2018``)."""
    for key, values in allowed.items():
        unknown = [v for v in st.query_params.get_all(key) if v not in values]
        if unknown:
            name = labels.URL_PARAMETERS.get(key, key)
            st.error(labels.BAD_PARAMETER.format(parameter=key, name=name, value="、".join(unknown),
                                                 allowed="、".join(values) or labels.NOT_AVAILABLE),
                     icon=":material/link_off:")
            page = st.session_state.get(_PAGE)
            if page is not None:
                st.page_link(page, label=labels.BAD_PARAMETER_LINK, icon=":material/link:")
            st.stop()


def requested_page() -> str | None:
    """The page name the address asked for on this run (``nosuchpage`` for ``/nosuchpage``),
    or ``None`` when the run was started by a click inside the app.

    Read before ``st.navigation``: Streamlit would otherwise show its own English "Page not
    found" and run the first page, i.e. the whole city's overview under a wrong address.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    return ctx.pages_manager.intended_page_name or None


def keep_requested_page() -> None:
    """While the sign-in form is shown: the page the address asked for (``/teams``), so that the
    run after 登录 shows it. Streamlit would otherwise run the first page and rewrite the
    address to ``/``: a leader following a link to 班子配备 would land on 总览."""
    name = requested_page()
    if name:
        st.session_state[_AFTER_SIGNIN] = name


def restore_requested_page() -> None:
    """On the first run with an account, before ``st.navigation``: ask for the page kept by
    :func:`keep_requested_page` (if any), as though the address had asked for it."""
    name = st.session_state.pop(_AFTER_SIGNIN, None)
    ctx = get_script_run_ctx()
    if name and ctx is not None:
        ctx.pages_manager.set_script_intent("", name)


def refuse_unknown_page(pages: Sequence[Page]) -> str | None:
    """When the address names no page of ``pages``, resolve the run to the first page without
    Streamlit's English notice and return the unknown name; :func:`say_unknown_page` then
    stops the run with the Chinese message."""
    name = requested_page()
    if not name or any(name in (p.url_path, p.title) for p in pages):
        return None
    ctx = get_script_run_ctx()
    if ctx is not None:  # resolve to the default page quietly; the message below explains
        ctx.pages_manager.set_script_intent("", "")
    return name


def say_unknown_page(name: str, pages: Sequence[Page]) -> None:
    """The Chinese message for an unknown page, with a link to every page that exists."""
    st.error(labels.BAD_PAGE.format(page=name, pages="、".join(p.title for p in pages)),
             icon=":material/link_off:")
    for page in pages:
        st.page_link(page, label=page.title, icon=page.icon)
    st.stop()
