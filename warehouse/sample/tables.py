"""A table as a steward's export lays it out: title, blank rows, header, rows, 合计.

Tables are plain data; :mod:`warehouse.sample.writers` turns them into .xlsx sheets or
CSV files.  A row may carry a tag (e.g. ``reject:cpc``) so that the writer can report the
row number a steward would see for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from warehouse.sample.dates import Cell


@dataclass(slots=True)
class Row:
    """One data row: cells by header name; a planted row also has a tag, a column, a reason."""

    cells: dict[str, Cell]
    tag: str = ""
    column: str = ""
    reason: str = ""


@dataclass(slots=True)
class Table:
    """One sheet of a workbook, or one CSV file.  ``rows`` may be a generator: the writer
    consumes it once, in order, so a big table is never held whole."""

    path: str
    sheet: str
    columns: list[str]
    rows: Iterable[Row] = field(default_factory=list)
    title: str | None = None
    blank_rows: int = 0
    total_label: str | None = None
    encoding: str | None = None

    @property
    def is_csv(self) -> bool:
        """Whether this table is written as a CSV file (one table per file)."""
        return self.path.endswith(".csv")


@dataclass(frozen=True, slots=True)
class Located:
    """Where a tagged row ended up: file, sheet, 1-based row number as a steward sees it,
    and the column, the written value and the reason the warehouse should give."""

    tag: str
    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str
