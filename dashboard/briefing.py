"""生成简报 on 总览: the briefing of the scope the page shows, as Word or PDF, made on the click.

A briefing takes tens of seconds (the metric layer at three snapshots, charts drawn by
Chromium), so it is not made on every page run: the download buttons hand Streamlit a callable
that it runs when the button is clicked. The scope is the page's own (a county account's is
locked to its region by the sidebar), and the briefing names who made it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import labels, metrics, signin
from warehouse.report import FORMATS, MIME, file_name_for, make_report
from warehouse.semantic.query import Scope


def buttons(scope: Scope) -> None:
    """One download button per format for ``scope`` (its snapshot already filled in)."""
    reader = metrics.reader()
    account = signin.current_account()
    made_by = account.label if account is not None else labels.BRIEFING_DEMO

    def maker(fmt: str) -> Callable[[], bytes]:
        return lambda: make_report(reader, scope, fmt, made_by=made_by)[0]

    for column, fmt in zip(st.columns(len(FORMATS) + 2)[:len(FORMATS)], FORMATS, strict=True):
        with column:
            st.download_button(labels.BRIEFING_BUTTON[fmt], data=maker(fmt), file_name=file_name_for(scope, fmt),
                               mime=MIME[fmt], key=f"briefing_{fmt}", on_click="ignore",
                               icon=":material/description:", help=labels.BRIEFING_HELP)
