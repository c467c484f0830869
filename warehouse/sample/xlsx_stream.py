"""An .xlsx writer that streams rows to disk yet gives xlsxwriter's exact bytes.

xlsxwriter keeps every cell of a workbook in memory until ``close()`` (about 170 bytes a
cell: 4 GB for the appointments sheet at scale 300), and its ``constant_memory`` mode writes
in-line strings instead of the shared-string table that Excel and WPS exports use, which
would change the files.  So the bulky parts — each sheet's ``<sheetData>`` and the shared
strings — are written here, row by row, to temporary files, in exactly xlsxwriter's markup;
everything else (styles, workbook, properties, the sheet's head and tail) comes from a small
xlsxwriter "skeleton" workbook with the same sheets, column widths, merged title, frozen
panes and formats, built at the end.  The zip is written member by member as xlsxwriter's
in-memory mode writes it (same order, deflate, 1980-01-01 times), so the output is byte
for byte what xlsxwriter 3.3 would have written; ``tests/test_sample.py`` holds it to the
committed ``seeds/raw``.  Only what the sample needs is supported: strings, numbers, dates,
a merged title row, formatted header cells.

The shared-string table keeps one dict entry per distinct string (needed to number them),
nothing per cell.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _datetime_to_excel_datetime, xl_col_to_name

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""xlsxwriter's member time in in-memory mode (Excel's own epoch for zip members)."""
SPAN_ROWS = 16
"""xlsxwriter writes a ``spans`` attribute per block of 16 rows (columns used in the block)."""

Value = str | int | float | date | None


@dataclass(frozen=True)
class Style:
    """A cell format by its properties; the same properties give the same xf index."""

    properties: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, properties: dict[str, Any]) -> Style:
        """A style from xlsxwriter ``add_format`` properties."""
        return cls(tuple(sorted(properties.items())))


@dataclass
class _Sheet:
    """What the skeleton needs to repeat for one sheet, and where its rows went."""

    name: str
    widths: list[int]
    title: str | None
    title_style: Style | None
    title_width: int
    header_row: int | None
    header: list[str]
    header_style: Style | None
    freeze_row: int | None
    styles_in_order: list[Style] = field(default_factory=list)
    data: IO[str] | None = None
    dims: list[int] | None = None  # row_min, row_max, col_min, col_max


class _SharedStrings:
    """The workbook's shared strings: numbered in first-use order, their XML streamed out."""

    def __init__(self, handle: IO[str]) -> None:
        self.index: dict[str, int] = {}
        self.count = 0
        self._writer = SharedStrings()
        self._writer._set_filehandle(handle)

    def of(self, text: str) -> int:
        """The index of ``text``, adding it (and its ``<si>`` element) on first use."""
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
            self._writer._write_si(text)
        return found


class StreamingWorkbook:
    """One .xlsx file written sheet by sheet; rows are never held beyond a 16-row block."""

    def __init__(self, target: Path, created: datetime, properties: dict[str, Any] | None = None) -> None:
        self.target = target
        self.created = created
        self.properties = properties or {}
        self._temp = tempfile.TemporaryDirectory(prefix="xlsx-", dir=target.parent)
        self._sst_file = open(Path(self._temp.name) / "sst.xml", "w+", encoding="utf-8")  # noqa: SIM115
        self._strings = _SharedStrings(self._sst_file)
        self._xf: dict[Style, int] = {}
        self._sheets: list[_Sheet] = []

    def _xf_index(self, style: Style, sheet: _Sheet) -> int:
        """xlsxwriter numbers formats 1, 2, … in the order cells first use them."""
        index = self._xf.get(style)
        if index is None:
            index = self._xf[style] = len(self._xf) + 1
            sheet.styles_in_order.append(style)
        return index

    def add_sheet(
        self,
        name: str,
        widths: list[int],
        header: list[str],
        header_style: Style,
        rows: Iterable[list[tuple[Value, Style | None]]],
        *,
        title: str | None = None,
        title_style: Style | None = None,
        blank_rows: int = 0,
        total_label: str | None = None,
    ) -> Iterator[int]:
        """Write one sheet: optional merged title, blank rows, a frozen header, then ``rows``.

        Yields the 0-based sheet row of every data row as it is written, so a caller can
        note where a planted row ended up.  The sheet is complete when the iterator is
        exhausted.
        """
        handle = open(Path(self._temp.name) / f"sheet{len(self._sheets) + 1}.xml", "w+",  # noqa: SIM115
                      encoding="utf-8")
        sheet = _Sheet(name, widths, title, title_style, len(header), None, header, header_style, None,
                       data=handle)
        self._sheets.append(sheet)
        block: list[tuple[int, list[tuple[int, str]]]] = []
        dims = [0, 0, 0, 0]
        started = False

        def cell(row: int, col: int, value: Value, style: Style | None, cells: list[tuple[int, str]]) -> None:
            nonlocal started
            ref = f"{xl_col_to_name(col)}{row + 1}"
            s = f' s="{self._xf_index(style, sheet)}"' if style is not None else ""
            if value is None:
                xml = f'<c r="{ref}"{s}/>'
            elif isinstance(value, str):
                xml = f'<c r="{ref}"{s} t="s"><v>{self._strings.of(value)}</v></c>'
            else:
                number = _datetime_to_excel_datetime(value, False, False) if isinstance(value, date) else value
                xml = f"<c r=\"{ref}\"{s}><v>{number:.16G}</v></c>"
            cells.append((col, xml))
            if not started:
                dims[:] = [row, row, col, col]
                started = True
            else:
                dims[0], dims[1] = min(dims[0], row), max(dims[1], row)
                dims[2], dims[3] = min(dims[2], col), max(dims[3], col)

        def emit(row: int, cells: list[tuple[int, str]]) -> None:
            if block and block[0][0] // SPAN_ROWS != row // SPAN_ROWS:
                flush()
            block.append((row, cells))

        def flush() -> None:
            used = [col for _, cells in block for col, _ in cells]
            spans = f"{min(used) + 1}:{max(used) + 1}"
            for row, cells in block:
                handle.write(f'<row r="{row + 1}" spans="{spans}">')
                handle.write("".join(xml for _, xml in cells))
                handle.write("</row>")
            block.clear()

        row = 0
        if title:
            cells: list[tuple[int, str]] = []
            cell(0, 0, title, title_style, cells)
            for col in range(1, len(header)):
                cell(0, col, None, title_style, cells)
            emit(0, cells)
            row = 1
        row += blank_rows
        cells = []
        for col, text in enumerate(header):
            cell(row, col, text, header_style, cells)
        emit(row, cells)
        sheet.header_row = sheet.freeze_row = row
        for data in rows:
            row += 1
            cells = []
            for col, (value, style) in enumerate(data):
                if value is not None and value != "":
                    cell(row, col, value, style, cells)
            if cells:
                emit(row, cells)
            yield row
        if total_label:
            cells = []
            cell(row + 1, 0, total_label, None, cells)
            emit(row + 1, cells)
        if block:
            flush()
        sheet.dims = dims

    def close(self) -> None:
        """Build the skeleton, then write the zip with the streamed parts spliced in."""
        try:
            skeleton = self._skeleton()
            with (
                zipfile.ZipFile(skeleton) as source,
                zipfile.ZipFile(self.target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as out,
            ):
                for info in source.infolist():
                    member = zipfile.ZipInfo(info.filename, ZIP_TIME)
                    member.compress_type = zipfile.ZIP_DEFLATED
                    with out.open(member, "w") as sink:
                        self._write_member(info.filename, source.read(info.filename), sink)
        finally:
            self._sst_file.close()
            for sheet in self._sheets:
                if sheet.data is not None:
                    sheet.data.close()
            self._temp.cleanup()

    def _write_member(self, name: str, original: bytes, sink: IO[bytes]) -> None:
        sheet_match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        if sheet_match:
            sheet = self._sheets[int(sheet_match[1]) - 1]
            head, rest = original.split(b"<sheetData>", 1)
            _, tail = rest.split(b"</sheetData>", 1)
            assert sheet.dims is not None, f"sheet {sheet.name} was not written to the end"
            r0, r1, c0, c1 = sheet.dims
            first, last = f"{xl_col_to_name(c0)}{r0 + 1}", f"{xl_col_to_name(c1)}{r1 + 1}"
            ref = first if first == last else f"{first}:{last}"
            head = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), head, count=1)
            sink.write(head + b"<sheetData>")
            assert sheet.data is not None
            _copy(sheet.data, sink)
            sink.write(b"</sheetData>" + tail)
        elif name == "xl/sharedStrings.xml":
            head = original.split(b"<sst ", 1)[0]
            sink.write(head + (
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{self._strings.count}" uniqueCount="{len(self._strings.index)}">').encode())
            _copy(self._sst_file, sink)
            sink.write(b"</sst>")
        else:
            sink.write(original)

    def _skeleton(self) -> io.BytesIO:
        """The same workbook without its data rows: xlsxwriter writes every part but the
        bulk, and numbers the formats in the same first-use order as the streamed cells."""
        buffer = io.BytesIO()
        options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                   "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(buffer, options)
        workbook.set_properties({"created": self.created, **self.properties})
        formats: dict[Style, Any] = {}

        def fmt(style: Style) -> Any:
            if style not in formats:
                formats[style] = workbook.add_format(dict(style.properties))
            return formats[style]

        for sheet in self._sheets:
            ws = workbook.add_worksheet(sheet.name)
            for i, width in enumerate(sheet.widths):
                ws.set_column(i, i, width)
            # cells in the same order of first format use as the streamed sheet: title, header,
            # then one placeholder per date format new in this sheet
            if sheet.title and sheet.title_style is not None:
                ws.merge_range(0, 0, 0, sheet.title_width - 1, sheet.title, fmt(sheet.title_style))
            assert sheet.header_row is not None and sheet.header_style is not None
            ws.write_row(sheet.header_row, 0, sheet.header, fmt(sheet.header_style))
            row = sheet.header_row + 1
            for style in sheet.styles_in_order:
                if style not in (sheet.title_style, sheet.header_style):
                    ws.write_number(row, 0, 0, fmt(style))
                    row += 1
            if sheet.freeze_row is not None:
                ws.freeze_panes(sheet.freeze_row + 1, 0)
        workbook.close()
        for style, index in self._xf.items():
            if formats[style].xf_index != index:
                raise AssertionError(f"format {style} is {formats[style].xf_index} in the skeleton, not {index}")
        buffer.seek(0)
        return buffer


def _copy(source: IO[str], sink: IO[bytes], chunk: int = 1 << 20) -> None:
    source.seek(0)
    while data := source.read(chunk):
        sink.write(data.encode("utf-8"))
