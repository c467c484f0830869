"""Reading one sheet of an export (xlsx or CSV) into rows of cell text, header found.

Real exports put a merged title row and blank rows above the header, and a ``合计`` row at
the bottom; CSVs come as UTF-8, UTF-8 with BOM or GB18030. This module hides all of that and
hands back the header and the data rows with the row numbers a steward sees in Excel.

What cell text alone cannot tell is handed back as *notes* on single cells, keyed by
(row number, header position): an ID column cell that Excel holds as a number (its last
digits are lost), a cell holding an Excel error value (``#N/A``), and a cell covered by a
merged range (only its top-left cell has a value). The ingest rejects such a row.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import fastexcel
import polars as pl

from warehouse.contract import SINGLE_FILE_TABLES, TALENT_POOL, Kind
from warehouse.errors import FileError
from warehouse.normalise.idcard import STORED_AS_NUMBER
from warehouse.normalise.text import clean_cell, strip_all_spaces

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
TOTAL_ROW_PREFIX = "合计"
# Columns whose cells must be text: a number cell there has lost digits (Excel keeps 15).
ID_HEADERS = frozenset(column.header for table in (TALENT_POOL, *(t for _, t in SINGLE_FILE_TABLES))
                       for column in table.columns if column.kind is Kind.ID)
_ERROR_VALUES = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!",
                 "Num": "#NUM!", "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?)"')
_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_BLANK_CELL = re.compile("^[\\s\ufeff]*$")  # polars (Rust) \s ⊂ Python's str.strip() white space


@dataclass(frozen=True)
class Sheet:
    """A sheet after header detection: header names, and data rows keyed by row number.

    ``notes`` holds what a cell's text cannot say, as the reason to reject its row:
    (row number, position in ``header``) → reason.
    """

    file: str
    name: str
    header: list[str]
    rows: list[tuple[int, list[str | None]]]
    encoding: str | None = None
    notes: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class _WorkbookSheet:
    """The raw rows of one worksheet (row *i* is Excel row *i + 1*) and its cell notes."""

    rows: list[list[str | None]]
    errors: dict[tuple[int, int], str]  # (row index, column position) → error value
    first_column: int  # absolute column index of position 0


def display_path(path: Path, root: Path) -> str:
    """A file's path relative to the raw folder, the way a steward names it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _one_line(error: BaseException, limit: int = 160) -> str:
    """The first line of a library's error message, short: a file error is one line."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= limit else text[:limit] + "…"


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
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileError(file, "文件为空")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(file, "CSV 文件为 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 UTF-8 或 GB18030 的 CSV")
    if b"\x00" in data:
        raise FileError(file, "文件中有空字符（NUL），不是文本格式的 CSV 文件")
    text, encoding = decode_csv(data, file)
    # strict: an unclosed quote would otherwise swallow every later line into one cell, and
    # those rows would be lost without a word.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str | None]] = []
    line = 1  # the text line on which the record being read starts
    try:
        for row in reader:
            rows.append([clean_cell(cell) for cell in row] if any(row) else [])
            line = reader.line_num + 1
    except csv.Error as error:
        message = str(error)
        if "field larger than field limit" in message:
            reason = (f"第 {line} 行起有单元格超过 {csv.field_size_limit()} 个字符（多半是引号不配对），"
                      "请检查后重新导出")
        elif "unexpected end of data" in message:
            reason = f"第 {line} 行起有未闭合的引号，其后各行都会并入一个单元格，请检查后重新导出"
        elif "expected after" in message:
            reason = f"第 {line} 行起有引号用法错误（引号后应紧跟逗号），请检查后重新导出"
        else:
            reason = f"第 {line} 行起 CSV 格式错误：{_one_line(error)}"
        raise FileError(file, reason) from error
    return rows, encoding


def open_workbook(path: Path, file: str) -> fastexcel.ExcelReader:
    """An xlsx workbook; anything that is not one (HTML, encrypted, truncated) is a file error."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
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
        raise FileError(file, f"无法打开 Excel 文件（文件可能已损坏或不完整）：{_one_line(error)}") from error


def _load_frame(reader: fastexcel.ExcelReader, sheet: str, file: str) -> tuple[pl.DataFrame, object, list[int]]:
    """One worksheet as text from its first row (``skip_rows=0`` keeps leading blank rows, so
    row *i* of the frame is Excel row *i + 1*), its cell errors, and absolute column indices."""
    try:
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
        columns = [column.absolute_index for column in loaded.selected_columns]
        try:
            batch, errors = loaded.to_arrow_with_errors()
        except ImportError:  # pyarrow missing: no error cells reported, the text is the same
            return loaded.to_polars(), None, columns
        frame = pl.DataFrame(pl.from_arrow(batch))
    except Exception as error:
        if "empty" in str(error).lower() or "no data" in str(error).lower():
            return pl.DataFrame(), None, []
        raise FileError(file, f"无法读取工作表“{sheet}”：{_one_line(error)}") from error
    return frame, errors, columns


def nonblank_rows(frame: pl.DataFrame) -> pl.Series:
    """Per row of a frame of cell text: does any cell hold more than white space?

    A row marked blank here is blank for :func:`clean_cell` too (Rust's ``\\s`` is a subset
    of what ``str.strip`` removes); a row marked non-blank is checked again cell by cell.
    """
    if frame.width == 0:
        return pl.Series("filled", [False] * frame.height, dtype=pl.Boolean)
    return frame.select(pl.any_horizontal(
        [pl.col(name).is_not_null() & ~pl.col(name).cast(pl.String).str.contains(_BLANK_CELL.pattern)
         for name in frame.columns]).alias("filled")).to_series()


def _read_workbook_sheet(reader: fastexcel.ExcelReader, sheet: str, file: str) -> _WorkbookSheet:
    frame, errors, columns = _load_frame(reader, sheet, file)
    if frame.width == 0 or frame.height == 0:
        return _WorkbookSheet([], {}, 0)
    # Blank rows (often tens of thousands of formatted but empty rows below the data) are
    # found by polars and handed back as [] without a Python loop over their cells.
    rows: list[list[str | None]] = [[] for _ in range(frame.height)]
    for values in frame.with_row_index("__row").filter(nonblank_rows(frame)).iter_rows():
        rows[values[0]] = [clean_cell(cell) for cell in values[1:]]
    error_cells: dict[tuple[int, int], str] = {}
    for error in getattr(errors, "errors", None) or []:
        match = re.search(r"Error\((\w+)\)", error.detail)
        if match:
            row, column = error.position
            error_cells[(row, column)] = _ERROR_VALUES.get(match.group(1), f"#{match.group(1)}")
    return _WorkbookSheet(rows, error_cells, columns[0] if columns else 0)


def read_sheet_rows(reader: fastexcel.ExcelReader, sheet: str, file: str) -> list[list[str | None]]:
    """All rows of one sheet as cell text (date cells rendered ``YYYY-MM-DD HH:MM:SS``).

    Row *i* of the list is Excel row *i + 1* (blank rows, also those above the first used
    row, are kept as empty lists).
    """
    return _read_workbook_sheet(reader, sheet, file).rows


def _is_blank(row: list[str | None]) -> bool:
    return all(clean_cell(cell) is None for cell in row)


def locate_header(
    raw_rows: list[list[str | None]], key_header: str, file: str, sheet: str
) -> tuple[int, list[str]]:
    """Index of the first row whose cells include ``key_header``, and its normalised names."""
    for index, row in enumerate(raw_rows):
        names = [strip_all_spaces(str(cell)) if cell else "" for cell in row]
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
        raw = raw_rows[index]
        if not raw:
            continue
        row = raw[:width] + [None] * (width - len(raw))
        if not _is_blank(row):
            rows.append((index + 1, row))
    if rows:
        first_cell = next(text for text in map(clean_cell, rows[-1][1]) if text is not None)
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


# ---- what the cell text does not tell (xlsx only) -----------------------------------------
def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int, str]]:
    """Merged ranges of a worksheet: (first row, last row, first column, last column, ref),
    rows 1-based, columns 0-based absolute. Best effort: an unexpected layout gives none."""
    namespaces = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                  "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                  "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            relation = next(s.get(f"{{{namespaces['r']}}}id")
                            for s in workbook.iterfind("m:sheets/m:sheet", namespaces)
                            if s.get("name") == sheet)
            relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target", "") for r in relations.iterfind("p:Relationship", namespaces)
                          if r.get("Id") == relation)
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            tail = _after_sheet_data(archive, part)
    except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError,
            EOFError):
        return []
    ranges = []
    for match in _MERGE.finditer(tail):
        ref, first_col, first_row, last_col, last_row = match.groups()
        last_col, last_row = last_col or first_col, last_row or first_row
        ranges.append((int(first_row), int(last_row), _column_index(first_col), _column_index(last_col),
                       ref.decode()))
    return ranges


def _after_sheet_data(archive: zipfile.ZipFile, part: str, chunk: int = 1 << 20) -> bytes:
    """What follows ``</sheetData>`` in a worksheet part (where ``<mergeCells>`` lives), read as
    a stream so that a sheet of a hundred thousand rows is not held in memory."""
    marker = b"</sheetData>"
    carry = b""
    with archive.open(part) as stream:
        while block := stream.read(chunk):
            data = carry + block
            found = data.find(marker)
            if found >= 0:
                return data[found:] + stream.read()
            carry = data[-len(marker):]
    return b""


def _excel_number_text(text: str) -> str:
    """A number cell's value as Excel shows it in the formula bar: 15 significant digits."""
    try:
        return format(Decimal(f"{float(text):.15g}"), "f")
    except (ValueError, ArithmeticError):
        return text


def _may_be_lossy_number(text: str) -> bool:
    """Could this cell text be how fastexcel renders a number cell that lost digits?

    fastexcel renders a number cell as the exact value of its double (``5.11102198001011E+17``
    → ``511102198001011008``). Up to 15 digits an integer is exact and is not reported; a longer
    one must equal its double's exact value, which only one ID typed as text in 64 does. This
    keeps the second read of the sheet (for the cell types) off most files.
    """
    if not _NUMBER_TEXT.fullmatch(text):
        return False
    value = float(text)
    if not math.isfinite(value) or (value.is_integer() and abs(value) < 1e15):
        return False
    return "." in text or "e" in text.lower() or str(int(value)) == text


def _number_cells(reader: fastexcel.ExcelReader, sheet: str, position: int) -> set[int]:
    """Row indices whose cell in the column at ``position`` is a number (or formula number).

    Read as boolean, fastexcel gives a value for number and boolean cells only: text (even
    ``"511102198001011234"``), dates and blanks come back null.
    """
    name = f"__UNNAMED__{position}"
    try:
        column = reader.load_sheet(sheet, header_row=None, skip_rows=0, use_columns=[name],
                                   dtypes={name: "boolean"}).to_polars().to_series()
    except Exception:  # the text read already succeeded; no number cells is the safe answer
        return set()
    return set(column.is_not_null().arg_true().to_list())


def _cell_notes(path: Path, reader: fastexcel.ExcelReader, name: str, raw: _WorkbookSheet,
                sheet: Sheet) -> Sheet:
    """The sheet with the notes of its data cells, and ID number cells shown as Excel does."""
    notes: dict[tuple[int, int], str] = {}
    data = {row_number: row for row_number, row in sheet.rows}
    width = len(sheet.header)
    for (index, position), value in raw.errors.items():
        if index + 1 in data and position < width:
            notes[(index + 1, position)] = (f"单元格为 Excel 错误值“{value}”（公式出错），"
                                            "请修正公式或改为数值后重新导出")
    for first_row, last_row, first_col, last_col, ref in _merged_ranges(path, name) if data else []:
        for row_number in range(first_row, last_row + 1):
            if row_number not in data:
                continue
            for column in range(first_col, last_col + 1):
                position = column - raw.first_column
                if (row_number, column) != (first_row, first_col) and 0 <= position < width:
                    notes[(row_number, position)] = (f"单元格在合并单元格“{ref}”中，只有左上角单元格有值，"
                                                     "请取消合并并逐行填写后重新导出")
    for position, header in enumerate(sheet.header):
        if header not in ID_HEADERS:
            continue
        suspects = {row_number for row_number, row in data.items()
                    if row[position] is not None and _may_be_lossy_number(row[position] or "")}
        for index in _number_cells(reader, name, position) if suspects else ():
            if index + 1 in suspects:
                row = data[index + 1]
                row[position] = _excel_number_text(row[position] or "")
                notes[(index + 1, position)] = STORED_AS_NUMBER
    return replace(sheet, notes=notes) if notes else sheet


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
        raw = _read_workbook_sheet(reader, name, file)
        sheet = to_sheet(raw.rows, key_header, file, name)
        yield _cell_notes(path, reader, name, raw, sheet)
