"""Validation of a sheet's rows over whole columns: cell text in, normalised columns and the
problems of each row out.

Every rule of the contract that concerns a single row lives here; rules that need other rows
(duplicates, unknown classes, conflicts across sheets) live in :mod:`warehouse.ingest`.

Each cell rule is written once, as a normaliser of one cell (:mod:`warehouse.normalise`). A
column is normalised by calling it once per *distinct* value (an export repeats its coded
values, dates and regions thousands of times) and joining the results back, or, for the
columns where nearly every value differs (names, free text, ID numbers), by polars
expressions that give the same result: the per-cell normaliser then sees only the few cells
the expressions do not accept, and finds their reason.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from warehouse.contract import Column, Kind, Table
from warehouse.normalise import Invalid, is_invalid
from warehouse.normalise.codes import lookup, parse_affiliation, parse_ethnicity, parse_sex
from warehouse.normalise.dates import parse_date, plain_date_expr
from warehouse.normalise.idcard import (
    IdNumber,
    id_birth_date_expr,
    id_sex_expr,
    parse_id,
    plain_valid_id_expr,
    spelled_id_expr,
)
from warehouse.normalise.text import clean_cell_expr, clean_code, clean_name_expr, quote
from warehouse.reference import Reference

DIVISION_CODES_LABEL = "行政区划代码"
ROW = "_row"
PROBLEM_SCHEMA = {ROW: pl.Int32, "seq": pl.Int32, "column": pl.String, "value": pl.String,
                  "reason": pl.String}
# Order of a row's problems: its columns in contract order, then the checks across columns.
_SEQ_SEX, _SEQ_BIRTH_MONTH, _SEQ_BORN, _SEQ_DATES = 100, 101, 102, 103


@dataclass(frozen=True)
class Problem:
    """Why one cell made its row unacceptable."""

    column: str | None
    value: str | None
    reason: str


def parse_number(raw: object, label: str) -> float | Invalid | None:
    """A non-negative decimal number (学时)."""
    text = clean_code(raw)
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) or not math.isfinite(float(text)):
        return Invalid(f"{label}{quote(text)}不是有效的数字")
    return float(text)


def parse_seats(raw: object, label: str) -> int | Invalid | None:
    """A whole number of seats, at least 1."""
    text = clean_code(raw)
    if text is None:
        return None
    # At most three significant digits before int(): a huge digit string must not raise.
    if not re.fullmatch(r"0*[0-9]{1,3}", text) or int(text) < 1:
        return Invalid(f"{label}{quote(text)}应为 1 至 999 的整数")
    return int(text)


Parser = tuple[Callable[[Any], Any], pl.DataType] | tuple[Callable[[Any], Any], pl.DataType,
                                                        Callable[[pl.Expr], pl.Expr]]


def _cell_parser(column: Column, reference: Reference) -> Parser:
    """The one-cell normaliser of a column read value by value, the type of its values, and
    for dates the expression reading the plainly written ones over the whole column."""
    label = column.header
    division_codes = sorted(set(reference.region_codes.values()))
    parsers: dict[Kind, Parser] = {
        Kind.KEY: (clean_code, pl.String()),
        Kind.DATE: (parse_date, pl.Date(), plain_date_expr),
        Kind.BIRTH_MONTH: (parse_date, pl.Date(), plain_date_expr),
        Kind.SEX: (parse_sex, pl.String()),
        Kind.ETHNICITY: (lambda raw: parse_ethnicity(raw, reference), pl.String()),
        Kind.AFFILIATION: (lambda raw: parse_affiliation(raw, reference), pl.String()),
        Kind.EDUCATION: (lambda raw: lookup(raw, reference.education, label), pl.String()),
        Kind.RANK: (lambda raw: lookup(raw, reference.ranks, label), pl.String()),
        Kind.REGION: (lambda raw: lookup(raw, reference.regions, label), pl.String()),
        Kind.CODE: (lambda raw: lookup(raw, reference.code_values[column.domain or ""], label),
                    pl.String()),
        Kind.NUMBER: (lambda raw: parse_number(raw, label), pl.Float64()),
        Kind.SEATS: (lambda raw: parse_seats(raw, label), pl.Int32()),
        Kind.DIVISION_CODE: (lambda raw: lookup(raw, division_codes, DIVISION_CODES_LABEL), pl.String()),
    }
    return parsers[column.kind]


@functools.cache
def _plain_of_raw(plain: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``plain`` over the column ``raw``, built once (a date's expression has ~40 nodes)."""
    return plain(pl.col("raw"))


def _by_distinct_value(cells: pl.Series, parse: Callable[[Any], Any], dtype: pl.DataType,
                       plain: Callable[[pl.Expr], pl.Expr] | None = None) -> pl.DataFrame:
    """``value`` and ``reason`` per cell, from one look at each distinct cell text: by
    ``plain`` (if given) over all of them at once, and by ``parse`` for those it leaves."""
    distinct = cells.unique().rename("raw")
    read = pl.DataFrame(schema={"raw": pl.String, "value": dtype, "reason": pl.String})
    if plain is not None:
        fast = distinct.to_frame().select("raw", value=_plain_of_raw(plain), reason=pl.lit(None, pl.String))
        read = fast.filter(pl.col("value").is_not_null())
        distinct = fast.filter(pl.col("value").is_null())["raw"]
    parsed = [parse(text) for text in distinct.to_list()]
    table = pl.concat([read, pl.DataFrame({
        "raw": distinct,
        "value": pl.Series([None if is_invalid(p) else p for p in parsed], dtype=dtype),
        "reason": pl.Series([p.reason if is_invalid(p) else None for p in parsed], dtype=pl.String),
    })])
    return cells.rename("raw").to_frame().join(table, on="raw", how="left", nulls_equal=True,
                                               maintain_order="left").select("value", "reason")


def _parse_ids(cells: pl.Series) -> pl.DataFrame:
    """``value`` (the 18-character number), ``birth``, ``sex`` and ``reason`` per cell.

    Three steps, each on fewer cells: the column as written (nearly all cells are valid
    18-character IDs), then its other distinct cells respelled (:func:`spelled_id_expr`: a
    lower-case ``x``, 15 digits), and :func:`parse_id` only for what is still left, to find
    the reason.
    """
    frame = cells.rename("raw").to_frame().with_columns(plain=plain_valid_id_expr(pl.col("raw")))
    number = pl.col("number")
    respelled = frame.filter(~pl.col("plain")).select(pl.col("raw").unique()).with_columns(
        number=spelled_id_expr(pl.col("raw"))).with_columns(ok=plain_valid_id_expr(number))
    settled = respelled.filter(pl.col("ok")).select(
        "raw", o_value=number, o_birth=id_birth_date_expr(number), o_sex=id_sex_expr(number),
        reason=pl.lit(None, pl.String))
    others = respelled.filter(~pl.col("ok"))["raw"].to_list()
    parsed = [parse_id(text) for text in others]
    table = pl.concat([settled, pl.DataFrame({
        "raw": pl.Series(others, dtype=pl.String),
        "o_value": pl.Series([p.number if isinstance(p, IdNumber) else None for p in parsed], dtype=pl.String),
        "o_birth": pl.Series([p.birth_date if isinstance(p, IdNumber) else None for p in parsed], dtype=pl.Date),
        "o_sex": pl.Series([p.sex if isinstance(p, IdNumber) else None for p in parsed], dtype=pl.String),
        "reason": pl.Series([p.reason if is_invalid(p) else None for p in parsed], dtype=pl.String),
    })])
    plain, raw = pl.col("plain"), pl.col("raw")
    return frame.join(table, on="raw", how="left", nulls_equal=True, maintain_order="left").select(
        value=pl.when(plain).then(raw).otherwise(pl.col("o_value")),
        birth=pl.when(plain).then(id_birth_date_expr(raw)).otherwise(pl.col("o_birth")),
        sex=pl.when(plain).then(id_sex_expr(raw)).otherwise(pl.col("o_sex")),
        reason=pl.when(plain).then(None).otherwise(pl.col("reason")),
    )


@dataclass(frozen=True)
class Validated:
    """The normalised columns of a sheet (one row per input row, ``_row`` kept) and the
    problems found, one row per problem in the order a steward reads them."""

    records: pl.DataFrame
    problems: pl.DataFrame


class RowValidator:
    """Validates the rows of one table against the contract, with the reference tables."""

    def __init__(self, table: Table, reference: Reference) -> None:
        self.table = table
        self.reference = reference
        self.columns = [c for c in table.columns if c.kind is not Kind.IGNORED]

    def validate_frame(self, cells: pl.DataFrame, snapshot_date: date | None = None) -> Validated:
        """Normalise every contract column of ``cells`` (cell text by header, and ``_row``)."""
        cells = cells.with_columns(pl.lit(None, pl.String).alias(c.header) for c in self.columns
                                   if c.header not in cells.columns)
        values: dict[str, pl.Series] = {ROW: cells[ROW]}
        problems: list[pl.DataFrame] = []
        identity: pl.DataFrame | None = None
        for seq, column in enumerate(self.columns):
            raw = cells[column.header]
            if column.kind is Kind.TEXT:
                parsed = raw.to_frame().select(value=clean_cell_expr(pl.col(column.header)),
                                               reason=pl.lit(None, pl.String))
            elif column.kind is Kind.NAME:
                parsed = raw.to_frame().select(value=clean_name_expr(pl.col(column.header)),
                                               reason=pl.lit(None, pl.String))
            elif column.kind is Kind.ID:
                parsed = identity = _parse_ids(raw)
            else:
                parsed = _by_distinct_value(raw, *_cell_parser(column, self.reference))
            value, reason = parsed["value"], parsed["reason"]
            if column.not_blank:
                reason = pl.select(pl.when(value.is_null() & reason.is_null())
                                   .then(pl.lit(f"必填项“{column.header}”为空")).otherwise(reason)).to_series()
            elif column.blank_means is not None:
                value = value.fill_null(pl.when(reason.is_null()).then(pl.lit(column.blank_means)))
            problems.append(problems_frame(cells[ROW], seq, column.header, raw, reason))
            values[column.header] = value.rename(column.header)
        records = pl.DataFrame(values)
        if identity is not None:
            records, more = self._check_person(records, identity, cells, snapshot_date)
            problems += more
        problems += self._check_dates(records, cells, snapshot_date)
        return Validated(records, pl.concat(problems).sort(ROW, "seq", maintain_order=True))

    def _check_person(self, records: pl.DataFrame, identity: pl.DataFrame, cells: pl.DataFrame,
                      snapshot_date: date | None) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
        """性别 and 出生年月 must agree with the ID number; when blank they are taken from it."""
        frame = records.with_columns(id_sex=identity["sex"], id_birth=identity["birth"])
        if "性别" not in frame.columns:
            frame = frame.with_columns(性别=pl.lit(None, pl.String))
        known = pl.col("id_birth").is_not_null()
        sex, given_sex = pl.col("id_sex"), pl.col("性别")
        checks = frame.select(
            sex=pl.when(known & given_sex.is_not_null() & (given_sex != sex)).then(
                pl.format("性别“{}”与身份证号（{}）不符", given_sex, sex)),
            born=(pl.when(known & (pl.col("id_birth") > snapshot_date)).then(
                pl.lit("身份证号中的出生日期晚于统计截止日期")) if snapshot_date is not None
                  else pl.lit(None, pl.String)))
        problems = [problems_frame(cells[ROW], _SEQ_SEX, "性别", cells.get_column("性别", default=None),
                              checks["sex"])]
        updates = [pl.when(known & given_sex.is_null()).then(sex).otherwise(given_sex).alias("性别")]
        if "出生年月" in frame.columns:
            month, given = pl.col("id_birth").dt.month_start(), pl.col("出生年月")
            mismatch = known & given.is_not_null() & (given.dt.month_start() != month)
            reason = frame.select(pl.when(mismatch).then(
                pl.format("出生年月与身份证号中的出生年月“{}”不符", month.dt.strftime("%Y年%m月")))).to_series()
            problems.append(problems_frame(cells[ROW], _SEQ_BIRTH_MONTH, "出生年月", cells["出生年月"], reason))
            updates.append(pl.when(known & ~mismatch).then(month).otherwise(given).alias("出生年月"))
        problems.append(problems_frame(cells[ROW], _SEQ_BORN, "身份证号", cells["身份证号"], checks["born"]))
        records = frame.with_columns(*updates, 出生日期=pl.col("id_birth")).drop("id_sex", "id_birth")
        return records, problems

    @staticmethod
    def _check_dates(records: pl.DataFrame, cells: pl.DataFrame,
                     snapshot_date: date | None) -> list[pl.DataFrame]:
        """Dates that contradict each other or the snapshot they were reported in."""
        problems: list[pl.DataFrame] = []
        pairs = (("开始日期", "结束日期", "结束日期早于开始日期"),
                 ("任职时间", "免职时间", "免职时间早于任职时间"))
        for offset, (start, end, text) in enumerate(pairs):
            if start in records.columns and end in records.columns:
                reason = records.select(pl.when(pl.col(end) < pl.col(start)).then(pl.lit(text))).to_series()
                problems.append(problems_frame(cells[ROW], _SEQ_DATES + offset, end, cells[end], reason))
        if snapshot_date is not None and "入库时间" in records.columns:
            reason = records.select(pl.when(pl.col("入库时间") > snapshot_date)
                                    .then(pl.lit("入库时间晚于统计截止日期"))).to_series()
            problems.append(problems_frame(cells[ROW], _SEQ_DATES + 2, "入库时间", cells["入库时间"], reason))
        return problems

    def validate(
        self, cells: dict[str, str | None], snapshot_date: date | None = None
    ) -> tuple[dict[str, Any], list[Problem]]:
        """One row: the normalised record (Chinese column names) and the problems found in it."""
        frame = pl.DataFrame({ROW: [1], **{name: [text] for name, text in cells.items()}},
                             schema={ROW: pl.Int32, **dict.fromkeys(cells, pl.String)})
        validated = self.validate_frame(frame, snapshot_date)
        record = validated.records.drop(ROW).row(0, named=True)
        return record, [Problem(p["column"], p["value"], p["reason"])
                        for p in validated.problems.iter_rows(named=True)]


def problems_frame(rows: pl.Series, seq: int, column: str | None, raw: pl.Series | None,
                   reason: pl.Series) -> pl.DataFrame:
    """The problems of one check as rows of :data:`PROBLEM_SCHEMA` (only where ``reason``)."""
    where = reason.is_not_null()
    if not where.any():
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return pl.DataFrame({
        ROW: rows.filter(where).cast(pl.Int32),
        "seq": pl.Series([seq] * int(where.sum()), dtype=pl.Int32),
        "column": pl.Series([column] * int(where.sum()), dtype=pl.String),
        "value": raw.filter(where).cast(pl.String) if raw is not None else pl.Series([None] * int(where.sum()),
                                                                                    dtype=pl.String),
        "reason": reason.filter(where).cast(pl.String),
    })


def record_json(cells: dict[str, str | None]) -> str:
    """The whole original row, kept with its rejection so nothing is lost."""
    return json.dumps(cells, ensure_ascii=False)
