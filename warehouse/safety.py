"""Output defences: text from the raw exports must never act when a user opens our output.

A rejected cell or an organisation's name is text a steward typed (or pasted). Written into a
CSV that Excel opens, ``=HYPERLINK(…)`` or ``-2+3+cmd|…`` would run as a formula (CSV
injection); drawn by Plotly, ``<a href=…>`` would become a live link. Every CSV/Excel writer
passes its cells through :func:`neutralise_cell` (or a frame through :func:`neutralise_frame`),
and chart labels go through :func:`plain_label`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import polars as pl

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by Excel,
# LibreOffice or Google Sheets; a leading single quote makes it text, and Excel hides the quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def neutralise_cell(value: T) -> T | str:
    """Text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is.

    Only text is touched: a negative *number* written by us is a number, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(value) for value in row]


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of a polars frame, neutralised (column names too)."""
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in "=+-@") + "\t\r]"
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    neutral = frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
    return neutral.rename({name: str(neutralise_cell(name)) for name in neutral.columns
                           if neutralise_cell(name) != name})


def plain_label(text: T) -> T | str:
    """A chart label that Plotly draws as text: ``<`` and ``>`` become full-width ＜ ＞.

    Plotly reads a subset of HTML in every label (``<a href>``, ``<b>``, ``<br>``); full-width
    brackets look the same to a Chinese reader and are no tag.
    """
    if isinstance(text, str):
        return text.replace("<", "＜").replace(">", "＞")
    return text


def plain_labels(texts: Sequence[T]) -> list[T | str]:
    return [plain_label(text) for text in texts]
