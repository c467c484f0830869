"""Empty export workbooks that make the common mistakes hard to type (``cadres template``).

One workbook per file of the contract, laid out as the raw folder expects, so a steward fills
them in and points ``cadres check --raw`` at the folder. Each data sheet has the contract's
headers and Excel data validation: drop-down lists of the reference seeds' canonical values for
coded columns, date cells for dates, text cells for ID numbers and codes (an ID typed into a
number cell loses its last digits: the commonest mass rejection). The rules come from
``warehouse.contract_doc`` (itself generated from the contract), never restated here.

Instructions: a single-table workbook is read from its first sheet, so its 填写说明 is a second
sheet. A talent-pool workbook is read sheet by sheet, every sheet a list, so it carries its
instructions in the title row above the header (the contract allows one), and the folder gets
a 填写说明.xlsx for all files; the raw folder's root holds nothing the refresh reads besides
the contract's files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from warehouse.contract import TALENT_POOL, Column, Kind, Table
from warehouse.contract_doc import ALL_TABLES, allowed_values, rule_text
from warehouse.reference import Reference, load_reference
from warehouse.safety import neutralise_cell

INSTRUCTIONS = "填写说明"
VALIDATED_ROWS = 5000  # data validation reaches this far below the header
_EXCEL_LIST_LIMIT = 255  # Excel's limit on an inline drop-down list's characters
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
_WIDTHS = {Kind.ID: 22, Kind.TEXT: 24, Kind.DATE: 13, Kind.BIRTH_MONTH: 11}


def _validation(column: Column, reference: Reference) -> dict[str, Any] | None:
    """Excel's data validation for a column: a list, a date, a number or a text length."""
    values = allowed_values(column, reference)
    if values is not None and len(",".join(values)) <= _EXCEL_LIST_LIMIT:
        return {"validate": "list", "source": values, "error_title": column.header,
                "error_message": f"请从下拉列表中选择：{column.header}"[:255]}
    if column.kind is Kind.DATE:
        return {"validate": "date", "criteria": "between", "minimum": date(1900, 1, 1),
                "maximum": date(2100, 12, 31), "error_title": column.header,
                "error_message": "请输入日期，如 2017-05-18"}
    if column.kind is Kind.BIRTH_MONTH:
        return {"validate": "date", "criteria": "between", "minimum": date(1900, 1, 1),
                "maximum": date(2100, 12, 31), "error_title": column.header,
                "error_message": "请输入年月，如 1980-01（按该月 1 日）"}
    if column.kind is Kind.ID:
        return {"validate": "length", "criteria": "between", "minimum": 15, "maximum": 18,
                "error_title": column.header, "error_message": "身份证号应为 18 位（旧号 15 位）"}
    if column.kind is Kind.NUMBER:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": column.header,
                "error_message": "请输入不小于 0 的数字"}
    if column.kind is Kind.SEATS:
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 999,
                "error_title": column.header, "error_message": "请输入 1 至 999 的整数"}
    return None


def _write_data_sheet(workbook: xlsxwriter.Workbook, sheet: Worksheet, table: Table,
                      reference: Reference, rows: Sequence[Mapping[str, Any]], title: str | None,
                      formats: dict[str, Any]) -> None:
    top = 0
    if title:
        sheet.merge_range(0, 0, 0, len(table.columns) - 1, title, formats["title"])
        sheet.set_row(0, 36)
        top = 1
    sheet.write_row(top, 0, table.headers, formats["header"])
    sheet.freeze_panes(top + 1, 0)
    last = top + VALIDATED_ROWS
    for position, column in enumerate(table.columns):
        cell_format = (formats["date"] if column.kind is Kind.DATE
                       else formats["month"] if column.kind is Kind.BIRTH_MONTH
                       else formats["text"] if column.kind not in (Kind.NUMBER, Kind.SEATS, Kind.IGNORED)
                       else None)
        sheet.set_column(position, position, _WIDTHS.get(column.kind, 14), cell_format)
        rule = _validation(column, reference)
        message = rule_text(column, reference).replace("**", "")  # markdown bold is for the doc
        if rule is not None:
            rule |= {"input_title": column.header[:32], "input_message": message[:255]}
            sheet.data_validation(top + 1, position, last, position, rule)
        elif column.kind is not Kind.IGNORED:
            sheet.data_validation(top + 1, position, last, position,
                                  {"validate": "any", "input_title": column.header[:32],
                                   "input_message": message[:255]})
        if column.not_blank:
            sheet.write_comment(top, position, "必填")
    for offset, row in enumerate(rows, start=top + 1):
        for position, header in enumerate(table.headers):
            value = row.get(header)
            if isinstance(value, date):
                moment = datetime(value.year, value.month, value.day)
                sheet.write_datetime(offset, position, moment, formats["date"])
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(offset, position, value)
            elif value is not None and value != "":
                sheet.write_string(offset, position, str(neutralise_cell(str(value))))


def _write_instructions(sheet: Worksheet, tables: Sequence[tuple[str, Table]],
                        reference: Reference, formats: dict[str, Any]) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 100, formats["wrap"])
    row = 0
    sheet.write_string(row, 0, "填写说明（完整规范见 docs/raw-exports.zh.md）", formats["title"])
    row += 1
    general = ("身份证号、编号请按文本填写（模板中已设为文本格式），不要改成数字；日期请填日期；"
               "有下拉列表的列请从列表中选择。不要增删或改名表头；表头上方的标题行可以保留。"
               "填好后先运行 cadres check --raw 文件夹 检查，再运行 cadres refresh --raw 文件夹 发布。")
    sheet.write_string(row, 0, general)
    row += 2
    for location, table in tables:
        name = f"{location}.xlsx"
        if table is TALENT_POOL:
            name += "（文件名改为统计截止日期，如 2018-04-30.xlsx；每个名单一张工作表）"
        sheet.write_string(row, 0, f"{table.title}：{name}", formats["header_left"])
        row += 1
        sheet.write_row(row, 0, ("列名", "必填", "填写要求"), formats["header"])
        row += 1
        for column in table.columns:
            sheet.write_row(row, 0, (column.header, "是" if column.not_blank else "",
                                     str(neutralise_cell(rule_text(column, reference).replace("**", "")))))
            row += 1
        row += 1


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "header": workbook.add_format({"bold": True, "align": "center", "border": 1, "bg_color": "#F2DCDB"}),
        "header_left": workbook.add_format({"bold": True}),
        "text": workbook.add_format({"num_format": "@"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "month": workbook.add_format({"num_format": "yyyy-mm"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }


def write_templates(out: Path, rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                    snapshot: date | None = None, reference: Reference | None = None) -> list[Path]:
    """Write the workbooks under ``out``; ``rows`` (table or list name → rows) pre-fills them.

    The talent-pool workbook is named by ``snapshot`` (default: today): the steward renames it
    to the snapshot date of the data. Returns the paths written.
    """
    reference = reference or load_reference()
    rows = rows or {}
    snapshot = snapshot or date.today()
    written: list[Path] = []
    for location, table in ALL_TABLES:
        is_pool = table is TALENT_POOL
        path = out / (f"talent_pool/{snapshot.isoformat()}.xlsx" if is_pool else f"{location}.xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
        formats = _formats(workbook)
        if is_pool:
            for list_name in reference.lists:
                title = (f"党外干部人才库名单：{list_name}（工作表名即名单名，请勿修改；"
                         f"文件名改为统计截止日期 YYYY-MM-DD.xlsx；填写说明见 {INSTRUCTIONS}.xlsx）")
                _write_data_sheet(workbook, workbook.add_worksheet(list_name), table, reference,
                                  rows.get(list_name, ()), title, formats)
        else:
            _write_data_sheet(workbook, workbook.add_worksheet(table.title[:31]), table, reference,
                              rows.get(table.name, ()), None, formats)
            _write_instructions(workbook.add_worksheet(INSTRUCTIONS), [(location, table)],
                                reference, formats)
        workbook.close()
        written.append(path)
    path = out / f"{INSTRUCTIONS}.xlsx"
    workbook = xlsxwriter.Workbook(str(path), _OPTIONS)
    _write_instructions(workbook.add_worksheet(INSTRUCTIONS), ALL_TABLES, reference, _formats(workbook))
    workbook.close()
    written.append(path)
    return written
