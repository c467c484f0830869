"""The session's :class:`~warehouse.accounts.visibility.Visibility`, kept where pages can ask it.

``app.py`` sets it once per run after sign-in; :mod:`dashboard.metrics` applies it to every
grouped result, the pages ask it whether to offer a dimension, a tab or a person list.
"""

from __future__ import annotations

import streamlit as st

from warehouse.accounts import AccountSettings
from warehouse.accounts.roles import Role
from warehouse.accounts.store import Account
from warehouse.accounts.visibility import Visibility

_KEY = "_visibility"


def set_account(account: Account | None) -> Visibility:
    """Decide this run's visibility from the signed-in account (``None``: 演示数据)."""
    visibility = Visibility(account, AccountSettings.load().min_cell)
    st.session_state[_KEY] = visibility
    return visibility


def current() -> Visibility:
    """This session's visibility; the strictest (a leader's) if ``app.py`` has not decided yet."""
    found = st.session_state.get(_KEY)
    if isinstance(found, Visibility):
        return found
    return Visibility(Account("?", Role.LEADER))


def hidden(value: object) -> str | None:
    """"<5" for a suppressed cell (null) in a session that suppresses; else ``None``."""
    visibility = current()
    return visibility.hidden_text if value is None and visibility.suppresses else None
