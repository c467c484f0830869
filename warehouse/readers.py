"""Reading one sheet of an export (xlsx or CSV) into a frame of cell text, header found.

Real exports put a merged title row and blank rows above the header, and a ``合计`` row at
the bottom; CSVs come as UTF-8, UTF-8 with BOM or GB18030. This module hides all of that and
hands back the header and the data rows with the row numbers a steward sees in Excel.

What cell text alone cannot tell is handed back as *notes* on single cells, keyed by
(row number, header position): an ID column cell that Excel holds as a number (its last
digits are lost), a cell holding an Excel error value (``#N/A``), a formula cell without a
saved result, and a cell covered by a merged range (only its top-left cell has a value). The
ingest rejects such a row.

Reading is defended: hidden sheets are never data, and a file's size (a workbook unpacked)
and rows are checked before it is parsed, so one bad export cannot exhaust the machine.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import math
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import fastexcel
import polars as pl

from warehouse.contract import SINGLE_FILE_TABLES, TALENT_POOL, Kind
from warehouse.errors import FileError
from warehouse.normalise.idcard import STORED_AS_NUMBER
from warehouse.normalise.text import (
    PY_SPACE,
    clean_cell,
    clean_cells,
    strip_all_spaces,
    strip_all_spaces_expr,
)
from warehouse.settings import (
    DEFAULT_MAX_CELLS_PER_SHEET,
    DEFAULT_MAX_ROWS_PER_FILE,
    DEFAULT_MAX_XLSX_UNPACKED_MB,
    export_limits,
)

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CSV_CHUNK_ROWS = 50_000
TOTAL_ROW_PREFIX = "合计"
HEADER_SEARCH_ROWS = 64  # rows searched for the header before the rest of the sheet
# Columns whose cells must be text: a number cell there has lost digits (Excel keeps 15).
ID_HEADERS = frozenset(column.header for table in (TALENT_POOL, *(t for _, t in SINGLE_FILE_TABLES))
                       for column in table.columns if column.kind is Kind.ID)
_ERROR_VALUES = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!",
                 "Num": "#NUM!", "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
# A number cell (no ``t`` but ``t="n"``; perhaps a formula) with a value that has a decimal
# point or exponent, or 16+ characters. The first form, with ``r`` first and no namespace
# prefix, is what Excel, WPS, openpyxl and xlsxwriter write, and has a literal prefix the regex
# engine finds fast; the second is tried only on XML with prefixed elements.
_LONG_NUMBER = re.compile(rb'<c r="([A-Z]+)([0-9]+)"((?: (?!t=)[a-z]+="[^"]*"| t="n")*)>'
                          rb"(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?<v>((?=[^<]*[.Ee])[^<]*|[^<]{16,})</v>")
_LONG_VALUE = re.compile(rb"<v>(?:(?=[^<]*[.Ee])[^<]*|[^<]{16,})</v>")
_LONG_NUMBER_PREFIXED = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?"
    rb"<(?:\w+:)?v>((?=[^<]*[.Ee])[^<]*|[^<]{16,})</(?:\w+:)?v>")
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_EMPTY_VALUE = re.compile(rb"<(?:\w+:)?v>\s*</(?:\w+:)?v>")
_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
ROW = "_row"
UNSAVED_FORMULA = ("单元格是公式，但文件中没有保存公式的计算结果（多为程序生成、未经 Excel 计算保存的文件），"
                   "按空白读取会改变含义，请在 Excel 中打开并保存后重新导出")


@dataclass(frozen=True)
class ReadLimits:
    """What a single export may hold, checked before it is parsed: a workbook's parts
    unpacked, rows per file (CSV records, or rows of a worksheet), and the cells of a
    worksheet's used range (the xlsx reader allocates every cell of it: one stray cell at
    AZ400000 costs 20 million cells, a gigabyte). Beyond them the file is refused with the
    limit named instead of exhausting the machine's memory."""

    max_unpacked_bytes: int = DEFAULT_MAX_XLSX_UNPACKED_MB << 20
    max_rows: int = DEFAULT_MAX_ROWS_PER_FILE
    max_cells: int = DEFAULT_MAX_CELLS_PER_SHEET

    @classmethod
    def from_settings(cls) -> ReadLimits:
        """The limits of :func:`warehouse.settings.export_limits` (defaults, then environment)."""
        try:
            unpacked_mb, rows, cells = export_limits()
        except ValueError as error:
            raise FileError("设置", str(error)) from error
        return cls(unpacked_mb << 20, rows, cells)


@dataclass(frozen=True)
class Sheet:
    """A sheet after header detection: header names, and its data rows as a frame.

    ``data`` holds ``_row`` (the row number a steward sees) and one text column per header
    position, ``c0``, ``c1`` …, with the cell text as read. ``notes`` holds what a cell's text
    cannot say, as the reason to reject its row: (row number, position in ``header``) → reason.
    """

    file: str
    name: str
    header: list[str]
    data: pl.DataFrame
    encoding: str | None = None
    notes: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[int, list[str | None]]]:
        """The data rows as (row number, cells) pairs: the sheet as a steward reads it."""
        return [(values[0], list(values[1:])) for values in self.data.iter_rows()]


@dataclass(frozen=True)
class _SheetPart:
    """A worksheet as the workbook lists it: name, visibility and the zip part of its XML."""

    name: str
    state: str  # visible / hidden / veryHidden
    part: str | None


@dataclass
class _PartScan:
    """What the worksheet XML says before it is parsed: rows, merged ranges, and the cells
    holding a formula without a saved result (row 1-based, column 0-based absolute)."""

    rows: int = 0
    extent: tuple[str, int] | None = None  # the used range (<dimension>) and its cells
    merges: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    unsaved_formulas: list[tuple[int, int]] = field(default_factory=list)
    # Number cells (also formulas giving a number) whose saved value has a decimal point, an
    # exponent or 16+ characters: every number cell that can read as a lossy-looking ID.
    long_numbers: set[tuple[int, int]] = field(default_factory=set)


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


def os_reason(error: OSError) -> str:
    """Why the operating system refused a file or folder, in Chinese (never a traceback)."""
    if isinstance(error, PermissionError):
        return "没有读取权限（请检查文件或文件夹的权限）"
    if isinstance(error, FileNotFoundError):
        return "文件不存在（可能在读取时被移走或删除）"
    if isinstance(error, IsADirectoryError):
        return "应为文件，实为文件夹"
    return f"无法读取（系统错误 {error.errno}）"


def _read_bytes(path: Path, file: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise FileError(file, f"无法读取文件：{os_reason(error)}") from error


def _utf16_or_32(data: bytes) -> str | None:
    """The name of a UTF-16/UTF-32 encoding the bytes are in (with or without a BOM), if any."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith(b"\xff\xfe"):
        return "UTF-16 LE"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16 BE"
    # Without a BOM: NUL bytes (from ASCII characters such as the commas, and a few CJK ones
    # like 最 U+6700) mostly at odd positions (LE) or mostly at even ones (BE), and the bytes
    # decode as that.
    head = data[:4096 if len(data) > 4096 else len(data) // 2 * 2]
    if b"\x00" not in head or len(data) % 2:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    for name, codec, mostly_there in (("UTF-16 LE", "utf-16-le", odd >= 4 * even),
                                      ("UTF-16 BE", "utf-16-be", even >= 4 * odd)):
        if mostly_there:
            try:
                head.decode(codec)
            except UnicodeDecodeError:
                continue
            return name
    return None


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


def _frame_of_rows(rows: list[list[str]], width: int) -> pl.DataFrame:
    """Ragged rows of text as a frame of ``width`` text columns (short rows padded with null)."""
    if not width:
        return pl.DataFrame()  # no cell at all: no header can be found in it
    columns = [[row[i] if i < len(row) else None for row in rows] for i in range(width)]
    return pl.DataFrame({f"c{i}": pl.Series(column, dtype=pl.String) for i, column in enumerate(columns)})


def read_csv_frame(path: Path, file: str, limits: ReadLimits) -> tuple[pl.DataFrame, str]:
    """All records of a CSV file as a frame of cell text (record *i* = row *i + 1*), cleaned
    column by column, with the detected encoding."""
    data = _read_bytes(path, file)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileError(file, "文件为空")
    wide = _utf16_or_32(data)
    if wide:
        raise FileError(file, f"CSV 文件为 {wide} 编码（Excel 的“Unicode 文本”），请另存为 UTF-8 或 GB18030 的 CSV")
    if b"\x00" in data:
        raise FileError(file, "文件中有空字符（NUL），不是文本格式的 CSV 文件")
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.max_rows:
        raise FileError(file, f"文件有 {lines} 行，超过每个文件 {limits.max_rows} 行的上限"
                              "（设置 CADRES_MAX_ROWS_PER_FILE），请拆分或核对文件")
    text, encoding = decode_csv(data, file)
    del data
    plain = _plain_csv_frame(text)
    if plain is not None:
        return plain, encoding
    # strict: an unclosed quote would otherwise swallow every later line into one cell, and
    # those rows would be lost without a word.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Records become columns a chunk at a time, so a large file is never held as Python
    # lists of cells (ten times the size of its text) all at once.
    chunks: list[pl.DataFrame] = []
    rows: list[list[str]] = []
    line = 1  # the text line on which the record being read starts
    try:
        for row in reader:
            rows.append(row)
            line = reader.line_num + 1
            if len(rows) == CSV_CHUNK_ROWS:
                chunks.append(_clean_chunk(rows))
                rows = []
    except csv.Error as error:
        raise FileError(file, _csv_reason(error, line)) from error
    del text
    chunks.append(_clean_chunk(rows))
    frame = pl.concat(chunks, how="diagonal") if len(chunks) > 1 else chunks[0]
    return frame.select(sorted(frame.columns, key=lambda name: int(name[1:]))), encoding


def _plain_csv_frame(text: str) -> pl.DataFrame | None:
    """The records of a CSV text without a quotation mark, split and cleaned by polars over the
    whole text; ``None`` for any other CSV, which :mod:`csv` reads.

    Without quotes, :mod:`csv` (``strict``) reads each line as one record and splits it at
    every comma; lines end in LF or CR LF (a lone CR also ends a record for :mod:`csv`, so such
    a text goes that way, as does a line longer than the field size limit, whose error
    :mod:`csv` raises). Most exports are like this, and polars reads them at its own speed.
    """
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    lines = pl.Series("line", [text]).str.split("\n").explode()
    if text.endswith("\n"):  # the line break ends the last record; no empty record follows
        lines = lines.head(-1)
    lines = lines.str.strip_suffix("\r")
    if (lines.str.len_chars().max() or 0) > csv.field_size_limit():
        return None
    width = int(lines.str.count_matches(",", literal=True).max() or 0) + 1
    fields = lines.str.split_exact(",", width - 1).struct.unnest()
    return clean_cells(fields.rename({name: f"c{i}" for i, name in enumerate(fields.columns)}))


def _clean_chunk(rows: list[list[str]]) -> pl.DataFrame:
    frame = _frame_of_rows(rows, max(map(len, rows), default=0))
    if not frame.width:  # records without a cell (blank lines) still count as rows
        return pl.DataFrame({"c0": pl.Series([None] * len(rows), dtype=pl.String)})
    return clean_cells(frame)


def _csv_reason(error: csv.Error, line: int) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return (f"第 {line} 行起有单元格超过 {csv.field_size_limit()} 个字符（多半是引号不配对），"
                "请检查后重新导出")
    if "unexpected end of data" in message:
        return f"第 {line} 行起有未闭合的引号，其后各行都会并入一个单元格，请检查后重新导出"
    if "expected after" in message:
        return f"第 {line} 行起有引号用法错误（引号后应紧跟逗号），请检查后重新导出"
    return f"第 {line} 行起 CSV 格式错误：{_one_line(error)}"


def _check_workbook_bytes(path: Path, file: str, limits: ReadLimits) -> None:
    """An xlsx is a zip: refuse what is not one, and one that unpacks beyond the limit,
    before any XML of it is parsed."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise FileError(file, f"无法读取文件：{os_reason(error)}") from error
    if not head:
        raise FileError(file, "文件为空")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(file, "文件已加密或为旧版 .xls 格式，请另存为不加密的 .xlsx 或 .csv")
    if not head.startswith(b"PK"):
        raise FileError(file, "不是有效的 .xlsx 文件（可能是网页或文本另存而成）")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise FileError(file, f"无法打开 Excel 文件（文件可能已损坏或不完整）：{_one_line(error)}") from error
    if unpacked > limits.max_unpacked_bytes:
        raise FileError(file, f"Excel 文件解压后有 {unpacked >> 20} MB，超过 {limits.max_unpacked_bytes >> 20} MB "
                              "的上限（设置 CADRES_MAX_XLSX_MB），请拆分或核对文件")


def open_workbook(path: Path, file: str, limits: ReadLimits | None = None) -> fastexcel.ExcelReader:
    """An xlsx workbook; anything that is not one (HTML, encrypted, truncated) is a file error."""
    _check_workbook_bytes(path, file, limits or ReadLimits())
    try:
        return fastexcel.read_excel(str(path))
    except Exception as error:  # fastexcel raises several unrelated types for broken zips
        raise FileError(file, f"无法打开 Excel 文件（文件可能已损坏或不完整）：{_one_line(error)}") from error


def _load_frame(reader: fastexcel.ExcelReader, sheet: str, file: str) -> tuple[pl.DataFrame, object, int]:
    """One worksheet as text from its first row (``skip_rows=0`` keeps leading blank rows, so
    row *i* of the frame is Excel row *i + 1*), its cell errors, and the absolute index of
    its first column."""
    try:
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
        columns = [column.absolute_index for column in loaded.selected_columns]
        try:
            batch, errors = loaded.to_arrow_with_errors()
        except ImportError:  # pyarrow missing: no error cells reported, the text is the same
            return loaded.to_polars(), None, columns[0] if columns else 0
        frame = pl.DataFrame(pl.from_arrow(batch))
    except Exception as error:
        if "empty" in str(error).lower() or "no data" in str(error).lower():
            return pl.DataFrame(), None, 0
        raise FileError(file, f"无法读取工作表“{sheet}”：{_one_line(error)}") from error
    return frame, errors, columns[0] if columns else 0


def nonblank_rows(frame: pl.DataFrame) -> pl.Series:
    """Per row of a frame of cell text: does any cell hold more than white space?"""
    if frame.width == 0:
        return pl.Series("filled", [False] * frame.height, dtype=pl.Boolean)
    # A cell is blank for clean_cell iff every character is one it strips (or U+FEFF).
    return frame.select(pl.any_horizontal(
        [pl.col(name).cast(pl.String).str.contains(f"[^{PY_SPACE}\ufeff]").fill_null(False)
         for name in frame.columns]).alias("filled")).to_series()


def _error_cells(errors: object) -> dict[tuple[int, int], str]:
    """(row index, column position) → the Excel error value (``#N/A``) of the sheet's cells."""
    cells: dict[tuple[int, int], str] = {}
    for error in getattr(errors, "errors", None) or []:
        match = re.search(r"Error\((\w+)\)", error.detail)
        if match:
            cells[error.position] = _ERROR_VALUES.get(match.group(1), f"#{match.group(1)}")
    return cells


def _as_frame(raw_rows: list[list[str | None]] | pl.DataFrame) -> pl.DataFrame:
    if isinstance(raw_rows, pl.DataFrame):
        return raw_rows.rename({name: f"c{i}" for i, name in enumerate(raw_rows.columns)})
    return _frame_of_rows([[cell for cell in row] for row in raw_rows],
                          max(map(len, raw_rows), default=0))


def locate_header(frame: pl.DataFrame, key_header: str, file: str, sheet: str) -> tuple[int, list[str]]:
    """Index of the first row whose cells include ``key_header``, and its normalised names.

    The header is nearly always among the first rows: they are searched first, and the rest
    of the sheet only if it is not there (the same first row either way)."""
    if frame.width and frame.height:
        is_header = pl.any_horizontal(
            [(strip_all_spaces_expr(pl.col(name)) == key_header).fill_null(False) for name in frame.columns]
        ).arg_true().first()
        found = frame.head(HEADER_SEARCH_ROWS).select(is_header).item()
        if found is None and frame.height > HEADER_SEARCH_ROWS:
            found = frame.slice(HEADER_SEARCH_ROWS).select(is_header).item()
            found = None if found is None else found + HEADER_SEARCH_ROWS
        if found is not None:
            return found, [strip_all_spaces(str(cell)) if cell else "" for cell in frame.row(found)]
    where = f"工作表“{sheet}”" if sheet else "文件"
    raise FileError(file, f"{where}中找不到表头行（应有一行包含“{key_header}”）")


def data_rows(frame: pl.DataFrame, header_index: int, width: int, *, cleaned: bool = False) -> pl.DataFrame:
    """Rows below the header (``_row`` 1-based, then ``c0`` … the header's width); blank rows
    and a trailing 合计 row dropped. In a ``cleaned`` frame (every cell through
    :func:`clean_cells`) a blank cell is null, and a row is blank when all its cells are."""
    below = frame.slice(header_index + 1).select(
        pl.int_range(header_index + 2, header_index + 2 + pl.len(), dtype=pl.Int32).alias(ROW),
        *(pl.col(f"c{i}") for i in range(width)))
    cells = below.drop(ROW)
    filled = (cells.select(pl.any_horizontal(pl.all().is_not_null())).to_series() if cleaned and cells.width
              else nonblank_rows(cells))
    below = below.filter(filled)
    if below.height:
        last = next(text for text in map(clean_cell, below.row(-1)[1:]) if text is not None)
        if last.startswith(TOTAL_ROW_PREFIX):
            below = below.slice(0, below.height - 1)
    return below


def to_sheet(
    raw_rows: list[list[str | None]] | pl.DataFrame,
    key_header: str,
    file: str,
    sheet: str,
    encoding: str | None = None,
    *,
    cleaned: bool = False,
) -> Sheet:
    """Header detection and row numbering for the raw rows of one sheet or CSV (row *i* of
    ``raw_rows`` is row *i + 1*); ``cleaned`` when every cell went through :func:`clean_cells`."""
    frame = _as_frame(raw_rows)
    header_index, header = locate_header(frame, key_header, file, sheet)
    while header and not header[-1]:
        header.pop()
    data = data_rows(frame, header_index, len(header), cleaned=cleaned)
    return Sheet(file=file, name=sheet, header=header, data=data, encoding=encoding)


# ---- what the cell text does not tell (xlsx only) -----------------------------------------
_NAMESPACES = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
               "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
               "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def _sheet_parts(archive: zipfile.ZipFile) -> list[_SheetPart]:
    """The worksheets in workbook order, with their visibility and XML part (best effort)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iterfind("p:Relationship", _NAMESPACES)}
    parts = []
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NAMESPACES):
        target = targets.get(sheet.get(f"{{{_NAMESPACES['r']}}}id"))
        part = None if target is None else (
            target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target))
        parts.append(_SheetPart(sheet.get("name", ""), sheet.get("state", "visible"), part))
    return parts


def _scan_part(archive: zipfile.ZipFile, part: str, chunk: int = 1 << 20) -> _PartScan:
    """One streaming pass over a worksheet's XML (never held whole): its rows, the cells whose
    formula has no saved result, and the merged ranges after ``</sheetData>``."""
    scan = _PartScan()
    carry = b""
    tail = b""
    with archive.open(part) as stream:
        while block := stream.read(chunk):
            if scan.extent is None and not carry and (found := _DIMENSION.search(block)):
                last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
                scan.extent = (found.group(0).split(b'"')[1].decode(),
                               int(last_row) * (_column_index(last_col) + 1))
            data = carry + block
            end = data.find(b"</sheetData>")
            if end >= 0:
                tail = data[end:] + stream.read()
                data = data[:end]
                carry = b""
            else:
                cut = data.rfind(b"</row>")
                cut = cut + len(b"</row>") if cut >= 0 else 0
                data, carry = data[:cut], data[cut:]
            scan.rows += data.count(b"<row") + data.count(b":row ")
            if b"<f" in data or b":f" in data:
                scan.unsaved_formulas += _unsaved_formulas(data)
            scan.long_numbers.update(_long_numbers(data))
            if tail:
                break
    for match in _MERGE.finditer(tail):
        ref, first_col, first_row, last_col, last_row = match.groups()
        last_col, last_row = last_col or first_col, last_row or first_row
        scan.merges.append((int(first_row), int(last_row), _column_index(first_col), _column_index(last_col),
                            ref.decode()))
    return scan


def _unsaved_formulas(data: bytes) -> list[tuple[int, int]]:
    """Cells of whole ``<row>`` elements that hold a formula but no saved value: what a
    program writes when it cannot calculate, and what Excel would compute only on opening.
    (A text formula whose result is empty, ``t="str"`` with ``<v></v>``, has a value.)"""
    found = []
    for match in _CELL.finditer(data):
        attributes, inner = match.group(1), match.group(3) or b""
        if not _FORMULA.search(inner) or _SAVED_VALUE.search(inner):
            continue
        if b't="str"' in attributes and _EMPTY_VALUE.search(inner):
            continue
        reference = _CELL_REF.search(attributes)
        if reference:
            found.append((int(reference.group(2)), _column_index(reference.group(1))))
    return found


def _long_numbers(data: bytes) -> Iterator[tuple[int, int]]:
    """(row, column) of the number cells in whole ``<row>`` elements whose saved value could
    read as a lossy-looking ID (see :attr:`_PartScan.long_numbers`). A cell with a ``t``
    attribute other than ``n`` holds text, a boolean, an error or a date, not a number."""
    # The few saved values that qualify are found first (a literal ``<v>`` is quick to scan
    # for), and only their cells are matched against _LONG_NUMBER: the same cells as running
    # it over every cell, in half the time. A cell holds no ``<`` before its ``<v>`` other
    # than its own ``<c`` and a formula element, so the nearest ``<c`` is its start.
    for value in _LONG_VALUE.finditer(data):
        start = data.rfind(b"<c", 0, value.start())
        match = _LONG_NUMBER.match(data, start) if start >= 0 else None
        if match and match.end() == value.end():
            yield int(match.group(2)), _column_index(match.group(1))
    if b":c " not in data:
        return
    for match in _LONG_NUMBER_PREFIXED.finditer(data):
        attributes = match.group(1)
        reference = _CELL_REF.search(attributes)
        if reference and (b" t=" not in attributes or b' t="n"' in attributes):
            yield int(reference.group(2)), _column_index(reference.group(1))


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
    one must equal its double's exact value, which only one ID typed as text in 64 does. Such
    a cell is reported only if the worksheet scan saw a number cell there
    (:attr:`_PartScan.long_numbers`): the text alone cannot tell.
    """
    if not _NUMBER_TEXT.fullmatch(text):
        return False
    value = float(text)
    if not math.isfinite(value) or (value.is_integer() and abs(value) < 1e15):
        return False
    return "." in text or "e" in text.lower() or str(int(value)) == text


def _cell_notes(sheet: Sheet, errors: dict[tuple[int, int], str], scan: _PartScan, first_column: int) -> Sheet:
    """The sheet with the notes of its data cells, and ID number cells shown as Excel does."""
    notes: dict[tuple[int, int], str] = {}
    width = len(sheet.header)
    data = sheet.data
    if errors or scan.merges or scan.unsaved_formulas:
        rows = set(data[ROW].to_list())
        for (index, position), value in errors.items():
            if index + 1 in rows and position < width:
                notes[(index + 1, position)] = (f"单元格为 Excel 错误值“{value}”（公式出错），"
                                                "请修正公式或改为数值后重新导出")
        for row_number, column in scan.unsaved_formulas:
            position = column - first_column
            if row_number in rows and 0 <= position < width:
                notes[(row_number, position)] = UNSAVED_FORMULA
        for first_row, last_row, first_col, last_col, ref in scan.merges:
            columns = range(max(first_col, first_column), min(last_col, first_column + width - 1) + 1)
            for row_number in rows.intersection(range(first_row, last_row + 1)):
                for column in columns:
                    position = column - first_column
                    if (row_number, column) != (first_row, first_col) and 0 <= position < width:
                        notes[(row_number, position)] = (f"单元格在合并单元格“{ref}”中，只有左上角单元格有值，"
                                                         "请取消合并并逐行填写后重新导出")
    for position, header in enumerate(sheet.header):
        if header not in ID_HEADERS:
            continue
        cell = pl.col(f"c{position}")
        # What _may_be_lossy_number can accept, found over the column: a decimal point or an
        # exponent, or 16+ digits equal to their double's exact value (or beyond 64 bits).
        exact = cell.cast(pl.Float64, strict=False).cast(pl.Int64, strict=False).cast(pl.String)
        candidates = data.filter(cell.str.contains(r"[.eE]") | (cell.str.contains(r"^-?[0-9]{16,}$")
                                                                & (exact.is_null() | (exact == cell)))
                                 ).select(ROW, cell)
        suspects = {row: text for row, text in candidates.iter_rows() if _may_be_lossy_number(text)}
        lossy = [row for row in suspects if (row, first_column + position) in scan.long_numbers]
        if lossy:
            shown = {row: _excel_number_text(suspects[row]) for row in lossy}
            data = data.with_columns(pl.col(ROW).replace_strict(shown, default=cell, return_dtype=pl.String)
                                     .alias(f"c{position}"))
            notes.update({(row, position): STORED_AS_NUMBER for row in lossy})
    return replace(sheet, data=data, notes=notes) if notes else sheet


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system once a worksheet is parsed.

    The xlsx reader (calamine) builds a sheet's cells with ``malloc`` and frees them once the
    frame exists; polars allocates with its own allocator, which cannot reuse those pages, so
    without this a large workbook's cells stay resident for the rest of the refresh. A no-op
    where the C library is not glibc.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _check_sheet_limits(file: str, name: str, scan: _PartScan, limits: ReadLimits) -> None:
    """A worksheet's used range and rows against the limits, before the reader allocates them."""
    if scan.extent and scan.extent[1] > limits.max_cells:
        raise FileError(file, f"工作表“{name}”的已用区域为 {scan.extent[0]}（{scan.extent[1]} 个单元格），超过"
                              f"每个工作表 {limits.max_cells} 个单元格的上限（设置 CADRES_MAX_CELLS_PER_SHEET）；"
                              "多为远处残留的格式或内容，请删除多余的行和列后重新导出")
    if scan.rows > limits.max_rows:
        raise FileError(file, f"工作表“{name}”有 {scan.rows} 行，超过每个文件 {limits.max_rows} 行的上限"
                              "（设置 CADRES_MAX_ROWS_PER_FILE），请拆分或核对文件")


class ScanAhead:
    """The worksheet scans (:func:`_scan_part`) of the workbooks a refresh will read, run in one
    background thread ahead of the reading.

    The xlsx reader releases the GIL while it parses a sheet, so the scan of the next sheet
    (about half as long as its parse) overlaps it instead of following it (issue 12). Each
    sheet's scan still ends before that sheet is parsed, so the limits hold as before. A workbook
    is scanned only if it passes the unpacked-size check; whatever the scan meets (a broken
    part) is raised when the reader asks for that sheet, so the steward sees the same error at
    the same point. ``workbooks``: (path, every visible sheet or only the first), in reading
    order; a path it does not list is scanned when it is read, as before.
    """

    def __init__(self, workbooks: list[tuple[Path, bool]], limits: ReadLimits) -> None:
        self._planned = {path for path, _ in workbooks}
        self._scans: dict[tuple[Path, str], _PartScan | Exception] = {}
        self._finished: set[Path] = set()
        self._stopped = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, args=(workbooks, limits), daemon=True,
                                        name="xlsx-scan-ahead")
        self._thread.start()

    def _run(self, workbooks: list[tuple[Path, bool]], limits: ReadLimits) -> None:
        for path, all_sheets in workbooks:
            try:
                if self._stopped:
                    return
                _check_workbook_bytes(path, str(path), limits)
                with zipfile.ZipFile(path) as archive:
                    visible = [part for part in _sheet_parts(archive) if part.state in ("visible", "")]
                    for sheet in visible if all_sheets else visible[:1]:
                        if self._stopped or sheet.part is None:
                            continue
                        scan: _PartScan | Exception
                        try:
                            scan = _scan_part(archive, sheet.part)
                        except Exception as error:  # raised to the reader, as an inline scan would
                            scan = error
                        with self._changed:
                            self._scans[(path, sheet.part)] = scan
                            self._changed.notify_all()
            except Exception:  # the reader opens the file itself and reports what is wrong
                pass
            finally:
                with self._changed:
                    self._finished.add(path)
                    self._changed.notify_all()

    def scan(self, path: Path, archive: zipfile.ZipFile, part: str) -> _PartScan:
        """The scan of one worksheet: waited for if it is under way, made here if it was not."""
        if path in self._planned:
            with self._changed:
                self._changed.wait_for(lambda: (path, part) in self._scans or path in self._finished)
                found = self._scans.pop((path, part), None)
            if isinstance(found, Exception):
                raise found
            if found is not None:
                return found
        return _scan_part(archive, part)

    def close(self) -> None:
        """Stop after the part being scanned; the thread is a daemon, nobody waits for it."""
        self._stopped = True

    def __enter__(self) -> ScanAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def iter_sheets(
    path: Path, file: str, key_header: str, *, all_sheets: bool, limits: ReadLimits | None = None,
    skipped: Callable[[str, str], None] | None = None, ahead: ScanAhead | None = None,
) -> Iterator[Sheet]:
    """The sheets of an export: every visible sheet of a workbook, or the first visible one; a
    CSV is one sheet. A hidden or very hidden sheet is never read as data: ``skipped`` is told
    its name and why (an old copy kept out of sight must not be loaded)."""
    limits = limits or ReadLimits()
    if path.suffix.lower() == ".csv":
        frame, encoding = read_csv_frame(path, file, limits)
        yield to_sheet(frame, key_header, file, path.stem, encoding, cleaned=True)
        return
    reader = open_workbook(path, file, limits)
    names = list(reader.sheet_names)
    if not names:
        raise FileError(file, "工作簿中没有工作表")
    with zipfile.ZipFile(path) as archive:
        parts = {part.name: part for part in _sheet_parts(archive)}
        visible = [name for name in names if parts.get(name, _SheetPart(name, "visible", None)).state
                   in ("visible", "")]
        for name in names:
            if name not in visible and skipped is not None:
                kind = "深度隐藏" if parts[name].state == "veryHidden" else "隐藏"
                skipped(name, f"工作表“{name}”是{kind}的工作表，未读取（隐藏的工作表常是旧数据；"
                              "如需导入，请在 Excel 中取消隐藏）")
        if not visible:
            raise FileError(file, "工作簿中没有可见的工作表（隐藏的工作表不读取）")
        for name in visible if all_sheets else visible[:1]:
            part = parts.get(name)
            scan = _PartScan()
            if part is not None and part.part is not None:
                try:
                    scan = ahead.scan(path, archive, part.part) if ahead else _scan_part(archive, part.part)
                except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
                    raise FileError(file, f"无法读取工作表“{name}”（文件可能已损坏）：{_one_line(error)}") from error
            _check_sheet_limits(file, name, scan, limits)
            frame, errors, first_column = _load_frame(reader, name, file)
            release_freed_memory()
            sheet = to_sheet(clean_cells(frame), key_header, file, name, cleaned=True)
            del frame
            yield _cell_notes(sheet, _error_cells(errors), scan, first_column)
