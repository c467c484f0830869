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
from collections.abc import Iterable, Iterator, Sequence
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

Value = str | int | float | None
DatedCell = tuple[date, "Style"]
"""A date cell: the date and the (number) format it is shown with."""


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
        self._serials: dict[date, float] = {}
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
        rows: Iterable[Sequence[Value | DatedCell]],
        *,
        title: str | None = None,
        title_style: Style | None = None,
        blank_rows: int = 0,
        total_label: str | None = None,
    ) -> Iterator[int]:
        """Write one sheet: optional merged title, blank rows, a frozen header, then ``rows``
        (one value per header column; None or "" leaves the cell out; a date cell comes as
        ``(date, Style)``).

        Yields the 0-based sheet row of every data row as it is written, so a caller can
        note where a planted row ended up.  The sheet is complete when the iterator is
        exhausted.
        """
        handle = open(Path(self._temp.name) / f"sheet{len(self._sheets) + 1}.xml", "w+",  # noqa: SIM115
                      encoding="utf-8")
        sheet = _Sheet(name, widths, title, title_style, len(header), None, header, header_style, None,
                       data=handle)
        self._sheets.append(sheet)
        letters = [xl_col_to_name(col) for col in range(len(header))]
        block: list[tuple[int, int, int, str]] = []  # row, first and last column used, cells' XML
        dims: list[int] = []
        string_index = self._strings.of

        def xf(style: Style) -> int:
            return self._xf_index(style, sheet)

        def emit(row: int, first: int, last: int, xml: str) -> None:
            if block and block[0][0] // SPAN_ROWS != row // SPAN_ROWS:
                flush()
            block.append((row, first, last, xml))
            if dims:
                dims[0], dims[1] = min(dims[0], row), max(dims[1], row)
                dims[2], dims[3] = min(dims[2], first), max(dims[3], last)
            else:
                dims[:] = [row, row, first, last]

        def flush() -> None:
            spans = f"{min(b[1] for b in block) + 1}:{max(b[2] for b in block) + 1}"
            handle.write("".join(f'<row r="{row + 1}" spans="{spans}">{xml}</row>' for row, _, _, xml in block))
            block.clear()

        def styled_row(row: int, cells: list[tuple[str | None, Style | None]]) -> None:
            """Title, header and 合计 rows: text (or a blank) with an optional format."""
            xml = []
            for col, (text, style) in enumerate(cells):
                s = f' s="{xf(style)}"' if style is not None else ""
                if text is None:
                    xml.append(f'<c r="{letters[col]}{row + 1}"{s}/>')
                else:
                    xml.append(f'<c r="{letters[col]}{row + 1}"{s} t="s"><v>{string_index(text)}</v></c>')
            emit(row, 0, len(cells) - 1, "".join(xml))

        row = 0
        if title:
            styled_row(0, [(title, title_style)] + [(None, title_style)] * (len(header) - 1))
            row = 1
        row += blank_rows
        styled_row(row, [(text, header_style) for text in header])
        sheet.header_row = sheet.freeze_row = row
        for data in rows:
            row += 1
            r = row + 1
            xml = []
            first = last = -1
            for col, value in enumerate(data):
                if value is None or value == "":
                    continue
                if first < 0:
                    first = col
                last = col
                if isinstance(value, str):
                    xml.append(f'<c r="{letters[col]}{r}" t="s"><v>{string_index(value)}</v></c>')
                elif isinstance(value, tuple):
                    day, style = value
                    xml.append(f'<c r="{letters[col]}{r}" s="{xf(style)}"><v>{self._serial(day):.16G}</v></c>')
                else:
                    xml.append(f'<c r="{letters[col]}{r}"><v>{value:.16G}</v></c>')
            if xml:
                emit(row, first, last, "".join(xml))
            yield row
        if total_label:
            styled_row(row + 1, [(total_label, None)])
        if block:
            flush()
        sheet.dims = dims

    def _serial(self, day: date) -> float:
        """Excel's serial number of a date (as xlsxwriter computes it), remembered: dates repeat."""
        found = self._serials.get(day)
        if found is None:
            found = self._serials[day] = _datetime_to_excel_datetime(day, False, False)
        return found

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
