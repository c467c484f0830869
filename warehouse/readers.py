"""Reading one sheet of an export (xlsx or CSV) into rows of cell text, header found.

Real exports put a merged title row and blank rows above the header, and a ``合计`` row at
the bottom; CSVs come as UTF-8, UTF-8 with BOM or GB18030. This module hides all of that and
hands back the header and the data rows with the row numbers a steward sees in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fastexcel

from warehouse.errors import FileError
from warehouse.normalise.text import clean_cell, strip_all_spaces

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
TOTAL_ROW_PREFIX = "合计"


@dataclass(frozen=True)
class Sheet:
    """A sheet after header detection: header names, and data rows keyed by row number."""

    file: str
    name: str
    header: list[str]
    rows: list[tuple[int, list[str | None]]]
    encoding: str | None = None


def display_path(path: Path, root: Path) -> str:
    """A file's path relative to the raw folder, the way a steward names it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def decode_csv(data: bytes, file: str) -> tuple[str, str]:
    """Text and the encoding that decoded it; GB18030 is tried after the UTF-8 family."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig"
                                           and not data.startswith(b"\xef\xbb\xbf")
                                           else encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(file, "无法识别文件编码（应为 UTF-8 或 GB18030）")


def read_csv_rows(path: Path, file: str) -> tuple[list[list[str | None]], str]:
    """All rows of a CSV file as cell text, with the detected encoding."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileError(file, f"无法读取文件：{error.strerror}") from error
    if not data.strip():
        raise FileError(file, "文件为空")
    if b"\x00" in data[:4096]:
        raise FileError(file, "不是文本格式的 CSV 文件")
    text, encoding = decode_csv(data, file)
    try:
        rows = [[clean_cell(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise FileError(file, f"CSV 格式错误：{error}") from error
    return rows, encoding


def open_workbook(path: Path, file: str) -> fastexcel.ExcelReader:
    """An xlsx workbook; anything that is not one (HTML, encrypted, truncated) is a file error."""
    try:
        head = path.read_bytes()[:8]
    except OSError as error:
        raise FileError(file, f"无法读取文件：{error.strerror}") from error
    if not head:
        raise FileError(file, "文件为空")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(file, "文件已加密或为旧版 .xls 格式，请另存为不加密的 .xlsx 或 .csv")
    if not head.startswith(b"PK"):
        raise FileError(file, "不是有效的 .xlsx 文件（可能是网页或文本另存而成）")
    try:
        return fastexcel.read_excel(str(path))
    except Exception as error:  # fastexcel raises several unrelated types for broken zips
        raise FileError(file, f"无法打开 Excel 文件（文件可能已损坏）：{error}") from error


def read_sheet_rows(reader: fastexcel.ExcelReader, sheet: str, file: str) -> list[list[str | None]]:
    """All rows of one sheet as cell text (date cells rendered ``YYYY-MM-DD HH:MM:SS``)."""
    try:
        frame = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
    except Exception as error:
        if "empty" in str(error).lower() or "no data" in str(error).lower():
            return []
        raise FileError(file, f"无法读取工作表“{sheet}”：{error}") from error
    return [[clean_cell(cell) for cell in row] for row in frame.iter_rows()]


def _is_blank(row: list[str | None]) -> bool:
    return all(cell is None for cell in row)


def locate_header(
    raw_rows: list[list[str | None]], key_header: str, file: str, sheet: str
) -> tuple[int, list[str]]:
    """Index of the first row whose cells include ``key_header``, and its normalised names."""
    for index, row in enumerate(raw_rows):
        names = [strip_all_spaces(cell) if cell else "" for cell in row]
        if key_header in names:
            return index, names
    where = f"工作表“{sheet}”" if sheet else "文件"
    raise FileError(file, f"{where}中找不到表头行（应有一行包含“{key_header}”）")


def data_rows(
    raw_rows: list[list[str | None]], header_index: int, width: int
) -> list[tuple[int, list[str | None]]]:
    """Rows below the header with 1-based row numbers; blank rows and a trailing 合计 dropped."""
    rows: list[tuple[int, list[str | None]]] = []
    for index in range(header_index + 1, len(raw_rows)):
        row = raw_rows[index][:width] + [None] * (width - len(raw_rows[index]))
        if not _is_blank(row):
            rows.append((index + 1, row))
    if rows:
        first_cell = next(cell for cell in rows[-1][1] if cell is not None)
        if first_cell.startswith(TOTAL_ROW_PREFIX):
            rows.pop()
    return rows


def to_sheet(
    raw_rows: list[list[str | None]],
    key_header: str,
    file: str,
    sheet: str,
    encoding: str | None = None,
) -> Sheet:
    """Header detection and row numbering for the raw rows of one sheet or CSV."""
    header_index, header = locate_header(raw_rows, key_header, file, sheet)
    while header and not header[-1]:
        header.pop()
    return Sheet(
        file=file,
        name=sheet,
        header=header,
        rows=data_rows(raw_rows, header_index, len(header)),
        encoding=encoding,
    )


def iter_sheets(
    path: Path, file: str, key_header: str, *, all_sheets: bool
) -> Iterator[Sheet]:
    """The sheets of an export: every sheet of a workbook, or the first; a CSV is one sheet."""
    if path.suffix.lower() == ".csv":
        rows, encoding = read_csv_rows(path, file)
        yield to_sheet(rows, key_header, file, path.stem, encoding)
        return
    reader = open_workbook(path, file)
    names = list(reader.sheet_names)
    if not names:
        raise FileError(file, "工作簿中没有工作表")
    for name in names if all_sheets else names[:1]:
        yield to_sheet(read_sheet_rows(reader, name, file), key_header, file, name)
