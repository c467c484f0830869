"""Dates in the formats of contract §8, and nothing else.

A month alone means the first of that month. ``YYYY.M`` with one month digit is refused on
purpose: Excel turns the text ``1982.10`` typed into a number cell into ``1982.1``, so a single
digit there cannot be told from January. Digits are ASCII after NFKC (full-width digits are
read, other scripts' digits are not).
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from warehouse.normalise.result import Invalid
from warehouse.normalise.text import clean_cell, half_width, quote

_FULL_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日", re.ASCII),
    # A real Excel date cell, as the xlsx reader renders it.
    re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?", re.ASCII),
)
_MONTH_PATTERNS = (
    re.compile(r"(\d{4})\.(\d{2})", re.ASCII),
    re.compile(r"(\d{4})(\d{2})", re.ASCII),
    re.compile(r"(\d{4})-(\d{2})", re.ASCII),
    re.compile(r"(\d{4})年(\d{1,2})月", re.ASCII),
)
# Text that looks like an Excel serial day number (a number cell, not a date cell): five digits,
# 10000 (1927-05-18) … 99999; a bare four-digit number is more likely a year and gets the
# general reason.
_SERIAL = re.compile(r"[1-9]\d{4}(?:\.\d+)?", re.ASCII)
# ``YYYY.M``: what Excel leaves of ``1982.10`` typed into a number cell.
_ONE_DIGIT_MONTH = re.compile(r"\d{4}\.[1-9]", re.ASCII)
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099


def _build(year: str, month: str, day: str, text: str) -> date | Invalid:
    y, m, d = int(year), int(month), int(day)
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        return Invalid(f"日期{quote(text)}的年份不合理（应在 {EARLIEST_YEAR}—{LATEST_YEAR} 年之间）")
    try:
        return date(y, m, d)
    except ValueError:
        return Invalid(f"日期{quote(text)}不存在")


def parse_date(raw: object) -> date | Invalid | None:
    """A cell as a date; blank → ``None``; anything outside contract §8 → :class:`Invalid`."""
    text = clean_cell(raw)
    if text is None:
        return None
    # Spaces around 年/月/日 (``2017 年 3 月``) are how people type; they carry no meaning.
    text = re.sub(r"\s*([年月日])\s*", r"\1", half_width(text)).strip()
    for pattern in _FULL_DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(*match.groups(), text=text)
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(*match.groups(), "1", text=text)
    if _ONE_DIGIT_MONTH.fullmatch(text):
        return Invalid(f"日期{quote(text)}的月份只有一位：Excel 会把 1982.10 存成 1982.1，"
                       "无法区分 1 月和 10 月，请写成 1982.01 或 1982-10 这样的格式")
    if _SERIAL.fullmatch(text):
        return Invalid(f"日期{quote(text)}是一个数字（疑似 Excel 日期序列号），"
                       "请在 Excel 中把该列设为日期格式，或写成 YYYY-MM-DD")
    return Invalid(f"日期{quote(text)}格式无法识别")


# The accepted spellings again, as Rust regexes over whole cells (no white space, ASCII digits):
# a cell matching one of them is read by polars; :func:`parse_date` reads the others and gives
# the reasons. No two patterns match the same text, so their groups can be coalesced.
_PLAIN_FULL = (r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$",
               r"^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})$", r"^([0-9]{4})([0-9]{2})([0-9]{2})$",
               r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$",
               r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?$")
_PLAIN_MONTH = (r"^([0-9]{4})\.([0-9]{2})$", r"^([0-9]{4})([0-9]{2})$", r"^([0-9]{4})-([0-9]{2})$",
                r"^([0-9]{4})年([0-9]{1,2})月$")


def plain_date_expr(expr: pl.Expr) -> pl.Expr:
    """The date of a cell written plainly in a format of §8 with a real date in 1900–2099,
    exactly as :func:`parse_date` reads it; null for every other cell (blank, or one that
    :func:`parse_date` must look at)."""
    year = pl.coalesce([expr.str.extract(p, 1) for p in (*_PLAIN_FULL, *_PLAIN_MONTH)])
    month = pl.coalesce([expr.str.extract(p, 2) for p in (*_PLAIN_FULL, *_PLAIN_MONTH)])
    day = pl.coalesce([*(expr.str.extract(p, 3) for p in _PLAIN_FULL),
                       *(expr.str.extract(p, 1).str.replace(r"^.*$", "1") for p in _PLAIN_MONTH)])
    day_text = pl.format("{}-{}-{}", year, month.str.zfill(2), day.str.zfill(2))
    parsed = day_text.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(year.cast(pl.Int32).is_between(EARLIEST_YEAR, LATEST_YEAR)).then(parsed)
