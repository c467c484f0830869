"""The streaming .xlsx writer gives the bytes xlsxwriter itself writes, on awkward tables.

``tests/test_sample.py`` holds the whole scale-1 sample to ``seeds/raw``; this checks the
cases the sample may not reach there: a second sheet with a title when the first has none,
more than 16 rows (row spans), several date formats first used on a later sheet, XML special
characters and edge spaces, blank cells, a 合计 row.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import xlsxwriter

from warehouse.sample.dates import XlDate
from warehouse.sample.tables import Row, Table
from warehouse.sample.writers import CREATED, WIDTHS, write_workbook


def xlsxwriter_bytes(sheets: list[Table]) -> bytes:
    """The same workbook written cell by cell with xlsxwriter in memory (the old writer)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"created": CREATED, "author": "", "company": ""})
    title = workbook.add_format({"bold": True, "align": "center", "font_size": 14})
    header = workbook.add_format({"bold": True, "align": "center", "border": 1})
    dates: dict[str, object] = {}
    for table in sheets:
        sheet = workbook.add_worksheet(table.sheet)
        for i, column in enumerate(table.columns):
            sheet.set_column(i, i, WIDTHS.get(column, 12))
        row = 0
        if table.title:
            sheet.merge_range(0, 0, 0, len(table.columns) - 1, table.title, title)
            row = 1
        row += table.blank_rows
        sheet.write_row(row, 0, table.columns, header)
        sheet.freeze_panes(row + 1, 0)
        for data in table.rows:
            row += 1
            for i, column in enumerate(table.columns):
                value = data.cells.get(column)
                if value is None or value == "":
                    continue
                if isinstance(value, XlDate):
                    fmt = dates.setdefault(value.num_format, workbook.add_format({"num_format": value.num_format}))
                    sheet.write_datetime(row, i, value.value, fmt)
                elif isinstance(value, int | float):
                    sheet.write_number(row, i, value)
                else:
                    sheet.write_string(row, i, value)
        if table.total_label:
            sheet.write_string(row + 1, 0, table.total_label)
    workbook.close()
    return buffer.getvalue()


def tables() -> list[Table]:
    columns = ["姓名", "身份证号", "学时", "开始日期", "备注"]
    first = Table("book.xlsx", "名单一", columns, blank_rows=2, total_label="合计：共40人")
    first.rows = [Row({"姓名": f"张{i}", "身份证号": f"51110019800101{i:04d}", "学时": i * 1.5,
                       "开始日期": XlDate(date(2017, 1, 1 + i % 28), "yyyy-mm-dd") if i % 3 else None,
                       "备注": " 前后有空格 " if i == 25 else ("A&B <c>" if i == 7 else "")})
                   for i in range(40)]
    second = Table("book.xlsx", "名单二", columns[:4], title="乐山市 2018 年名单")
    second.rows = iter([Row({"姓名": "李四", "开始日期": XlDate(date(2018, 4, 30), 'yyyy"年"m"月"d"日"')}),
                        Row({}),
                        Row({"姓名": "王五", "学时": 2, "开始日期": XlDate(date(2018, 5, 1), "yyyy-mm-dd")})])
    return [first, second]


def test_streamed_workbook_has_xlsxwriters_bytes(tmp_path: Path) -> None:
    expected = xlsxwriter_bytes(tables())
    write_workbook(tmp_path, "book.xlsx", tables())
    assert (tmp_path / "book.xlsx").read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]  # no temporary files left
