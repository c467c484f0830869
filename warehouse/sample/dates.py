"""Writing dates the way stewards do: every format of contract §8, mixed in one column.

Each date column of the sample gets one :class:`DateStyler`.  It uses every format the
column can take at least once (so the warehouse's date parser is exercised everywhere) and
otherwise draws formats by weight.  Month-only formats mean "the first of that month", so
for an ordinary date column they are only used when the date *is* the first of a month:
what is written always parses back to the date the generator reasons with.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

FULL_FORMATS: tuple[str, ...] = ("iso", "slash", "dot", "compact", "cjk", "excel")
MONTH_FORMATS: tuple[str, ...] = ("dot_month", "compact_month", "dash_month", "cjk_month")
ALL_FORMATS: tuple[str, ...] = FULL_FORMATS + MONTH_FORMATS

EXCEL_DAY_FORMATS: tuple[str, ...] = ("yyyy-mm-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"')
EXCEL_MONTH_FORMATS: tuple[str, ...] = ('yyyy"年"m"月"', "yyyy.mm")


@dataclass(frozen=True, slots=True)
class XlDate:
    """A real Excel date cell: the value and the number format it is displayed with."""

    value: date
    num_format: str


Cell = str | int | float | XlDate | None
"""What a table cell holds before it is written: text, a number, a date cell or blank."""


def render(day: date, fmt: str) -> str:
    """Text for ``day`` in one of the textual formats of contract §8."""
    y, m, d = day.year, day.month, day.day
    if fmt == "iso":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if fmt == "slash":
        return f"{y}/{m}/{d}"
    if fmt == "dot":
        return f"{y}.{m}.{d}"
    if fmt == "compact":
        return f"{y:04d}{m:02d}{d:02d}"
    if fmt == "cjk":
        return f"{y}年{m}月{d}日"
    if fmt == "dot_month":
        return f"{y}.{m:02d}"
    if fmt == "compact_month":
        return f"{y}{m:02d}"
    if fmt == "dash_month":
        return f"{y}-{m:02d}"
    if fmt == "cjk_month":
        return f"{y}年{m}月"
    raise ValueError(f"unknown date format {fmt!r}")


class DateStyler:
    """Chooses the written form of the dates of one column."""

    def __init__(
        self, rng: random.Random, weights: dict[str, float], *, month_field: bool = False
    ) -> None:
        self._rng = rng
        self._weights = weights
        self._month_field = month_field
        self.used: dict[str, int] = {}
        self._excel_possible = False  # whether any cell of the column could be a date cell
        self._allowed: dict[tuple[bool, bool], tuple[list[str], list[float]]] = {}

    def cell(self, day: date | None, *, excel: bool) -> Cell:
        """The cell for ``day``; ``excel`` says whether a real date cell is possible here."""
        if day is None:
            return None
        self._excel_possible |= excel
        fmt = self._choose(day, excel=excel)
        self.used[fmt] = self.used.get(fmt, 0) + 1
        if fmt == "excel":
            if self._month_field and self._rng.random() < 0.5:
                return XlDate(day.replace(day=1), self._rng.choice(EXCEL_MONTH_FORMATS))
            return XlDate(day, self._rng.choice(EXCEL_DAY_FORMATS))
        return render(day, fmt)

    def missing(self) -> list[str]:
        """Formats of §8 this column has not used yet (a date cell only where one was possible:
        a column written to CSV alone has none)."""
        return [fmt for fmt in ALL_FORMATS
                if fmt not in self.used and (fmt != "excel" or self._excel_possible)]

    def _choose(self, day: date, *, excel: bool) -> str:
        month_ok = self._month_field or day.day == 1
        key = (excel, month_ok)
        if key not in self._allowed:
            allowed = [
                fmt
                for fmt in ALL_FORMATS
                if (excel or fmt != "excel") and (month_ok or fmt not in MONTH_FORMATS)
            ]
            self._allowed[key] = (allowed, list(accumulate(self._weights[f] for f in allowed)))
        allowed, cumulative = self._allowed[key]
        if len(self.used) < len(ALL_FORMATS):
            # Month formats first: only some dates can take them, so use those dates for them.
            ordered = [f for f in allowed if f in MONTH_FORMATS] + [
                f for f in allowed if f not in MONTH_FORMATS
            ]
            unused = [fmt for fmt in ordered if fmt not in self.used]
            if unused:
                return unused[0]
        return self._rng.choices(allowed, cum_weights=cumulative)[0]


BIRTH_WEIGHTS: dict[str, float] = {
    "dot_month": 30,
    "compact_month": 10,
    "dash_month": 10,
    "cjk_month": 14,
    "excel": 12,
    "iso": 5,
    "slash": 4,
    "dot": 4,
    "compact": 4,
    "cjk": 4,
}
"""出生年月 is mostly written as a month (1982.05), sometimes as a full date."""

EVENT_WEIGHTS: dict[str, float] = {
    "iso": 30,
    "excel": 25,
    "slash": 12,
    "dot": 10,
    "compact": 8,
    "cjk": 8,
    "dot_month": 4,
    "compact_month": 2,
    "dash_month": 3,
    "cjk_month": 3,
}
"""Event dates (入库, 任职, class dates) are mostly ISO text or real date cells."""
