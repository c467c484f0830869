"""Builders for the corpus: each rewrites one export of a copy of the base raw folder.

The base folder is ``tests.rawkit.write_raw(...)`` with its defaults: one snapshot
(``talent_pool/2018-04-30.xlsx``, list 副科级以上党外干部, title row 1, blank row 2, header row
3, data from row 4), and single-table workbooks with the header on row 1 (data from row 2).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

from tests.rawkit import Row, write_csv
from warehouse.contract import (
    APPOINTMENTS,
    LEADERSHIP_TEAMS,
    TALENT_POOL,
    TRAINING_CLASSES,
    TRAINING_PARTICIPANTS,
)

SNAPSHOT = "2018-04-30"  # the base folder's only snapshot: the as-of date
POOL_FILE = f"talent_pool/{SNAPSHOT}.xlsx"
FIRST_LIST = "副科级以上党外干部"
POOL_FIRST_ROW = 4  # title row, blank row, header row, then the data
CSV_SNAPSHOT = "2017-12-31"  # an earlier snapshot, sent as a folder of CSVs
TABLE_FILES = {"classes": "training/classes.xlsx", "participants": "training/participants.xlsx",
               "appointments": "appointments.xlsx", "leadership_teams": "leadership_teams.xlsx"}
TABLE_HEADERS = {"classes": TRAINING_CLASSES.headers, "participants": TRAINING_PARTICIPANTS.headers,
                 "appointments": APPOINTMENTS.headers, "leadership_teams": LEADERSHIP_TEAMS.headers}


# ---- cells that a plain value cannot describe ----------------------------------------------
@dataclass(frozen=True)
class Num:
    """A number cell (Excel keeps 15 significant digits of it)."""

    value: float


@dataclass(frozen=True)
class Formula:
    """A formula cell with the value Excel cached for it; ``date`` gives it a date format."""

    formula: str
    cached: Any
    date: bool = False


@dataclass(frozen=True)
class DateCell:
    """A real Excel date cell (a number with a date format)."""

    value: date


@dataclass(frozen=True)
class Blank:
    """A formatted empty cell (what 'clear contents' leaves behind)."""


def workbook(path: Path, sheets: dict[str, list[Sequence[Any]]], *,
             merges: dict[str, list[tuple[str, Any]]] | None = None, top: int = 0, left: int = 0) -> None:
    """A workbook written cell by cell from ``top``/``left``; ``merges`` maps a sheet to
    (A1 range, value) pairs. ``None`` or ``""`` leaves a cell empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties({"created": datetime(2018, 5, 1)})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    border = book.add_format({"border": 1})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows, start=top):
            for c, value in enumerate(row, start=left):
                if isinstance(value, Num):
                    sheet.write_number(r, c, value.value)
                elif isinstance(value, Formula):
                    sheet.write_formula(r, c, value.formula, date_format if value.date else None, value.cached)
                elif isinstance(value, DateCell | date):
                    day = value.value if isinstance(value, DateCell) else value
                    sheet.write_datetime(r, c, datetime(day.year, day.month, day.day), date_format)
                elif isinstance(value, Blank):
                    sheet.write_blank(r, c, None, border)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif value is not None and value != "":
                    sheet.write_string(r, c, str(value))
        for cell_range, value in (merges or {}).get(name, []):
            sheet.merge_range(cell_range, value)
    book.close()


def cells(row: Row, headers: Sequence[str]) -> list[Any]:
    return [row.get(header) for header in headers]


# ---- the talent pool -------------------------------------------------------------------------
def pool(raw: Path, *rows: Row, list_name: str = FIRST_LIST, headers: Sequence[str] = TALENT_POOL.headers,
         merges: list[tuple[str, Any]] | None = None) -> None:
    """Replace the snapshot workbook with one list: title, blank row, header, the rows."""
    pool_sheets(raw, {list_name: list(rows)}, headers=headers,
                merges={list_name: merges} if merges else None)


def pool_sheets(raw: Path, sheets: dict[str, list[Row]], *, headers: Sequence[str] = TALENT_POOL.headers,
                merges: dict[str, list[tuple[str, Any]]] | None = None) -> None:
    title = f"党外干部人才库名单（截至{SNAPSHOT}）"
    workbook(raw / POOL_FILE,
             {name: [[title], [], list(headers), *(cells(row, headers) for row in rows)]
              for name, rows in sheets.items()},
             merges={name: [(f"A1:{_column(len(headers) - 1)}1", title), *((merges or {}).get(name, []))]
                     for name in sheets})


def pool_csv(raw: Path, list_name: str, rows: list[Row], *, encoding: str = "utf-8",
             headers: Sequence[str] = TALENT_POOL.headers, title: str | None = None) -> str:
    """A list of the earlier snapshot as a CSV in a folder; returns its display path."""
    file = f"talent_pool/{CSV_SNAPSHOT}/{list_name}.csv"
    write_csv(raw / file, headers, rows, encoding=encoding, title=title)
    return file


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


# ---- single-table exports ----------------------------------------------------------------------
def table(raw: Path, name: str, *rows: Row, headers: Sequence[str] | None = None,
          merges: list[tuple[str, Any]] | None = None) -> None:
    """Replace one single-table workbook (classes, participants, appointments, leadership_teams)."""
    headers = headers or TABLE_HEADERS[name]
    workbook(raw / TABLE_FILES[name], {"Sheet1": [list(headers), *(cells(row, headers) for row in rows)]},
             merges={"Sheet1": merges} if merges else None)


def table_csv(raw: Path, name: str, rows: list[Row], *, headers: Sequence[str] | None = None,
              encoding: str = "utf-8") -> str:
    """Send a single-table export as CSV instead of xlsx; returns its display path."""
    xlsx = raw / TABLE_FILES[name]
    xlsx.unlink()
    file = TABLE_FILES[name].removesuffix(".xlsx") + ".csv"
    write_csv(raw / file, headers or TABLE_HEADERS[name], rows, encoding=encoding)
    return file


# ---- byte-level damage -----------------------------------------------------------------------
def html_page() -> bytes:
    """What a web system's 'export to Excel' often sends: an HTML table."""
    return ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><td>姓名</td><td>身份证号</td></tr><tr><td>测试1</td><td>511102198001010011</td></tr>"
            "</table></body></html>").encode()


def encrypted_workbook() -> bytes:
    """The start of an OLE2/CFB container, which is what Excel writes for a password-protected
    workbook (and for an old .xls); the first bytes are all a reader looks at."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + bytes(24) + bytes.fromhex("3E000300FEFF0900")


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "这不是 Excel 文件")
    return buffer.getvalue()


def damage_worksheet(path: Path) -> None:
    """Flip bytes inside the first worksheet's compressed XML: the archive's directory still
    opens, the sheet's data no longer checks out (a disk or a transfer that damaged it)."""
    with zipfile.ZipFile(path) as archive:
        item = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = item.header_offset + 30 + len(item.filename.encode()) + len(item.extra)
    middle = start + item.compress_size // 2
    data[middle:middle + 16] = bytes(byte ^ 0xFF for byte in data[middle:middle + 16])
    path.write_bytes(bytes(data))


def append_blank_rows(path: Path, count: int) -> None:
    """Add ``count`` blank rows below the data of the first sheet, the way Excel leaves them
    after 'clear contents': a formatted empty cell and a cell holding a space on each row."""
    source = zipfile.ZipFile(path)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                last = max(int(n) for n in re.findall(r'<row r="(\d+)"', text))
                blank = "".join(
                    f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" t="inlineStr"><is><t xml:space="preserve">'
                    f' \u3000</t></is></c></row>' for r in range(last + 1, last + 1 + count))
                text = text.replace("</sheetData>", blank + "</sheetData>")
                text = re.sub(r'<dimension ref="[^"]*"/>', "", text)
                data = text.encode()
            target.writestr(item, data)
    source.close()
    path.write_bytes(output.getvalue())


# ---- what xlsxwriter cannot write: hidden sheets, formulas without a saved result -------------
def openpyxl_workbook(path: Path, sheets: list[tuple[str, str, list[Sequence[Any]]]]) -> None:
    """A workbook written by openpyxl: (name, state, rows) per sheet, state ``visible``,
    ``hidden`` or ``veryHidden``. A cell text starting with ``=`` is a formula, and openpyxl
    saves no result for it (as any program that cannot calculate)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, state, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    book.save(path)


def table_rows(name: str, *rows: Row) -> list[list[Any]]:
    """A single-table export's header and rows, as cell values."""
    headers = TABLE_HEADERS[name]
    return [list(headers), *(cells(row, headers) for row in rows)]


def with_declared_size(path: Path, part: str, size: int) -> None:
    """Declare ``part`` of a workbook larger than it is in the zip's central directory: the
    shape of a zip bomb, which a reader must refuse before unpacking anything."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    name = part.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_length] == name:
            data[at + 24:at + 28] = size.to_bytes(4, "little")  # uncompressed size
            break
        at = data.find(b"PK\x01\x02", at + 4)
    assert info.file_size != size and at >= 0
    path.write_bytes(bytes(data))
