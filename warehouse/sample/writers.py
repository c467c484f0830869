"""Writing tables to .xlsx and CSV, byte for byte reproducibly.

xlsxwriter stamps the creation time into docProps/core.xml and, unless it works in memory,
takes zip member times from the local clock and time zone.  Both are pinned here, so the
same seed and scale always give identical files.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import xlsxwriter

from warehouse.sample.dates import XlDate
from warehouse.sample.tables import Located, Row, Table

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
    """One .xlsx file with one sheet per table."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(str(target), options)
    workbook.set_properties({"created": CREATED, "author": "", "company": ""})
    title_format = workbook.add_format({"bold": True, "align": "center", "font_size": 14})
    header_format = workbook.add_format({"bold": True, "align": "center", "border": 1})
    date_formats: dict[str, object] = {}
    located: list[Located] = []
    for table in sheets:
        sheet = workbook.add_worksheet(table.sheet)
        for i, column in enumerate(table.columns):
            sheet.set_column(i, i, WIDTHS.get(column, 12))
        row = 0
        if table.title:
            sheet.merge_range(0, 0, 0, len(table.columns) - 1, table.title, title_format)
            row = 1
        row += table.blank_rows
        sheet.write_row(row, 0, table.columns, header_format)
        sheet.freeze_panes(row + 1, 0)
        for data in table.rows:
            row += 1
            for i, column in enumerate(table.columns):
                value = data.cells.get(column)
                if value is None or value == "":
                    continue
                if isinstance(value, XlDate):
                    if value.num_format not in date_formats:
                        date_formats[value.num_format] = workbook.add_format(
                            {"num_format": value.num_format}
                        )
                    sheet.write_datetime(row, i, value.value, date_formats[value.num_format])
                elif isinstance(value, int | float):
                    sheet.write_number(row, i, value)
                else:
                    sheet.write_string(row, i, value)
            if data.tag:
                located.append(_locate(data, path, table.sheet, row + 1))
        if table.total_label:
            sheet.write_string(row + 1, 0, table.total_label)
    workbook.close()
    return located


def write_csv(root: Path, table: Table) -> list[Located]:
    """One CSV file in the table's encoding, lines ending in CRLF as Excel writes them."""
    target = root / table.path
    target.parent.mkdir(parents=True, exist_ok=True)
    width = len(table.columns)
    lines: list[list[str]] = []
    located: list[Located] = []
    if table.title:
        lines.append([table.title] + [""] * (width - 1))
    lines += [[""] * width for _ in range(table.blank_rows)]
    lines.append(list(table.columns))
    for data in table.rows:
        cells = []
        for column in table.columns:
            value = data.cells.get(column)
            if isinstance(value, XlDate):
                raise TypeError(f"{table.path}: a CSV cannot hold an Excel date cell")
            cells.append("" if value is None else str(value))
        lines.append(cells)
        if data.tag:
            located.append(_locate(data, table.path, table.sheet, len(lines)))
    if table.total_label:
        lines.append([table.total_label] + [""] * (width - 1))
    with target.open("w", encoding=table.encoding or "utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    return located


def _locate(data: Row, path: str, sheet: str, row: int) -> Located:
    """The report line for a planted row; several columns are joined with ``+``."""
    values = []
    for column in data.column.split("+"):
        value = data.cells.get(column)
        values.append(value.value.isoformat() if isinstance(value, XlDate) else str(value or ""))
    return Located(data.tag, path, sheet, row, data.column, "+".join(values), data.reason)
