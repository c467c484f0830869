"""简报: a dated, scoped briefing for a meeting, as Word or PDF, every number from the metric layer.

:mod:`content` asks the metric layer (and dbt's ``dim_snapshot`` for what to compare with);
:mod:`charts` and :mod:`images` draw the charts; :mod:`docx_writer` and :mod:`pdf_writer` lay it
out. ``cadres report`` and the 总览 page's 生成简报 button both call :func:`make_report`.
"""

from __future__ import annotations

import re

from warehouse.accounts.visibility import Visibility
from warehouse.report.charts import figure
from warehouse.report.content import TITLE, build_briefing
from warehouse.report.docx_writer import write_docx
from warehouse.report.images import browser, render_png
from warehouse.report.pdf_writer import write_pdf
from warehouse.semantic.query import Scope
from warehouse.semantic.reader import SemanticReader

FORMATS = ("docx", "pdf")
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf"}


def file_name_for(scope: Scope, fmt: str) -> str:
    """``党外干部工作简报_全市_2018-04-30.pdf`` (the scope's snapshot filled in); no character a
    file system would refuse."""
    text = re.sub(r'[\\/:*?"<>|；：\s]+', "_", scope.describe()).strip("_")
    return f"{TITLE}_{text}_{scope.snapshot.isoformat() if scope.snapshot else ''}.{fmt}"


def make_report(reader: SemanticReader, scope: Scope, fmt: str, *, made_by: str | None = None,
                visibility: Visibility | None = None) -> tuple[bytes, str]:
    """The briefing at ``scope`` in ``fmt`` (docx or pdf) and its file name. ``visibility``: the
    dashboard session's rights (its region, its small-cell suppression); ``None`` for
    ``cadres report``, which a steward runs on the server."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    briefing = build_briefing(reader, scope, made_by, visibility)
    with browser() as chromium:
        images = render_png(chromium, [figure(c, scope_text=briefing.scope_text, as_of=briefing.as_of.isoformat())
                                       for c in briefing.charts])
        if fmt == "pdf":
            data, _ = write_pdf(chromium, briefing, images)
            return data, file_name_for(briefing.scope, fmt)
    return write_docx(briefing, images), file_name_for(briefing.scope, fmt)
