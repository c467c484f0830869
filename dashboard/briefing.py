"""生成简报 on 总览: the briefing of the scope the page shows, as Word or PDF, made on the click.

A briefing takes tens of seconds (the metric layer at three snapshots, charts drawn by
Chromium), so it is not made on every page run: the download buttons hand Streamlit a callable
that it runs when the button is clicked. The scope is the page's own, confined again by the
session's :class:`~warehouse.accounts.visibility.Visibility` (a county account's briefing is its
region whatever the page was asked; a leader's or county's hides small counts as the pages do);
the briefing names who made it, and each one made is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import access, labels, metrics, signin
from warehouse.accounts import audit
from warehouse.accounts.visibility import Visibility
from warehouse.report import FORMATS, MIME, file_name_for, make_report
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader


def made(reader: SemanticReader, scope: Scope, fmt: str, visibility: Visibility, made_by: str) -> bytes:
    """The briefing as this session may have it, and its audit line (who, when, scope, format)."""
    data, name = make_report(reader, scope, fmt, made_by=made_by, visibility=visibility)
    audit.record("download", visibility.who, visibility.confine(scope).describe(),
                 detail=f"简报（{fmt}）{name}")
    return data


def buttons(scope: Scope) -> None:
    """One download button per format for ``scope`` (its snapshot already filled in)."""
    reader = metrics.reader()
    visibility = access.current()
    scope = visibility.confine(scope)
    account = signin.current_account()
    made_by = account.label if account is not None else labels.BRIEFING_DEMO

    def maker(fmt: str) -> Callable[[], bytes]:
        return lambda: made(reader, scope, fmt, visibility, made_by)

    for column, fmt in zip(st.columns(len(FORMATS) + 2)[:len(FORMATS)], FORMATS, strict=True):
        with column:
            st.download_button(labels.BRIEFING_BUTTON[fmt], data=maker(fmt), file_name=file_name_for(scope, fmt),
                               mime=MIME[fmt], key=f"briefing_{fmt}", on_click="ignore",
                               icon=":material/description:", help=labels.BRIEFING_HELP)
