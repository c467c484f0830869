"""Ingest: read the raw-export folder, check it against the contract, land it in DuckDB.

A bad file raises :class:`~warehouse.errors.FileError` before anything is written; a bad row
goes to ``landing.rejects`` with its reason and the refresh goes on (contract §9).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse.contract import (
    APPOINTMENTS,
    EXPORT_SUFFIXES,
    LEADERSHIP_TEAMS,
    SINGLE_FILE_TABLES,
    TALENT_POOL,
    TALENT_POOL_DIR,
    TRAINING_CLASSES,
    TRAINING_PARTICIPANTS,
    Kind,
    Table,
)
from warehouse.errors import FileError
from warehouse.landing import LANDED_SCHEMAS, LANDING_SCHEMAS
from warehouse.readers import ReadLimits, ScanAhead, Sheet, display_path, iter_sheets, os_reason
from warehouse.reference import Reference, load_reference
from warehouse.validate import PROBLEM_SCHEMA, ROW, RowValidator, problems_frame, record_json

SNAPSHOT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
# Attributes of a person that should agree across the lists of one snapshot.
PERSON_ATTRIBUTES = ("姓名", "性别", "民族", "出生年月", "政治面貌", "最高学历", "职务层次",
                     "身份类别", "所在地区", "专业领域", "成熟度")
# A rule across the rows of one sheet: the sheet's rows that passed every other check in,
# the problems (one per rejected row) out.
Check = Callable[[pl.DataFrame, Sheet], pl.DataFrame]


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
    """Everything a refresh lands: a frame per landing table and sheet, rejects, warnings,
    file reports."""

    frames: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """The landed rows as records (Chinese column names), for reading a small result."""
        return {name: [row for frame in frames for row in frame.to_dicts()]
                for name, frames in self.frames.items()}

    def table(self, name: str) -> pl.DataFrame:
        """One landing table as a single frame, in the landing schema."""
        schema = LANDING_SCHEMAS[name]
        frames = self.frames.get(name) or [pl.DataFrame(schema=schema)]
        return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]

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


def _listing(folder: Path, file: str) -> list[Path]:
    """A folder's entries, sorted; a folder that cannot be read is a file error, not a crash."""
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        raise FileError(file, f"无法读取文件夹：{os_reason(error)}") from error


class Ingestor:
    """Reads one raw folder; one instance per refresh."""

    def __init__(self, raw_dir: Path, reference: Reference | None = None,
                 limits: ReadLimits | None = None) -> None:
        self.raw_dir = raw_dir
        self.reference = reference or load_reference()
        self.limits = limits or ReadLimits.from_settings()
        self.result = IngestResult()
        self._reported_columns: set[tuple[str, str]] = set()
        self._ahead: ScanAhead | None = None

    # ---- the folder -------------------------------------------------------------------
    def _inside(self, path: Path, file: str) -> Path:
        """``path`` itself, if it (or what a link in it points to) lies inside the raw folder.

        A link leading out of the raw folder is refused: a refresh reads the steward's
        exports, never a file elsewhere on the machine that a link happens to name.
        """
        try:
            inside = path.resolve().is_relative_to(self.raw_dir.resolve())
        except (OSError, RuntimeError) as error:  # a link loop
            raise FileError(file, "是无法解析的链接（可能指向自身）") from error
        if not inside:
            raise FileError(file, "是指向原始数据文件夹之外的链接，出于安全不读取；请把文件本身放入文件夹")
        return path

    def _single_export(self, base: str, title: str) -> Path:
        """The one .xlsx or .csv file of a table; missing or doubled is a file error."""
        raw_dir = self.raw_dir
        found = [raw_dir / f"{base}{suffix}" for suffix in EXPORT_SUFFIXES
                 if (raw_dir / f"{base}{suffix}").is_file()]
        if len(found) > 1:
            raise FileError(f"{base}.xlsx", f"同时存在 {base}.xlsx 和 {base}.csv，无法确定以哪个为准")
        if not found:
            if (raw_dir / f"{base}.xls").exists():
                raise FileError(f"{base}.xls", "不支持旧版 .xls 格式，请另存为 .xlsx 或 .csv")
            raise FileError(f"{base}.xlsx", f"缺少{title}（{base}.xlsx 或 {base}.csv）")
        return self._inside(found[0], display_path(found[0], raw_dir))

    def _workbooks(self) -> list[tuple[Path, bool]]:
        """The workbooks the reading will open, in its order, with whether every visible sheet is
        read (for :class:`ScanAhead`). A guess that never raises: the reading itself checks and
        reports the folder; nothing outside the raw folder (through a link) is listed."""
        pool: list[tuple[Path, bool]] = []
        with contextlib.suppress(OSError):
            for entry in sorted((self.raw_dir / TALENT_POOL_DIR).iterdir()):
                if _is_skippable(entry):
                    continue
                if entry.is_dir():
                    pool += [(member, False) for member in sorted(entry.iterdir())
                             if member.suffix.lower() == ".xlsx" and not _is_skippable(member)]
                elif entry.suffix.lower() == ".xlsx":
                    pool.append((entry, True))
        single = [(self.raw_dir / f"{base}.xlsx", False) for base, _ in SINGLE_FILE_TABLES]
        inside = self.raw_dir.resolve()
        with contextlib.suppress(OSError, RuntimeError):
            return [(path, every) for path, every in pool + single
                    if path.is_file() and path.resolve().is_relative_to(inside)]
        return []

    def run(self) -> IngestResult:
        """Read every export; raises FileError on the first bad file."""
        if not self.raw_dir.is_dir():
            raise FileError(str(self.raw_dir), "原始数据文件夹不存在")
        _listing(self.raw_dir, str(self.raw_dir))
        with ScanAhead(self._workbooks(), self.limits) as self._ahead:
            return self._read_all()

    def _read_all(self) -> IngestResult:
        self._read_talent_pool()
        exports = {table.name: self._single_export(base, table.title) for base, table in SINGLE_FILE_TABLES}
        classes = self._read_table(TRAINING_CLASSES, exports["training_classes"],
                                   self._unique_key("班次编号", "班次编号重复（第{}行已有），只保留第一行"))
        class_ids = set(classes["班次编号"].to_list()) if classes.height else set()
        self._read_table(TRAINING_PARTICIPANTS, exports["training_participants"], self._known_class(class_ids))
        self._read_table(APPOINTMENTS, exports["appointments"], None)
        self._read_table(LEADERSHIP_TEAMS, exports["leadership_teams"],
                         self._unique_key(("行政区划代码", "班子类别"),
                                          "同一地区同一班子重复（第{}行已有），只保留第一行"))
        self._check_team_count()
        return self.result

    def _snapshot_sources(self) -> list[tuple[date, Path, bool]]:
        """(snapshot date, path, is_folder) for each snapshot in talent_pool/."""
        pool_dir = self.raw_dir / TALENT_POOL_DIR
        if not pool_dir.is_dir():
            raise FileError(TALENT_POOL_DIR, "缺少人才库名单文件夹 talent_pool/")
        self._inside(pool_dir, TALENT_POOL_DIR)
        snapshots: dict[date, Path] = {}
        sources: list[tuple[date, Path, bool]] = []
        for path in _listing(pool_dir, TALENT_POOL_DIR):
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
            self._inside(path, file)
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
            folder = display_path(path, self.raw_dir)
            sheets: list[Sheet] = []
            if is_folder:
                seen: set[str] = set()
                for member in _listing(path, folder):
                    if _is_skippable(member) or member.is_dir():
                        continue
                    file = display_path(member, self.raw_dir)
                    if member.suffix.lower() == ".xls":
                        raise FileError(file, "不支持旧版 .xls 格式，请另存为 .xlsx 或 .csv")
                    if member.suffix.lower() not in EXPORT_SUFFIXES or not member.is_file():
                        self.result.warn(file, None, "不是 .xlsx 或 .csv 文件，已忽略")
                        continue
                    if member.stem in seen:
                        raise FileError(file, f"名单“{member.stem}”有两个文件")
                    seen.add(member.stem)
                    sheets += self._sheets(self._inside(member, file), file, TALENT_POOL, all_sheets=False)
                # In a folder the list is named by the file, not by a sheet inside it.
                sheets = [replace(s, name=Path(s.file).stem) for s in sheets]
                if not sheets:
                    self.result.warn(folder, None,
                                     "统计截止日期文件夹中没有可读的名单文件（.xlsx 或 .csv），该期名单为空")
            else:
                sheets = self._sheets(path, folder, TALENT_POOL, all_sheets=True)
            self._read_snapshot(snapshot, sheets)

    def _sheets(self, path: Path, file: str, table: Table, *, all_sheets: bool) -> list[Sheet]:
        """The sheets to read of one export; hidden sheets are reported, not read."""
        def skipped(sheet: str, message: str) -> None:
            self.result.warn(file, sheet, message)
        return list(iter_sheets(path, file, table.key_header, all_sheets=all_sheets, limits=self.limits,
                                skipped=skipped, ahead=self._ahead))

    def _read_snapshot(self, snapshot: date, sheets: list[Sheet]) -> None:
        order = {name: index for index, name in enumerate(self.reference.lists)}
        for sheet in sheets:
            if sheet.name.strip() not in order:
                raise FileError(sheet.file, f"未知名单“{sheet.name}”（名单应为："
                                            f"{'、'.join(self.reference.lists)}）")
        landed = []
        for sheet in sorted(sheets, key=lambda s: order[s.name.strip()]):
            list_name = sheet.name.strip()
            check = self._unique_key("身份证号", "同一名单中身份证号重复（第{}行已有），只保留第一行")
            landed.append(self._load_sheet(TALENT_POOL, sheet, check, snapshot,
                                           extra={"_snapshot_date": snapshot, "名单": list_name}))
        if len(landed) > 1:
            self._report_conflicts(pl.concat(landed))

    def _report_conflicts(self, memberships: pl.DataFrame) -> None:
        """The same person on two lists with different attributes: the earlier list wins.

        ``memberships`` are the landed rows of one snapshot, lists in contract order.
        """
        frame = memberships.with_row_index("__order")
        first = frame.unique("身份证号", keep="first", maintain_order=True)
        later = frame.join(first.select("身份证号", "__order"), on="身份证号", suffix="__first").filter(
            pl.col("__order") != pl.col("__order__first")).drop("__order__first")
        if not later.height:
            return
        pairs = later.join(first.select("身份证号", "名单", "_row", *PERSON_ATTRIBUTES), on="身份证号",
                           suffix="__first")
        # One row per (later row, attribute that differs), in the order of the rows and then of
        # the attributes; only those few rows reach Python.
        differing = pl.concat([
            pairs.filter(pl.col(column).ne_missing(pl.col(f"{column}__first"))).select(
                "__order", "_file", "_sheet", "_row", attribute=pl.lit(position),
                message=pl.format(f"同一人在“{{}}”（第{{}}行）与“{{}}”中“{column}”不一致，以“{{}}”为准",
                                  "名单__first", "_row__first", "名单", "名单__first"),
                value=pl.col(column).cast(pl.String))
            for position, column in enumerate(PERSON_ATTRIBUTES)]).sort("__order", "attribute")
        for _order, file, sheet, row, position, message, value in differing.iter_rows():
            self.result.warn(file, sheet, message, row=row, column=PERSON_ATTRIBUTES[position], value=value)

    # ---- one table --------------------------------------------------------------------
    def _read_table(self, table: Table, path: Path, check: Check | None) -> pl.DataFrame:
        file = display_path(path, self.raw_dir)
        landed = [self._load_sheet(table, sheet, check)
                  for sheet in self._sheets(path, file, table, all_sheets=False)]
        return pl.concat(landed) if landed else pl.DataFrame(schema=LANDING_SCHEMAS[table.name])

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
        check: Check | None,
        snapshot: date | None = None,
        extra: dict[str, Any] | None = None,
    ) -> pl.DataFrame:
        """Validate the rows of one sheet; land the good ones, reject the bad ones. Returns
        the landed rows (landing schema)."""
        self._check_header(table, sheet)
        cells = sheet.data.select(ROW, *(pl.col(f"c{position}").alias(name)
                                         for position, name in enumerate(sheet.header) if name))
        validated = RowValidator(table, self.reference).validate_frame(cells, snapshot)
        records, problems = validated.records, validated.problems
        notes = self._notes(table, sheet, cells)
        if notes.height:
            # What the reader saw in the cell (a number, an error value, a merge) explains
            # the problem better than what the normaliser made of the cell's text.
            problems = pl.concat([problems.join(notes.select(ROW, "column"), on=[ROW, "column"], how="anti"),
                                  notes])
        # Outside the pool a birth date is checked against the as-of date (the latest snapshot).
        as_of = self.result.as_of if snapshot is None else None
        if as_of is not None and "出生日期" in records.columns:
            born = records.select(pl.when(pl.col("出生日期") > as_of).then(
                pl.lit("身份证号中的出生日期晚于数据截止日期（最新统计截止日期）"))).to_series()
            problems = pl.concat([problems, problems_frame(cells[ROW], 10_000, "身份证号", cells["身份证号"], born)])
        if check is not None:
            clean = records.join(problems.select(ROW), on=ROW, how="anti")
            problems = pl.concat([problems, check(clean, sheet)])
        problems = problems.sort(ROW, "seq", maintain_order=True)
        rejected = problems[ROW].unique()
        report = FileReport(sheet.file, sheet.name, table.name, sheet.encoding, snapshot,
                            rows_read=cells.height, rows_rejected=rejected.len())
        report.rows_loaded = report.rows_read - report.rows_rejected
        self.result.files.append(report)
        if not cells.height and snapshot is None:  # a list may be empty; a whole table may not
            self.result.warn(sheet.file, sheet.name, "只有表头，没有数据行")
        if problems.height:
            self._reject(sheet, cells.filter(pl.col(ROW).is_in(rejected.implode())), problems)
        landed = records.filter(~pl.col(ROW).is_in(rejected.implode())).with_columns(
            *(pl.lit(value).alias(name) for name, value in (extra or {}).items()),
            _file=pl.lit(sheet.file), _sheet=pl.lit(sheet.name))
        schema = LANDING_SCHEMAS[table.name]
        landed = landed.select(pl.col(name).cast(dtype) if name in landed.columns else pl.lit(None, dtype).alias(name)
                               for name, dtype in schema.items())
        self.result.frames.setdefault(table.name, []).append(landed)
        return landed

    @staticmethod
    def _notes(table: Table, sheet: Sheet, cells: pl.DataFrame) -> pl.DataFrame:
        """The reader's cell notes of the contract columns, as problems (after the others)."""
        read = {c.header for c in table.columns if c.kind is not Kind.IGNORED}
        noted = [(row, position) for row, position in sorted(sheet.notes) if sheet.header[position] in read]
        if not noted:
            return pl.DataFrame(schema=PROBLEM_SCHEMA)
        texts = {values[ROW]: values for values in
                 cells.filter(pl.col(ROW).is_in([row for row, _ in noted])).iter_rows(named=True)}
        return pl.DataFrame([(row, 1_000 + position, sheet.header[position], texts[row][sheet.header[position]],
                              sheet.notes[(row, position)]) for row, position in noted],
                            schema=PROBLEM_SCHEMA, orient="row")

    def _reject(self, sheet: Sheet, rows: pl.DataFrame, problems: pl.DataFrame) -> None:
        """Every problem of the rejected rows, each with the whole original row."""
        wholes = {values.pop(ROW): record_json(values) for values in rows.iter_rows(named=True)}
        for problem in problems.iter_rows(named=True):
            self.result.rejects.append({
                "file": sheet.file, "sheet": sheet.name, "row": problem[ROW],
                "column": problem["column"], "value": problem["value"], "reason": problem["reason"],
                "record": wholes[problem[ROW]],
            })

    # ---- rules across rows ------------------------------------------------------------
    @staticmethod
    def _unique_key(columns: str | tuple[str, ...], reason: str) -> Check:
        """A check that rejects a later row repeating the key of an earlier row of the sheet
        (``reason`` has a ``{}`` for the earlier row's number)."""
        keys = [columns] if isinstance(columns, str) else list(columns)

        def check(records: pl.DataFrame, sheet: Sheet) -> pl.DataFrame:
            later = records.with_columns(first=pl.col(ROW).min().over(keys)).filter(
                pl.col(ROW) != pl.col("first")).select(ROW, reason=pl.format(reason, pl.col("first")))
            return problems_frame(later[ROW], 20_000, None, None, later["reason"])

        return check

    def _known_class(self, class_ids: set[str]) -> Check:
        def check(records: pl.DataFrame, sheet: Sheet) -> pl.DataFrame:
            known = pl.col("班次编号").is_in(sorted(class_ids))
            unknown = records.filter(~known).select(
                ROW, reason=pl.format("班次编号“{}”在培训班次中不存在（或该班次已被拒收）", pl.col("班次编号")))
            twice = records.filter(known).with_columns(first=pl.col(ROW).min().over("班次编号", "身份证号")).filter(
                pl.col(ROW) != pl.col("first"))
            for values in twice.select(ROW, "班次编号", "first").iter_rows():
                self.result.warn(sheet.file, sheet.name,
                                 f"同一学员在班次“{values[1]}”中出现两次（第{values[2]}行已有），按一次计",
                                 row=values[0], column="身份证号")
            return problems_frame(unknown[ROW], 20_000, None, None, unknown["reason"])

        return check

    def _check_team_count(self) -> None:
        teams = self.result.table("leadership_teams")
        expected = len(set(self.reference.region_codes.values())) * 3
        if teams.height != expected:
            file = teams["_file"][0] if teams.height else "leadership_teams.xlsx"
            self.result.warn(file, None, f"领导班子应为 {expected} 个，实际导入 {teams.height} 个")


def ingest(raw_dir: Path, reference: Reference | None = None, limits: ReadLimits | None = None) -> IngestResult:
    """Read and check a raw folder (contract §1–§9)."""
    return Ingestor(raw_dir, reference, limits).run()


def land(result: IngestResult, connection: duckdb.DuckDBPyConnection) -> None:
    """Write the ingest result into schema ``landing`` with explicit column types.

    ``result`` must have been through ``warehouse.personal.separate``: only the landed columns
    are written, and a person table that still has no ``person_key`` is refused.
    """
    connection.execute("CREATE SCHEMA IF NOT EXISTS landing")
    listed: dict[str, list[dict[str, Any]]] = {
        "rejects": result.rejects, "warnings": result.warnings,
        "files": [vars(report) for report in result.files]}
    for table_name, schema in LANDED_SCHEMAS.items():
        if table_name in listed:
            frame = pl.DataFrame([{c: row.get(c) for c in schema} for row in listed[table_name]],
                                 schema=schema, orient="row")
        else:
            frame = result.table(table_name).select(list(schema))
        connection.register("landing_frame", frame)
        connection.execute(f'CREATE OR REPLACE TABLE landing."{table_name}" AS '
                           "SELECT * FROM landing_frame")
        connection.unregister("landing_frame")
        del frame
