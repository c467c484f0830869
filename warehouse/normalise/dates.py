"""Dates in the formats of contract §8, and nothing else.

A month alone means the first of that month. ``YYYY.M`` with one month digit is refused on
purpose: Excel turns the text ``1982.10`` typed into a number cell into ``1982.1``, so a single
digit there cannot be told from January.
"""

from __future__ import annotations

import re
from datetime import date

from warehouse.normalise.result import Invalid
from warehouse.normalise.text import clean_cell, half_width

_FULL_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    # A real Excel date cell, as the xlsx reader renders it.
    re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?"),
)
_MONTH_PATTERNS = (
    re.compile(r"(\d{4})\.(\d{2})"),
    re.compile(r"(\d{4})(\d{2})"),
    re.compile(r"(\d{4})-(\d{2})"),
    re.compile(r"(\d{4})年(\d{1,2})月"),
)
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099


def _build(year: str, month: str, day: str, text: str) -> date | Invalid:
    y, m, d = int(year), int(month), int(day)
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        return Invalid(f"日期“{text}”的年份不合理")
    try:
        return date(y, m, d)
    except ValueError:
        return Invalid(f"日期“{text}”不存在")


def parse_date(raw: object) -> date | Invalid | None:
    """A cell as a date; blank → ``None``; anything outside contract §8 → :class:`Invalid`."""
    text = clean_cell(raw)
    if text is None:
        return None
    text = half_width(text).replace(" 年", "年").replace(" 月", "月").strip()
    for pattern in _FULL_DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(*match.groups(), text=text)
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(*match.groups(), "1", text=text)
    return Invalid(f"日期“{text}”格式无法识别")
