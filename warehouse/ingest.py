"""Ingest: read the raw-export folder, check it against the contract, land it in DuckDB.

A bad file raises :class:`~warehouse.errors.FileError` before anything is written; a bad row
goes to ``landing.rejects`` with its reason and the refresh goes on (contract §9).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.contract import (
    EXPORT_SUFFIXES,
    SINGLE_FILE_TABLES,
    TALENT_POOL,
    TALENT_POOL_DIR,
    TRAINING_CLASSES,
    TRAINING_PARTICIPANTS,
    Kind,
    Table,
)
from warehouse.errors import FileError
from warehouse.landing import LANDING_SCHEMAS
from warehouse.readers import Sheet, display_path, iter_sheets
from warehouse.reference import Reference, load_reference
from warehouse.validate import Problem, RowValidator, record_json

SNAPSHOT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
# Attributes of a person that should agree across the lists of one snapshot.
PERSON_ATTRIBUTES = ("姓名", "性别", "民族", "出生年月", "政治面貌", "最高学历", "职务层次",
                     "身份类别", "所在地区", "专业领域", "成熟度")


@dataclass
class FileReport:
    """What one sheet (or CSV) of the raw folder gave."""

    file: str
    sheet: str
    table_name: str
    encoding: str | None = None
    snapshot_date: date | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0


@dataclass
class IngestResult:
    """Everything a refresh lands: records per landing table, rejects, warnings, file reports."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)

    @property
    def as_of(self) -> date | None:
        """The latest snapshot date: the warehouse's as-of date."""
        dates = [r.snapshot_date for r in self.files if r.snapshot_date is not None]
        return max(dates) if dates else None

    def warn(self, file: str, sheet: str | None, message: str, *, row: int | None = None,
             column: str | None = None, value: str | None = None) -> None:
        self.warnings.append({"file": file, "sheet": sheet, "row": row, "column": column,
                              "value": value, "message": message})


def _is_skippable(path: Path) -> bool:
    """Hidden files and the lock files that Excel and WPS leave beside an open workbook."""
    return path.name.startswith((".", "~$"))


def _snapshot_date(path: Path, file: str) -> date:
    stem = path.stem if path.is_file() else path.name
    if not SNAPSHOT_NAME.fullmatch(stem):
        raise FileError(file, "人才库文件名应为统计截止日期，格式 YYYY-MM-DD（如 2017-12-31.xlsx）")
    try:
        return date.fromisoformat(stem)
    except ValueError as error:
        raise FileError(file, f"文件名中的统计截止日期“{stem}”不存在") from error


def _single_export(raw_dir: Path, base: str, title: str) -> Path:
    """The one .xlsx or .csv file of a table; missing or doubled is a file error."""
    found = [raw_dir / f"{base}{suffix}" for suffix in EXPORT_SUFFIXES
             if (raw_dir / f"{base}{suffix}").is_file()]
    if len(found) > 1:
        raise FileError(f"{base}.xlsx", f"同时存在 {base}.xlsx 和 {base}.csv，无法确定以哪个为准")
    if not found:
        if (raw_dir / f"{base}.xls").exists():
            raise FileError(f"{base}.xls", "不支持旧版 .xls 格式，请另存为 .xlsx 或 .csv")
        raise FileError(f"{base}.xlsx", f"缺少{title}（{base}.xlsx 或 {base}.csv）")
    return found[0]


class Ingestor:
    """Reads one raw folder; one instance per refresh."""

    def __init__(self, raw_dir: Path, reference: Reference | None = None) -> None:
        self.raw_dir = raw_dir
        self.reference = reference or load_reference()
        self.result = IngestResult()
        self._reported_columns: set[tuple[str, str]] = set()

    # ---- the folder -------------------------------------------------------------------
    def run(self) -> IngestResult:
        """Read every export; raises FileError on the first bad file."""
        if not self.raw_dir.is_dir():
            raise FileError(str(self.raw_dir), "原始数据文件夹不存在")
        self._read_talent_pool()
        exports = {table.name: _single_export(self.raw_dir, base, table.title)
                   for base, table in SINGLE_FILE_TABLES}
        class_ids = self._read_table(TRAINING_CLASSES, exports["training_classes"],
                                     self._unique_key("班次编号", "班次编号重复（第{first}行已有），只保留第一行"))
        self._read_table(TRAINING_PARTICIPANTS, exports["training_participants"],
                         self._known_class(class_ids))
        for _base, table in SINGLE_FILE_TABLES:
            if table.name in ("appointments", "leadership_teams"):
                check = (self._unique_key(("行政区划代码", "班子类别"),
                                          "同一地区同一班子重复（第{first}行已有），只保留第一行")
                         if table.name == "leadership_teams" else None)
                self._read_table(table, exports[table.name], check)
        self._check_team_count()
        return self.result

    def _snapshot_sources(self) -> list[tuple[date, Path, bool]]:
        """(snapshot date, path, is_folder) for each snapshot in talent_pool/."""
        pool_dir = self.raw_dir / TALENT_POOL_DIR
        if not pool_dir.is_dir():
            raise FileError(TALENT_POOL_DIR, "缺少人才库名单文件夹 talent_pool/")
        snapshots: dict[date, Path] = {}
        sources: list[tuple[date, Path, bool]] = []
        for path in sorted(pool_dir.iterdir()):
            file = display_path(path, self.raw_dir)
            if _is_skippable(path):
                continue
            if path.is_file() and path.suffix.lower() not in EXPORT_SUFFIXES:
                if path.suffix.lower() == ".xls":
                    raise FileError(file, "不支持旧版 .xls 格式，请另存为 .xlsx 或 .csv")
                self.result.warn(file, None, "不是 .xlsx 或 .csv 文件，已忽略")
                continue
            if path.is_file() and path.suffix.lower() == ".csv":
                raise FileError(file, "人才库的 CSV 须每个名单一个文件，放在以统计截止日期命名的文件夹中")
            snapshot = _snapshot_date(path, file)
            if snapshot in snapshots:
                raise FileError(file, f"统计截止日期 {snapshot} 有两份名单"
                                      f"（另一份：{display_path(snapshots[snapshot], self.raw_dir)}）")
            snapshots[snapshot] = path
            sources.append((snapshot, path, path.is_dir()))
        if not sources:
            raise FileError(TALENT_POOL_DIR, "talent_pool/ 中没有人才库名单文件")
        return sorted(sources)

    def _read_talent_pool(self) -> None:
        for snapshot, path, is_folder in self._snapshot_sources():
            sheets: list[Sheet] = []
            if is_folder:
                seen: set[str] = set()
                for member in sorted(path.iterdir()):
                    if _is_skippable(member) or not member.is_file():
                        continue
                    file = display_path(member, self.raw_dir)
                    if member.suffix.lower() not in EXPORT_SUFFIXES:
                        self.result.warn(file, None, "不是 .xlsx 或 .csv 文件，已忽略")
                        continue
                    if member.stem in seen:
                        raise FileError(file, f"名单“{member.stem}”有两个文件")
                    seen.add(member.stem)
                    sheets += iter_sheets(member, file, TALENT_POOL.key_header, all_sheets=False)
                # In a folder the list is named by the file, not by a sheet inside it.
                sheets = [replace(s, name=Path(s.file).stem) for s in sheets]
            else:
                file = display_path(path, self.raw_dir)
                sheets = list(iter_sheets(path, file, TALENT_POOL.key_header, all_sheets=True))
            self._read_snapshot(snapshot, sheets)

    def _read_snapshot(self, snapshot: date, sheets: list[Sheet]) -> None:
        order = {name: index for index, name in enumerate(self.reference.lists)}
        for sheet in sheets:
            if sheet.name.strip() not in order:
                raise FileError(sheet.file, f"未知名单“{sheet.name}”（名单应为："
                                            f"{'、'.join(self.reference.lists)}）")
        first_seen: dict[str, dict[str, Any]] = {}
        for sheet in sorted(sheets, key=lambda s: order[s.name.strip()]):
            list_name = sheet.name.strip()
            check = self._unique_key("身份证号", "同一名单中身份证号重复（第{first}行已有），只保留第一行")
            records = self._load_sheet(TALENT_POOL, sheet, check, snapshot,
                                       extra={"_snapshot_date": snapshot, "名单": list_name})
            for record in records:
                first = first_seen.setdefault(record["身份证号"], record)
                if first is not record:
                    self._report_conflict(first, record)

    def _report_conflict(self, first: dict[str, Any], later: dict[str, Any]) -> None:
        """The same person on two lists with different attributes: the earlier list wins."""
        for column in PERSON_ATTRIBUTES:
            if first.get(column) != later.get(column):
                self.result.warn(
                    later["_file"], later["_sheet"],
                    f"同一人在“{first['名单']}”（第{first['_row']}行）与“{later['名单']}”中"
                    f"“{column}”不一致，以“{first['名单']}”为准",
                    row=later["_row"], column=column, value=_text(later.get(column)))

    # ---- one table --------------------------------------------------------------------
    def _read_table(self, table: Table, path: Path,
                    check: Callable[[dict[str, Any], Sheet, int], str | None] | None) -> set[str]:
        file = display_path(path, self.raw_dir)
        keys: set[str] = set()
        for sheet in iter_sheets(path, file, table.key_header, all_sheets=False):
            for record in self._load_sheet(table, sheet, check):
                if "班次编号" in record:
                    keys.add(record["班次编号"])
        return keys

    def _check_header(self, table: Table, sheet: Sheet) -> None:
        where = f"工作表“{sheet.name}”" if sheet.file.endswith(".xlsx") else "表头"
        names = [name for name in sheet.header if name]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            raise FileError(sheet.file, f"{where}中列名重复：{'、'.join(doubled)}")
        missing = [h for h in table.required_headers if h not in names]
        if missing:
            raise FileError(sheet.file, f"{where}缺少必需列：{'、'.join(missing)}")
        for name in names:
            if name not in table.headers and (sheet.file, name) not in self._reported_columns:
                self._reported_columns.add((sheet.file, name))
                self.result.warn(sheet.file, sheet.name, f"未知列“{name}”未导入", column=name)

    def _load_sheet(
        self,
        table: Table,
        sheet: Sheet,
        check: Callable[[dict[str, Any], Sheet, int], str | None] | None,
        snapshot: date | None = None,
        extra: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Validate the rows of one sheet; keep the good ones, reject the bad ones."""
        self._check_header(table, sheet)
        validator = RowValidator(table, self.reference)
        report = FileReport(sheet.file, sheet.name, table.name, sheet.encoding, snapshot)
        self.result.files.append(report)
        landed = self.result.tables.setdefault(table.name, [])
        loaded: list[dict[str, Any]] = []
        notes = self._notes_by_row(table, sheet)
        # Outside the pool a birth date is checked against the as-of date (the latest snapshot).
        as_of = self.result.as_of if snapshot is None else None
        for row_number, row in sheet.rows:
            cells = {name: value for name, value in zip(sheet.header, row, strict=True) if name}
            record, problems = validator.validate(cells, snapshot)
            if row_number in notes:
                # What the reader saw in the cell (a number, an error value, a merge) explains
                # the problem better than what the normaliser made of the cell's text.
                noted = notes[row_number]
                problems = [p for p in problems if p.column not in noted]
                problems += [Problem(column, cells.get(column), reason) for column, reason in noted.items()]
            born = record.get("出生日期")
            if as_of is not None and isinstance(born, date) and born > as_of:
                problems.append(Problem("身份证号", cells.get("身份证号"),
                                        "身份证号中的出生日期晚于数据截止日期（最新统计截止日期）"))
            if not problems and check is not None:
                reason = check(record, sheet, row_number)
                if reason:
                    problems = [Problem(None, None, reason)]
            report.rows_read += 1
            if problems:
                report.rows_rejected += 1
                self._reject(sheet, row_number, cells, problems)
                continue
            record.update(extra or {})
            record.update({"_file": sheet.file, "_sheet": sheet.name, "_row": row_number})
            landed.append(record)
            loaded.append(record)
            report.rows_loaded += 1
        return loaded

    @staticmethod
    def _notes_by_row(table: Table, sheet: Sheet) -> dict[int, dict[str, str]]:
        """The reader's cell notes of the contract columns, by row number and header."""
        read = {c.header for c in table.columns if c.kind is not Kind.IGNORED}
        notes: dict[int, dict[str, str]] = {}
        for (row_number, position), reason in sorted(sheet.notes.items()):
            if sheet.header[position] in read:
                notes.setdefault(row_number, {})[sheet.header[position]] = reason
        return notes

    def _reject(self, sheet: Sheet, row_number: int, cells: dict[str, str | None],
                problems: Iterable[Problem]) -> None:
        whole = record_json(cells)
        for problem in problems:
            self.result.rejects.append({
                "file": sheet.file, "sheet": sheet.name, "row": row_number,
                "column": problem.column, "value": problem.value, "reason": problem.reason,
                "record": whole,
            })

    # ---- rules across rows ------------------------------------------------------------
    @staticmethod
    def _unique_key(
        columns: str | tuple[str, ...], reason: str
    ) -> Callable[[dict[str, Any], Sheet, int], str | None]:
        """A check that rejects a later row repeating the key of an earlier row of the sheet."""
        key_columns = (columns,) if isinstance(columns, str) else columns
        seen: dict[tuple[Any, ...], int] = {}

        def check(record: dict[str, Any], sheet: Sheet, row_number: int) -> str | None:
            key = (sheet.file, sheet.name, *(record.get(c) for c in key_columns))
            first = seen.setdefault(key, row_number)
            return reason.format(first=first) if first != row_number else None

        return check

    def _known_class(self, class_ids: set[str]) -> Callable[[dict[str, Any], Sheet, int], str | None]:
        seen: dict[tuple[str, str], int] = {}

        def check(record: dict[str, Any], sheet: Sheet, row_number: int) -> str | None:
            class_id = record["班次编号"]
            if class_id not in class_ids:
                return f"班次编号“{class_id}”在培训班次中不存在（或该班次已被拒收）"
            first = seen.setdefault((class_id, record["身份证号"]), row_number)
            if first != row_number:
                self.result.warn(sheet.file, sheet.name,
                                 f"同一学员在班次“{class_id}”中出现两次（第{first}行已有），按一次计",
                                 row=row_number, column="身份证号")
            return None

        return check

    def _check_team_count(self) -> None:
        teams = self.result.tables.get("leadership_teams", [])
        expected = len(set(self.reference.region_codes.values())) * 3
        if len(teams) != expected:
            file = teams[0]["_file"] if teams else "leadership_teams.xlsx"
            self.result.warn(file, None, f"领导班子应为 {expected} 个，实际导入 {len(teams)} 个")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def ingest(raw_dir: Path, reference: Reference | None = None) -> IngestResult:
    """Read and check a raw folder (contract §1–§9)."""
    return Ingestor(raw_dir, reference).run()


def land(result: IngestResult, connection: duckdb.DuckDBPyConnection) -> None:
    """Write the ingest result into schema ``landing`` with explicit column types."""
    connection.execute("CREATE SCHEMA IF NOT EXISTS landing")
    frames: dict[str, list[dict[str, Any]]] = dict(result.tables)
    frames["rejects"] = result.rejects
    frames["warnings"] = result.warnings
    frames["files"] = [vars(report) for report in result.files]
    for table_name, schema in LANDING_SCHEMAS.items():
        rows = frames.get(table_name, [])
        frame = pl.DataFrame([{c: row.get(c) for c in schema} for row in rows],
                             schema=schema, orient="row")
        connection.register("landing_frame", frame)
        connection.execute(f'CREATE OR REPLACE TABLE landing."{table_name}" AS '
                           "SELECT * FROM landing_frame")
        connection.unregister("landing_frame")
