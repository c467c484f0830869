"""Writing tables to .xlsx and CSV, byte for byte reproducibly.

The creation time in docProps/core.xml and the zip member times are pinned, so the same
seed and scale always give identical files.  Rows are written as the table yields them
(see :mod:`warehouse.sample.xlsx_stream`), so a table's rows may be a generator.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from warehouse.sample.dates import Cell, XlDate
from warehouse.sample.tables import Located, Row, Table
from warehouse.sample.xlsx_stream import DatedCell, StreamingWorkbook, Style, Value

CREATED = datetime(2018, 5, 1)
WIDTHS: dict[str, int] = {
    "身份证号": 21,
    "工作单位及职务": 34,
    "任职机构名称": 26,
    "班次名称": 40,
    "主办单位": 22,
    "推荐单位": 22,
    "任职文号": 18,
    "免职文号": 18,
}
TITLE = Style.of({"bold": True, "align": "center", "font_size": 14})
HEADER = Style.of({"bold": True, "align": "center", "border": 1})


def write_all(root: Path, tables: list[Table]) -> list[Located]:
    """Write every table under ``root``; workbooks get their sheets in the order given."""
    located: list[Located] = []
    workbooks: dict[str, list[Table]] = {}
    for table in tables:
        if table.is_csv:
            located += write_csv(root, table)
        else:
            workbooks.setdefault(table.path, []).append(table)
    for path, sheets in workbooks.items():
        located += write_workbook(root, path, sheets)
    return located


def write_workbook(root: Path, path: str, sheets: list[Table]) -> list[Located]:
    """One .xlsx file with one sheet per table, streamed: rows are written as they come."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook = StreamingWorkbook(target, CREATED, {"author": "", "company": ""})
    located: list[Located] = []
    date_styles: dict[str, Style] = {}

    def plain(value: Cell) -> Value | DatedCell:
        """A cell as the workbook takes it: a date cell as (date, its number format)."""
        if not isinstance(value, XlDate):
            return value
        style = date_styles.get(value.num_format)
        if style is None:
            style = date_styles[value.num_format] = Style.of({"num_format": value.num_format})
        return value.value, style

    try:
        for table in sheets:
            tagged: list[Row] = []

            def cells(table: Table = table, tagged: list[Row] = tagged) -> Iterator[list[Value | DatedCell]]:
                for data in table.rows:
                    tagged.append(data)
                    yield [plain(data.cells.get(column)) for column in table.columns]

            rows = workbook.add_sheet(
                table.sheet, [WIDTHS.get(column, 12) for column in table.columns], list(table.columns),
                HEADER, cells(), title=table.title, title_style=TITLE, blank_rows=table.blank_rows,
                total_label=table.total_label,
            )
            for row in rows:
                data = tagged.pop()
                if data.tag:
                    located.append(_locate(data, path, table.sheet, row + 1))
        workbook.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return located


def write_csv(root: Path, table: Table) -> list[Located]:
    """One CSV file in the table's encoding, lines ending in CRLF as Excel writes them;
    written line by line."""
    target = root / table.path
    target.parent.mkdir(parents=True, exist_ok=True)
    width = len(table.columns)
    located: list[Located] = []
    with target.open("w", encoding=table.encoding or "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        line = 0
        if table.title:
            writer.writerow([table.title] + [""] * (width - 1))
            line += 1
        for _ in range(table.blank_rows):
            writer.writerow([""] * width)
            line += 1
        writer.writerow(list(table.columns))
        line += 1
        for data in table.rows:
            cells = []
            for column in table.columns:
                value = data.cells.get(column)
                if isinstance(value, XlDate):
                    raise TypeError(f"{table.path}: a CSV cannot hold an Excel date cell")
                cells.append("" if value is None else str(value))
            writer.writerow(cells)
            line += 1
            if data.tag:
                located.append(_locate(data, table.path, table.sheet, line))
        if table.total_label:
            writer.writerow([table.total_label] + [""] * (width - 1))
    return located


def _locate(data: Row, path: str, sheet: str, row: int) -> Located:
    """The report line for a planted row; several columns are joined with ``+``."""
    values = []
    for column in data.column.split("+"):
        value = data.cells.get(column)
        values.append(value.value.isoformat() if isinstance(value, XlDate) else str(value or ""))
    return Located(data.tag, path, sheet, row, data.column, "+".join(values), data.reason)
